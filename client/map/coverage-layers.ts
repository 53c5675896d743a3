import type {
  ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MapLibreMap, SourceSpecification,
} from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import {
  COVERAGE_TILE_PERIODS, coveragePeriodProperty, type CoverageMetric,
} from '../../shared/coverage';
import type { HeatCollection, HexCollection } from '../coverage-api';
import { coverageTilesUrl } from '../coverage-api';
import { LAYER } from './layers';
import { OSM_ATTRIBUTION } from './sources';

/**
 * The commander's map: a coverage choropleth from the `coverage` vector tiles, a heatmap
 * and hexagons from the coverage API. The tiles carry each neighbourhood's coverage
 * periods as dates, so moving the date re-evaluates one paint expression — no request.
 */

export type CoverageMapMode = 'choropleth' | 'heat' | 'hex';

const SOURCE = { tiles: 'coverage', heat: 'coverage-heat', hex: 'coverage-hex' } as const;
export const COVERAGE_LAYER = {
  fill: 'coverage-fill',
  outline: 'coverage-outline',
  heat: 'coverage-heat',
  hex: 'coverage-hex',
  hexLine: 'coverage-hex-line',
} as const;
const SOURCE_LAYER = 'coverage';

/** Shades by deprivation 1 … 5: teal where covered, warm where not — the darkest red is a deprived gap. */
export const COVERED_COLOURS = ['#e0f3ee', '#b3e0d2', '#74c4ab', '#35a07f', '#0e6f55'] as const;
export const UNCOVERED_COLOURS = ['#f4f1ea', '#f2dcc0', '#eeb07d', '#e1693f', '#b2182b'] as const;

/** A sequential ramp per metric, light to dark, for heat and hexagons. */
export const METRIC_COLOURS: Record<CoverageMetric, readonly string[]> = {
  covered_population: ['#d6efe6', '#99d5c0', '#52b394', '#1f8a6a', '#0a5a45'],
  uncovered_deprived_population: ['#fde0c5', '#f9a77a', '#ef6a45', '#c8302a', '#8c0d25'],
  interventions: ['#e6dff2', '#c3b3e0', '#9a82c9', '#6f53ad', '#46307f'],
};

/**
 * Whether the neighbourhood is covered by the programme on the day: any of its periods
 * (up to COVERAGE_TILE_PERIODS) has from ≤ day ≤ to. ISO dates compare as strings; an
 * absent `from` never covers and an absent `to` is still running.
 */
export function coveredExpression(programme: string, at: string): ExpressionSpecification {
  const FAR = '9999-12-31';
  const periods = Array.from({ length: COVERAGE_TILE_PERIODS }, (_, i): ExpressionSpecification => [
    'all',
    ['<=', ['to-string', ['coalesce', ['get', coveragePeriodProperty(programme, i, 'from')], FAR]], at],
    ['>=', ['to-string', ['coalesce', ['get', coveragePeriodProperty(programme, i, 'to')], FAR]], at],
  ]);
  return ['any', ...periods];
}

function byDeprivation(colours: readonly string[]): ExpressionSpecification {
  return ['match', ['get', 'deprivation'], 1, colours[0]!, 2, colours[1]!, 3, colours[2]!, 4, colours[3]!, colours[4]!];
}

export function choroplethColour(programme: string, at: string): ExpressionSpecification {
  return ['case', coveredExpression(programme, at), byDeprivation(COVERED_COLOURS), byDeprivation(UNCOVERED_COLOURS)];
}

/** Five classes of equal width over 0 … max, with round class limits. */
export function classBreaks(max: number): number[] {
  if (!(max > 0)) return [1, 2, 3, 4];
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  return [1, 2, 3, 4].map((k) => k * step);
}

function stepColour(property: string, breaks: readonly number[], colours: readonly string[]): ExpressionSpecification {
  const stops = breaks.flatMap((limit, i) => [limit, colours[i + 1]!]);
  return ['step', ['get', property], colours[0]!, ...stops] as ExpressionSpecification;
}

export interface LegendEntry {
  colour: string;
  label: string;
}

export interface CoverageLegendSpec {
  title: string;
  /** choropleth: two columns (covered, not covered) of five deprivation shades; otherwise one list. */
  columns: { heading: string; entries: LegendEntry[] }[];
  notes: string[];
}

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Owns the coverage sources and layers on a map built by MapController. */
export class CoverageLayers {
  private readonly map: MapLibreMap;
  private mode: CoverageMapMode = 'choropleth';
  private programme: string;
  private at: string;
  private hiddenBase: string[] = [];
  private destroyed = false;
  private readonly onZoomEnd: () => void;
  private readonly ready: Promise<void>;

  constructor(map: MapLibreMap, options: { programme: string; at: string; mode: CoverageMapMode; onZoomBand(zoom: number): void }) {
    this.map = map;
    this.programme = options.programme;
    this.at = options.at;
    this.mode = options.mode;
    let band = Math.round(map.getZoom());
    this.onZoomEnd = () => {
      const next = Math.round(this.map.getZoom());
      if (next !== band) {
        band = next;
        options.onZoomBand(next);
      }
    };
    this.ready = new Promise((resolve) => {
      const attempt = () => {
        if (this.destroyed) map.off('styledata', attempt);
        if (this.destroyed || !map.getLayer(LAYER.fill)) return;
        map.off('styledata', attempt);
        this.install();
        resolve();
      };
      map.on('styledata', attempt);
      attempt();
    });
    map.on('zoomend', this.onZoomEnd);
  }

  /** The zoom band hexagons are asked for at. */
  zoomBand(): number {
    return Math.round(this.map.getZoom());
  }

  setProgramme(programme: string): void {
    this.programme = programme;
    this.repaintCoverage();
  }

  setDate(at: string): void {
    this.at = at;
    this.repaintCoverage();
  }

  setMode(mode: CoverageMapMode): void {
    this.mode = mode;
    this.whenReady(() => this.applyVisibility());
  }

  setHeat(data: HeatCollection, metric: CoverageMetric): void {
    this.whenReady(() => {
      this.map.getSource<GeoJSONSource>(SOURCE.heat)?.setData(data as unknown as FeatureCollection);
      const max = Math.max(data.max_weight, 1e-9);
      const colours = METRIC_COLOURS[metric];
      // The square root lifts the many small neighbourhoods next to Kerman city's large ones, which
      // would otherwise leave the rest of the province blank at the zooms that show it whole.
      this.map.setPaintProperty(COVERAGE_LAYER.heat, 'heatmap-weight', ['sqrt', ['/', ['get', 'weight'], max]]);
      this.map.setPaintProperty(COVERAGE_LAYER.heat, 'heatmap-color', [
        'interpolate', ['linear'], ['heatmap-density'],
        0, 'rgba(255,255,255,0)', 0.15, colours[0], 0.35, colours[1], 0.55, colours[2], 0.8, colours[3], 1, colours[4],
      ]);
    });
  }

  setHex(data: HexCollection, metric: CoverageMetric): void {
    this.whenReady(() => {
      this.map.getSource<GeoJSONSource>(SOURCE.hex)?.setData(data as unknown as FeatureCollection);
      this.map.setPaintProperty(COVERAGE_LAYER.hex, 'fill-color', stepColour('value', classBreaks(data.max_value), METRIC_COLOURS[metric]));
    });
  }

  flyToBbox(bbox: readonly number[], padding: number | { top: number; bottom: number; left: number; right: number }): void {
    const [minLon, minLat, maxLon, maxLat] = bbox as [number, number, number, number];
    this.map.fitBounds([[minLon, minLat], [maxLon, maxLat]], { padding, maxZoom: 14, duration: 1000 });
  }

  /** Resolves once the map has drawn what it has (tiles loaded, nothing moving). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.map.loaded() && !this.map.isMoving()) resolve();
      else this.map.once('idle', () => resolve());
    });
  }

  destroy(): void {
    this.destroyed = true;
    this.map.off('zoomend', this.onZoomEnd);
    if (!this.map.getLayer(LAYER.fill)) return;
    for (const id of Object.values(COVERAGE_LAYER)) if (this.map.getLayer(id)) this.map.removeLayer(id);
    for (const id of Object.values(SOURCE)) if (this.map.getSource(id)) this.map.removeSource(id);
    for (const id of this.hiddenBase) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', 'visible');
  }

  private install(): void {
    const sources: Record<string, SourceSpecification> = {
      [SOURCE.tiles]: {
        type: 'vector',
        tiles: [coverageTilesUrl()],
        // As the server's coverage tile layer (server/coverage/tile-layer.ts).
        minzoom: 4,
        maxzoom: 15,
        promoteId: 'id',
        attribution: OSM_ATTRIBUTION,
      },
      [SOURCE.heat]: { type: 'geojson', data: emptyCollection },
      [SOURCE.hex]: { type: 'geojson', data: emptyCollection },
    };
    for (const [id, source] of Object.entries(sources)) if (!this.map.getSource(id)) this.map.addSource(id, source);

    // Under the county lines, the selection and the labels, so those stay readable.
    const before = this.map.getLayer(LAYER.countyLine) ? LAYER.countyLine : undefined;
    for (const layer of this.layerSpecs()) if (!this.map.getLayer(layer.id)) this.map.addLayer(layer, before);

    // The deprivation fill of the base map would fight the coverage shading.
    if (this.map.getLayer(LAYER.fill) && this.map.getLayoutProperty(LAYER.fill, 'visibility') !== 'none') {
      this.map.setLayoutProperty(LAYER.fill, 'visibility', 'none');
      this.hiddenBase.push(LAYER.fill);
    }
    this.applyVisibility();
  }

  private layerSpecs(): LayerSpecification[] {
    return [
      {
        id: COVERAGE_LAYER.fill,
        type: 'fill',
        source: SOURCE.tiles,
        'source-layer': SOURCE_LAYER,
        paint: { 'fill-color': choroplethColour(this.programme, this.at), 'fill-opacity': 0.88 },
      },
      {
        id: COVERAGE_LAYER.outline,
        type: 'line',
        source: SOURCE.tiles,
        'source-layer': SOURCE_LAYER,
        paint: {
          'line-color': ['case', coveredExpression(this.programme, this.at), '#0b5442', 'rgba(120,113,108,0.55)'],
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 14, 1.4],
        },
      },
      {
        id: COVERAGE_LAYER.hex,
        type: 'fill',
        source: SOURCE.hex,
        paint: { 'fill-color': METRIC_COLOURS.covered_population[2]!, 'fill-opacity': 0.82 },
      },
      {
        id: COVERAGE_LAYER.hexLine,
        type: 'line',
        source: SOURCE.hex,
        paint: { 'line-color': '#ffffff', 'line-width': 0.6, 'line-opacity': 0.8 },
      },
      {
        id: COVERAGE_LAYER.heat,
        type: 'heatmap',
        source: SOURCE.heat,
        paint: {
          'heatmap-weight': ['get', 'weight'],
          // At province zoom (6–7) the neighbourhoods are a few pixels apart: wider, stronger spots
          // keep them visible there; close in they narrow to their streets.
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 5, 2.5, 8, 1.8, 12, 2],
          'heatmap-radius': ['interpolate', ['exponential', 2], ['zoom'], 5, 18, 8, 32, 12, 70, 15, 180],
          'heatmap-opacity': 0.85,
        },
      },
    ];
  }

  private applyVisibility(): void {
    const show = (id: string, visible: boolean) => {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    };
    show(COVERAGE_LAYER.fill, true);
    // Heat and hexagons sit over a faint choropleth, for orientation.
    this.map.setPaintProperty(COVERAGE_LAYER.fill, 'fill-opacity', this.mode === 'choropleth' ? 0.88 : 0.25);
    show(COVERAGE_LAYER.outline, this.mode === 'choropleth');
    show(COVERAGE_LAYER.heat, this.mode === 'heat');
    show(COVERAGE_LAYER.hex, this.mode === 'hex');
    show(COVERAGE_LAYER.hexLine, this.mode === 'hex');
  }

  private repaintCoverage(): void {
    this.whenReady(() => {
      this.map.setPaintProperty(COVERAGE_LAYER.fill, 'fill-color', choroplethColour(this.programme, this.at));
      this.map.setPaintProperty(COVERAGE_LAYER.outline, 'line-color', [
        'case', coveredExpression(this.programme, this.at), '#0b5442', 'rgba(120,113,108,0.55)',
      ]);
    });
  }

  /** Runs once the base style is there (its layers exist as soon as the style is parsed). */
  private whenReady(apply: () => void): void {
    void this.ready.then(() => {
      if (!this.destroyed) apply();
    });
  }
}

