import { crc32, inflateRawSync } from 'node:zlib';
import { ArchiveTooLargeError, reason, UnreadableFileError, UnsafeArchiveError } from './errors.js';

/**
 * A small zip reader for uploads (.zip shapefiles, .kmz). It trusts nothing in the archive:
 * the central directory is checked as a whole (entry count, declared sizes, names) before a
 * single byte is inflated, and every entry is then inflated with an output cap equal to its
 * declared size, so an archive that lies about its sizes is stopped at the lie, not when
 * memory runs out. Only stored and deflated entries are read: that is what GIS tools and
 * operating systems write.
 *
 *   [local header + data]…  [central directory]  [zip64 end record + locator]?  [end record]
 */

export interface ZipLimits {
  maxExpandedBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxExpandedBytes: 1024 ** 3, maxEntries: 1000 };

export interface ZipEntry {
  /** Normalised relative path, '/'-separated, never with '.', '..' or an empty segment. */
  path: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;

export function looksLikeZip(data: Buffer): boolean {
  return data.length >= 4 && (data.readUInt32LE(0) === SIG_LOCAL || data.readUInt32LE(0) === SIG_END);
}

/**
 * The entries worth extracting (files, without macOS resource forks and Finder litter),
 * after checking the whole directory against the limits and for unsafe names.
 */
export function readZipDirectory(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const end = findEndRecord(data);
  if (end.count > limits.maxEntries) {
    throw new ArchiveTooLargeError(
      `The zip holds ${end.count} entries; at most ${limits.maxEntries} are accepted.`,
      reason('zip_too_many_entries', { entries: end.count, max_entries: limits.maxEntries }),
    );
  }

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let pos = end.directoryOffset;
  for (let i = 0; i < end.count; i++) {
    need(data, pos, 46);
    if (data.readUInt32LE(pos) !== SIG_CENTRAL) throw corrupt('a central directory entry is damaged');
    const madeBy = data.readUInt16LE(pos + 4);
    const flags = data.readUInt16LE(pos + 8);
    const method = data.readUInt16LE(pos + 10);
    const crc = data.readUInt32LE(pos + 16);
    let compressedSize = data.readUInt32LE(pos + 20);
    let size = data.readUInt32LE(pos + 24);
    const nameLength = data.readUInt16LE(pos + 28);
    const extraLength = data.readUInt16LE(pos + 30);
    const commentLength = data.readUInt16LE(pos + 32);
    const externalAttributes = data.readUInt32LE(pos + 38);
    let localHeaderOffset = data.readUInt32LE(pos + 42);
    need(data, pos + 46, nameLength + extraLength);
    const rawName = data.subarray(pos + 46, pos + 46 + nameLength);
    const extra = data.subarray(pos + 46 + nameLength, pos + 46 + nameLength + extraLength);
    pos += 46 + nameLength + extraLength + commentLength;

    // Sizes that do not fit 32 bits live in the zip64 extra field, in this order.
    const zip64 = findExtraField(extra, 0x0001);
    if (zip64) {
      let at = 0;
      const next = (): number => {
        if (at + 8 > zip64.length) throw corrupt('a zip64 extra field is too short');
        const value = Number(zip64.readBigUInt64LE(at));
        at += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
    }

    const name = decodeName(rawName, (flags & 0x0800) !== 0);
    const path = safePath(name);
    // Unix "made by" (high byte 3) keeps the file mode in the high 16 bits of the attributes.
    const isSymlink = madeBy >> 8 === 3 && ((externalAttributes >>> 16) & 0o170000) === 0o120000;
    if (isSymlink) throw new UnsafeArchiveError(`The zip entry "${name}" is a symbolic link; links are not accepted.`, reason('zip_symlink', { entry: name }));
    if (name.endsWith('/') || name.endsWith('\\')) continue; // a folder; files create their own
    if (path === '') throw new UnsafeArchiveError(`The zip entry "${name}" has no file name.`, reason('zip_unsafe_name', { entry: name }));
    if (seen.has(path)) throw new UnsafeArchiveError(`The zip holds "${path}" twice.`, reason('zip_entry_twice', { entry: path }));
    seen.add(path);
    if (isJunk(path)) continue;

    if (flags & 0x0001) throw corrupt(`"${path}" is encrypted; upload a zip without a password`, 'zip_encrypted', { entry: path });
    if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
      throw corrupt(`"${path}" uses compression method ${method}; re-create the zip with ordinary Deflate compression`, 'zip_method', { entry: path });
    }
    declaredTotal += size;
    if (declaredTotal > limits.maxExpandedBytes) {
      throw new ArchiveTooLargeError(
        `The zip expands to more than ${formatBytes(limits.maxExpandedBytes)}, the largest upload accepted.`,
        reason('zip_too_large', { limit_mb: Math.round(limits.maxExpandedBytes / 1024 / 1024) }),
      );
    }
    entries.push({ path, method, crc, compressedSize, size, localHeaderOffset });
  }
  return entries;
}

/** One entry's bytes, never more than its declared size, checked against its CRC. */
export function inflateEntry(data: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  need(data, at, 30);
  if (data.readUInt32LE(at) !== SIG_LOCAL) throw corrupt(`the local header of "${entry.path}" is damaged`);
  // The local header's name and extra lengths may differ from the central directory's.
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  need(data, start, entry.compressedSize);
  const compressed = data.subarray(start, start + entry.compressedSize);

  let out: Buffer;
  if (entry.method === METHOD_STORED) {
    out = compressed;
  } else {
    try {
      // maxOutputLength stops zlib as soon as the output passes the declared size.
      out = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ArchiveTooLargeError(`"${entry.path}" expands beyond the size the zip declares for it.`, reason('zip_bomb', { entry: entry.path }));
      }
      throw corrupt(`"${entry.path}" cannot be decompressed (${(error as Error).message})`);
    }
  }
  if (out.length !== entry.size) throw corrupt(`"${entry.path}" is shorter than the zip declares`);
  if (crc32(out) >>> 0 !== entry.crc) throw corrupt(`"${entry.path}" fails its checksum`);
  return out;
}

function findEndRecord(data: Buffer): { count: number; directoryOffset: number } {
  // The end record is 22 bytes plus a comment of up to 65535 bytes, so search backwards.
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  let at = -1;
  for (let i = data.length - 22; i >= lowest; i--) {
    if (data.readUInt32LE(i) === SIG_END) { at = i; break; }
  }
  if (at < 0) throw corrupt('it is not a zip archive, or it is truncated');

  const disk = data.readUInt16LE(at + 4);
  let count = data.readUInt16LE(at + 10);
  const directorySize = data.readUInt32LE(at + 12);
  let directoryOffset = data.readUInt32LE(at + 16);
  if (disk !== 0) throw corrupt('it is one part of a split (multi-volume) zip; upload a single zip');

  const locator = at - 20;
  if (locator >= 0 && data.readUInt32LE(locator) === SIG_ZIP64_LOCATOR) {
    const end64 = Number(data.readBigUInt64LE(locator + 8));
    need(data, end64, 56);
    if (data.readUInt32LE(end64) !== SIG_ZIP64_END) throw corrupt('its zip64 end record is damaged');
    count = Number(data.readBigUInt64LE(end64 + 32));
    directoryOffset = Number(data.readBigUInt64LE(end64 + 48));
  } else if (directoryOffset === 0xffffffff) {
    // Info-ZIP writing to a pipe (zip -fz -) marks the offset as zip64 but writes no zip64
    // record; the directory then sits right before the end record.
    directoryOffset = at - directorySize;
  }
  return { count, directoryOffset };
}

function findExtraField(extra: Buffer, id: number): Buffer | undefined {
  for (let at = 0; at + 4 <= extra.length;) {
    const fieldId = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (fieldId === id) return extra.subarray(at + 4, Math.min(extra.length, at + 4 + length));
    at += 4 + length;
  }
  return undefined;
}

/**
 * Names are UTF-8 when flagged; unflagged names are officially CP437, but many tools write
 * UTF-8 without the flag, so that is tried first. Latin-1 keeps any other bytes one-to-one,
 * which is all that matters for matching a shapefile's parts to each other.
 */
function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/** The entry's path made relative and clean, or UnsafeArchiveError if it could leave its folder. */
function safePath(name: string): string {
  // Backslashes are Windows separators in practice; treating them as such catches "..\evil".
  const unified = name.replace(/\\/g, '/');
  if (unified.includes('\0') || unified.startsWith('/') || /^[a-zA-Z]:/.test(unified)) {
    throw new UnsafeArchiveError(`The zip entry "${name}" has an absolute path.`, reason('zip_unsafe_name', { entry: name }));
  }
  const segments = unified.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new UnsafeArchiveError(`The zip entry "${name}" points outside the archive ("..").`, reason('zip_unsafe_name', { entry: name }));
  }
  return segments.join('/');
}

function isJunk(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return path.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db';
}

function need(data: Buffer, at: number, length: number): void {
  if (at < 0 || at + length > data.length) throw corrupt('it is truncated');
}

function corrupt(why: string, code = 'zip_damaged', values: Record<string, string> = {}): UnreadableFileError {
  return new UnreadableFileError(`The zip cannot be read: ${why}.`, reason(code, values));
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${+(bytes / 1024 ** 3).toFixed(2)} GB` : `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
}
