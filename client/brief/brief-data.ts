import { bbox } from '@turf/bbox';
import { fetchCounties } from '../api';
import { fetchCoverage, fetchGaps, fetchProgrammes, type CoverageAnswer, type Gap, type Programme } from '../coverage-api';
import { addDays } from '../panels/commander-dates';
import type { BriefState } from './brief-url';
import { BriefError, type BriefErrorCode } from './brief-strings';
import { sampleDays, type SeriesPoint } from './brief-series';

/** Points of the chart: enough for a shape, few enough to arrive at once. */
const SERIES_SAMPLES = 12;

export interface BriefData {
  programme: Programme;
  /** The day reported: the one asked for, today, or a closed programme's last day. */
  at: string;
  coverage: CoverageAnswer;
  gaps: Gap[];
  series: SeriesPoint[];
  /** The county the brief is about, when it is about one. */
  county?: CoverageAnswer['counties'][number];
  /** What the map frames: the county, or every county of the province. */
  bounds: number[];
}

/** Runs a load, turning its failure into a BriefError with the code the reader is told (an abort passes). */
async function step<T>(code: BriefErrorCode, load: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (signal.aborted || error instanceof BriefError) throw error;
    throw new BriefError(code, { cause: error });
  }
}

export async function loadBriefData(state: BriefState, today: string, signal: AbortSignal): Promise<BriefData> {
  const [programmes, counties] = await Promise.all([
    step('coverage', () => fetchProgrammes(signal), signal),
    step('counties', () => fetchCounties(signal), signal),
  ]);
  const programme = programmes.items.find((p) => p.slug === state.programme);
  if (!programme) throw new BriefError('programme');
  // As the panel's slider: a closed programme stops on its closing day.
  const end = programme.closed_on && programme.closed_on < today ? programme.closed_on : today;
  const at = state.at && state.at < end ? state.at : end;
  const start = programme.started_on ?? addDays(at, -3 * 365);

  const days = sampleDays(start < at ? start : at, at, SERIES_SAMPLES);
  const [coverage, gaps, samples] = await Promise.all([
    step('coverage', () => fetchCoverage(programme.slug, at, signal), signal),
    step('coverage', () => fetchGaps(programme.slug, at, signal), signal),
    step('coverage', () => Promise.all(days.map((day) => fetchCoverage(programme.slug, day, signal))), signal),
  ]);
  const series = samples.map((answer) => ({
    at: answer.at,
    covered: answer.summary.population_covered,
    leftOut: answer.summary.deprived_population_uncovered,
  }));

  const county = state.county === undefined ? undefined : coverage.counties.find((c) => c.id === state.county);
  const feature = county && counties.features.find((f) => f.properties.id === county.id);
  const framed = feature ? { type: 'FeatureCollection' as const, features: [feature] } : counties;
  return {
    programme,
    at,
    coverage,
    gaps: county ? gaps.items.filter((g) => g.county.id === county.id) : gaps.items,
    series,
    ...(county ? { county } : {}),
    bounds: bbox(framed as Parameters<typeof bbox>[0]),
  };
}
