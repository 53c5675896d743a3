import { InvalidUploadOptionError, reason } from './errors.js';

/**
 * Which text encoding an upload's attributes are in, for the two formats that do not fix it:
 * shapefile DBFs and CSV. (GeoJSON, GeoPackage and FlatGeobuf are UTF-8 by definition; KML and
 * GML declare theirs in the XML prolog, which GDAL honours.)
 *
 * Persian files from Windows GIS desktops are Windows-1256 (CP1256) far more often than they
 * say so, which is why that is the guess when the bytes are not UTF-8.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A label we pass to GDAL (iconv) or TextDecoder: letters, digits and a little punctuation. */
export function checkEncodingLabel(label: string): string {
  const trimmed = label.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}$/.test(trimmed)) {
    throw new InvalidUploadOptionError(`"${label}" is not an encoding name; use one such as CP1256 or UTF-8.`, reason('unknown_encoding', { value: label }, { field: 'encoding' }));
  }
  return trimmed;
}

/**
 * The ENCODING open option for a shapefile, or undefined to leave it to GDAL, which reads the
 * .cpg file and the DBF's language driver id (LDID, byte 29) itself. We step in where GDAL
 * falls short:
 * - a .cpg of the form "ANSI 1256" (GDAL understands "1256" but not that);
 * - a .cpg that says UTF-8 over bytes that are not UTF-8 (some tools write it by default);
 * - LDID 0x7E, Arabic Windows, which is missing from GDAL's LDID table;
 * - LDID 0 (none) and 0x57 (87, "ANSI": the writer's Windows code page, which GDAL reads as
 *   ISO-8859-1): we look at the bytes instead.
 */
export function shapefileEncoding(cpg: string | undefined, dbf: Uint8Array): string | undefined {
  if (cpg !== undefined && cpg.trim() !== '') {
    const text = cpg.trim();
    const codePage = /^ANSI\s+(\d{3,5})$/i.exec(text);
    if (codePage) return `CP${codePage[1]}`;
    if (/^utf-?8$/i.test(text) && sniffDbf(dbf) === 'CP1256') return 'CP1256';
    return undefined;
  }
  const ldid = dbf.length > 29 ? dbf[29] : 0;
  if (ldid === 0x7e) return 'CP1256';
  if (ldid !== 0 && ldid !== 0x57) return undefined;
  return sniffDbf(dbf);
}

/** Whether text decoded from `encoding` came through Windows-1256. */
export function isWindows1256(encoding: string | undefined): boolean {
  return encoding !== undefined && /(^|[^0-9])1256$/.test(encoding.trim());
}

/**
 * CSV bytes as UTF-8, and the encoding they were read as. GDAL's CSV driver does not recode,
 * so anything else is decoded here: with the caller's encoding if given, else UTF-8 when the
 * bytes are valid UTF-8, else Windows-1256.
 */
export function csvToUtf8(bytes: Uint8Array, encoding?: string): { bytes: Uint8Array; encoding: string } {
  let label = encoding;
  if (label === undefined) {
    if (isUtf8(bytes)) return { bytes, encoding: 'UTF-8' };
    label = 'windows-1256';
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    throw new InvalidUploadOptionError(`"${label}" is not an encoding this server can read a CSV in; use one such as windows-1256 or UTF-8.`, reason('unknown_encoding', { value: label }, { field: 'encoding' }));
  }
  return { bytes: new TextEncoder().encode(decoder.decode(bytes)), encoding: label };
}

/**
 * Windows-1256 has no Persian yeh (U+06CC), so Persian text in it is written with the Arabic
 * yeh (U+064A) or alef maksura (U+0649); older files also use the Arabic kaf (U+0643) for
 * the Persian one (U+06A9). Text that came through Windows-1256 is put back into Persian
 * letters, so names compare and display as their authors meant them.
 */
export function persianLettersFrom1256(text: string): string {
  return text.replace(/[\u064A\u0649]/g, '\u06CC').replace(/\u0643/g, '\u06A9');
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * 'UTF-8' or 'CP1256' from the DBF's text: its field names and records (its other header
 * bytes are binary), or undefined when all of it is ASCII and the question does not arise.
 *
 *   header: 32 bytes | 32-byte field descriptors (name: 11 bytes) … 0x0D | records …
 */
function sniffDbf(dbf: Uint8Array): 'UTF-8' | 'CP1256' | undefined {
  if (dbf.length < 32) return undefined;
  const headerLength = dbf[8]! | (dbf[9]! << 8);
  const parts: Uint8Array[] = [];
  for (let at = 32; at + 32 <= Math.min(headerLength, dbf.length) && dbf[at] !== 0x0d; at += 32) {
    const name = dbf.subarray(at, at + 11);
    const end = name.indexOf(0);
    parts.push(end < 0 ? name : name.subarray(0, end));
  }
  parts.push(dbf.subarray(Math.min(headerLength, dbf.length)));
  if (parts.every((part) => part.every((byte) => byte < 0x80))) return undefined;
  return parts.every(isUtf8) ? 'UTF-8' : 'CP1256';
}
