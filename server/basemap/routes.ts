import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../errors.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { MAX_TILE_ZOOM, TileJson } from '../../shared/tiles-schemas.js';
import { isValidTile } from '../tiles/tile-math.js';
import { identityBytes, type BasemapArchive } from './archive.js';
import { Type, type Static } from '@sinclair/typebox';

const BasemapTileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: MAX_TILE_ZOOM }),
  x: Type.Integer({ minimum: 0, maximum: 2 ** MAX_TILE_ZOOM - 1 }),
  y: Type.Integer({ minimum: 0, maximum: 2 ** MAX_TILE_ZOOM - 1 }),
});
type BasemapTileParams = Static<typeof BasemapTileParams>;

// The file changes only when an administrator replaces it (and restarts): a browser may keep
// a basemap tile for an hour without asking, then revalidates it by its ETag.
const BASEMAP_CACHE_CONTROL = 'private, max-age=3600';

const noBasemap = () => notFound('basemap', '(none configured: set MAHALLENAMA_BASEMAP to an MBTiles or PMTiles file)');

/**
 * The offline basemap: tiles read from the configured MBTiles or PMTiles file, behind the
 * same sign-in as our own layers, with ETags, and gzip as stored in the file (MapLibre and
 * GDAL accept it; anything that does not gets plain bytes).
 */
export const basemapRoutes: FastifyPluginAsync<{ basemap: BasemapArchive | undefined }> = async (app, { basemap }) => {
  app.get('/tiles/basemap.json', {
    config: { resource: 'tiles' },
    schema: { response: { 200: TileJson, 404: ErrorResponse } },
    handler: async (request, reply) => {
      if (!basemap) throw noBasemap();
      reply.header('cache-control', BASEMAP_CACHE_CONTROL);
      return basemapTileJson(basemap, `${request.protocol}://${request.host}`);
    },
  });

  app.get<{ Params: BasemapTileParams }>('/tiles/basemap/:z/:x/:y.mvt', {
    config: { resource: 'tiles' },
    schema: { params: BasemapTileParams, response: { 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request, reply) => {
      if (!basemap) throw noBasemap();
      const { z, x, y } = request.params;
      if (!isValidTile(z, x, y, MAX_TILE_ZOOM)) {
        throw new AppError('invalid_request', `x and y must be whole numbers from 0 to ${2 ** z - 1} at zoom ${z}`);
      }
      const etag = `"basemap-${basemap.version}-${z}-${x}-${y}"`;
      reply.headers({ etag, 'cache-control': BASEMAP_CACHE_CONTROL, vary: 'Accept-Encoding' });
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      const gzipped = z <= basemap.metadata.maxzoom ? await basemap.tile(z, x, y) : undefined;
      reply.type('application/vnd.mapbox-vector-tile');
      // An empty tile is 200 with no bytes, as for our own layers.
      if (!gzipped) return reply.send(Buffer.alloc(0));
      if (acceptsGzip(request)) return reply.header('content-encoding', 'gzip').send(Buffer.from(gzipped));
      return reply.send(Buffer.from(identityBytes(gzipped)));
    },
  });
};

function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && /(^|[\s,])gzip(\s*;\s*q=(?!0(\.0*)?\s*(,|$))[\d.]+)?\s*(,|$)/i.test(header);
}

export function basemapTileJson(basemap: BasemapArchive, origin: string): TileJson {
  const { metadata } = basemap;
  const bounds = metadata.bounds ?? [-180, -85.0511287798066, 180, 85.0511287798066];
  const center = metadata.center ?? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, metadata.minzoom];
  return {
    tilejson: '3.0.0',
    name: metadata.name ?? 'basemap',
    description: metadata.description ?? `offline basemap from ${basemap.format === 'mbtiles' ? 'an MBTiles' : 'a PMTiles'} file`,
    version: basemap.version,
    ...(metadata.attribution ? { attribution: metadata.attribution } : { attribution: '© OpenStreetMap contributors' }),
    scheme: 'xyz',
    tiles: [`${origin}/tiles/basemap/{z}/{x}/{y}.mvt`],
    minzoom: metadata.minzoom,
    maxzoom: metadata.maxzoom,
    bounds,
    center,
    vector_layers: metadata.vector_layers.map((layer) => ({
      id: layer.id,
      description: layer.description ?? '',
      minzoom: layer.minzoom ?? metadata.minzoom,
      maxzoom: layer.maxzoom ?? metadata.maxzoom,
      fields: layer.fields ?? {},
    })),
  };
}
