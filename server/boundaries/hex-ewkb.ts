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
