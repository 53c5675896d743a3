import { describe, expect, it } from 'vitest';
import {
  csvToUtf8, isWindows1256, persianLettersFrom1256, shapefileEncoding,
} from '../../server/boundaries/text-encoding.js';

/** A one-field DBF: 32-byte header, one 32-byte field descriptor, 0x0D, then the records. */
function dbf(ldid: number, fieldName: Uint8Array, records: Uint8Array): Uint8Array {
  const header = new Uint8Array(32 + 32 + 1);
  header[8] = header.length; // header length, little-endian
  header[29] = ldid;
  header.set(fieldName.subarray(0, 11), 32);
  header[64] = 0x0d;
  return new Uint8Array([...header, ...records]);
}

const ascii = (text: string) => new TextEncoder().encode(text);
const utf8Persian = new TextEncoder().encode(' سرآسیاب');
const cp1256Persian = Uint8Array.of(0x20, 0xd3, 0xd1, 0xc2, 0xd3, 0xed, 0xc7, 0xc8); // " سرآسياب"

describe('shapefileEncoding', () => {
  it('leaves a .cpg GDAL understands to GDAL, and reads "ANSI 1256" itself', () => {
    expect(shapefileEncoding('1256', dbf(0, ascii('NAME'), cp1256Persian))).toBeUndefined();
    expect(shapefileEncoding('UTF-8', dbf(0, ascii('NAME'), utf8Persian))).toBeUndefined();
    expect(shapefileEncoding('ANSI 1256\r\n', dbf(0, ascii('NAME'), cp1256Persian))).toBe('CP1256');
  });

  it('does not believe a .cpg that says UTF-8 over bytes that are not', () => {
    expect(shapefileEncoding('UTF-8', dbf(0, ascii('NAME'), cp1256Persian))).toBe('CP1256');
  });

  it('maps LDID 0x7E (Arabic Windows), which GDAL does not', () => {
    expect(shapefileEncoding(undefined, dbf(0x7e, ascii('NAME'), ascii(' x')))).toBe('CP1256');
  });

  it('looks at the bytes when the LDID is 0 or 87 ("ANSI")', () => {
    for (const ldid of [0, 0x57]) {
      expect(shapefileEncoding(undefined, dbf(ldid, ascii('NAME'), ascii(' Kerman')))).toBeUndefined();
      expect(shapefileEncoding(undefined, dbf(ldid, ascii('NAME'), utf8Persian))).toBe('UTF-8');
      expect(shapefileEncoding(undefined, dbf(ldid, ascii('NAME'), cp1256Persian))).toBe('CP1256');
      // A Persian field name is enough to tell, even over ASCII records.
      expect(shapefileEncoding(undefined, dbf(ldid, Uint8Array.of(0xe4, 0xc7, 0xe3), ascii(' 1')))).toBe('CP1256');
    }
  });

  it('trusts other LDIDs to GDAL', () => {
    expect(shapefileEncoding(undefined, dbf(0x03, ascii('NAME'), cp1256Persian))).toBeUndefined();
  });
});

describe('csvToUtf8', () => {
  it('passes UTF-8 through and decodes anything else as Windows-1256', () => {
    const utf8 = new TextEncoder().encode('name\nسرآسیاب\n');
    expect(csvToUtf8(utf8)).toEqual({ bytes: utf8, encoding: 'UTF-8' });
    const fromWindows = csvToUtf8(Uint8Array.of(...ascii('name\n'), ...cp1256Persian.subarray(1)));
    expect(new TextDecoder().decode(fromWindows.bytes)).toBe('name\nسرآسياب');
    expect(isWindows1256(fromWindows.encoding)).toBe(true);
  });

  it('uses the encoding the caller names', () => {
    const latin1 = Uint8Array.of(0x63, 0x61, 0x66, 0xe9); // "café"
    expect(new TextDecoder().decode(csvToUtf8(latin1, 'iso-8859-1').bytes)).toBe('café');
    expect(() => csvToUtf8(latin1, 'klingon')).toThrow(/encoding/);
  });
});

describe('persianLettersFrom1256', () => {
  it('turns Arabic yeh, alef maksura and kaf into the Persian letters, and nothing else', () => {
    expect(persianLettersFrom1256('سرآسياب كرمان موسى')).toBe('سرآسیاب کرمان موسی');
    expect(persianLettersFrom1256('شهرک الله\u200cآباد 123')).toBe('شهرک الله\u200cآباد 123');
  });

  it('knows the names of Windows-1256', () => {
    for (const name of ['CP1256', 'cp1256', 'windows-1256', 'WINDOWS-1256', '1256']) expect(isWindows1256(name)).toBe(true);
    for (const name of ['UTF-8', 'CP1252', undefined]) expect(isWindows1256(name)).toBe(false);
  });
});
