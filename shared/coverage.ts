// Constants and small pure helpers of programme coverage that the server, the tile layer
// and the client agree on. No TypeBox here: the client bundle imports this file.

/** Neighbourhoods of deprivation 4 and 5 count as deprived in every coverage figure. */
export const DEPRIVED_MIN = 4;

/** The programme whose coverage at a date is the "councils active" headline figure. */
export const COUNCILS_PROGRAMME = 'progress_councils';

/** The metrics of the heatmap and the hexbins, each with the unit a legend states. */
export const COVERAGE_METRICS = ['covered_population', 'uncovered_deprived_population', 'interventions'] as const;
export type CoverageMetric = (typeof COVERAGE_METRICS)[number];
export const METRIC_UNITS: Record<CoverageMetric, 'people' | 'interventions'> = {
  covered_population: 'people',
  uncovered_deprived_population: 'people',
  interventions: 'interventions',
};

/** The programmes of the issue; their slugs are names that scripts and the tile fields rely on. */
export const PROGRAMME_SLUGS = ['karamat', 'progress_councils', 'facilitation_offices', 'field_bases'] as const;
export type ProgrammeSlug = (typeof PROGRAMME_SLUGS)[number];

/**
 * The coverage tile layer carries, per neighbourhood and programme of PROGRAMME_SLUGS, up
 * to this many coverage periods (the most recent first) as `<slug>_from_<i>` /
 * `<slug>_to_<i>` ('YYYY-MM-DD'; `to` absent while ongoing), so the map filters by date
 * on the client. A tile field list is fixed, hence a fixed set of programmes.
 */
export const COVERAGE_TILE_PERIODS = 3;
export function coveragePeriodProperty(slug: string, index: number, end: 'from' | 'to'): string {
  return `${slug}_${end}_${index}`;
}

/** Hexagon edge length in metres (EPSG:3857 units, as the map draws them). */
export const HEX_SIZE_MIN = 250;
export const HEX_SIZE_MAX = 100_000;

/** Today's date in a time zone, as YYYY-MM-DD. The province lives on Iran time. */
export function isoDateInZone(now: Date, timeZone = 'Asia/Tehran'): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
