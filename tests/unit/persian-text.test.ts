import { describe, expect, it } from 'vitest';
import { normaliseForSearch, toPersianDigits } from '../../shared/persian-text.js';
import { parseBbox } from '../../shared/bbox.js';

describe('normaliseForSearch', () => {
  it('maps Arabic yeh and kaf to the Persian letters', () => {
    expect(normaliseForSearch('كرمان')).toBe(normaliseForSearch('کرمان'));
    expect(normaliseForSearch('سرآسياب')).toBe('سرآسیاب');
  });
  it('ignores the zero-width non-joiner', () => {
    expect(normaliseForSearch('الله\u200cآباد')).toBe(normaliseForSearch('اللهآباد'));
  });
  it('reads Persian and Arabic-Indic digits as Latin digits', () => {
    expect(normaliseForSearch('محله ۱۲')).toBe('محله 12');
    expect(normaliseForSearch('محله ١٢')).toBe('محله 12');
  });
  it('lower-cases Latin and folds whitespace', () => {
    expect(normaliseForSearch('  Sar   Asiab ')).toBe('sar asiab');
  });
  it('keeps different names different', () => {
    expect(normaliseForSearch('کرمان')).not.toBe(normaliseForSearch('رفسنجان'));
  });
});

describe('toPersianDigits', () => {
  it('writes Latin digits in Persian', () => {
    expect(toPersianDigits(2026)).toBe('۲۰۲۶');
    expect(toPersianDigits('district 4')).toBe('district ۴');
  });
});

describe('parseBbox', () => {
  it('accepts a well-formed box', () => {
    expect(parseBbox('56.9,30.2,57.2,30.4')).toEqual({ bbox: [56.9, 30.2, 57.2, 30.4] });
  });
  it.each(['', '1,2,3', '1,2,3,4,5', 'a,2,3,4', '3,2,1,4', '1,4,3,2', '-181,0,0,1', '0,-91,1,0'])(
    'explains what is wrong with %j',
    (text) => {
      const result = parseBbox(text);
      expect('problem' in result && result.problem).toMatch(/^bbox/);
    },
  );
});
