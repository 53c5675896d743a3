import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id, Text } from './primitives.js';

// Boundary uploads, their validation report and diff, and the boundary history
// (server/boundaries/, client/panels/upload-wizard.tsx).

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const BoundaryLayer = Type.Union([Type.Literal('neighbourhoods'), Type.Literal('counties')]);
export type BoundaryLayer = Static<typeof BoundaryLayer>;

export const UploadMode = Type.Union([Type.Literal('merge'), Type.Literal('replace')], {
  description: 'merge: add and change, remove nothing; replace: the file is the whole layer',
});
export type UploadMode = Static<typeof UploadMode>;

export const UploadStatus = Type.Union([
  Type.Literal('preview'), Type.Literal('committed'), Type.Literal('discarded'), Type.Literal('failed'),
  Type.Literal('expired'),
]);
export type UploadStatus = Static<typeof UploadStatus>;

/** Our attributes an upload's fields can be mapped to; counties take the first four. */
export const MAPPING_TARGETS = {
  neighbourhoods: ['code', 'name_fa', 'name_en', 'county', 'population', 'households', 'deprivation', 'informal'],
  counties: ['code', 'name_fa', 'name_en', 'population'],
} as const;
export type MappingTarget = (typeof MAPPING_TARGETS.neighbourhoods)[number];

/** Our attribute → the file's field name. */
const FieldName = () => Type.Optional(Text({ minLength: 1, maxLength: 200 }));
export const FieldMapping = Type.Object(
  {
    code: FieldName(), name_fa: FieldName(), name_en: FieldName(), county: FieldName(),
    population: FieldName(), households: FieldName(), deprivation: FieldName(), informal: FieldName(),
  },
  { additionalProperties: false },
);
export type FieldMapping = Partial<Record<MappingTarget, string>>;

export const UploadField = Type.Object({ name: Type.String(), type: Type.String() });
export type UploadField = Static<typeof UploadField>;

export const REJECT_REASONS = [
  'empty', 'not_polygon', 'collapsed', 'non_finite', 'missing_code', 'missing_name', 'bad_value', 'duplicate_code',
  'unknown_county', 'outside_counties',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * The values of a rejection or a refusal, for the client to word it in the user's language:
 *   field   the file's field (null: no field is mapped), value: the value as written,
 *   target  our attribute (code, population …), min/max the range it must be in,
 *   geometry_type, validity (ST_IsValidReason), indexes (features sharing a code).
 */
export const ReasonValues = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Null(), Type.Array(Type.Integer())]),
);
export type ReasonValues = Static<typeof ReasonValues>;

const FeatureRef = {
  index: Type.Integer({ description: 'position in the file, from 0' }),
  code: Nullable(Type.String()),
  name_fa: Nullable(Type.String()),
};

export const UploadReport = Type.Object({
  features: Type.Integer({ description: 'features in the file' }),
  accepted: Type.Integer(),
  repaired: Type.Array(Type.Object({ ...FeatureRef, reason: Type.String({ description: 'ST_IsValidReason before repair' }) })),
  rejected: Type.Array(Type.Object({
    ...FeatureRef,
    reason: Type.Union(REJECT_REASONS.map((r) => Type.Literal(r)), { description: 'a stable code; values says the rest' }),
    values: ReasonValues,
    message: Type.String({ description: 'the same in English' }),
  })),
  /**
   * Features whose county, as the file writes it, matched a county only by a near spelling
   * (ارزوییه for ارزوئیه, رودبار for رودبار جنوب): accepted, but the commit asks the
   * uploader to confirm them.
   */
  county_matches: Type.Array(Type.Object({
    ...FeatureRef,
    field: Type.String({ description: "the file's field holding the county" }),
    value: Type.String({ description: 'the county as the file writes it' }),
    county_id: Type.Integer(),
    county_fa: Type.String(),
    county_en: Nullable(Type.String()),
  })),
  outside_service_area: Type.Array(Type.Object({ ...FeatureRef, outside_pct: Type.Number() })),
  duplicate_codes: Type.Array(Type.Object({ code: Type.String(), indexes: Type.Array(Type.Integer()) })),
  overlaps: Type.Array(Type.Object({
    a: Type.Object({ index: Nullable(Type.Integer()), code: Type.String() }),
    b: Type.Object({ index: Nullable(Type.Integer()), code: Type.String() }),
    area_m2: Type.Number(),
  }, { description: 'index null: a boundary already in the layer that the file does not change' })),
  gaps: Type.Array(Type.Object({
    county_id: Type.Integer(),
    county_fa: Type.String(),
    area_m2: Type.Number(),
    /** A point inside the gap, [lon, lat], to show it on the map. */
    point: Type.Array(Type.Number()),
  })),
  /** Replace mode: boundaries the file lacks that stay, because other records point at them. */
  blockers: Type.Array(Type.Object({
    code: Type.String(),
    name_fa: Type.String(),
    references: Type.Record(Type.String(), Type.Integer(), { description: 'table → rows pointing at it' }),
  })),
  /** Values given to added boundaries whose file lacks them. */
  defaults: Type.Array(Type.Object({ field: Type.String(), value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]), count: Type.Integer() })),
  service_area: Type.String(),
  thresholds: Type.Object({ overlap_m2: Type.Number(), gap_m2: Type.Number(), outside_pct: Type.Number() }),
});
export type UploadReport = Static<typeof UploadReport>;

const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const ChangeCounts = Type.Object({
  features: Type.Integer({ description: 'boundaries in the layer after the change' }),
  added: Type.Integer(),
  changed: Type.Integer(),
  removed: Type.Integer(),
  unchanged: Type.Integer(),
});
export type ChangeCounts = Static<typeof ChangeCounts>;

const DiffFeature = Type.Object({ code: Type.String(), name_fa: Type.String() });

export const UploadDiff = Type.Object({
  counts: Type.Composite([ChangeCounts, Type.Object({ blocked: Type.Integer() })]),
  added: Type.Array(DiffFeature),
  changed: Type.Array(Type.Object({
    code: Type.String(),
    name_fa: Type.String(),
    /** Area of the symmetric difference as % of the old area; null when only attributes changed. */
    geometry_change_pct: Nullable(Type.Number()),
    attributes: Type.Array(Type.Object({ field: Type.String(), from: AttributeValue, to: AttributeValue })),
  })),
  removed: Type.Array(DiffFeature),
  unchanged: Type.Array(Type.String(), { description: 'codes' }),
  /** Replace mode: what the file lacks but stays (see report.blockers). */
  blocked: Type.Array(DiffFeature),
});
export type UploadDiff = Static<typeof UploadDiff>;

export const Upload = Type.Object({
  id: Type.Integer(),
  status: UploadStatus,
  layer: BoundaryLayer,
  mode: UploadMode,
  file_name: Type.String(),
  format: Type.String({ description: "GDAL's driver, e.g. 'ESRI Shapefile', 'GPKG', 'KML'" }),
  crs: Type.String({ description: "the file's CRS, e.g. 'EPSG:32640'" }),
  feature_count: Type.Integer(),
  fields: Type.Array(UploadField),
  mapping: FieldMapping,
  report: UploadReport,
  diff: UploadDiff,
  base_version: Type.Integer({ description: 'the layer version the preview was computed against' }),
  committed_version: Nullable(Type.Integer()),
  user: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
});
export type Upload = Static<typeof Upload>;

/**
 * What the uploader confirms on commit: the numbers of overlaps, features outside the service
 * area and counties matched by spelling that the report shows. A commit whose report has any
 * of these is refused (409, code confirmation_required) unless the body names each number.
 */
export const CommitConfirmation = Type.Object({
  overlaps: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  outside_service_area: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  county_matches: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
}, { additionalProperties: false });
export type CommitConfirmation = Static<typeof CommitConfirmation>;

export const CommitBody = Type.Object({ confirm: Type.Optional(CommitConfirmation) }, { additionalProperties: false });
export type CommitBody = Static<typeof CommitBody>;

export const CommitResult = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('committed'),
  layer: BoundaryLayer,
  version: Type.Integer(),
  counts: ChangeCounts,
});
export type CommitResult = Static<typeof CommitResult>;

export const DiscardResult = Type.Object({ id: Type.Integer(), status: Type.Literal('discarded') });
export type DiscardResult = Static<typeof DiscardResult>;

export const LayerQuery = Type.Object({ layer: Type.Optional(BoundaryLayer) }, { additionalProperties: false });
export type LayerQuery = Static<typeof LayerQuery>;

export const BoundaryVersion = Type.Object({
  version: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  user: Nullable(Type.String()),
  file: Nullable(Type.String()),
  note: Nullable(Type.String()),
  upload_id: Nullable(Type.Integer()),
  restored_from: Nullable(Type.Integer()),
  counts: Nullable(ChangeCounts),
});
export type BoundaryVersion = Static<typeof BoundaryVersion>;

export const BoundaryVersionList = Type.Object({ layer: BoundaryLayer, current: Type.Integer(), items: Type.Array(BoundaryVersion) });
export type BoundaryVersionList = Static<typeof BoundaryVersionList>;

export const VersionParams = Type.Object({ version: Id() });
export type VersionParams = Static<typeof VersionParams>;

export const RestoreBody = Type.Union([Type.Object({ layer: Type.Optional(BoundaryLayer) }, { additionalProperties: false }), Type.Null()]);
export type RestoreBody = Static<typeof RestoreBody>;

export const RestoreResult = Type.Object({
  layer: BoundaryLayer,
  version: Type.Integer(),
  restored_from: Type.Integer(),
  counts: ChangeCounts,
});
export type RestoreResult = Static<typeof RestoreResult>;

/** Errors of these routes: { error, message } and what helps to fix the request. */
export const UploadErrorResponse = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'in English; the client words the refusal from code and values' }),
  code: Type.Optional(Type.String({ description: 'why, as a stable code: unsupported_format, missing_crs, confirmation_required …' })),
  values: Type.Optional(ReasonValues),
  supported: Type.Optional(Type.Array(Type.String(), { description: 'the formats this map reads' })),
  field: Type.Optional(Type.String()),
  blockers: Type.Optional(Type.Array(Type.Object({
    code: Type.String(),
    name_fa: Type.String(),
    references: Type.Record(Type.String(), Type.Integer()),
  }))),
});
export type UploadErrorResponse = Static<typeof UploadErrorResponse>;
