import type { Lang } from './strings';

// Intl does the digit shaping and the calendar: fa-IR gives Persian digits and the
// Persian separators (٬ ٫); the -u-ca-persian extension gives the Solar Hijri calendar.
const LOCALES: Record<Lang, { numbers: string; dates: string }> = {
  fa: { numbers: 'fa-IR', dates: 'fa-IR-u-ca-persian' },
  en: { numbers: 'en-GB', dates: 'en-GB-u-ca-gregory' },
};

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${lang}:${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang].numbers, { maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}

/** A number in the language's digits, with grouping: ۱۲٬۳۴۵ in Persian, 12,345 in English. */
export function formatNumber(value: number, lang: Lang, maximumFractionDigits = 0): string {
  return numberFormat(lang, maximumFractionDigits).format(value);
}

/** A calendar date: Solar Hijri in Persian (۵ آذر ۱۴۰۴), Gregorian in English (26 November 2025). */
export function formatDate(date: Date | string, lang: Lang): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return String(date);
  return new Intl.DateTimeFormat(LOCALES[lang].dates, { dateStyle: 'long' }).format(d);
}

/** The weekday and date, for the header: پنجشنبه ۵ آذر ۱۴۰۵ / Thursday 26 November 2026. */
export function formatToday(now: Date, lang: Lang): string {
  const locale = LOCALES[lang].dates;
  if (lang === 'en') return new Intl.DateTimeFormat(locale, { dateStyle: 'full' }).format(now);
  // ICU's full Persian pattern puts the year first with a Latin comma ("۱۴۰۵ آذر ۵, پنجشنبه");
  // the order people write is weekday, day, month, year.
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(now);
  return `${weekday} ${formatDate(now, lang)}`;
}
