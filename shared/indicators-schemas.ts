import { Type, type Static } from '@sinclair/typebox';
import { Id } from './primitives.js';

// Indicators the map can colour neighbourhoods by: imported tables (server/indicators/) and
// the built-in figures (population, deprivation, open problems, coverage, access).

/** Names of imported indicator sets: letters, digits and underscores. */
export const INDICATOR_SET_PATTERN = '^[a-z][a-z0-9_]{0,39}$';
/** An indicator: a built-in name (population, access.educational.nearest_m) or set.column. */
export const INDICATOR_KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}(\\.[a-z0-9_]{1,40}){0,2}$';

export const Indicator = Type.Object({
  key: Type.String({ pattern: INDICATOR_KEY_PATTERN }),
  source: Type.Union([Type.Literal('builtin'), Type.Literal('imported')]),
  name_fa: Type.String(),
  name_en: Type.String(),
  unit_fa: Type.String(),
  unit_en: Type.String(),
  /** Imported: the set's current version. */
  version: Type.Union([Type.Integer(), Type.Null()]),
});
export type Indicator = Static<typeof Indicator>;

export const IndicatorList = Type.Object({ items: Type.Array(Indicator) });
export type IndicatorList = Static<typeof IndicatorList>;

export const IndicatorKeyParams = Type.Object({ key: Type.String({ pattern: INDICATOR_KEY_PATTERN }) });
export type IndicatorKeyParams = Static<typeof IndicatorKeyParams>;

export const IndicatorValuesQuery = Type.Object({
  version: Type.Optional(Id({ description: 'imported indicators: a version of the set other than the current one' })),
}, { additionalProperties: false });
export type IndicatorValuesQuery = Static<typeof IndicatorValuesQuery>;

export const IndicatorValues = Type.Object({
  key: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()]),
  items: Type.Array(Type.Object({ neighbourhood_id: Type.Integer(), value: Type.Number() })),
});
export type IndicatorValues = Static<typeof IndicatorValues>;

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
