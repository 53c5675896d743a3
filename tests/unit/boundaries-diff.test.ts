import { describe, expect, it } from 'vitest';
import { classifyDiff, type CurrentBoundary, type DiffInput } from '../../server/boundaries/diff.js';
import { mapAttributes, parseBoolean, parseMapping, parseWholeNumber } from '../../server/boundaries/feature-attributes.js';
import { countyMatcher, editDistance } from '../../server/boundaries/county-match.js';
import { nonFiniteCoordinate } from '../../server/boundaries/hex-ewkb.js';
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
  const resolve = countyMatcher([
    { id: 11, code: 'relation/6555167', name_fa: 'کرمان', name_en: 'Kerman' },
    { id: 4, code: 'relation/6554894', name_fa: 'انار', name_en: 'Anar' },
    { id: 3, code: 'relation/6554875', name_fa: 'ارزوئیه', name_en: 'Arzuiyeh' },
    { id: 20, code: 'relation/6555049', name_fa: 'رودبار جنوب', name_en: 'Rudbar-e Jonubi' },
    { id: 15, code: 'relation/6555155', name_fa: 'قلعه گنج', name_en: 'Qaleh Ganj' },
    { id: 21, code: 'relation/6555105', name_fa: 'شهربابک', name_en: 'Shahr-e-Babak' },
    { id: 7, code: 'relation/6555141', name_fa: 'فهرج', name_en: 'Fahraj' },
    { id: 19, code: 'relation/6555052', name_fa: 'ریگان', name_en: 'Rigan' },
  ]);
  const id = (text: string) => resolve(text)?.id;
  const by = (text: string) => resolve(text)?.by;

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
    expect(resolve('كرمان')).toEqual({ id: 11, by: 'name' }); // Arabic kaf
    expect(resolve('شهرستان کرمان')).toEqual({ id: 11, by: 'name' });
    expect(resolve('ANAR')).toEqual({ id: 4, by: 'name' });
    expect(resolve('relation/6554894')).toEqual({ id: 4, by: 'name' });
    expect(resolve('Atlantis')).toBeUndefined();
  });

  it('matches near spellings of a county, and says they were matched by spelling', () => {
    expect(resolve('ارزوییه')).toEqual({ id: 3, by: 'spelling' }); // ی for ئ
    expect(resolve('رودبار')).toEqual({ id: 20, by: 'spelling' }); // without جنوب
    expect(resolve('شهرستان رودبار')).toEqual({ id: 20, by: 'spelling' });
    expect(resolve('قلعه‌گنج')).toMatchObject({ id: 15 }); // ZWNJ for the space
    expect(resolve('قلعگنج')).toEqual({ id: 15, by: 'spelling' }); // a letter and the space missing
    expect(resolve('شهر بابک')).toMatchObject({ id: 21 });
    expect(resolve('Shahr e Babak')).toEqual({ id: 21, by: 'spelling' });
    expect(resolve('Arzuiye')).toEqual({ id: 3, by: 'spelling' });
    expect(resolve('Rudbar')).toEqual({ id: 20, by: 'spelling' });
    // Too short, or too far, or as close to two counties: not guessed.
    expect(id('فهر')).toBeUndefined();
    expect(id('تهران')).toBeUndefined();
    expect(id('Rigan Fahraj')).toBeUndefined();
    expect(by('کرمان')).toBe('name');
    expect(editDistance('ارزوییه', 'ارزوئیه', 1)).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('finds NaN and infinite coordinates in EWKB, at any depth', () => {
    const polygon = (x: number) => {
      const b = Buffer.alloc(1 + 4 + 4 + 4 + 4 * 16);
      let o = 0;
      o = b.writeUInt8(1, o); o = b.writeUInt32LE(3, o); o = b.writeUInt32LE(1, o); o = b.writeUInt32LE(4, o);
      for (const [px, py] of [[57, 30], [x, 30], [57.1, 30.1], [57, 30]]) { o = b.writeDoubleLE(px!, o); o = b.writeDoubleLE(py!, o); }
      return b;
    };
    const multi = (...parts: Buffer[]) => {
      const head = Buffer.alloc(13);
      head.writeUInt8(1, 0); head.writeUInt32LE(6 | 0x20000000, 1); head.writeUInt32LE(4326, 5); head.writeUInt32LE(parts.length, 9);
      return Buffer.concat([head, ...parts]);
    };
    expect(nonFiniteCoordinate(polygon(57.1))).toBeUndefined();
    expect(nonFiniteCoordinate(polygon(Number.NaN))).toBeNaN();
    expect(nonFiniteCoordinate(multi(polygon(57.1), polygon(Number.POSITIVE_INFINITY)))).toBe(Number.POSITIVE_INFINITY);
    expect(nonFiniteCoordinate(multi(polygon(57.1), polygon(57.2)))).toBeUndefined();
    expect(nonFiniteCoordinate(Buffer.from('0103', 'hex'))).toBeUndefined(); // malformed: left to PostGIS
  });

  it('maps a feature and says why one cannot be used', () => {
    const mapping = { code: 'kod', name_fa: 'nam', population: 'pop', county: 'shahr', informal: 'gheyr' };
    const ok = mapAttributes({ kod: 7, nam: 'محله يك', pop: '۳۰۰', shahr: 'Kerman', gheyr: 'بله' }, mapping, resolve);
    expect(ok.rejection).toBeUndefined();
    expect(ok.values).toMatchObject({ code: '7', name_fa: 'محله یک', population: 300, county_id: 11, informal: true, households: null });
    expect(mapAttributes({ kod: '', nam: 'x' }, mapping, resolve).rejection?.reason).toBe('missing_code');
    expect(mapAttributes({ kod: 'a', nam: '  ' }, mapping, resolve).rejection?.reason).toBe('missing_name');
    expect(mapAttributes({ kod: 'a', nam: 'x', pop: -3 }, mapping, resolve).rejection).toMatchObject({
      reason: 'bad_value', values: { target: 'population', field: 'pop', value: '-3', min: 0 },
    });
    expect(mapAttributes({ kod: 'a', nam: 'x', shahr: 'رودبار' }, mapping, resolve)).toMatchObject({
      values: { county_id: 20 }, countyBySpelling: true,
    });
    expect(mapAttributes({ kod: 'a', nam: 'x', shahr: 'Atlantis' }, mapping, resolve).rejection?.reason).toBe('unknown_county');
    expect(mapAttributes({ kod: 'a', nam: 'x' }, {}, resolve).rejection).toEqual({
      reason: 'missing_code', values: { target: 'code', field: null }, message: 'no field is mapped to code',
    });
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
    // The default is the province outline (geodata/kerman-province.geojson), about 183,150 km².
    const province = parseServiceArea(undefined);
    expect(province).toMatchObject({ kind: 'geometry', label: 'counties' });
    const outline = JSON.parse((province as { geojson: string }).geojson) as { type: string; coordinates: number[][][][] };
    expect(outline.type).toBe('MultiPolygon');
    expect(outline.coordinates[0]![0]!.length).toBeGreaterThan(1000);
    expect(parseServiceArea('none').kind).toBe('none');
    const iran = parseServiceArea('iran');
    expect(iran.kind === 'geometry' && JSON.parse(iran.geojson).type).toBe('Polygon');
    expect(parseServiceArea('bbox:56,28,58,31').label).toBe('bbox:56,28,58,31');
    expect(() => parseServiceArea('bbox:58,28,56,31')).toThrow();
    expect(() => parseServiceArea('mars')).toThrow(/not one of/);
  });
});
