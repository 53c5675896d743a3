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

/** Persian and Arabic-Indic digits as Latin ones, for reading numbers and codes people typed. */
export function toLatinDigits(text: string): string {
  return text.replace(/[۰-۹٠-٩]/g, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90));
}

/*
 * The search key: one form for every way a person types a name, so that سر آسیاب,
 * سرآسیاب and سر‌آسیاب, الله آباد and اله اباد, Khajeh Khezr and khaje khezr meet.
 * It is computed the same way here (client and server) and in SQL (the function
 * mn_search_key, created from these very constants by migration 0016 and checked
 * against searchKey by tests/api/search.test.ts):
 *
 *   1. Unicode NFD, then drop combining marks: آ becomes ا, ؤ و, ئ ی, ā a, and the
 *      short vowels, tatweel, ZWNJ and directional marks go.
 *   2. Arabic letters and Persian/Arabic digits to their Persian/Latin forms; lower case.
 *   3. Drop spaces and punctuation: space, half-space and none are the same.
 *   4. Runs of one letter to one (الله → اله, Bazaar → bazar, Seyyedi → seyedi); digits stay
 *      as they are (KRM-C-001 is not KRM-C-01).
 *   5. Latin spelling habits: gh and q are one letter, and an h after a vowel that no
 *      vowel follows is silent (Khajeh → khaje, Mahdi → madi).
 */
function charRange(from: number, to: number): string {
  let out = '';
  for (let c = from; c <= to; c++) out += String.fromCharCode(c);
  return out;
}

/** Characters the key drops: combining marks, tatweel, joiners and directional marks. */
export const SEARCH_KEY_MARKS =
  charRange(0x0300, 0x036f) + charRange(0x064b, 0x065f) + '\u0670\u0640' + charRange(0x200b, 0x200f);

/** Characters that separate words: the key drops them, the words form makes each a space. */
export const SEARCH_KEY_SEPARATORS = ' \t\n\r\u00a0!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~«»،؛؟٪٫٬۔‐‑‒–—―‘’‚‛“”„…ʼʻ·';

/** One-to-one letter mappings of the key: Arabic forms to Persian, digits to Latin. */
export const SEARCH_KEY_FROM = SQL_TRANSLATE_FROM + DIGITS + ARABIC_DIGITS;
export const SEARCH_KEY_TO = SQL_TRANSLATE_TO + '01234567890123456789';

/** The rewrites after mapping, as [pattern, replacement with \1 references]; valid both as JavaScript and PostgreSQL regular expressions. */
export const SEARCH_KEY_REWRITES: ReadonlyArray<readonly [string, string]> = [
  ['([^0-9])\\1+', '\\1'],
  ['gh', 'q'],
  ['([aeiou])h([^aeiou]|$)', '\\1\\2'],
];

const marks = new Set(SEARCH_KEY_MARKS);
const separators = new Set(SEARCH_KEY_SEPARATORS);
const keyMap = new Map([...SEARCH_KEY_FROM].map((ch, i) => [ch, SEARCH_KEY_TO[i]!] as const));
const rewrites = SEARCH_KEY_REWRITES.map(([pattern, replacement]) =>
  [new RegExp(pattern, 'g'), replacement.replace(/\\(\d)/g, '$$$1')] as const,
);

function fold(text: string, separator: '' | ' '): string {
  let out = '';
  for (const ch of text.normalize('NFD')) {
    if (marks.has(ch)) continue;
    out += separators.has(ch) ? separator : keyMap.get(ch) ?? ch;
  }
  out = out.toLowerCase();
  if (separator) out = out.replace(/ +/g, ' ').trim();
  for (const [pattern, replacement] of rewrites) out = out.replace(pattern, replacement);
  return out;
}

/** The search key of a name or a query (see above), with no spaces; '' when nothing searchable is left. */
export function searchKey(text: string): string {
  return fold(text, '');
}

/**
 * The same with the words kept apart by single spaces: what the fuzzy match compares, because
 * trigrams count word starts and ends (خواجه خظر is then close to محله خواجه خضر).
 */
export function searchWords(text: string): string {
  return fold(text, ' ');
}
