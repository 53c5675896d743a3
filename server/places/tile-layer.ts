import { sql } from 'kysely';
import type { TileLayerDefinition } from '../tiles/layers.js';

export const GEONAMES = '<a href="https://www.geonames.org/" target="_blank" rel="noopener">GeoNames</a> (CC BY 4.0)';

/**
 * The context layer's place names: county seats and towns (migration 0017), so the map
 * shows where things are at province scale even without a basemap file.
 */
export const placesTileLayer: TileLayerDefinition = {
  name: 'places',
  description: 'County seats and towns of the province, from the GeoNames gazetteer; towns named in Persian from Iran\'s list of cities',
  // Below zoom 5 the province is a few dozen pixels wide; points are overzoomed past 12.
  minzoom: 5,
  maxzoom: 12,
  attribution: GEONAMES,
  revisions: ['places'],
  fields: { id: 'Number', kind: 'String', name_fa: 'String', name_en: 'String' },
  features: (bounds) => sql`
    select p.id, p.kind, p.name_fa, p.name_en, p.geom
    from places p
    where p.geom && ${bounds}`,
};
