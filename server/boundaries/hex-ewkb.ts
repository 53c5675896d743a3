import { GdalError, type OpenedDataset } from './gdal.js';

/** The column PGDump writes the geometry to; no file's field is likely to be called this. */
const EWKB_COLUMN = 'mahallenama_geometry_ewkb';

/**
 * Every feature's geometry as hex EWKB, in layer order, from GDAL's PGDump writer in its
 * COPY form: a header naming the columns, then one line per feature, tab-separated, with
 * `\N` for null. Real tabs and newlines inside values are escaped in that format, so
 * splitting on them is safe.
 *
 *   COPY "public"."layer" ("mahallenama_geometry_ewkb", "name", …) FROM STDIN;
 *   0106000020E6100000…<TAB>سرآسیاب<TAB>…
 *   \.
 */
export async function readHexEwkb(dataset: OpenedDataset, args: string[]): Promise<(string | null)[]> {
  const files = await dataset.translate([
    '-f', 'PGDump', '-nlt', 'GEOMETRY', '--config', 'PG_USE_COPY', 'YES',
    '-lco', 'CREATE_TABLE=OFF', '-lco', 'SPATIAL_INDEX=NONE', '-lco', `GEOMETRY_NAME=${EWKB_COLUMN}`,
    '-lco', 'SCHEMA=public', ...args,
  ], 'geometries');
  const dump = [...files.values()][0];
  if (!dump) throw new GdalError('PGDump wrote nothing');
  const text = Buffer.from(dump.buffer, dump.byteOffset, dump.byteLength).toString('latin1');
  const header = /^COPY (?:"(?:[^"]|"")*"\.)?"(?:[^"]|"")*" \((.*)\) FROM STDIN;\n/m.exec(text);
  if (!header) return []; // an empty layer has no COPY block
  const columns = [...header[1]!.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]);
  const position = columns.indexOf(EWKB_COLUMN);
  if (position < 0) throw new GdalError('PGDump wrote no geometry column');
  const start = header.index + header[0].length;
  const end = text.indexOf('\n\\.\n', start - 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  if (body === '') return [];
  return body.split('\n').map((line) => {
    let from = 0;
    for (let i = 0; i < position; i++) from = line.indexOf('\t', from) + 1;
    const to = line.indexOf('\t', from);
    const value = line.slice(from, to < 0 ? undefined : to);
    return value === '\\N' ? null : value;
  });
}

/**
 * The first coordinate of an EWKB geometry that is not a finite number (NaN, ±Infinity), or
 * undefined when all are. PostGIS takes such coordinates without complaint and then gives
 * nonsense — a NaN polygon is "valid" and has no area — so the feature must be rejected
 * before it is staged. Walks the structure (ISO and EWKB type codes, Z and M, curves and
 * collections); a geometry it cannot walk is left to PostGIS, which refuses what is malformed.
 */
export function nonFiniteCoordinate(ewkb: Buffer): number | undefined {
  let found: number | undefined;
  let pos = 0;
  const walk = (depth: number): void => {
    if (depth > 32 || pos + 5 > ewkb.length) throw new RangeError('malformed');
    const little = ewkb[pos] === 1;
    pos += 1;
    const u32 = () => {
      if (pos + 4 > ewkb.length) throw new RangeError('malformed');
      const v = little ? ewkb.readUInt32LE(pos) : ewkb.readUInt32BE(pos);
      pos += 4;
      return v;
    };
    const raw = u32();
    if (raw & 0x20000000) pos += 4; // SRID
    const iso = raw & 0x0fffffff;
    const base = iso % 1000;
    const isoDims = Math.floor(iso / 1000); // 1 Z, 2 M, 3 ZM
    const dims = 2 + ((raw & 0x80000000) || isoDims === 1 || isoDims === 3 ? 1 : 0) + ((raw & 0x40000000) || isoDims >= 2 ? 1 : 0);
    const points = (n: number) => {
      if (pos + n * dims * 8 > ewkb.length) throw new RangeError('malformed');
      for (let i = 0; i < n * dims && found === undefined; i++) {
        const v = little ? ewkb.readDoubleLE(pos + i * 8) : ewkb.readDoubleBE(pos + i * 8);
        // An empty point is written as NaN coordinates: that one is not a bad number.
        if (!Number.isFinite(v) && !(base === 1 && n === 1 && Number.isNaN(v))) found = v;
      }
      pos += n * dims * 8;
    };
    switch (base) {
      case 1: points(1); break; // Point
      case 2: case 8: points(u32()); break; // LineString, CircularString
      case 3: case 17: { const rings = u32(); for (let r = 0; r < rings && found === undefined; r++) points(u32()); break; } // Polygon, Triangle
      case 4: case 5: case 6: case 7: case 9: case 10: case 11: case 12: case 15: case 16: {
        const parts = u32();
        for (let p = 0; p < parts && found === undefined; p++) walk(depth + 1);
        break;
      }
      default: throw new RangeError('unknown type');
    }
  };
  try {
    walk(0);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return found;
}
