import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DatabaseHandle } from '../db/connect.js';
import { AppError, notFound } from '../errors.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { MAX_TILE_ZOOM, TileJson, TileLayerParams, TileParams } from '../../shared/tiles-schemas.js';
import { LruTileCache, type CachedTile } from './cache.js';
import { findTileLayer, labelLayerName, type TileLayerDefinition } from './layers.js';
import { layerBounds, mvtTileQuery, readRevisionRows, renderTile, revisionTagOf, rowsTileQuery, type TileEncoding } from './queries.js';
import { RevisionReader } from './revisions.js';
import { isValidTile } from './tile-math.js';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Browsers keep tiles but must ask again before each use (`no-cache`); the answer is
 * usually a 304 for the ETag they hold. Any max-age would let a browser draw a tile
 * after its data changed. `private`: tiles are for signed-in users only.
 */
const TILE_CACHE_CONTROL = 'private, no-cache';

/** Bumped when the JavaScript encoder changes its output, so old ETags stop matching. */
const ENCODER_VERSION = '1';

export interface TileRouteOptions {
  database: DatabaseHandle;
  /** Memory for hot tiles; 64 MiB by default, 0 for none. */
  cacheBytes?: number | undefined;
}

export const tileRoutes: FastifyPluginAsync<TileRouteOptions> = async (app, options) => {
  const { db } = options.database;
  // ST_AsMVT where PostGIS has protobuf; otherwise PostGIS prepares rows for the JavaScript encoder.
  const encoding: TileEncoding = options.database.hasMvt ? 'mvt' : 'rows';
  const cache = new LruTileCache(options.cacheBytes ?? 64 * 1024 * 1024);
  const revisions = new RevisionReader(() => readRevisionRows(db));

  // A fingerprint of everything that shapes a layer's tiles besides its data: the SQL
  // (fields, simplification, extent, buffer), the encoder and the database kind. It goes
  // into every ETag, so a new server version never answers 304 for a tile it now draws
  // differently.
  const definitionHashes = new Map<string, string>();
  const definitionHash = (layer: TileLayerDefinition): string => {
    let hash = definitionHashes.get(layer.name);
    if (!hash) {
      const query = encoding === 'mvt' ? mvtTileQuery(layer, 0, 0, 0) : rowsTileQuery(layer, 0, 0, 0);
      hash = createHash('sha256')
        .update(`${options.database.kind}\n${encoding}\n${ENCODER_VERSION}\n${layer.minzoom}\n${query.compile(db).sql}`)
        .digest('base64url');
      definitionHashes.set(layer.name, hash);
    }
    return hash;
  };
  // The ETag of the current revision is asked for on every request; remember the last one per layer.
  const lastEtags = new Map<string, { revisionTag: string; etag: string }>();
  const etagOf = (layer: TileLayerDefinition, revisionTag: string): string => {
    const last = lastEtags.get(layer.name);
    if (last?.revisionTag === revisionTag) return last.etag;
    const etag = `"${createHash('sha256').update(`${definitionHash(layer)}\n${revisionTag}`).digest('base64url').slice(0, 27)}"`;
    lastEtags.set(layer.name, { revisionTag, etag });
    return etag;
  };

  const layerOf = (name: string): TileLayerDefinition => {
    const layer = findTileLayer(name);
    if (!layer) throw notFound('tile layer', name);
    return layer;
  };

  app.get<{ Params: TileParams }>('/tiles/:layer/:z/:x/:y.mvt', {
    config: { resource: 'tiles' },
    schema: { params: TileParams, response: { 400: ErrorResponse, 404: ErrorResponse } },
    // Helmet's headers are for documents (CSP, framing) and @fastify/helmet rebuilds them on
    // every request — a tenth of the server's time when it serves cached tiles. A tile keeps
    // the two that matter for a binary answer to a signed-in user: no sniffing it into
    // something else, and no embedding it from another site.
    helmet: false,
    onSend: (_request, reply, payload, done) => {
      reply.header('x-content-type-options', 'nosniff').header('cross-origin-resource-policy', 'same-origin');
      done(null, payload);
    },
    handler: async (request, reply) => {
      const { z, x, y } = request.params;
      const layer = layerOf(request.params.layer);
      if (!isValidTile(z, x, y, MAX_TILE_ZOOM)) {
        throw new AppError('invalid_request', `x and y must be whole numbers from 0 to ${2 ** z - 1} at zoom ${z}`);
      }
      const key = `${layer.name}/${z}/${x}/${y}`;
      const cached = cache.get(key);
      const ifNoneMatch = request.headers['if-none-match'];

      // The current revision is only needed to judge what the client or the cache holds;
      // without either, the tile query reads it in the same statement.
      let tile: CachedTile | undefined;
      if (cached || ifNoneMatch) {
        // Any revision read sent after the request arrived will do (see RevisionReader).
        const current = revisionTagOf(layer, await revisions.read(request.arrivedAt || performance.now()));
        const etag = etagOf(layer, current);
        if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) {
          return reply.code(304).header('etag', etag).header('cache-control', TILE_CACHE_CONTROL).send();
        }
        if (cached?.revisionTag === current) tile = cached;
      }
      reply.header('x-tile-cache', tile ? 'hit' : 'miss');
      if (!tile) {
        tile = await renderTile(db, layer, { z, x, y }, encoding);
        cache.put(key, tile);
      }
      return sendTile(reply, tile.bytes, etagOf(layer, tile.revisionTag));
    },
  });

  app.get<{ Params: TileLayerParams }>('/tiles/:layer.json', {
    config: { resource: 'tiles' },
    schema: { params: TileLayerParams, response: { 200: TileJson, 404: ErrorResponse } },
    handler: async (request, reply) => {
      const layer = layerOf(request.params.layer);
      reply.header('cache-control', TILE_CACHE_CONTROL);
      return tileJson(layer, await layerBounds(db, layer), originOf(request));
    },
  });
};

function sendTile(reply: FastifyReply, bytes: Uint8Array, etag: string) {
  const body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return reply
    .code(200)
    .header('etag', etag)
    .header('cache-control', TILE_CACHE_CONTROL)
    .type(MVT_CONTENT_TYPE)
    .send(body);
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): `W/` prefixes are ignored, `*` matches. */
export function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((part) => {
    const candidate = part.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

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
    ...(layer.attribution ? { attribution: layer.attribution } : {}),
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
