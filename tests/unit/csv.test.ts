import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../server/exports/csv.js';

describe('CSV export', () => {
  it('starts with a UTF-8 byte-order mark and ends lines with CRLF', () => {
    const text = toCsv([{ header: 'name', value: (r: { n: string }) => r.n }], [{ n: 'سرآسیاب' }, { n: 'الله‌آباد' }]);
    expect(text).toBe('\uFEFFname\r\nسرآسیاب\r\nالله‌آباد\r\n');
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain، فارسی')).toBe('plain، فارسی');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('+98 34')).toBe("'+98 34");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('writes numbers and booleans as they are, and nothing for null', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(1_450_000_000_000)).toBe('1450000000000');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});
