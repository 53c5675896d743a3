import type {
  CoverageAnswer, GapsAnswer, HeatCollection, HexCollection, ProgrammeList, SeriesAnswer,
} from '../shared/coverage-schemas';
import type { CoverageMetric } from '../shared/coverage';
import { apiUrl, request } from './api';

// The commander's view reads these; type-only imports keep TypeBox out of the bundle.

export type { CoverageAnswer, GapsAnswer, HeatCollection, HexCollection, ProgrammeList, SeriesAnswer };
export type Programme = ProgrammeList['items'][number];
export type CountyCoverage = CoverageAnswer['counties'][number];
export type Gap = GapsAnswer['items'][number];

function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { signal });
}

export function fetchProgrammes(signal?: AbortSignal): Promise<ProgrammeList> {
  return getJson(apiUrl('/api/programmes'), signal);
}

export function fetchCoverage(programme: string, at: string, signal?: AbortSignal): Promise<CoverageAnswer> {
  return getJson(apiUrl('/api/coverage', { programme, at }), signal);
}

export function fetchGaps(programme: string, at: string, signal?: AbortSignal): Promise<GapsAnswer> {
  return getJson(apiUrl('/api/coverage/gaps', { programme, at }), signal);
}

/** Coverage over time: `to` the last day (today when absent), from the programme's start, the province or one county. */
export function fetchSeries(programme: string, range: { to?: string; county?: number | undefined }, signal?: AbortSignal): Promise<SeriesAnswer> {
  return getJson(apiUrl('/api/coverage/series', { programme, ...range }), signal);
}

export function fetchHeat(programme: string, at: string, metric: CoverageMetric, signal?: AbortSignal): Promise<HeatCollection> {
  return getJson(apiUrl('/api/coverage/heat', { programme, at, metric }), signal);
}

/** zoom: the map's zoom, whole numbers only, so that a zoom band shares one answer. */
export function fetchHex(programme: string, at: string, metric: CoverageMetric, zoom: number, signal?: AbortSignal): Promise<HexCollection> {
  return getJson(apiUrl('/api/coverage/hex', { programme, at, metric, zoom }), signal);
}

/** The coverage vector tiles; braces stay literal for MapLibre to fill in. */
export function coverageTilesUrl(): string {
  return `${window.location.origin}/tiles/coverage/{z}/{x}/{y}.mvt`;
}
