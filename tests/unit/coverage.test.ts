import { describe, expect, it } from 'vitest';
// MapLibre's own expression engine (a dependency of maplibre-gl), so the date filter is
// checked the way the map evaluates it.
import { featureFilter } from '@maplibre/maplibre-gl-style-spec';
import { summariseCoverage } from '../../server/coverage/summary.js';
import { hexSizeForZoom } from '../../server/coverage/hex-size.js';
import { HEX_SIZE_MAX, HEX_SIZE_MIN, isoDateInZone } from '../../shared/coverage.js';
import { classBreaks, coveredExpression } from '../../client/map/coverage-layers.js';
import { metresPerPixel, scaleBar } from '../../client/map/coverage-brief.js';
import { addDays, daysBetween, formatDay, isIsoDate } from '../../client/panels/commander-dates.js';
import { formatCommanderState, parseCommanderState } from '../../client/panels/commander-url.js';
import { sortCounties } from '../../client/panels/commander-counties.js';

describe('summariseCoverage', () => {
  const counties = [
    { id: 1, name_fa: 'الف', name_en: 'A' },
    { id: 2, name_fa: 'ب', name_en: 'B' },
    { id: 3, name_fa: 'پ', name_en: null },
  ];
  const rows = [
    { id: 10, county_id: 1, population: 1000, deprivation: 5, covered: true },
    { id: 11, county_id: 1, population: 2000, deprivation: 4, covered: false },
    { id: 12, county_id: 1, population: 500, deprivation: 3, covered: false },
    { id: 20, county_id: 2, population: 700, deprivation: 5, covered: false },
    { id: 21, county_id: 2, population: 300, deprivation: 1, covered: true },
  ];

  it('counts covered neighbourhoods, reached counties and the deprived people left out', () => {
    const { summary, counties: perCounty } = summariseCoverage(rows, counties, 7);
    expect(summary).toEqual({
      neighbourhoods_covered: 2,
      counties_reached: 2,
      population_covered: 1300,
      // Deprivation 4 and 5 only: 2000 + 700; the deprivation-3 neighbourhood is no gap.
      deprived_population_uncovered: 2700,
      deprived_neighbourhoods_uncovered: 2,
      neighbourhoods_total: 5,
      population_total: 4500,
      councils_active: 7,
    });
    expect(perCounty.map((c) => [c.id, c.neighbourhoods_covered, c.deprived_population_uncovered])).toEqual([[1, 1, 2000], [2, 1, 700], [3, 0, 0]]);
  });

  it('refuses a neighbourhood of an unknown county instead of dropping it', () => {
    expect(() => summariseCoverage([{ ...rows[0]!, county_id: 99 }], counties, 0)).toThrow(/unknown county 99/);
  });
});

describe('hexSizeForZoom', () => {
  it('halves roughly with each zoom step, in round sizes within the accepted range', () => {
    const sizes = [4, 6, 7, 8, 10, 12, 14].map(hexSizeForZoom);
    expect(sizes).toEqual([100_000, 25_000, 10_000, 5_000, 2_000, 500, 250]);
    for (let z = 0; z <= 22; z += 0.5) {
      const size = hexSizeForZoom(z);
      expect(size).toBeGreaterThanOrEqual(HEX_SIZE_MIN);
      expect(size).toBeLessThanOrEqual(HEX_SIZE_MAX);
      expect(size).toBeGreaterThanOrEqual(hexSizeForZoom(z + 0.5));
    }
  });
});

describe('coveredExpression', () => {
  const covered = (properties: Record<string, string | number>, at: string) =>
    featureFilter(coveredExpression('karamat', at), 'filter').filter({ zoom: 10 }, { type: 3, properties } as never);

  it('covers from the first day to the last, both inclusive; an absent end is ongoing', () => {
    const closed = { karamat_from_0: '2024-01-10', karamat_to_0: '2024-03-01' };
    expect(covered(closed, '2024-01-09')).toBe(false);
    expect(covered(closed, '2024-01-10')).toBe(true);
    expect(covered(closed, '2024-03-01')).toBe(true);
    expect(covered(closed, '2024-03-02')).toBe(false);
    const open = { karamat_from_0: '2024-01-10' };
    expect(covered(open, '2030-01-01')).toBe(true);
  });

  it('looks at every period the tile carries, and at nothing of other programmes', () => {
    const twice = { karamat_from_0: '2025-01-01', karamat_from_1: '2023-01-01', karamat_to_1: '2023-06-30' };
    expect(covered(twice, '2023-03-01')).toBe(true);
    expect(covered(twice, '2024-03-01')).toBe(false);
    expect(covered(twice, '2025-03-01')).toBe(true);
    expect(covered({ progress_councils_from_0: '2020-01-01', deprivation: 5 }, '2024-01-01')).toBe(false);
  });
});

describe('dates', () => {
  it('counts and adds calendar days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2023-04-22', '2026-11-26')).toBe(1314);
    expect(addDays('2023-04-22', daysBetween('2023-04-22', '2026-11-26'))).toBe('2026-11-26');
  });

  it('accepts real dates only', () => {
    expect(isIsoDate('2026-11-26')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-11-2026')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });

  it('writes days in the Solar Hijri calendar in Persian and Gregorian in English', () => {
    expect(formatDay('2026-11-26', 'fa')).toBe('۵ آذر ۱۴۰۵');
    expect(formatDay('2026-03-21', 'fa')).toBe('۱ فروردین ۱۴۰۵');
    expect(formatDay('2026-11-26', 'en')).toBe('26 November 2026');
  });

  it('knows today on Iran time: 21:00 UTC is already the next day in Tehran', () => {
    expect(isoDateInZone(new Date('2026-11-26T21:00:00Z'))).toBe('2026-11-27');
    expect(isoDateInZone(new Date('2026-11-26T20:00:00Z'))).toBe('2026-11-26');
  });
});

describe('commander URL state', () => {
  it('round-trips through the query string and drops what is invalid', () => {
    const state = { open: true, programme: 'karamat', at: '2025-03-01', mode: 'hex' as const, metric: 'interventions' as const };
    expect(parseCommanderState(formatCommanderState(state, false))).toEqual(state);
    expect(parseCommanderState('?view=commander&at=2025-02-30&mode=pie&metric=joy&programme=DROP')).toEqual({ open: true });
  });

  it('writes nothing for a user in the view their role opens to', () => {
    expect(formatCommanderState({ open: false, programme: 'karamat' }, false)).toBe('');
    expect(formatCommanderState({ open: true, programme: 'karamat' }, true)).toBe('?programme=karamat');
    expect(formatCommanderState({ open: false }, true)).toBe('?view=map');
  });

  it('keeps the query parameters of the method overlay and replaces only its own', () => {
    const search = '?layer=problems&cat=social&programme=old&at=2024-01-01';
    expect(formatCommanderState({ open: true, programme: 'karamat' }, true, search)).toBe('?layer=problems&cat=social&programme=karamat');
  });
});

describe('legend and scale', () => {
  it('splits 0 … max into five classes with round limits', () => {
    expect(classBreaks(13_900)).toEqual([5_000, 10_000, 15_000, 20_000]);
    expect(classBreaks(48)).toEqual([10, 20, 30, 40]);
    expect(classBreaks(0)).toEqual([1, 2, 3, 4]);
  });

  it('picks a round scale-bar length that fits', () => {
    // Zoom 8 at Kerman's latitude: about 264 m per pixel; 140 px hold 37 km → a 20 km bar.
    const mpp = metresPerPixel(8, 30.28);
    expect(mpp).toBeCloseTo(264.3, 0);
    const bar = scaleBar(mpp, 140);
    expect(bar.metres).toBe(20_000);
    expect(bar.pixels).toBeCloseTo(20_000 / mpp, 6);
    expect(scaleBar(1, 140).metres).toBe(100);
  });
});

describe('sortCounties', () => {
  const row = (id: number, name_fa: string, covered: number) => ({
    id, name_fa, name_en: null, neighbourhoods_total: 5, neighbourhoods_covered: covered, population_total: 0,
    population_covered: 0, deprived_neighbourhoods_uncovered: 0, deprived_population_uncovered: 0,
  });
  it('sorts by a figure with names breaking ties, either way', () => {
    const rows = [row(1, 'کرمان', 3), row(2, 'بم', 3), row(3, 'انار', 1)];
    expect(sortCounties(rows, 'covered', false, 'fa').map((r) => r.id)).toEqual([3, 2, 1]);
    expect(sortCounties(rows, 'covered', true, 'fa').map((r) => r.id)).toEqual([1, 2, 3]);
    expect(sortCounties(rows, 'county', false, 'fa').map((r) => r.name_fa)).toEqual(['انار', 'بم', 'کرمان']);
  });
});

