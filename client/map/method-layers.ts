import type {
  ExpressionSpecification, FilterSpecification, LayerSpecification, Map as MapLibreMap, VectorTileSource,
} from 'maplibre-gl';
import type { Category } from '../../shared/method-schemas';
import { LAYER } from './layers';
import { NEIGHBOURHOOD_SOURCE_LAYER, NEIGHBOURHOODS, tileJsonUrl } from './sources';

/**
 * The programme's method on the map: neighbourhoods shaded by their (filtered) problems or by
 * their stage, and the interventions as a symbol per category with an outline where they
 * have an area.
 *
 * The shading rides on feature-state of the neighbourhood source (`method_problems`,
 * `method_stage`), filled from /api/problems and /api/stages: it works the same whether the
 * neighbourhoods come as GeoJSON or as vector tiles, follows the filters without refetching
 * any geometry, and is refreshed after each edit without reloading the base layers.
 *
 * The interventions come as the `interventions` vector tiles (server/interventions/tile-layer.ts):
 * outlines from the `interventions` source-layer, one symbol each from `interventions_labels`.
 * The tiles hold every intervention; the category and agency filters are MapLibre filters.
 */
export type MethodOverlay = 'none' | 'problems' | 'stages';

export const METHOD_LAYER = {
  problems: 'method-problems-fill',
  stages: 'method-stages-fill',
  interventionFill: 'method-interventions-fill',
  interventionLine: 'method-interventions-line',
  interventionSymbol: 'method-interventions-symbol',
} as const;

export const INTERVENTIONS_SOURCE = 'method-interventions';
/** The server's tile layer, also the source-layer of the outlines; the symbols stand in `{name}_labels`. */
const INTERVENTIONS_TILES = 'interventions';
const INTERVENTION_LABELS = 'interventions_labels';

/** Which interventions the map shows: those of a category, those an agency leads or is a partner in. */
export interface InterventionFilter {
  category?: Category | undefined;
  agency?: number | undefined;
}

/** ColorBrewer BuPu: apart from the deprivation palette (YlOrRd) so the two are never confused. */
export const PROBLEM_STEPS = [
  { min: 0, colour: '#f3f1ec' },
  { min: 1, colour: '#bfd3e6' },
  { min: 2, colour: '#9ebcda' },
  { min: 3, colour: '#8c96c6' },
  { min: 5, colour: '#8856a7' },
  { min: 8, colour: '#810f7c' },
] as const;

/** 0 not started (neutral), 1 identification, 2 action and follow-up, 3 networks. */
export const STAGE_COLOURS = ['#ebe7df', '#fdd49e', '#6baed6', '#2b8c4e'] as const;

export const CATEGORY_STYLE: Record<Category, { colour: string; shape: 'triangle' | 'circle' | 'square' | 'diamond' }> = {
  educational: { colour: '#1f78b4', shape: 'triangle' },
  social: { colour: '#7b3294', shape: 'circle' },
  civil_environmental: { colour: '#a6611a', shape: 'square' },
  economic: { colour: '#1b7837', shape: 'diamond' },
};

const PROBLEMS_STATE = 'method_problems';
const STAGE_STATE = 'method_stage';

const problemColour = [
  'step', ['coalesce', ['feature-state', PROBLEMS_STATE], 0],
  PROBLEM_STEPS[0].colour,
  ...PROBLEM_STEPS.slice(1).flatMap((s) => [s.min, s.colour]),
] as unknown as ExpressionSpecification;

const stageColour = [
  'match', ['coalesce', ['feature-state', STAGE_STATE], 0],
  1, STAGE_COLOURS[1], 2, STAGE_COLOURS[2], 3, STAGE_COLOURS[3],
  STAGE_COLOURS[0],
] as unknown as ExpressionSpecification;

const hasArea: ExpressionSpecification = ['==', ['get', 'has_area'], true];

/**
 * The conditions of a filter, as the API's `category` and `agency` query parameters do:
 * the tiles carry an intervention's agencies, lead and partners, as `agency_ids: ',3,7,'`.
 */
export function interventionConditions({ category, agency }: InterventionFilter): ExpressionSpecification[] {
  const conditions: ExpressionSpecification[] = [];
  if (category) conditions.push(['==', ['get', 'category'], category]);
  if (agency !== undefined) conditions.push(['in', `,${agency},`, ['get', 'agency_ids']]);
  return conditions;
}

function overlayLayers(): LayerSpecification[] {
  const sourceLayer = NEIGHBOURHOOD_SOURCE_LAYER ? { 'source-layer': NEIGHBOURHOOD_SOURCE_LAYER } : {};
  const categoryColour = [
    'match', ['get', 'category'],
    ...Object.entries(CATEGORY_STYLE).flatMap(([category, style]) => [category, style.colour]),
    '#555555',
  ] as unknown as ExpressionSpecification;
  return [
    {
      id: METHOD_LAYER.problems,
      type: 'fill',
      source: NEIGHBOURHOODS,
      ...sourceLayer,
      layout: { visibility: 'none' },
      paint: { 'fill-color': problemColour, 'fill-opacity': 0.92 },
    },
    {
      id: METHOD_LAYER.stages,
      type: 'fill',
      source: NEIGHBOURHOODS,
      ...sourceLayer,
      layout: { visibility: 'none' },
      paint: { 'fill-color': stageColour, 'fill-opacity': 0.92 },
    },
    {
      id: METHOD_LAYER.interventionFill,
      type: 'fill',
      source: INTERVENTIONS_SOURCE,
      'source-layer': INTERVENTIONS_TILES,
      filter: hasArea,
      layout: { visibility: 'none' },
      paint: { 'fill-color': categoryColour, 'fill-opacity': 0.12 },
    },
    {
      id: METHOD_LAYER.interventionLine,
      type: 'line',
      source: INTERVENTIONS_SOURCE,
      'source-layer': INTERVENTIONS_TILES,
      filter: hasArea,
      layout: { visibility: 'none', 'line-join': 'round' },
      paint: {
        'line-color': categoryColour,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 14, 3],
        'line-dasharray': ['match', ['get', 'status'], 'planned', ['literal', [2, 1.5]], ['literal', [1, 0]]],
      },
    },
  ];
}

function symbolLayer(): LayerSpecification {
  return {
    id: METHOD_LAYER.interventionSymbol,
    type: 'symbol',
    source: INTERVENTIONS_SOURCE,
    'source-layer': INTERVENTION_LABELS,
    layout: {
      visibility: 'none',
      'icon-image': ['concat', 'method-', ['get', 'category']],
      'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.7, 13, 1],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      // Several interventions in one neighbourhood stand at the same point: fan them out.
      'icon-offset': ['match', ['%', ['get', 'id'], 3], 1, ['literal', [13, 0]], 2, ['literal', [-13, 0]], ['literal', [0, 0]]],
      'icon-anchor': 'bottom',
    },
    paint: {
      'icon-opacity': ['match', ['get', 'status'], 'done', 0.55, 1],
      // Above the neighbourhood's name, which stands at the same inner point.
      'icon-translate': [0, -9],
    },
  };
}

/** A category's symbol, drawn on a canvas: shape and colour both differ, for colour-blind readers. */
export function drawCategoryIcon(category: Category, size = 22, ratio = 2): ImageData {
  const px = size * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = px;
  canvas.height = px;
  const g = canvas.getContext('2d')!;
  const { colour, shape } = CATEGORY_STYLE[category];
  const c = px / 2;
  const r = px / 2 - 3 * ratio;
  g.beginPath();
  if (shape === 'circle') g.arc(c, c, r, 0, Math.PI * 2);
  else if (shape === 'square') g.rect(c - r * 0.85, c - r * 0.85, r * 1.7, r * 1.7);
  else if (shape === 'diamond') {
    g.moveTo(c, c - r); g.lineTo(c + r, c); g.lineTo(c, c + r); g.lineTo(c - r, c);
  } else {
    g.moveTo(c, c - r); g.lineTo(c + r, c + r * 0.8); g.lineTo(c - r, c + r * 0.8);
  }
  g.closePath();
  g.fillStyle = colour;
  g.fill();
  g.lineWidth = 2 * ratio;
  g.strokeStyle = '#ffffff';
  g.stroke();
  return g.getImageData(0, 0, px, px);
}

export class MethodLayers {
  private problemCounts = new Map<number, number>();
  private stages = new Map<number, number>();
  private readonly onSourceData: (event: { sourceId?: string; isSourceLoaded?: boolean }) => void;

  constructor(private readonly map: MapLibreMap) {
    this.onSourceData = (event) => {
      // New neighbourhood data (a reload, or new tiles): put the states back on it.
      if (event.sourceId === NEIGHBOURHOODS && event.isSourceLoaded) this.applyStates();
    };
    this.whenReady(() => this.install());
  }

  setOverlay(overlay: MethodOverlay): void {
    this.whenReady(() => {
      this.map.setLayoutProperty(METHOD_LAYER.problems, 'visibility', overlay === 'problems' ? 'visible' : 'none');
      this.map.setLayoutProperty(METHOD_LAYER.stages, 'visibility', overlay === 'stages' ? 'visible' : 'none');
    });
  }

  /** Problems per neighbourhood id (the filtered list, counted). */
  setProblemCounts(counts: Map<number, number>): void {
    const previous = this.problemCounts;
    this.problemCounts = counts;
    this.whenReady(() => {
      for (const id of previous.keys()) if (!counts.has(id)) this.setState(id, { [PROBLEMS_STATE]: 0 });
      this.applyStates();
    });
  }

  setStages(stages: Map<number, number>): void {
    this.stages = stages;
    this.whenReady(() => this.applyStates());
  }

  /** Shows the interventions that pass the filter, or hides them all (null). */
  setInterventions(filter: InterventionFilter | null): void {
    this.whenReady(() => {
      const conditions = filter ? interventionConditions(filter) : [];
      const filters: [string, FilterSpecification][] = [
        [METHOD_LAYER.interventionFill, ['all', hasArea, ...conditions]],
        [METHOD_LAYER.interventionLine, ['all', hasArea, ...conditions]],
        [METHOD_LAYER.interventionSymbol, ['all', ...conditions]],
      ];
      for (const [id, layerFilter] of filters) {
        this.map.setLayoutProperty(id, 'visibility', filter ? 'visible' : 'none');
        this.map.setFilter(id, layerFilter);
      }
    });
  }

  /**
   * Fetches the intervention tiles again after an edit. Setting the TileJSON URL again
   * reloads them all, as reloadBoundaryTiles does for the base map; the browser asks with
   * the ETags it holds, and only tiles whose data changed come back in full.
   */
  reloadInterventions(): void {
    this.whenReady(() => this.map.getSource<VectorTileSource>(INTERVENTIONS_SOURCE)?.setUrl(tileJsonUrl(INTERVENTIONS_TILES)));
  }

  destroy(): void {
    this.map.off('sourcedata', this.onSourceData);
    if (!this.map.getStyle()) return;
    for (const id of Object.values(METHOD_LAYER)) if (this.map.getLayer(id)) this.map.removeLayer(id);
    if (this.map.getSource(INTERVENTIONS_SOURCE)) this.map.removeSource(INTERVENTIONS_SOURCE);
  }

  private install(): void {
    for (const category of Object.keys(CATEGORY_STYLE) as Category[]) {
      const id = `method-${category}`;
      if (!this.map.hasImage(id)) this.map.addImage(id, drawCategoryIcon(category), { pixelRatio: 2 });
    }
    if (!this.map.getSource(INTERVENTIONS_SOURCE)) {
      // Zoom range and bounds from the TileJSON; the tiles are fetched once a layer shows them.
      this.map.addSource(INTERVENTIONS_SOURCE, { type: 'vector', url: tileJsonUrl(INTERVENTIONS_TILES), promoteId: 'id' });
    }
    // Under the neighbourhood outlines, the selection and the labels; the symbols above all.
    for (const layer of overlayLayers()) if (!this.map.getLayer(layer.id)) this.map.addLayer(layer, LAYER.line);
    if (!this.map.getLayer(METHOD_LAYER.interventionSymbol)) this.map.addLayer(symbolLayer());
    this.map.on('sourcedata', this.onSourceData);
    this.applyStates();
  }

  private applyStates(): void {
    if (!this.map.getSource(NEIGHBOURHOODS)) return;
    for (const [id, count] of this.problemCounts) this.setState(id, { [PROBLEMS_STATE]: count });
    for (const [id, stage] of this.stages) this.setState(id, { [STAGE_STATE]: stage });
  }

  private setState(id: number, state: Record<string, number>): void {
    this.map.setFeatureState({ source: NEIGHBOURHOODS, sourceLayer: NEIGHBOURHOOD_SOURCE_LAYER, id }, state);
  }

  private whenReady(apply: () => void): void {
    if (this.map.getLayer(LAYER.line)) apply();
    else this.map.once('load', apply);
  }
}
