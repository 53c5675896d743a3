import { describe, expect, it } from 'vitest';
// MapLibre's own expression engine (a dependency of maplibre-gl), so the filters are
// checked the way the map evaluates them.
import { featureFilter, type FilterSpecification } from '@maplibre/maplibre-gl-style-spec';
import { interventionConditions, type InterventionFilter } from '../../client/map/method-layers.js';

describe('interventionConditions', () => {
  // Properties as the interventions tiles carry them (server/interventions/tile-layer.ts).
  const features = [
    { id: 1, category: 'social', agency_ids: ',3,7,' },
    { id: 2, category: 'educational', agency_ids: ',13,' },
    { id: 3, category: 'social', agency_ids: ',7,30,' },
  ];
  const shown = (filter: InterventionFilter) => {
    const { filter: test } = featureFilter(['all', ...interventionConditions(filter)] as FilterSpecification, 'filter');
    return features.filter((properties) => test({ zoom: 12 }, { type: 1, properties } as never)).map((f) => f.id);
  };

  it('keeps every intervention without a filter', () => {
    expect(shown({})).toEqual([1, 2, 3]);
  });

  it('keeps a category', () => {
    expect(shown({ category: 'social' })).toEqual([1, 3]);
  });

  it('keeps an agency as lead or partner, matching whole ids only', () => {
    expect(shown({ agency: 3 })).toEqual([1]);
    expect(shown({ agency: 7 })).toEqual([1, 3]);
    expect(shown({ agency: 30 })).toEqual([3]);
    expect(shown({ agency: 7, category: 'educational' })).toEqual([]);
  });
});
