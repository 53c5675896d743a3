import { bbox } from '@turf/bbox';
import { fetchCounties } from '../api';
import {
  fetchCoverage, fetchGaps, fetchProgrammes, fetchSeries, type CoverageAnswer, type Gap, type Programme,
} from '../coverage-api';
import type { BriefState } from './brief-url';
import { BriefError, type BriefErrorCode } from './brief-strings';
import { timed } from './brief-timing';
import type { SeriesPoint } from './brief-series';

/**
 * What the brief loads, in two parts so that the map (the slow part) starts as soon as it can:
 * the frame — the programme, the day, what the map frames — from two small requests, then the
 * figures — coverage, gaps and coverage over time — while the map draws.
 */
export interface BriefFrame {
  programme: Programme;
  /** The day reported: the one asked for, today, or a closed programme's last day. */
  at: string;
  /** The county the brief is about, when it is about one (and it exists). */
  countyId?: number;
  /** What the map frames: the county, or every county of the province. */
  bounds: number[];
}

export interface BriefFigures {
  coverage: CoverageAnswer;
  gaps: Gap[];
  /** The county's coverage over time, or the province's. */
  series: SeriesPoint[];
  county?: CoverageAnswer['counties'][number];
}

export type BriefData = BriefFrame & BriefFigures;

/** Runs a load, turning its failure into a BriefError with the code the reader is told (an abort passes). */
async function step<T>(code: BriefErrorCode, load: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (signal.aborted || error instanceof BriefError) throw error;
    throw new BriefError(code, { cause: error });
  }
}

export async function loadBriefFrame(state: BriefState, today: string, signal: AbortSignal): Promise<BriefFrame> {
  const [programmes, counties] = await timed('programmes and counties', () => Promise.all([
    step('coverage', () => fetchProgrammes(signal), signal),
    step('counties', () => fetchCounties(signal), signal),
  ]));
  const programme = programmes.items.find((p) => p.slug === state.programme);
  if (!programme) throw new BriefError('programme');
  // As the panel's slider: a closed programme stops on its closing day.
  const end = programme.closed_on && programme.closed_on < today ? programme.closed_on : today;
  const at = state.at && state.at < end ? state.at : end;
  const feature = state.county === undefined ? undefined : counties.features.find((f) => f.properties.id === state.county);
  const framed = feature ? { type: 'FeatureCollection' as const, features: [feature] } : counties;
  return {
    programme,
    at,
    ...(feature ? { countyId: feature.properties.id } : {}),
    bounds: bbox(framed as Parameters<typeof bbox>[0]),
  };
}

export async function loadBriefFigures(frame: BriefFrame, signal: AbortSignal): Promise<BriefFigures> {
  const { programme, at, countyId } = frame;
  const [coverage, gaps, series] = await timed('coverage, gaps and series', () => Promise.all([
    step('coverage', () => fetchCoverage(programme.slug, at, signal), signal),
    step('coverage', () => fetchGaps(programme.slug, at, signal), signal),
    // From the programme's start (the server's default) to the brief's day, in one request.
    step('coverage', () => fetchSeries(programme.slug, { to: at, county: countyId }, signal), signal),
  ]));
  const county = coverage.counties.find((c) => c.id === countyId);
  return {
    coverage,
    gaps: county ? gaps.items.filter((g) => g.county.id === county.id) : gaps.items,
    series: series.points.map((p) => ({ at: p.at, covered: p.population_covered, leftOut: p.deprived_population_uncovered })),
    ...(county ? { county } : {}),
  };
}
