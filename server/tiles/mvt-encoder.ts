/**
 * Mapbox Vector Tile 2.1 encoder for the embedded database, whose PostGIS is built
 * without protobuf and so has no ST_AsMVT. SQL still does what ST_AsMVTGeom does
 * (clip, scale to the extent, snap, validate) and hands us rows; this module writes
 * the same bytes ST_AsMVT would write for those rows (postgis/mvt.c), so both
 * backends serve interchangeable tiles:
 *
 * - fields in field-number order, as protobuf-c packs them: layer name, features,
 *   keys, values, extent, version; feature id, tags, type, geometry;
 * - keys in order of first appearance, including properties that are null everywhere
 *   (ST_AsMVT registers every column before it looks at values);
 * - values deduplicated per type, in order of first appearance; integers as
 *   uint_value when >= 0 and sint_value when negative, other numbers as double_value,
 *   strings as string_value, booleans as bool_value; nulls are left out;
 * - negative or null feature ids are left out, rows without geometry are skipped,
 *   and a layer without features is zero bytes.
 *
 * One difference cannot be helped: a float8 column holding a whole number reaches us
 * as a plain number and is written as an integer, where ST_AsMVT writes a double.
 * Decoders give the same number either way.
 *
 * Where the rows are not already what ST_AsMVTGeom would produce, the encoder repairs
 * what the format requires: exterior rings turned clockwise in tile coordinates
 * (y down) and holes counter-clockwise, repeated points removed from lines and rings,
 * and rings or lines left without length or area dropped.
 */

export type Position = number[];

/** GeoJSON geometry in integer tile coordinates, y pointing down (ST_AsMVTGeom output). */
export type TileGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export type TilePropertyValue = string | number | boolean | null;

export interface TileFeature {
  /** Left out of the tile when null or negative, as ST_AsMVT does. */
  id?: number | null;
  properties: Record<string, TilePropertyValue>;
  /** Null when clipping left nothing; the feature is then skipped. */
  geometry: TileGeometry | null;
}

export interface TileLayer {
  name: string;
  /** Defaults to 4096. */
  extent?: number;
  features: readonly TileFeature[];
}

// Numbers from the vector tile .proto; plain objects rather than enums so the
// module stays erasable TypeScript.
const GeomType = { Point: 1, LineString: 2, Polygon: 3 } as const;
type GeomType = (typeof GeomType)[keyof typeof GeomType];

const Command = { MoveTo: 1, LineTo: 2, ClosePath: 7 } as const;
type Command = (typeof Command)[keyof typeof Command];

const Wire = { Varint: 0, Fixed64: 1, Bytes: 2 } as const;
type Wire = (typeof Wire)[keyof typeof Wire];

/** Encodes several layers as one tile: a tile is its layers' bytes concatenated. */
export function encodeMvt(layers: readonly TileLayer[]): Uint8Array {
  const parts = layers.map(encodeMvtLayer);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Encodes one layer as a complete tile (Tile message with a single layer). */
export function encodeMvtLayer(layer: TileLayer): Uint8Array {
  const extent = layer.extent ?? 4096;
  if (!Number.isInteger(extent) || extent <= 0) {
    throw new RangeError(`MVT extent must be a positive integer, got ${extent}`);
  }

  const keys = new Map<string, number>();
  const values = new Map<string, { index: number; write: (w: ProtoWriter) => void }>();
  const features: { id: number | null; tags: number[]; type: GeomType; geometry: number[] }[] = [];

  for (const feature of layer.features) {
    for (const key of Object.keys(feature.properties)) {
      if (!keys.has(key)) keys.set(key, keys.size);
    }
    const geometry = feature.geometry && encodeGeometry(feature.geometry);
    if (!geometry) continue;

    const tags: number[] = [];
    for (const [key, value] of Object.entries(feature.properties)) {
      if (value === null) continue;
      const entry = valueEntry(value);
      let stored = values.get(entry.dedupeKey);
      if (!stored) {
        stored = { index: values.size, write: entry.write };
        values.set(entry.dedupeKey, stored);
      }
      tags.push(keys.get(key)!, stored.index);
    }
    features.push({ id: featureId(feature.id), tags, ...geometry });
  }

  if (features.length === 0) return new Uint8Array(0);

  const w = new ProtoWriter();
  w.message(3, () => {
    w.string(1, layer.name);
    for (const f of features) {
      w.message(2, () => {
        if (f.id !== null) w.uint(1, f.id);
        if (f.tags.length > 0) w.packed(2, f.tags);
        w.uint(3, f.type);
        w.packed(4, f.geometry);
      });
    }
    for (const key of keys.keys()) w.string(3, key);
    for (const value of values.values()) w.message(4, () => value.write(w));
    w.uint(5, extent);
    w.uint(15, 2);
  });
  return w.finish();
}

function featureId(id: number | null | undefined): number | null {
  if (id === null || id === undefined || id < 0) return null;
  if (!Number.isSafeInteger(id)) throw new TypeError(`MVT feature id must be an integer, got ${id}`);
  return id;
}

/** The Value message for one property, keyed so that equal values of one type share an entry. */
function valueEntry(value: string | number | boolean): { dedupeKey: string; write: (w: ProtoWriter) => void } {
  if (typeof value === 'string') return { dedupeKey: `s${value}`, write: (w) => w.string(1, value) };
  if (typeof value === 'boolean') return { dedupeKey: `b${value}`, write: (w) => w.uint(7, value ? 1 : 0) };
  // JavaScript cannot tell an int column from a float8 that holds a whole number, so
  // every safe integer goes the way ST_AsMVT sends integer columns.
  if (Number.isSafeInteger(value)) {
    return value >= 0
      ? { dedupeKey: `u${value}`, write: (w) => w.uint(5, value) }
      : { dedupeKey: `i${value}`, write: (w) => w.sint64(6, value) };
  }
  return { dedupeKey: `d${value}`, write: (w) => w.double(3, value) };
}

// ---------------------------------------------------------------------------------
// Geometry commands (spec section 4.3). Paths are flat [x0, y0, x1, y1, ...] arrays,
// which keeps a large tile from allocating an array per vertex. The cursor carries
// over between the parts of a multi-geometry, so each part starts with a delta too.

type Cursor = { x: number; y: number };

function encodeGeometry(geometry: TileGeometry): { type: GeomType; geometry: number[] } | null {
  const commands: number[] = [];
  const cursor: Cursor = { x: 0, y: 0 };
  switch (geometry.type) {
    case 'Point':
    case 'MultiPoint': {
      const positions = geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates;
      // ST_AsGeoJSON writes POINT EMPTY as "coordinates": [].
      const points = flatPath(positions.filter((p) => p.length >= 2), false);
      if (points.length === 0) return null;
      commands.push(command(Command.MoveTo, points.length / 2));
      pushDeltas(commands, cursor, points, 0);
      return { type: GeomType.Point, geometry: commands };
    }
    case 'LineString':
    case 'MultiLineString': {
      const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
      for (const line of lines) {
        const path = flatPath(line, true);
        if (path.length >= 4) pushPath(commands, cursor, path);
      }
      return commands.length > 0 ? { type: GeomType.LineString, geometry: commands } : null;
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      for (const polygon of polygons) {
        for (const [i, ring] of polygon.entries()) {
          const path = openRing(flatPath(ring, true));
          const area = ringArea(path);
          if (area === 0) {
            if (i === 0) break; // without its exterior, the polygon's holes have nothing to cut
            continue;
          }
          // Exterior rings have positive area in y-down tile coordinates (clockwise on screen).
          if ((i === 0) !== (area > 0)) reverseRing(path);
          pushPath(commands, cursor, path);
          commands.push(command(Command.ClosePath, 1));
        }
      }
      return commands.length > 0 ? { type: GeomType.Polygon, geometry: commands } : null;
    }
    default: {
      const unknown: { type: string } = geometry;
      throw new TypeError(`MVT cannot encode geometry type ${unknown.type}`);
    }
  }
}

/**
 * Flattens positions, rounding them (they should be integers already, but a stray
 * float must not corrupt the varints) and, for paths, dropping repeated points, since
 * a LineTo must not stay in place.
 */
function flatPath(positions: readonly Position[], dropRepeats: boolean): number[] {
  const path: number[] = [];
  for (const position of positions) {
    const x = Math.round(position[0]);
    const y = Math.round(position[1]);
    const n = path.length;
    if (dropRepeats && n > 0 && path[n - 2] === x && path[n - 1] === y) continue;
    path.push(x, y);
  }
  return path;
}

/** Drops the closing point: ClosePath draws that segment. */
function openRing(path: number[]): number[] {
  const n = path.length;
  if (n >= 4 && path[0] === path[n - 2] && path[1] === path[n - 1]) path.length = n - 2;
  return path;
}

/** Twice the signed area (surveyor's formula); zero for rings with fewer than three points. */
function ringArea(path: readonly number[]): number {
  const n = path.length;
  if (n < 6) return 0;
  let sum = 0;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    sum += path[j] * path[i + 1] - path[i] * path[j + 1];
  }
  return sum;
}

/** Reverses the ring in place but keeps its starting point, as PostGIS does. */
function reverseRing(path: number[]): void {
  for (let i = 2, j = path.length - 2; i < j; i += 2, j -= 2) {
    [path[i], path[i + 1], path[j], path[j + 1]] = [path[j], path[j + 1], path[i], path[i + 1]];
  }
}

function pushPath(commands: number[], cursor: Cursor, path: readonly number[]): void {
  commands.push(command(Command.MoveTo, 1));
  pushDelta(commands, cursor, path[0], path[1]);
  commands.push(command(Command.LineTo, path.length / 2 - 1));
  pushDeltas(commands, cursor, path, 2);
}

function pushDeltas(commands: number[], cursor: Cursor, path: readonly number[], from: number): void {
  for (let i = from; i < path.length; i += 2) pushDelta(commands, cursor, path[i], path[i + 1]);
}

function pushDelta(commands: number[], cursor: Cursor, x: number, y: number): void {
  commands.push(zigzag32(x - cursor.x), zigzag32(y - cursor.y));
  cursor.x = x;
  cursor.y = y;
}

function command(id: Command, count: number): number {
  return ((count << 3) | id) >>> 0;
}

function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

// ---------------------------------------------------------------------------------
// Protocol buffers, just the parts a vector tile needs.

const textEncoder = new TextEncoder();

class ProtoWriter {
  private buf = new Uint8Array(1024);
  private pos = 0;

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  uint(field: number, value: number): void {
    this.tag(field, Wire.Varint);
    this.varint(value);
  }

  sint64(field: number, value: number): void {
    this.tag(field, Wire.Varint);
    // BigInt because the zigzag of a large negative safe integer is not one.
    const big = BigInt(value);
    this.varintBig(big >= 0n ? big << 1n : (-big << 1n) - 1n);
  }

  double(field: number, value: number): void {
    this.tag(field, Wire.Fixed64);
    this.reserve(8);
    new DataView(this.buf.buffer).setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  string(field: number, value: string): void {
    const bytes = textEncoder.encode(value);
    this.tag(field, Wire.Bytes);
    this.varint(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  packed(field: number, values: readonly number[]): void {
    this.message(field, () => {
      for (const v of values) this.varint(v);
    });
  }

  /** Writes a length-delimited field whose body `write` produces. */
  message(field: number, write: () => void): void {
    this.tag(field, Wire.Bytes);
    // Guess a one-byte length, then move the body if the real length needs more.
    this.reserve(1);
    const start = ++this.pos;
    write();
    const length = this.pos - start;
    const lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      this.reserve(lengthBytes - 1);
      this.buf.copyWithin(start + lengthBytes - 1, start, this.pos);
      this.pos += lengthBytes - 1;
    }
    const end = this.pos;
    this.pos = start - 1;
    this.varint(length);
    this.pos = end;
  }

  private tag(field: number, wire: Wire): void {
    this.varint(field * 8 + wire);
  }

  /** Any non-negative safe integer; division instead of shifts beyond 32 bits. */
  private varint(value: number): void {
    this.reserve(8);
    let v = value;
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  private varintBig(value: bigint): void {
    this.reserve(10);
    let v = value;
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = new Uint8Array(size);
    // The whole buffer, not just up to pos: message() rewinds pos to write a length.
    grown.set(this.buf);
    this.buf = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v > 0x7f; v = Math.floor(v / 128)) size++;
  return size;
}
