import { Type, type Static } from '@sinclair/typebox';
import { Text } from './primitives.js';

export const SEARCH_KINDS = ['neighbourhood', 'county', 'agency'] as const;

export const SearchQuery = Type.Object(
  {
    // Long or odd text is not an error: it simply finds nothing (see server/search/queries.ts).
    // U+0000 and lone surrogates are refused (400), as in every text field: PostgreSQL cannot take them.
    q: Text({ maxLength: 2000, description: 'a name in Persian or Latin letters, as typed' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchItem = Type.Object({
  kind: Type.Union(SEARCH_KINDS.map((k) => Type.Literal(k))),
  id: Type.Integer(),
  name_fa: Type.String(),
  name_en: Type.Union([Type.String(), Type.Null()]),
  county_fa: Type.Union([Type.String(), Type.Null()], { description: 'the county of a neighbourhood' }),
  bbox: Type.Union([Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }), Type.Null()], {
    description: 'minLon, minLat, maxLon, maxLat; null for an agency',
  }),
  match: Type.Union([Type.Literal('exact'), Type.Literal('prefix'), Type.Literal('contains'), Type.Literal('fuzzy')]),
});
export type SearchItem = Static<typeof SearchItem>;

export const SearchResults = Type.Object({ items: Type.Array(SearchItem) });
export type SearchResults = Static<typeof SearchResults>;
