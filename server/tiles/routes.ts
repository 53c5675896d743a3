import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { DatabaseHandle } from '../db/connect.js';
import { AppError, notFound } from '../errors.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { MAX_TILE_ZOOM, TileJson, TileLayerParams, TileParams } from '../../shared/tiles-schemas.js';
import { TILE_CACHE_CONTROL, TILE_SAFETY_HEADERS, tileHeaders, type TileAnswers } from './answers.js';
import { OSM, findTileLayer, labelLayerName, type TileLayerDefinition } from './layers.js';
import { layerBounds } from './queries.js';
import { isValidTile } from './tile-math.js';
import { acceptsGzip } from '../http/accept-encoding.js';
import { layerExists } from '../layers/queries.js';
import { referenceTileLayer } from '../layers/tile-layer.js';

export interface TileRouteOptions {
  database: DatabaseHandle;
  /** The tile cache and answers, shared with the hot path for cached tiles (hot-path.ts). */
  answers: TileAnswers;
}

export const tileRoutes: FastifyPluginAsync<TileRouteOptions> = async (app, options) => {
  const { db } = options.database;
  const { answers } = options;

  // Reference layers uploaded by GIS staff share the address space (server/layers/).
  const layerOf = async (name: string): Promise<TileLayerDefinition> => {
    const layer = findTileLayer(name) ?? ((await layerExists(db, name)) ? referenceTileLayer(name) : undefined);
    if (!layer) throw notFound('tile layer', name);
    return layer;
  };

  // Most requests for a cached tile are answered by the hot path before they reach
  // Fastify; this route answers the rest: renderings, bearer tokens, HEAD, errors.
  app.get<{ Params: TileParams }>('/tiles/:layer/:z/:x/:y.mvt', {
    config: { resource: 'tiles' },
    schema: { params: TileParams, response: { 400: ErrorResponse, 404: ErrorResponse } },
    // @fastify/helmet rebuilds its document headers on every request — a tenth of the
    // server's time when it serves cached tiles; tiles keep TILE_SAFETY_HEADERS instead.
    helmet: false,
    // Tiles are kept gzipped in the cache and sent as they are (answers.ts).
    compress: false,
    onSend: (_request, reply, payload, done) => {
      reply.headers(TILE_SAFETY_HEADERS);
      done(null, payload);
    },
    handler: async (request, reply) => {
      const { z, x, y } = request.params;
      const layer = await layerOf(request.params.layer);
      if (!isValidTile(z, x, y, MAX_TILE_ZOOM)) {
        throw new AppError('invalid_request', `x and y must be whole numbers from 0 to ${2 ** z - 1} at zoom ${z}`);
      }
      const arrivedAt = request.arrivedAt || performance.now();
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      const answer = (await answers.answer(layer, { z, x, y }, request.headers['if-none-match'], arrivedAt, true, gzip))!;
      reply.code(answer.status).headers(tileHeaders(answer));
      return reply.send(answer.status === 200 ? answer.bytes : undefined);
    },
  });

  app.get<{ Params: TileLayerParams }>('/tiles/:layer.json', {
    config: { resource: 'tiles' },
    schema: { params: TileLayerParams, response: { 200: TileJson, 404: ErrorResponse } },
    handler: async (request, reply) => {
      const layer = await layerOf(request.params.layer);
      reply.header('cache-control', TILE_CACHE_CONTROL);
      return tileJson(layer, await layerBounds(db, layer), originOf(request));
    },
  });
};

/**
 * This server as the client reached it. MapLibre resolves tile URLs inside a worker and
 * needs them absolute; behind a proxy, trustProxy makes these the forwarded values.
 */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const WORLD_BOUNDS: [number, number, number, number] = [-180, -85.0511287798066, 180, 85.0511287798066];

export function tileJson(layer: TileLayerDefinition, dataBounds: [number, number, number, number] | null, origin: string): TileJson {
  const bounds = dataBounds ?? WORLD_BOUNDS;
  const [west, south, east, north] = bounds;
  // The zoom at which the whole extent fits in about one tile, within the layer's range.
  const span = Math.max(east - west, (north - south) * 1.5, 1e-9);
  const zoom = Math.min(layer.maxzoom, Math.max(layer.minzoom, Math.floor(Math.log2(360 / span))));
  const vectorLayer = (id: string, fields: readonly string[]) => ({
    id,
    description: id === layer.name ? layer.description : `one label point per feature of ${layer.name}`,
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    fields: Object.fromEntries(fields.map((field) => [field, layer.fields[field]!])),
  });
  return {
    tilejson: '3.0.0',
    name: layer.name,
    description: layer.description,
    version: '1.0.0',
    attribution: layer.attribution ?? OSM,
    scheme: 'xyz',
    tiles: [`${origin}/tiles/${layer.name}/{z}/{x}/{y}.mvt`],
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    bounds,
    center: [(west + east) / 2, (south + north) / 2, zoom],
    vector_layers: [
      vectorLayer(layer.name, Object.keys(layer.fields)),
      ...(layer.labelFields ? [vectorLayer(labelLayerName(layer), layer.labelFields)] : []),
    ],
  };
}
