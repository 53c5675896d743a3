/**
 * Persian text as people type it varies in ways that must not matter to search:
 * Arabic ي/ك/ى against Persian ی/ک, the zero-width non-joiner (U+200C) that some
 * keyboards insert and others do not, Arabic-Indic and Persian digits against Latin
 * ones, the short-vowel marks, and case in Latin names.
 */
const LETTER_MAP: Record<string, string> = {
  'ي': 'ی', // U+064A Arabic yeh
  'ى': 'ی', // U+0649 alef maksura
  'ك': 'ک', // U+0643 Arabic kaf
  'ة': 'ه', // U+0629 teh marbuta
  'ۀ': 'ه', // U+06C0 heh with yeh above
  'أ': 'ا',
  'إ': 'ا',
};

/** The SQL `translate()` pair that does the same letter mapping in the database. */
export const SQL_TRANSLATE_FROM = Object.keys(LETTER_MAP).join('');
export const SQL_TRANSLATE_TO = Object.values(LETTER_MAP).join('');

const DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** A normalised form for matching names: equal for every spelling a person would call the same. */
export function normaliseForSearch(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch === '\u200c' || ch === '\u200d' || ch === '\u200e' || ch === '\u200f') continue;
    if (/[\u064B-\u065F\u0670]/.test(ch)) continue; // harakat and superscript alef
    const persianDigit = DIGITS.indexOf(ch);
    if (persianDigit >= 0) { out += String(persianDigit); continue; }
    const arabicDigit = ARABIC_DIGITS.indexOf(ch);
    if (arabicDigit >= 0) { out += String(arabicDigit); continue; }
    out += LETTER_MAP[ch] ?? ch;
  }
  return out.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Latin digits as Persian digits, for display. */
export function toPersianDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (d) => DIGITS[Number(d)]!);
}
