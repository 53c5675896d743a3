import { Type, type Static } from '@sinclair/typebox';
import { Id, Text } from './primitives.js';

// Indicators the map can colour neighbourhoods by: imported tables (server/indicators/), the
// built-in figures (population, deprivation, open problems, coverage, access) and composites
// of them, each a weighted score 0–100 under the key composite.<slug>.

/** Names of imported indicator sets: letters, digits and underscores. */
export const INDICATOR_SET_PATTERN = '^[a-z][a-z0-9_]{0,39}$';
/** An indicator: a built-in name (population, access.educational.nearest_m) or set.column. */
export const INDICATOR_KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}(\\.[a-z0-9_]{1,40}){0,2}$';

export const Indicator = Type.Object({
  key: Type.String({ pattern: INDICATOR_KEY_PATTERN }),
  source: Type.Union([Type.Literal('builtin'), Type.Literal('imported'), Type.Literal('composite')]),
  name_fa: Type.String(),
  name_en: Type.String(),
  unit_fa: Type.String(),
  unit_en: Type.String(),
  /** Imported: the set's current version; built-in and composite: null. */
  version: Type.Union([Type.Integer(), Type.Null()]),
});
export type Indicator = Static<typeof Indicator>;

export const IndicatorList = Type.Object({ items: Type.Array(Indicator) });
export type IndicatorList = Static<typeof IndicatorList>;

export const IndicatorKeyParams = Type.Object({ key: Type.String({ pattern: INDICATOR_KEY_PATTERN }) });
export type IndicatorKeyParams = Static<typeof IndicatorKeyParams>;

export const INDICATOR_TOP_MAX = 50;

export const IndicatorValuesQuery = Type.Object({
  version: Type.Optional(Id({ description: 'imported indicators: a version of the set other than the current one' })),
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: INDICATOR_TOP_MAX, description: 'also answer the N neighbourhoods with the highest value, as top' })),
}, { additionalProperties: false });
export type IndicatorValuesQuery = Static<typeof IndicatorValuesQuery>;

/** A neighbourhood of a ranking, named so that a list needs no second request. */
export const IndicatorRankItem = Type.Object({
  neighbourhood_id: Type.Integer(),
  name_fa: Type.String(),
  name_en: Type.String(),
  county_fa: Type.String(),
  value: Type.Number(),
});
export type IndicatorRankItem = Static<typeof IndicatorRankItem>;

export const IndicatorValues = Type.Object({
  key: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()]),
  items: Type.Array(Type.Object({ neighbourhood_id: Type.Integer(), value: Type.Number() })),
  /** Only when ?top=N was asked: the N highest values, highest first, ties by neighbourhood id. */
  top: Type.Optional(Type.Array(IndicatorRankItem)),
});
export type IndicatorValues = Static<typeof IndicatorValues>;

/** The key prefix of composites; no imported set may take it as its slug. */
export const COMPOSITE_PREFIX = 'composite';
export const COMPOSITE_PARTS_MIN = 2;
export const COMPOSITE_PARTS_MAX = 12;
export const COMPOSITE_WEIGHT_MAX = 100;

export const IndicatorCompositePart = Type.Object({
  key: Type.String({ pattern: INDICATOR_KEY_PATTERN, description: 'a built-in or imported indicator, as listed by GET /api/indicators' }),
  weight: Type.Number({
    minimum: -COMPOSITE_WEIGHT_MAX, maximum: COMPOSITE_WEIGHT_MAX,
    description: 'not 0; negative when a higher value is worse (e.g. distance to services)',
  }),
}, { additionalProperties: false });
export type IndicatorCompositePart = Static<typeof IndicatorCompositePart>;

export const IndicatorCompositeBody = Type.Object({
  slug: Type.String({ pattern: INDICATOR_SET_PATTERN }),
  name_fa: Text({ minLength: 1, maxLength: 200 }),
  name_en: Type.Optional(Text({ maxLength: 200, description: 'the Persian name when absent' })),
  parts: Type.Array(IndicatorCompositePart, { minItems: COMPOSITE_PARTS_MIN, maxItems: COMPOSITE_PARTS_MAX }),
}, { additionalProperties: false });
export type IndicatorCompositeBody = Static<typeof IndicatorCompositeBody>;

export const IndicatorComposite = Type.Object({
  slug: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  parts: Type.Array(Type.Object({ key: Type.String(), weight: Type.Number() })),
  created_by: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});
export type IndicatorComposite = Static<typeof IndicatorComposite>;

export const IndicatorCompositeDeleted = Type.Object({ slug: Type.String(), status: Type.Literal('deleted') });
export type IndicatorCompositeDeleted = Static<typeof IndicatorCompositeDeleted>;

/** Rows are numbered as a spreadsheet shows them: the header is row 1, the first value row 2. */
export const IndicatorUploadReport = Type.Object({
  format: Type.String(),
  encoding: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Integer({ description: 'value rows in the file' }),
  code_column: Type.String(),
  matched: Type.Integer({ description: 'rows whose code is one neighbourhood\'s, once' }),
  indicators: Type.Array(Type.Object({
    key: Type.String(),
    column: Type.String(),
    values: Type.Integer({ description: 'matched rows with a number' }),
    empty: Type.Integer(),
    non_numeric: Type.Array(Type.Object({ row: Type.Integer(), value: Type.String() })),
  })),
  text_columns: Type.Array(Type.String(), { description: 'columns with no numbers: not indicators' }),
  unknown_codes: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String() })),
  duplicate_codes: Type.Array(Type.Object({ code: Type.String(), rows: Type.Array(Type.Integer()) }), { description: 'not imported: which row is right is the uploader\'s call' }),
  missing_codes: Type.Array(Type.Integer(), { description: 'rows with an empty code' }),
  undecodable_rows: Type.Array(Type.Integer(), { description: 'rows with bytes the encoding could not read (U+FFFD): the wrong encoding was named' }),
  neighbourhoods_without_row: Type.Integer(),
});
export type IndicatorUploadReport = Static<typeof IndicatorUploadReport>;

export const IndicatorUpload = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal('preview'), Type.Literal('committed'), Type.Literal('discarded')]),
  slug: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  unit_fa: Type.String(),
  unit_en: Type.String(),
  file_name: Type.String(),
  replaces_version: Type.Union([Type.Integer(), Type.Null()]),
  report: IndicatorUploadReport,
  created_at: Type.String({ format: 'date-time' }),
  created_by: Type.Union([Type.String(), Type.Null()]),
});
export type IndicatorUpload = Static<typeof IndicatorUpload>;

export const IndicatorCommitResult = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('committed'),
  slug: Type.String(),
  version: Type.Integer(),
  indicators: Type.Array(Type.String()),
});
export type IndicatorCommitResult = Static<typeof IndicatorCommitResult>;

export const IndicatorSetParams = Type.Object({ slug: Type.String({ pattern: INDICATOR_SET_PATTERN }) });
export type IndicatorSetParams = Static<typeof IndicatorSetParams>;

export const IndicatorVersionList = Type.Object({
  slug: Type.String(),
  current: Type.Integer(),
  items: Type.Array(Type.Object({
    version: Type.Integer(),
    upload_id: Type.Integer(),
    file_name: Type.String(),
    matched: Type.Integer(),
    created_by: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
  })),
});
export type IndicatorVersionList = Static<typeof IndicatorVersionList>;

export const IndicatorErrorResponse = Type.Object({ error: Type.String(), message: Type.String() }, { additionalProperties: true });
