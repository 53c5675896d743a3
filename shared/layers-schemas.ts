import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SERVICE_CLASSES } from './method-enums.js';

// Reference layers uploaded by GIS staff and access to services per neighbourhood
// (server/layers/, server/access/, client/map/reference-layers.ts).

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export { SERVICE_CLASSES, type ServiceClass } from './method-enums.js';
export const ServiceClassSchema = Type.Union(SERVICE_CLASSES.map((c) => Type.Literal(c)));

export const REFERENCE_KINDS = ['streets', 'facilities', 'land_use', 'other'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
export const ReferenceKindSchema = Type.Union(REFERENCE_KINDS.map((k) => Type.Literal(k)));

export const GEOMETRY_TYPES = ['point', 'line', 'polygon'] as const;
export type ReferenceGeometryType = (typeof GEOMETRY_TYPES)[number];
export const ReferenceGeometryTypeSchema = Type.Union(GEOMETRY_TYPES.map((g) => Type.Literal(g)));

/** URL names of reference layers: they share /tiles/{name}/… with our own layers. */
export const LAYER_SLUG_PATTERN = '^[a-z][a-z_]{0,39}$';

export const ReferenceLayer = Type.Object({
  slug: Type.String({ pattern: LAYER_SLUG_PATTERN }),
  name_fa: Type.String(),
  name_en: Type.String(),
  kind: ReferenceKindSchema,
  geometry_type: ReferenceGeometryTypeSchema,
  feature_count: Type.Integer(),
  version: Type.Integer(),
  updated_at: Type.String({ format: 'date-time' }),
});
export type ReferenceLayer = Static<typeof ReferenceLayer>;

export const ReferenceLayerList = Type.Object({ items: Type.Array(ReferenceLayer) });
export type ReferenceLayerList = Static<typeof ReferenceLayerList>;

/** Our attribute → the file's field name. */
export const ReferenceMapping = Type.Object(
  {
    name_fa: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    name_en: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    service_class: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the field whose values give the service class' })),
  },
  { additionalProperties: false },
);
export type ReferenceMapping = Static<typeof ReferenceMapping>;

export const ReferenceUploadReport = Type.Object({
  features: Type.Integer({ description: 'features in the file' }),
  accepted: Type.Integer(),
  without_geometry: Type.Array(Type.Integer(), { description: 'positions (from 0) of features with no geometry; skipped' }),
  geometry_types: Type.Record(Type.String(), Type.Integer(), { description: 'features per geometry type in the file' }),
  /** Facilities: features per service class. */
  service_classes: Type.Record(Type.String(), Type.Integer()),
  /** Facilities: the file's values read as each class (after service_classes). */
  class_values: Type.Record(Type.String(), Type.String()),
  crs: Type.String(),
  format: Type.String(),
  fields: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
});
export type ReferenceUploadReport = Static<typeof ReferenceUploadReport>;

export const ReferenceUpload = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal('preview'), Type.Literal('committed'), Type.Literal('discarded')]),
  slug: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  kind: ReferenceKindSchema,
  geometry_type: ReferenceGeometryTypeSchema,
  file_name: Type.String(),
  feature_count: Type.Integer(),
  mapping: ReferenceMapping,
  /** Whether committing makes a new layer or a new version of an existing one. */
  replaces_version: Nullable(Type.Integer()),
  report: ReferenceUploadReport,
  created_at: Type.String({ format: 'date-time' }),
  created_by: Nullable(Type.String()),
});
export type ReferenceUpload = Static<typeof ReferenceUpload>;

export const ReferenceCommitResult = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('committed'),
  slug: Type.String(),
  version: Type.Integer(),
  feature_count: Type.Integer(),
});
export type ReferenceCommitResult = Static<typeof ReferenceCommitResult>;

export const ReferenceVersion = Type.Object({
  version: Type.Integer(),
  upload_id: Type.Integer(),
  file_name: Type.String(),
  feature_count: Type.Integer(),
  restored_from: Nullable(Type.Integer()),
  created_by: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
});
export const ReferenceVersionList = Type.Object({ slug: Type.String(), current: Type.Integer(), items: Type.Array(ReferenceVersion) });
export type ReferenceVersionList = Static<typeof ReferenceVersionList>;

export const LayerSlugParams = Type.Object({ slug: Type.String({ pattern: LAYER_SLUG_PATTERN }) });
export type LayerSlugParams = Static<typeof LayerSlugParams>;
export const LayerVersionParams = Type.Object({ slug: Type.String({ pattern: LAYER_SLUG_PATTERN }), version: Type.Integer({ minimum: 1 }) });
export type LayerVersionParams = Static<typeof LayerVersionParams>;

export const ServiceAccess = Type.Object({
  inside: Type.Integer({ description: 'facilities inside the neighbourhood' }),
  within_500m: Type.Integer({ description: 'facilities within 500 m of the neighbourhood (inside included)' }),
  within_1000m: Type.Integer({ description: 'facilities within 1 km of the neighbourhood (inside included)' }),
  nearest_m: Nullable(Type.Number({ description: "metres from the neighbourhood's interior point to the nearest facility; null when the class has none" })),
  residents_per_facility: Nullable(Type.Number({ description: 'population ÷ facilities within 1 km; null when there are none' })),
});
export type ServiceAccess = Static<typeof ServiceAccess>;

export const NeighbourhoodAccess = Type.Object({
  educational: ServiceAccess,
  social: ServiceAccess,
  civil_environmental: ServiceAccess,
  economic: ServiceAccess,
});
export type NeighbourhoodAccess = Static<typeof NeighbourhoodAccess>;

/** A refused layer upload: what and why, and where it helps, the values or types at fault. */
export const LayerErrorResponse = Type.Object({
  error: Type.String(),
  message: Type.String(),
  supported: Type.Optional(Type.Array(Type.String(), { description: 'the formats this map reads' })),
  field: Type.Optional(Type.String({ description: 'the form field to change' })),
  unmapped: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'file values with no service class, and how many features have each' })),
  geometry_types: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});
