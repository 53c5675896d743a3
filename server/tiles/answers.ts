import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import type { DatabaseHandle } from '../db/connect.js';
import { LruTileCache, type CachedTile } from './cache.js';
import type { TileLayerDefinition } from './layers.js';
import { mvtTileQuery, readRevisionRows, renderTile, revisionTagOf, rowsTileQuery, type TileEncoding } from './queries.js';
import { RevisionReader } from './revisions.js';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Browsers keep tiles but must ask again before each use (`no-cache`); the answer is
 * usually a 304 for the ETag they hold. Any max-age would let a browser draw a tile
 * after its data changed. `private`: tiles are for signed-in users only.
 */
export const TILE_CACHE_CONTROL = 'private, no-cache';

/**
 * Helmet's headers are for documents (CSP, framing). A tile keeps the two that matter for
 * a binary answer to a signed-in user: no sniffing it into something else, and no
 * embedding it from another site.
 */
export const TILE_SAFETY_HEADERS = { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' } as const;

/** Bumped when the JavaScript encoder changes its output, so old ETags stop matching. */
const ENCODER_VERSION = '1';

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

export type TileAnswer =
  | { status: 304; etag: string }
  | { status: 200; etag: string; bytes: Buffer; cache: 'hit' | 'miss'; gzipped: boolean };

/**
 * A tile as the cache keeps it: gzip-compressed, as nearly every client takes it (MapLibre
 * in a browser, GDAL, QGIS), so a hit is sent as is; the rare client that takes no gzip
 * gets it inflated. An empty tile stays empty (gzip would make 0 bytes into 20).
 */
interface StoredTile extends CachedTile {
  bytes: Buffer;
  gzipped: boolean;
}

const gzipAsync = promisify(gzip);

/**
 * The gzip answer is another representation of the same tile, so it has its own strong
 * ETag (RFC 9110 §8.8.3): the identity ETag with this suffix inside the quotes.
 */
const GZIP_ETAG_SUFFIX = '-gz';

/**
 * What to answer for a tile: from the memory cache while the layer's revision is the one
 * the tile was rendered at, otherwise rendered afresh, and 304 when the client's ETag is
 * current. Shared by the Fastify route and the hot path for cached tiles (hot-path.ts),
 * so both answer alike.
 */
export class TileAnswers {
  private readonly encoding: TileEncoding;
  private readonly cache: LruTileCache<StoredTile>;
  private readonly revisions: RevisionReader;
  private readonly definitionHashes = new Map<string, string>();
  // The ETag of the current revision is asked for on every request; remember the last one per layer.
  private readonly lastEtags = new Map<string, { revisionTag: string; etag: string }>();

  /** `cacheBytes`: memory for hot tiles, 0 for none. */
  constructor(
    private readonly database: DatabaseHandle,
    cacheBytes: number,
  ) {
    // ST_AsMVT where PostGIS has protobuf; otherwise PostGIS prepares rows for the JavaScript encoder.
    this.encoding = database.hasMvt ? 'mvt' : 'rows';
    this.cache = new LruTileCache<StoredTile>(cacheBytes);
    this.revisions = new RevisionReader(() => readRevisionRows(database.db));
  }

  /** Revision rows read elsewhere, in a query sent at `sentAt` (see RevisionReader.offer). */
  offerRevisions(sentAt: number, rows: Promise<Map<string, string>>): void {
    this.revisions.offer(sentAt, rows);
  }

  /** Whether a rendering of this tile is in memory, current or not; does not count as a use. */
  holds(layer: TileLayerDefinition, tile: TileAddress): boolean {
    return this.cache.has(cacheKey(layer, tile));
  }

  /**
   * The answer for a request that arrived at `arrivedAt` (performance.now()), gzipped when
   * the client `acceptsGzip` (see http/accept-encoding.ts). With `render: false`,
   * undefined when the tile would have to be rendered.
   */
  async answer(
    layer: TileLayerDefinition,
    tile: TileAddress,
    ifNoneMatch: string | undefined,
    arrivedAt: number,
    render: boolean,
    acceptsGzip: boolean,
  ): Promise<TileAnswer | undefined> {
    const key = cacheKey(layer, tile);
    const cached = this.cache.get(key);
    // The current revision is only needed to judge what the client or the cache holds;
    // without either, the tile query reads it in the same statement.
    if (cached || ifNoneMatch) {
      // Any revision read sent after the request arrived will do (see RevisionReader).
      const current = revisionTagOf(layer, await this.revisions.read(arrivedAt));
      const etag = this.etagOf(layer, current);
      // Whichever representation the client holds, it is current: the same revision.
      if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { status: 304, etag: acceptsGzip ? gzipEtag(etag) : etag };
      if (cached?.revisionTag === current) return sendable(cached, etag, 'hit', acceptsGzip);
    }
    if (!render) return undefined;
    const rendered: CachedTile = await renderTile(this.database.db, layer, tile, this.encoding);
    const bytes = asBuffer(rendered.bytes);
    const fresh: StoredTile =
      bytes.byteLength === 0
        ? { revisionTag: rendered.revisionTag, bytes, gzipped: false }
        : { revisionTag: rendered.revisionTag, bytes: await gzipAsync(bytes), gzipped: true };
    this.cache.put(key, fresh);
    const etag = this.etagOf(layer, fresh.revisionTag);
    // The rendering is at hand: no need to inflate what was just compressed.
    if (fresh.gzipped && !acceptsGzip) return { status: 200, etag, bytes, cache: 'miss', gzipped: false };
    return sendable(fresh, etag, 'miss', acceptsGzip);
  }

  /**
   * A fingerprint of everything that shapes a layer's tiles besides its data: the SQL
   * (fields, simplification, extent, buffer), the encoder and the database kind. It goes
   * into every ETag, so a new server version never answers 304 for a tile it now draws
   * differently.
   */
  private definitionHash(layer: TileLayerDefinition): string {
    let hash = this.definitionHashes.get(layer.name);
    if (!hash) {
      const query = this.encoding === 'mvt' ? mvtTileQuery(layer, 0, 0, 0) : rowsTileQuery(layer, 0, 0, 0);
      hash = createHash('sha256')
        .update(`${this.database.kind}\n${this.encoding}\n${ENCODER_VERSION}\n${layer.minzoom}\n${query.compile(this.database.db).sql}`)
        .digest('base64url');
      this.definitionHashes.set(layer.name, hash);
    }
    return hash;
  }

  private etagOf(layer: TileLayerDefinition, revisionTag: string): string {
    const last = this.lastEtags.get(layer.name);
    if (last?.revisionTag === revisionTag) return last.etag;
    const etag = `"${createHash('sha256').update(`${this.definitionHash(layer)}\n${revisionTag}`).digest('base64url').slice(0, 27)}"`;
    this.lastEtags.set(layer.name, { revisionTag, etag });
    return etag;
  }
}

/** The response headers of a tile answer, whichever path sends it. */
export function tileHeaders(answer: TileAnswer): OutgoingHttpHeaders {
  // Written out rather than spread from a common part: this runs for every tile served.
  if (answer.status === 304) {
    return {
      etag: answer.etag,
      'cache-control': TILE_CACHE_CONTROL,
      vary: 'accept-encoding',
      'x-content-type-options': TILE_SAFETY_HEADERS['x-content-type-options'],
      'cross-origin-resource-policy': TILE_SAFETY_HEADERS['cross-origin-resource-policy'],
    };
  }
  if (answer.gzipped) {
    return {
      etag: answer.etag,
      'cache-control': TILE_CACHE_CONTROL,
      vary: 'accept-encoding',
      'content-type': MVT_CONTENT_TYPE,
      'content-encoding': 'gzip',
      'content-length': answer.bytes.byteLength,
      'x-tile-cache': answer.cache,
      'x-content-type-options': TILE_SAFETY_HEADERS['x-content-type-options'],
      'cross-origin-resource-policy': TILE_SAFETY_HEADERS['cross-origin-resource-policy'],
    };
  }
  return {
    etag: answer.etag,
    'cache-control': TILE_CACHE_CONTROL,
    vary: 'accept-encoding',
    'content-type': MVT_CONTENT_TYPE,
    'content-length': answer.bytes.byteLength,
    'x-tile-cache': answer.cache,
    'x-content-type-options': TILE_SAFETY_HEADERS['x-content-type-options'],
    'cross-origin-resource-policy': TILE_SAFETY_HEADERS['cross-origin-resource-policy'],
  };
}

/**
 * If-None-Match compares weakly (RFC 9110 §13.1.2): `W/` prefixes are ignored, `*` matches,
 * and the gzip representation's ETag matches its identity one (same revision, same tile).
 */
export function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((part) => {
    const candidate = part.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag || candidate === gzipEtag(etag);
  });
}

function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}${GZIP_ETAG_SUFFIX}"`;
}

/** A stored tile as the client takes it. */
function sendable(stored: StoredTile, etag: string, cache: 'hit' | 'miss', acceptsGzip: boolean): TileAnswer {
  if (!stored.gzipped) return { status: 200, etag, bytes: stored.bytes, cache, gzipped: false };
  if (acceptsGzip) return { status: 200, etag: gzipEtag(etag), bytes: stored.bytes, cache, gzipped: true };
  return { status: 200, etag, bytes: gunzipSync(stored.bytes), cache, gzipped: false };
}

function cacheKey(layer: TileLayerDefinition, tile: TileAddress): string {
  return `${layer.name}/${tile.z}/${tile.x}/${tile.y}`;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
