/**
 * The Solar Hijri (Jalali) calendar as pure arithmetic, for date entry: the API speaks ISO
 * (yyyy-mm-dd, Gregorian) and people in Kerman type 1405/09/15.
 *
 * The rule is ICU's (the one `Intl.DateTimeFormat('fa-IR-u-ca-persian')` displays with): the
 * 33-year cycle, a year being leap when (25·y + 11) mod 33 < 8. It matches the astronomical
 * calendar throughout the years anyone will type here (1343–1472 at least), and using ICU's rule
 * means a typed date always reads back as the same day in the app's Persian formatting.
 */

export interface JalaliDate {
  year: number;
  /** 1 (Farvardin) … 12 (Esfand). */
  month: number;
  day: number;
}

/** Julian day number of 1 Farvardin 1 AP (22 March 622 CE, Julian calendar). */
const PERSIAN_EPOCH = 1_948_320;
/** Julian day number of 1970-01-01, so Date.UTC can do the Gregorian half. */
const UNIX_EPOCH_JDN = 2_440_588;
const DAY_MS = 86_400_000;

const floorDiv = (a: number, b: number) => Math.floor(a / b);
const mod = (a: number, b: number) => a - b * Math.floor(a / b);

export const JALALI_MONTHS_FA = [
  'فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور',
  'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند',
] as const;

export function isJalaliLeapYear(year: number): boolean {
  return mod(25 * year + 11, 33) < 8;
}

export function jalaliMonthLength(year: number, month: number): number {
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  return isJalaliLeapYear(year) ? 30 : 29;
}

/** Days from 1 Farvardin 1 to 1 Farvardin of `year`. */
function farvardinFirst(year: number): number {
  return 365 * (year - 1) + floorDiv(8 * year + 21, 33);
}

/** Days before the month in its year: 31 for each of the first six, then 30 each. */
function daysBeforeMonth(month: number): number {
  return month <= 7 ? 31 * (month - 1) : 186 + 30 * (month - 7);
}

function isoToJdn(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return Math.round(date.getTime() / DAY_MS) + UNIX_EPOCH_JDN;
}

function jdnToIso(jdn: number): string {
  const date = new Date((jdn - UNIX_EPOCH_JDN) * DAY_MS);
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function isValidJalali({ year, month, day }: JalaliDate): boolean {
  return Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day)
    && year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= jalaliMonthLength(year, month);
}

/** A valid Jalali date as an ISO (Gregorian) day, e.g. 1405/09/15 → 2026-12-06. */
export function jalaliToIso(date: JalaliDate): string {
  if (!isValidJalali(date)) throw new RangeError(`not a Solar Hijri date: ${date.year}/${date.month}/${date.day}`);
  return jdnToIso(PERSIAN_EPOCH - 1 + farvardinFirst(date.year) + daysBeforeMonth(date.month) + date.day);
}

/** An ISO day (yyyy-mm-dd) in the Solar Hijri calendar. */
export function isoToJalali(iso: string): JalaliDate {
  const sinceEpoch = isoToJdn(iso) - PERSIAN_EPOCH;
  const year = 1 + floorDiv(33 * sinceEpoch + 3, 12_053);
  const dayOfYear = sinceEpoch - farvardinFirst(year);
  const month = dayOfYear < 216 ? floorDiv(dayOfYear, 31) + 1 : floorDiv(dayOfYear - 6, 30) + 1;
  return { year, month, day: dayOfYear - daysBeforeMonth(month) + 1 };
}

/** The weekday of an ISO day, 0 = Sunday … 6 = Saturday (as Date#getUTCDay). */
export function isoWeekday(iso: string): number {
  return mod(isoToJdn(iso) + 1, 7);
}

/** Days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return isoToJdn(b) - isoToJdn(a);
}

export function addDays(iso: string, days: number): string {
  return jdnToIso(isoToJdn(iso) + days);
}

/** The ISO day of a Date in its local time zone: the day the person at the screen calls today. */
export function localIsoDay(now: Date): string {
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${String(now.getFullYear()).padStart(4, '0')}-${m}-${d}`;
}

export function isValidIso(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Why a typed date was refused; the form words it in the interface's language. */
export type DateRefusal = 'format' | 'month' | 'day';

export type ParsedDate = { ok: true; iso: string } | { ok: false; reason: DateRefusal };

const DIGIT_SETS = ['۰۱۲۳۴۵۶۷۸۹', '٠١٢٣٤٥٦٧٨٩'];

/** Persian and Arabic-Indic digits as Latin ones, so 1405/09/15 and ۱۴۰۵/۰۹/۱۵ read alike. */
export function latinDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const digit = DIGIT_SETS.map((set) => set.indexOf(ch)).find((i) => i >= 0);
    out += digit === undefined ? ch : String(digit);
  }
  return out;
}

/**
 * Splits a typed date into year, month and day: four-digit year first, then month and day,
 * separated by / - . or the Arabic date separator (؍) or decimal separator (٫), which Persian
 * keyboards give for the same keys.
 */
function splitTyped(text: string): [number, number, number] | null {
  const match = /^(\d{4})\s*[/\-.\u060d\u066b]\s*(\d{1,2})\s*[/\-.\u060d\u066b]\s*(\d{1,2})$/.exec(latinDigits(text).trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

/** A Solar Hijri date as typed (1405/09/15, ۱۴۰۵/۹/۱۵, 1405-9-15) → ISO, or why not. */
export function parseJalaliInput(text: string): ParsedDate {
  const parts = splitTyped(text);
  if (!parts) return { ok: false, reason: 'format' };
  const [year, month, day] = parts;
  if (month < 1 || month > 12) return { ok: false, reason: 'month' };
  if (day < 1 || day > jalaliMonthLength(year, month)) return { ok: false, reason: 'day' };
  return { ok: true, iso: jalaliToIso({ year, month, day }) };
}

/** A Gregorian date as typed in the English interface (2026-12-06 or 2026/12/6) → ISO, or why not. */
export function parseGregorianInput(text: string): ParsedDate {
  const parts = splitTyped(text);
  if (!parts) return { ok: false, reason: 'format' };
  const [year, month, day] = parts;
  if (month < 1 || month > 12) return { ok: false, reason: 'month' };
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isValidIso(iso) ? { ok: true, iso } : { ok: false, reason: 'day' };
}

/** An ISO day as the text the date field shows: 1405/09/15 (Jalali) or 2026-12-06 (Gregorian). */
export function formatDateInput(iso: string, calendar: 'jalali' | 'gregorian'): string {
  if (calendar === 'gregorian') return iso;
  const { year, month, day } = isoToJalali(iso);
  return `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`;
}
