import fs from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DatabaseSync } from 'node:sqlite';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';

/**
 * A basemap tile file the organisation made from an OpenStreetMap extract (tilemaker,
 * planetiler, GDAL): vector MBTiles or PMTiles. Tiles are read from the file as they are
 * asked for; nothing is extracted.
 */
export interface BasemapArchive {
  readonly path: string;
  readonly format: 'mbtiles' | 'pmtiles';
  /** The file's own description, for the TileJSON (name, attribution, vector_layers, zooms, bounds). */
  readonly metadata: BasemapMetadata;
  /** A fingerprint of the file (size and time), part of every tile's ETag. */
  readonly version: string;
  /** The gzip-compressed tile, or undefined where the file has none. */
  tile(z: number, x: number, y: number): Promise<Uint8Array | undefined>;
  close(): void;
}

export interface BasemapMetadata {
  name?: string | undefined;
  description?: string | undefined;
  attribution?: string | undefined;
  minzoom: number;
  maxzoom: number;
  bounds?: [number, number, number, number] | undefined;
  center?: [number, number, number] | undefined;
  vector_layers: Array<{ id: string; fields?: Record<string, string>; minzoom?: number; maxzoom?: number; description?: string }>;
}

/** Why a basemap file cannot be served; the server stops at start with this message. */
export class BasemapFileError extends Error {
  constructor(path: string, problem: string) {
    super(`MAHALLENAMA_BASEMAP=${path}: ${problem}`);
    this.name = 'BasemapFileError';
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const PMTILES_MAGIC = 'PMTiles';

/** Opens a basemap file, telling what is wrong when it is missing, unreadable, raster or of another kind. */
export async function openBasemap(path: string): Promise<BasemapArchive> {
  let head: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
    if (!stat.isFile()) throw new BasemapFileError(path, 'is not a file');
    const fd = fs.openSync(path, 'r');
    try {
      head = Buffer.alloc(16);
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (error instanceof BasemapFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new BasemapFileError(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`);
  }
  const version = `${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}`;
  if (head.toString('latin1', 0, 16) === SQLITE_MAGIC) return openMbtiles(path, version);
  if (head.toString('latin1', 0, 7) === PMTILES_MAGIC) return openPmtiles(path, version);
  throw new BasemapFileError(path, 'is neither MBTiles (SQLite) nor PMTiles; make one with tilemaker or `ogr2ogr -f MBTiles`');
}

function openMbtiles(path: string, version: string): BasemapArchive {
  let db: DatabaseSync;
  let rows: Array<{ name: string; value: string }>;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    rows = db.prepare('select name, value from metadata').all() as Array<{ name: string; value: string }>;
    db.prepare('select 1 from tiles limit 1').all();
  } catch (error) {
    throw new BasemapFileError(path, `is not a readable MBTiles file (${(error as Error).message})`);
  }
  const meta = new Map(rows.map((r) => [r.name, r.value]));
  const format = meta.get('format');
  if (format !== 'pbf' && format !== 'mvt') {
    db.close();
    throw new BasemapFileError(path, `holds ${format ?? 'unknown'} tiles, not vector tiles (format pbf); a raster basemap cannot be restyled or labelled in Persian`);
  }
  let json: { vector_layers?: BasemapMetadata['vector_layers'] } = {};
  try {
    json = JSON.parse(meta.get('json') ?? '{}') as typeof json;
  } catch {
    throw new BasemapFileError(path, 'has a metadata row "json" that is not JSON');
  }
  const numbers = (text: string | undefined) => text?.split(',').map(Number);
  const bounds = numbers(meta.get('bounds'));
  const center = numbers(meta.get('center'));
  const metadata: BasemapMetadata = {
    name: meta.get('name'),
    description: meta.get('description'),
    attribution: meta.get('attribution'),
    minzoom: Number(meta.get('minzoom') ?? 0),
    maxzoom: Number(meta.get('maxzoom') ?? 14),
    bounds: bounds?.length === 4 && bounds.every(Number.isFinite) ? (bounds as [number, number, number, number]) : undefined,
    center: center?.length === 3 && center.every(Number.isFinite) ? (center as [number, number, number]) : undefined,
    vector_layers: json.vector_layers ?? [],
  };
  const select = db.prepare('select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?');
  return {
    path,
    format: 'mbtiles',
    metadata,
    version,
    async tile(z, x, y) {
      // MBTiles rows count from the south (TMS); the web counts from the north.
      const row = select.get(z, x, 2 ** z - 1 - y) as { tile_data: Uint8Array } | undefined;
      if (!row) return undefined;
      const bytes = row.tile_data;
      return isGzip(bytes) ? bytes : gzipSync(bytes);
    },
    close: () => db.close(),
  };
}

/** Reads byte ranges of a local file: PMTiles without HTTP. */
class FileRangeSource implements Source {
  private readonly fd: number;
  constructor(private readonly path: string) {
    this.fd = fs.openSync(path, 'r');
  }
  getKey(): string {
    return this.path;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buffer = Buffer.alloc(length);
    const read = await new Promise<number>((resolve, reject) =>
      fs.read(this.fd, buffer, 0, length, offset, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
    );
    const data = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + read) as ArrayBuffer;
    return { data };
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

async function openPmtiles(path: string, version: string): Promise<BasemapArchive> {
  const source = new FileRangeSource(path);
  const archive = new PMTiles(source);
  let header;
  let json: Partial<BasemapMetadata> & { vector_layers?: BasemapMetadata['vector_layers'] };
  try {
    header = await archive.getHeader();
    json = ((await archive.getMetadata()) ?? {}) as typeof json;
  } catch (error) {
    source.close();
    throw new BasemapFileError(path, `is not a readable PMTiles file (${(error as Error).message})`);
  }
  if (header.tileType !== TileType.Mvt) {
    source.close();
    throw new BasemapFileError(path, `holds ${TileType[header.tileType] ?? 'unknown'} tiles, not vector tiles (MVT); a raster basemap cannot be restyled or labelled in Persian`);
  }
  const metadata: BasemapMetadata = {
    name: json.name,
    description: json.description,
    attribution: json.attribution,
    minzoom: header.minZoom,
    maxzoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    center: [header.centerLon, header.centerLat, header.centerZoom],
    vector_layers: json.vector_layers ?? [],
  };
  return {
    path,
    format: 'pmtiles',
    metadata,
    version,
    async tile(z, x, y) {
      // The library hands tiles back decompressed whatever the file's compression.
      const found = await archive.getZxy(z, x, y);
      if (!found || found.data.byteLength === 0) return undefined;
      return gzipSync(new Uint8Array(found.data));
    },
    close: () => source.close(),
  };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The tile's bytes for a client that does not accept gzip. */
export function identityBytes(gzipped: Uint8Array): Uint8Array {
  return gunzipSync(gzipped);
}
