import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id, Text } from './primitives.js';
import { NeighbourhoodMethod, NeighbourhoodMethodCounts } from './method-schemas.js';
import { NeighbourhoodAccess } from './layers-schemas.js';

// Request and response shapes, declared once: Fastify validates and serialises with
// them, the client imports the Static<> types.

export const ErrorResponse = Type.Object({
  error: Type.String({ description: 'machine-readable code, e.g. invalid_bbox' }),
  message: Type.String({ description: 'what went wrong and what to do next' }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Object({
    kind: Type.Union([Type.Literal('postgis'), Type.Literal('embedded')]),
    postgis: Type.String(),
  }),
});
export type Health = Static<typeof Health>;

/** minLon,minLat,maxLon,maxLat — checked for order and range by parseBbox. */
export const BboxParam = Text({
  maxLength: 200,
  description: 'minLon,minLat,maxLon,maxLat in degrees (EPSG:4326)',
  examples: ['56.9,30.2,57.2,30.4'],
});

export const IdParams = Type.Object({ id: Id() });
export type IdParams = Static<typeof IdParams>;

export const NeighbourhoodsQuery = Type.Object(
  {
    bbox: Type.Optional(BboxParam),
    county: Type.Optional(Id({ description: 'county id' })),
    q: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Persian or English name' })),
  },
  { additionalProperties: false },
);
export type NeighbourhoodsQuery = Static<typeof NeighbourhoodsQuery>;

const GeoJsonGeometry = Type.Object(
  { type: Type.String(), coordinates: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);

export const NeighbourhoodProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
  county_id: Type.Integer(),
  county_fa: Type.String(),
  county_en: Type.Union([Type.String(), Type.Null()]),
  population: Type.Integer(),
  households: Type.Integer(),
  deprivation: Type.Integer({ minimum: 1, maximum: 5 }),
  informal: Type.Boolean(),
  margin: Type.Boolean(),
  source: Type.String(),
  // The programme's method (shared/method-schemas.ts): open problems, stage, …
  ...NeighbourhoodMethodCounts,
});
export type NeighbourhoodProperties = Static<typeof NeighbourhoodProperties>;

export const NeighbourhoodDetailProperties = Type.Composite([
  NeighbourhoodProperties,
  Type.Object({
    license: Type.String(),
    area_km2: Type.Number(),
    boundary_version: Type.Integer(),
    updated_at: Type.String({ format: 'date-time' }),
    method: NeighbourhoodMethod,
    /** Access to services per class (server/access/). */
    access: NeighbourhoodAccess,
  }),
]);
export type NeighbourhoodDetailProperties = Static<typeof NeighbourhoodDetailProperties>;

export function Feature<P extends TSchema>(properties: P) {
  return Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    geometry: GeoJsonGeometry,
    properties,
  });
}

export function FeatureCollection<P extends TSchema>(properties: P) {
  return Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Feature(properties)),
  });
}

export const NeighbourhoodDetail = Feature(NeighbourhoodDetailProperties);
export type NeighbourhoodDetail = Static<typeof NeighbourhoodDetail>;

export const NeighbourhoodCollection = FeatureCollection(NeighbourhoodProperties);
export type NeighbourhoodCollection = Static<typeof NeighbourhoodCollection>;

export const CountyProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name_fa: Type.String(),
  name_en: Type.Union([Type.String(), Type.Null()]),
  population: Type.Union([Type.Integer(), Type.Null()]),
  neighbourhood_count: Type.Integer(),
  source: Type.String(),
  license: Type.String(),
});
export type CountyProperties = Static<typeof CountyProperties>;

export const CountyCollection = FeatureCollection(CountyProperties);
export type CountyCollection = Static<typeof CountyCollection>;
