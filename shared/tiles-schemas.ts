import { Type, type Static } from '@sinclair/typebox';
import { Text } from './primitives.js';

// Vector tile addresses and the TileJSON 3.0.0 document (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0).

export const MAX_TILE_ZOOM = 22;

export const TileLayerParams = Type.Object({
  layer: Text({ minLength: 1, maxLength: 64, description: 'tile layer name, e.g. neighbourhoods' }),
});
export type TileLayerParams = Static<typeof TileLayerParams>;

export const TileParams = Type.Object({
  layer: Text({ minLength: 1, maxLength: 64, description: 'tile layer name, e.g. neighbourhoods' }),
  z: Type.Integer({ minimum: 0, maximum: MAX_TILE_ZOOM, description: 'zoom level' }),
  x: Type.Integer({ minimum: 0, maximum: 2 ** MAX_TILE_ZOOM - 1, description: 'column, 0 … 2^z - 1 from the west' }),
  y: Type.Integer({ minimum: 0, maximum: 2 ** MAX_TILE_ZOOM - 1, description: 'row, 0 … 2^z - 1 from the north' }),
});
export type TileParams = Static<typeof TileParams>;

export const VectorLayer = Type.Object({
  id: Type.String(),
  description: Type.String(),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  fields: Type.Record(Type.String(), Type.String()),
});
export type VectorLayer = Static<typeof VectorLayer>;

export const TileJson = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  description: Type.String(),
  version: Type.String(),
  attribution: Type.Optional(Type.String()),
  scheme: Type.Literal('xyz'),
  tiles: Type.Array(Type.String(), { minItems: 1 }),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  bounds: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]),
  center: Type.Tuple([Type.Number(), Type.Number(), Type.Number()]),
  vector_layers: Type.Array(VectorLayer),
});
export type TileJson = Static<typeof TileJson>;
