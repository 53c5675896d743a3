import { Type, type Static } from '@sinclair/typebox';
import { Text } from './primitives.js';

// OGC API – Features shapes (Part 1 core, Part 2 CRS, Part 3 filtering) for /ogc.

export const OgcLink = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
});
export type OgcLink = Static<typeof OgcLink>;

const Format = Type.Optional(Text({ description: 'json (GeoJSON for features); HTML is not offered' }));

export const OgcFormatQuery = Type.Object({ f: Format }, { additionalProperties: false });
export type OgcFormatQuery = Static<typeof OgcFormatQuery>;

export const OgcCollectionParams = Type.Object({ collectionId: Text({ maxLength: 100 }) });
export type OgcCollectionParams = Static<typeof OgcCollectionParams>;

export const OgcFeatureParams = Type.Object({ collectionId: Text({ maxLength: 100 }), featureId: Text({ maxLength: 100 }) });
export type OgcFeatureParams = Static<typeof OgcFeatureParams>;

export const OgcCrsQuery = Type.Object(
  { f: Format, crs: Type.Optional(Text({ maxLength: 200, description: 'CRS of the answer, e.g. http://www.opengis.net/def/crs/EPSG/0/32640' })) },
  { additionalProperties: false },
);
export type OgcCrsQuery = Static<typeof OgcCrsQuery>;

/** Items: the named parameters; any other parameter must be a queryable (?county_id=3). */
export const OgcItemsQuery = Type.Object(
  {
    f: Format,
    limit: Type.Optional(Type.Integer({ minimum: 1, description: 'features per page: default 100, above 10,000 counts as 10,000' })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'features to skip' })),
    bbox: Type.Optional(Text({ maxLength: 400, description: 'minX,minY,maxX,maxY in bbox-crs (CRS84 lon/lat by default); west > east crosses the antimeridian' })),
    'bbox-crs': Type.Optional(Text({ maxLength: 200 })),
    crs: Type.Optional(Text({ maxLength: 200 })),
    datetime: Type.Optional(Text({ maxLength: 100, description: 'an instant or start/end (.. for open), RFC 3339' })),
    filter: Type.Optional(Text({ maxLength: 20_000, description: 'CQL2 text' })),
    'filter-lang': Type.Optional(Text({ maxLength: 40, description: 'cql2-text' })),
    'filter-crs': Type.Optional(Text({ maxLength: 200 })),
  },
  { additionalProperties: Text({ maxLength: 1000 }) },
);
export type OgcItemsQuery = Static<typeof OgcItemsQuery>;

export const OgcLanding = Type.Object({
  title: Type.String(),
  description: Type.String(),
  links: Type.Array(OgcLink),
});

export const OgcConformance = Type.Object({ conformsTo: Type.Array(Type.String()) });

export const OgcExtent = Type.Object({
  spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())), crs: Type.String() }),
  temporal: Type.Optional(Type.Object({ interval: Type.Array(Type.Array(Type.Union([Type.String(), Type.Null()]))), trs: Type.String() })),
});

export const OgcCollection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.Literal('feature'),
  extent: Type.Optional(OgcExtent),
  crs: Type.Array(Type.String()),
  storageCrs: Type.String(),
  links: Type.Array(OgcLink),
});
export type OgcCollection = Static<typeof OgcCollection>;

export const OgcCollections = Type.Object({
  links: Type.Array(OgcLink),
  collections: Type.Array(OgcCollection),
  crs: Type.Array(Type.String()),
});
