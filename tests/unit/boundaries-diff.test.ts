import { describe, expect, it } from 'vitest';
import { classifyDiff, type CurrentBoundary, type DiffInput } from '../../server/boundaries/diff.js';
import { countyResolver, mapAttributes, parseBoolean, parseMapping, parseWholeNumber } from '../../server/boundaries/feature-attributes.js';
import { parseServiceArea } from '../../server/boundaries/service-area.js';
import { InvalidUploadOptionError } from '../../server/boundaries/errors.js';

const current = (code: string, name_fa: string, attributes: CurrentBoundary['attributes'] = {}): [string, CurrentBoundary] =>
  [code, { code, name_fa, attributes: { name_fa, ...attributes } }];

function input(overrides: Partial<DiffInput>): DiffInput {
  return {
    mode: 'merge',
    incoming: [],
    current: new Map(),
    currentCount: 0,
    fileCodes: new Set(),
    references: new Map(),
    ...overrides,
  };
}

describe('classifyDiff', () => {
  const layer = new Map([
    current('A', 'الف', { population: 100, name_en: 'A' }),
    current('B', 'ب', { population: 200 }),
    current('C', 'ج'),
    current('D', 'د'),
  ]);

  it('sorts features into added, changed and unchanged by code, in merge mode removing nothing', () => {
    const { diff, changes } = classifyDiff(input({
      current: layer,
      currentCount: 4,
      fileCodes: new Set(['A', 'B', 'C', 'N']),
      incoming: [
        { index: 0, code: 'A', name_fa: 'الف', attributes: { name_fa: 'الف', population: 150 }, geometry: { same: true, changePct: null } },
        { index: 1, code: 'B', name_fa: 'ب', attributes: { name_fa: 'ب' }, geometry: { same: false, changePct: 12.345678 } },
        { index: 2, code: 'C', name_fa: 'ج', attributes: { name_fa: 'ج' }, geometry: { same: true, changePct: null } },
        { index: 3, code: 'N', name_fa: 'نو', attributes: { name_fa: 'نو' } },
      ],
    }));
    expect(diff.added).toEqual([{ code: 'N', name_fa: 'نو' }]);
    expect(diff.changed).toEqual([
      { code: 'A', name_fa: 'الف', geometry_change_pct: null, attributes: [{ field: 'population', from: 100, to: 150 }] },
      { code: 'B', name_fa: 'ب', geometry_change_pct: 12.3457, attributes: [] },
    ]);
    expect(diff.unchanged).toEqual(['C']);
    expect(diff.removed).toEqual([]);
    expect(diff.counts).toEqual({ features: 5, added: 1, changed: 2, removed: 0, unchanged: 1, blocked: 0 });
    expect([...changes]).toEqual([[0, 'changed'], [1, 'changed'], [2, 'unchanged'], [3, 'added']]);
  });

  it('compares only the attributes the file gives: a missing population is no change', () => {
    const { diff } = classifyDiff(input({
      current: layer,
      currentCount: 4,
      incoming: [{ index: 0, code: 'B', name_fa: 'ب', attributes: { name_fa: 'ب' }, geometry: { same: true, changePct: null } }],
    }));
    expect(diff.unchanged).toEqual(['B']);
  });

  it('in replace mode removes what the file lacks, except boundaries other records point at', () => {
    const { diff, blockers } = classifyDiff(input({
      mode: 'replace',
      current: layer,
      currentCount: 4,
      // C is in the file but was rejected there: it stays.
      fileCodes: new Set(['A', 'C']),
      incoming: [{ index: 0, code: 'A', name_fa: 'الف', attributes: { name_fa: 'الف' }, geometry: { same: true, changePct: null } }],
      references: new Map<string, Record<string, number>>([['B', { problems: 2, coverage_records: 0 }], ['D', { coverage_records: 0 }]]),
    }));
    expect(diff.removed).toEqual([{ code: 'D', name_fa: 'د' }]);
    expect(diff.blocked).toEqual([{ code: 'B', name_fa: 'ب' }]);
    expect(blockers).toEqual([{ code: 'B', name_fa: 'ب', references: { problems: 2, coverage_records: 0 } }]);
    expect(diff.counts).toMatchObject({ features: 3, removed: 1, blocked: 1, unchanged: 1 });
  });
});

describe('feature attributes', () => {
  const resolve = countyResolver([
    { id: 11, code: 'relation/6555167', name_fa: 'کرمان', name_en: 'Kerman' },
    { id: 4, code: 'relation/6554894', name_fa: 'انار', name_en: 'Anar' },
  ]);

  it('reads counts in Persian and Arabic digits with separators, and refuses fractions and words', () => {
    expect(parseWholeNumber('۱۲٬۵۰۰')).toBe(12500);
    expect(parseWholeNumber('١٢,٥٠٠')).toBe(12500);
    expect(parseWholeNumber(' 42 ')).toBe(42);
    expect(parseWholeNumber(42.0)).toBe(42);
    expect(parseWholeNumber('')).toBeNull();
    expect(parseWholeNumber(null)).toBeNull();
    expect(parseWholeNumber('12.5')).toBeNaN();
    expect(parseWholeNumber('abc')).toBeNaN();
    expect(parseWholeNumber(true)).toBeNaN();
  });

  it('reads yes and no in the ways files write them', () => {
    for (const yes of [true, 1, 'true', 'Y', 'بله', 'دارد']) expect(parseBoolean(yes)).toBe(true);
    for (const no of [false, 0, 'false', 'N', 'خیر', 'ندارد']) expect(parseBoolean(no)).toBe(false);
    expect(parseBoolean('maybe')).toBeUndefined();
  });

  it('finds counties by code or by either name, in any spelling', () => {
    expect(resolve('كرمان')).toBe(11); // Arabic kaf
    expect(resolve('شهرستان کرمان')).toBe(11);
    expect(resolve('ANAR')).toBe(4);
    expect(resolve('relation/6554894')).toBe(4);
    expect(resolve('Atlantis')).toBeUndefined();
  });

  it('maps a feature and says why one cannot be used', () => {
    const mapping = { code: 'kod', name_fa: 'nam', population: 'pop', county: 'shahr', informal: 'gheyr' };
    const ok = mapAttributes({ kod: 7, nam: 'محله يك', pop: '۳۰۰', shahr: 'Kerman', gheyr: 'بله' }, mapping, resolve);
    expect(ok.rejection).toBeUndefined();
    expect(ok.values).toMatchObject({ code: '7', name_fa: 'محله یک', population: 300, county_id: 11, informal: true, households: null });
    expect(mapAttributes({ kod: '', nam: 'x' }, mapping, resolve).rejection?.reason).toBe('missing_code');
    expect(mapAttributes({ kod: 'a', nam: '  ' }, mapping, resolve).rejection?.reason).toBe('missing_name');
    expect(mapAttributes({ kod: 'a', nam: 'x', pop: -3 }, mapping, resolve).rejection?.reason).toBe('bad_value');
    expect(mapAttributes({ kod: 'a', nam: 'x', shahr: 'Atlantis' }, mapping, resolve).rejection?.reason).toBe('unknown_county');
    expect(mapAttributes({ kod: 'a', nam: 'x' }, {}, resolve).rejection?.message).toBe('no field is mapped to code');
  });

  it('checks a mapping against the layer and the file', () => {
    expect(parseMapping('{"code":"a","name_fa":"b","households":null}', 'neighbourhoods', ['a', 'b'])).toEqual({ code: 'a', name_fa: 'b' });
    expect(parseMapping(undefined, 'neighbourhoods', [])).toBeUndefined();
    expect(() => parseMapping('[1]', 'neighbourhoods', [])).toThrow(InvalidUploadOptionError);
    expect(() => parseMapping('{"code":"zz"}', 'neighbourhoods', ['a'])).toThrow(/does not have/);
    expect(() => parseMapping('{"households":"a"}', 'counties', ['a'])).toThrow(/not an attribute of counties/);
  });
});

describe('parseServiceArea', () => {
  it('knows counties (the default), iran, none and boxes', () => {
    expect(parseServiceArea(undefined)).toEqual({ kind: 'counties', label: 'counties' });
    expect(parseServiceArea('none').kind).toBe('none');
    const iran = parseServiceArea('iran');
    expect(iran.kind === 'geometry' && JSON.parse(iran.geojson).type).toBe('Polygon');
    expect(parseServiceArea('bbox:56,28,58,31').label).toBe('bbox:56,28,58,31');
    expect(() => parseServiceArea('bbox:58,28,56,31')).toThrow();
    expect(() => parseServiceArea('mars')).toThrow(/not one of/);
  });
});
