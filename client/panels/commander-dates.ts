import type { Lang } from '../i18n';

// Calendar days as 'YYYY-MM-DD' text, the form the API speaks. Arithmetic happens at UTC
// noon so that no time zone or daylight-saving change moves a day.

const DAY_MS = 86_400_000;

function noonUtc(iso: string): number {
  return Date.parse(`${iso}T12:00:00Z`);
}

export function isIsoDate(text: string | null | undefined): text is string {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(noonUtc(text)).toISOString().slice(0, 10) === text;
}

export function addDays(iso: string, days: number): string {
  return new Date(noonUtc(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((noonUtc(to) - noonUtc(from)) / DAY_MS);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A day in the language's calendar: ۵ آذر ۱۴۰۵ in Persian (Solar Hijri), 26 November 2026 in English. */
export function formatDay(iso: string, lang: Lang, style: 'long' | 'month' = 'long'): string {
  const key = `${lang}:${style}`;
  let format = formats.get(key);
  if (!format) {
    const locale = lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB-u-ca-gregory';
    format = new Intl.DateTimeFormat(
      locale,
      style === 'long' ? { dateStyle: 'long', timeZone: 'UTC' } : { year: 'numeric', month: 'short', timeZone: 'UTC' },
    );
    formats.set(key, format);
  }
  return format.format(new Date(noonUtc(iso)));
}
