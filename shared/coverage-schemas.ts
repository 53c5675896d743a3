import { Type, type Static } from '@sinclair/typebox';
import { DateText as DateOf, Id } from './primitives.js';
import { COVERAGE_METRICS, DEPRIVED_MIN, HEX_SIZE_MAX, HEX_SIZE_MIN } from './coverage.js';

// Programmes and their coverage: request and response shapes. The constants they share
// with the client live in coverage.ts, which carries no TypeBox into the browser bundle.

export * from './coverage.js';

/** A JSON-schema string enum: its validation message reads "must be equal to one of the allowed values". */
function StringEnum<T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

const DateText = (description: string) => DateOf({ description });
const Slug = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64, description: 'programme slug, e.g. karamat' });

export const Programme = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  description_fa: Type.String(),
  description_en: Type.String(),
  started_on: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  closed_on: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'null while the programme runs' }),
});
export type Programme = Static<typeof Programme>;

export const ProgrammeList = Type.Object({ items: Type.Array(Programme) });
export type ProgrammeList = Static<typeof ProgrammeList>;

export const CoverageRecord = Type.Object({
  id: Type.Integer(),
  programme: Type.String({ description: 'programme slug' }),
  neighbourhood_id: Type.Integer(),
  neighbourhood_code: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  county_id: Type.Integer(),
  from: Type.String({ format: 'date', description: 'first covered day, inclusive' }),
  to: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'last covered day, inclusive; null while ongoing' }),
});
export type CoverageRecord = Static<typeof CoverageRecord>;

export const CoverageRecordList = Type.Object({ items: Type.Array(CoverageRecord) });
export type CoverageRecordList = Static<typeof CoverageRecordList>;

export const CoverageRecordsQuery = Type.Object(
  {
    programme: Type.Optional(Slug),
    neighbourhood: Type.Optional(Id({ description: 'neighbourhood id' })),
    at: Type.Optional(DateText('only records covering this day (YYYY-MM-DD)')),
  },
  { additionalProperties: false },
);
export type CoverageRecordsQuery = Static<typeof CoverageRecordsQuery>;

export const CreateCoverageRecordBody = Type.Object(
  {
    programme: Slug,
    neighbourhood_id: Id(),
    from: DateText('first covered day, inclusive'),
    to: Type.Optional(Type.Union([DateText('last covered day, inclusive'), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateCoverageRecordBody = Static<typeof CreateCoverageRecordBody>;

export const EndCoverageRecordBody = Type.Object(
  { to: DateText('last covered day, inclusive') },
  { additionalProperties: false },
);
export type EndCoverageRecordBody = Static<typeof EndCoverageRecordBody>;

const AtParam = DateText('the day to look at (YYYY-MM-DD); today in Iran when absent');

export const CoverageQuery = Type.Object({ programme: Slug, at: Type.Optional(AtParam) }, { additionalProperties: false });
export type CoverageQuery = Static<typeof CoverageQuery>;

const CoverageFigures = {
  neighbourhoods_total: Type.Integer(),
  neighbourhoods_covered: Type.Integer(),
  population_total: Type.Integer(),
  population_covered: Type.Integer(),
  deprived_neighbourhoods_uncovered: Type.Integer(),
  deprived_population_uncovered: Type.Integer(),
};

export const CountyCoverage = Type.Object({
  id: Type.Integer(),
  name_fa: Type.String(),
  name_en: Type.Union([Type.String(), Type.Null()]),
  ...CoverageFigures,
});
export type CountyCoverage = Static<typeof CountyCoverage>;

export const CoverageSummary = Type.Object({
  neighbourhoods_covered: Type.Integer(),
  counties_reached: Type.Integer({ description: 'counties with at least one covered neighbourhood' }),
  population_covered: Type.Integer(),
  deprived_population_uncovered: Type.Integer({ description: `people in neighbourhoods of deprivation ${DEPRIVED_MIN}–5 not covered` }),
  deprived_neighbourhoods_uncovered: Type.Integer(),
  neighbourhoods_total: Type.Integer(),
  population_total: Type.Integer(),
  councils_active: Type.Integer({
    description: 'neighbourhoods with a progress_councils coverage record spanning the day (one council per neighbourhood), whatever the programme asked',
  }),
});
export type CoverageSummary = Static<typeof CoverageSummary>;

export const CoverageAnswer = Type.Object({
  programme: Type.String({ description: 'programme slug' }),
  at: Type.String({ format: 'date' }),
  summary: CoverageSummary,
  counties: Type.Array(CountyCoverage),
  neighbourhoods: Type.Array(Type.Object({ id: Type.Integer(), covered: Type.Boolean() })),
});
export type CoverageAnswer = Static<typeof CoverageAnswer>;

const MetricParam = StringEnum(COVERAGE_METRICS, { description: 'what the weight or value counts', default: 'covered_population' });

export const HeatQuery = Type.Object(
  { programme: Slug, at: Type.Optional(AtParam), metric: Type.Optional(MetricParam) },
  { additionalProperties: false },
);
export type HeatQuery = Static<typeof HeatQuery>;

export const HexQuery = Type.Object(
  {
    programme: Slug,
    at: Type.Optional(AtParam),
    metric: Type.Optional(MetricParam),
    size: Type.Optional(Type.Number({ minimum: HEX_SIZE_MIN, maximum: HEX_SIZE_MAX, description: 'hexagon edge in metres (web-mercator)' })),
    zoom: Type.Optional(Type.Number({ minimum: 0, maximum: 22, description: 'map zoom; picks the size when size is absent' })),
  },
  { additionalProperties: false },
);
export type HexQuery = Static<typeof HexQuery>;

/** Steps of a series: a chart's worth, and few enough that one query answers them at once. */
export const SERIES_STEPS_MAX = 100;
export const SERIES_STEPS_DEFAULT = 12;

export const SeriesQuery = Type.Object(
  {
    programme: Slug,
    county: Type.Optional(Id({ description: 'a county id: that county\'s figures; the province when absent' })),
    from: Type.Optional(DateText('first day (YYYY-MM-DD); the programme\'s start when absent, or 3 × 365 days before `to` if it has none')),
    to: Type.Optional(DateText('last day (YYYY-MM-DD); today in Iran when absent')),
    steps: Type.Optional(Type.Integer({ minimum: 2, maximum: SERIES_STEPS_MAX, default: SERIES_STEPS_DEFAULT, description: 'days from `from` to `to`, both included, evenly spaced (fewer when the span has fewer days)' })),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

export const SeriesPoint = Type.Object({
  at: Type.String({ format: 'date' }),
  neighbourhoods_covered: Type.Integer(),
  population_covered: Type.Integer(),
  deprived_neighbourhoods_uncovered: Type.Integer(),
  deprived_population_uncovered: Type.Integer(),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

export const SeriesAnswer = Type.Object({
  programme: Type.String({ description: 'programme slug' }),
  county: Type.Union([Type.Integer(), Type.Null()], { description: 'the county asked for; null for the province' }),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  points: Type.Array(SeriesPoint, { description: 'the figures of GET /api/coverage (of the county, when asked) at each day, oldest first' }),
});
export type SeriesAnswer = Static<typeof SeriesAnswer>;

const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) });

export const HeatCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  programme: Type.String(),
  at: Type.String(),
  metric: Type.String(),
  unit: Type.String(),
  max_weight: Type.Number(),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    geometry: PointGeometry,
    properties: Type.Object({ id: Type.Integer(), name_fa: Type.String(), name_en: Type.String(), weight: Type.Number() }),
  })),
});
export type HeatCollection = Static<typeof HeatCollection>;

export const HexCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  programme: Type.String(),
  at: Type.String(),
  metric: Type.String(),
  unit: Type.String(),
  size_m: Type.Number(),
  aggregation: Type.Literal('area_weighted'),
  max_value: Type.Number(),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Unknown()) }),
    properties: Type.Object({ value: Type.Number(), i: Type.Integer(), j: Type.Integer() }),
  })),
});
export type HexCollection = Static<typeof HexCollection>;

export const GapsQuery = Type.Object(
  { programme: Slug, at: Type.Optional(AtParam), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);
export type GapsQuery = Static<typeof GapsQuery>;

export const Gap = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  county: Type.Object({ id: Type.Integer(), name_fa: Type.String(), name_en: Type.Union([Type.String(), Type.Null()]) }),
  population: Type.Integer(),
  deprivation: Type.Integer(),
  center: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[lon, lat] of a point inside' }),
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: 'minLon, minLat, maxLon, maxLat' }),
});
export type Gap = Static<typeof Gap>;

export const GapsAnswer = Type.Object({
  programme: Type.String(),
  at: Type.String({ format: 'date' }),
  items: Type.Array(Gap),
});
export type GapsAnswer = Static<typeof GapsAnswer>;

export const CoverageConflict = Type.Object({
  error: Type.String(),
  message: Type.String(),
  conflicting_record: Type.Optional(Type.Integer({ description: 'the record whose days overlap' })),
});

export const SlugParams = Type.Object({ slug: Slug });
export type SlugParams = Static<typeof SlugParams>;
