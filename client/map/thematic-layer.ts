import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { LAYER } from './layers';
import { NEIGHBOURHOOD_SOURCE_LAYER, NEIGHBOURHOODS } from './sources';

/**
 * A thematic map: neighbourhoods coloured by the class of an indicator's value. Like the
 * method's shading (method-layers.ts), the class rides on feature-state of the neighbourhood
 * source, so changing the indicator, the method or the breaks refetches no geometry.
 * A neighbourhood without a value keeps the state -1 and a neutral grey.
 */
export const THEMATIC_LAYER = 'thematic-fill';
const STATE = 'thematic_class';
export const NO_VALUE_COLOUR = '#e4e1da';

/** ColorBrewer YlGnBu, the scheme for each number of classes (3–9): apart from deprivation's YlOrRd. */
export const THEMATIC_COLOURS: Record<number, readonly string[]> = {
  3: ['#edf8b1', '#7fcdbb', '#2c7fb8'],
  4: ['#ffffcc', '#a1dab4', '#41b6c4', '#225ea8'],
  5: ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'],
  6: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'],
  7: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'],
  8: ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'],
  9: ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#253494', '#081d58'],
};

/** The colours of k classes; fewer than 3 classes (few distinct values) take the start of the 3-class scheme. */
export function thematicColours(classes: number): readonly string[] {
  return THEMATIC_COLOURS[Math.max(3, Math.min(9, classes))]!.slice(0, Math.max(classes, 1));
}

export class ThematicLayer {
  private classes = new Map<number, number>();
  private readonly onSourceData: (event: { sourceId?: string; isSourceLoaded?: boolean }) => void;

  constructor(private readonly map: MapLibreMap) {
    this.onSourceData = (event) => {
      // New neighbourhood tiles come without state: put the classes back on them.
      if (event.sourceId === NEIGHBOURHOODS && event.isSourceLoaded) this.applyStates();
    };
    this.whenReady(() => {
      if (!this.map.getLayer(THEMATIC_LAYER)) {
        this.map.addLayer({
          id: THEMATIC_LAYER,
          type: 'fill',
          source: NEIGHBOURHOODS,
          ...(NEIGHBOURHOOD_SOURCE_LAYER ? { 'source-layer': NEIGHBOURHOOD_SOURCE_LAYER } : {}),
          layout: { visibility: 'none' },
          paint: { 'fill-color': NO_VALUE_COLOUR, 'fill-opacity': 0.92 },
        }, LAYER.line);
      }
      this.map.on('sourcedata', this.onSourceData);
    });
  }

  /** Colours each neighbourhood by its class (0 …); those absent from `classes` have no value. */
  show(classes: Map<number, number>, colours: readonly string[]): void {
    const previous = this.classes;
    this.classes = classes;
    this.whenReady(() => {
      const colour = colours.length === 0 ? NO_VALUE_COLOUR : ([
        'match', ['coalesce', ['feature-state', STATE], -1],
        ...colours.flatMap((c, i) => [i, c]),
        NO_VALUE_COLOUR,
      ] as unknown as ExpressionSpecification);
      this.map.setPaintProperty(THEMATIC_LAYER, 'fill-color', colour);
      this.map.setLayoutProperty(THEMATIC_LAYER, 'visibility', 'visible');
      for (const id of previous.keys()) if (!classes.has(id)) this.setState(id, -1);
      this.applyStates();
    });
  }

  hide(): void {
    this.whenReady(() => this.map.setLayoutProperty(THEMATIC_LAYER, 'visibility', 'none'));
  }

  destroy(): void {
    this.map.off('sourcedata', this.onSourceData);
    if (this.map.getStyle() && this.map.getLayer(THEMATIC_LAYER)) this.map.removeLayer(THEMATIC_LAYER);
  }

  private applyStates(): void {
    if (!this.map.getSource(NEIGHBOURHOODS)) return;
    for (const [id, c] of this.classes) this.setState(id, c);
  }

  private setState(id: number, c: number): void {
    this.map.setFeatureState({ source: NEIGHBOURHOODS, sourceLayer: NEIGHBOURHOOD_SOURCE_LAYER, id }, { [STATE]: c });
  }

  private whenReady(apply: () => void): void {
    if (this.map.getLayer(LAYER.line)) apply();
    else this.map.once('load', apply);
  }
}
