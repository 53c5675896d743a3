import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDateInput,
  isJalaliLeapYear,
  isoToJalali,
  isoWeekday,
  jalaliMonthLength,
  jalaliToIso,
  parseGregorianInput,
  parseJalaliInput,
} from '../../shared/jalali.js';

describe('Jalali ↔ ISO', () => {
  it('knows the new years and days people remember', () => {
    // Nowruz 1403 fell on 20 March 2024, Nowruz 1404 on 21 March 2025; 1403 was leap (30 Esfand).
    expect(jalaliToIso({ year: 1403, month: 1, day: 1 })).toBe('2024-03-20');
    expect(jalaliToIso({ year: 1404, month: 1, day: 1 })).toBe('2025-03-21');
    expect(jalaliToIso({ year: 1403, month: 12, day: 30 })).toBe('2025-03-20');
    expect(jalaliToIso({ year: 1405, month: 9, day: 15 })).toBe('2026-12-06');
    expect(jalaliToIso({ year: 1405, month: 7, day: 1 })).toBe('2026-09-23');
    expect(isoToJalali('2027-01-15')).toEqual({ year: 1405, month: 10, day: 25 });
    expect(isoToJalali('1979-02-11')).toEqual({ year: 1357, month: 11, day: 22 });
  });

  it('agrees with ICU’s Persian calendar (what the app displays) on every day from 1300 to 1500', () => {
    const icu = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
    const mismatches: string[] = [];
    let iso = jalaliToIso({ year: 1300, month: 1, day: 1 });
    const last = jalaliToIso({ year: 1500, month: 12, day: jalaliMonthLength(1500, 12) });
    let count = 0;
    for (; iso <= last; iso = addDays(iso, 1), count++) {
      const parts = Object.fromEntries(icu.formatToParts(new Date(`${iso}T00:00:00Z`)).map((p) => [p.type, p.value]));
      const expected = { year: parseInt(parts.year!, 10), month: Number(parts.month), day: Number(parts.day) };
      const got = isoToJalali(iso);
      if (got.year !== expected.year || got.month !== expected.month || got.day !== expected.day) mismatches.push(iso);
      else if (jalaliToIso(got) !== iso) mismatches.push(`${iso} round trip`);
    }
    expect(count).toBeGreaterThan(73_000);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('has 29 days in Esfand of a common year and 30 in a leap one', () => {
    expect(isJalaliLeapYear(1403)).toBe(true);
    expect(isJalaliLeapYear(1404)).toBe(false);
    expect(jalaliMonthLength(1404, 12)).toBe(29);
    expect(jalaliMonthLength(1405, 6)).toBe(31);
    expect(jalaliMonthLength(1405, 7)).toBe(30);
    expect(() => jalaliToIso({ year: 1404, month: 12, day: 30 })).toThrow(RangeError);
  });

  it('gives weekdays as Date does (1405/09/15 is a Sunday)', () => {
    expect(isoWeekday('2026-12-06')).toBe(0);
    expect(isoWeekday('2026-12-05')).toBe(6);
  });
});

describe('typed dates', () => {
  it('reads Latin, Persian and Arabic-Indic digits, with any usual separator', () => {
    for (const typed of ['1405/09/15', '۱۴۰۵/۰۹/۱۵', '١٤٠٥/٩/١٥', '1405-9-15', ' 1405.09.15 ', '۱۴۰۵٫۹٫۱۵']) {
      expect(parseJalaliInput(typed)).toEqual({ ok: true, iso: '2026-12-06' });
    }
  });

  it('refuses impossible dates with the reason', () => {
    expect(parseJalaliInput('1405/13/40')).toEqual({ ok: false, reason: 'month' });
    expect(parseJalaliInput('1405/07/31')).toEqual({ ok: false, reason: 'day' });
    expect(parseJalaliInput('1404/12/30')).toEqual({ ok: false, reason: 'day' });
    expect(parseJalaliInput('1405/00/10')).toEqual({ ok: false, reason: 'month' });
    expect(parseJalaliInput('15/09/1405')).toEqual({ ok: false, reason: 'format' });
    expect(parseJalaliInput('فردا')).toEqual({ ok: false, reason: 'format' });
    expect(parseJalaliInput('')).toEqual({ ok: false, reason: 'format' });
  });

  it('reads Gregorian dates in the English interface', () => {
    expect(parseGregorianInput('2026-12-06')).toEqual({ ok: true, iso: '2026-12-06' });
    expect(parseGregorianInput('2026/2/9')).toEqual({ ok: true, iso: '2026-02-09' });
    expect(parseGregorianInput('2026-02-29')).toEqual({ ok: false, reason: 'day' });
    expect(parseGregorianInput('2026-13-01')).toEqual({ ok: false, reason: 'month' });
  });

  it('shows a day as the field would have it typed', () => {
    expect(formatDateInput('2026-12-06', 'jalali')).toBe('1405/09/15');
    expect(formatDateInput('2026-12-06', 'gregorian')).toBe('2026-12-06');
  });
});
