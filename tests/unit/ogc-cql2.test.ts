import { describe, expect, it } from 'vitest';
import { Cql2Error, parseCql2, propertiesOf } from '../../server/ogc/cql2.js';
import { parseCrs, parseOgcBbox, SUPPORTED_CRS } from '../../server/ogc/crs.js';
import { parseDatetime } from '../../server/ogc/filter-sql.js';

describe('CQL2 text parser', () => {
  it('parses comparisons with AND binding tighter than OR, and NOT', () => {
    expect(parseCql2("county_id = 3 AND deprivation >= 4 OR NOT informal = TRUE")).toEqual({
      kind: 'or',
      args: [
        {
          kind: 'and',
          args: [
            { kind: 'compare', op: '=', left: { kind: 'property', name: 'county_id' }, right: { kind: 'number', value: 3 } },
            { kind: 'compare', op: '>=', left: { kind: 'property', name: 'deprivation' }, right: { kind: 'number', value: 4 } },
          ],
        },
        { kind: 'not', arg: { kind: 'compare', op: '=', left: { kind: 'property', name: 'informal' }, right: { kind: 'boolean', value: true } } },
      ],
    });
  });

  it('parses LIKE, IN, BETWEEN and IS NULL, negated or not, with quotes doubled inside text', () => {
    expect(parseCql2("name_fa LIKE 'محله%'")).toEqual({
      kind: 'like', negated: false, caseInsensitive: false, value: { kind: 'property', name: 'name_fa' }, pattern: { kind: 'string', value: 'محله%' },
    });
    expect(parseCql2("title NOT LIKE 'it''s%'")).toMatchObject({ kind: 'like', negated: true, pattern: { value: "it's%" } });
    expect(parseCql2("status IN ('assigned', 'blocked')")).toEqual({
      kind: 'in', negated: false, value: { kind: 'property', name: 'status' },
      list: [{ kind: 'string', value: 'assigned' }, { kind: 'string', value: 'blocked' }],
    });
    expect(parseCql2('population NOT IN (1, 2.5, -3e2)')).toMatchObject({ kind: 'in', negated: true, list: [{ value: 1 }, { value: 2.5 }, { value: -300 }] });
    expect(parseCql2('population BETWEEN 1000 AND 5000 AND margin = false')).toEqual({
      kind: 'and',
      args: [
        { kind: 'between', negated: false, value: { kind: 'property', name: 'population' }, low: { kind: 'number', value: 1000 }, high: { kind: 'number', value: 5000 } },
        { kind: 'compare', op: '=', left: { kind: 'property', name: 'margin' }, right: { kind: 'boolean', value: false } },
      ],
    });
    expect(parseCql2('agency_id IS NOT NULL')).toEqual({ kind: 'isNull', negated: true, value: { kind: 'property', name: 'agency_id' } });
    expect(parseCql2('"name_en" is null')).toEqual({ kind: 'isNull', negated: false, value: { kind: 'property', name: 'name_en' } });
  });

  it('parses dates and timestamps', () => {
    expect(parseCql2("due_date < DATE('2025-03-21')")).toMatchObject({ right: { kind: 'date', value: '2025-03-21' } });
    expect(parseCql2("created_at >= TIMESTAMP('2025-03-21T08:00:00Z')")).toMatchObject({ right: { kind: 'timestamp', value: '2025-03-21T08:00:00Z' } });
    expect(() => parseCql2("due_date < DATE('2025-13-45')")).toThrow(/not a valid date/);
  });

  it('parses S_INTERSECTS with a BBOX and with WKT, and the other spatial functions', () => {
    expect(parseCql2('S_INTERSECTS(geometry, BBOX(56.9, 30.2, 57.2, 30.4))')).toEqual({
      kind: 'spatial', op: 's_intersects', left: { kind: 'property', name: 'geometry' }, right: { kind: 'bbox', box: [56.9, 30.2, 57.2, 30.4] },
    });
    expect(parseCql2('s_within(geometry, POLYGON((57 30, 57.2 30, 57.2 30.3, 57 30.3, 57 30)))')).toEqual({
      kind: 'spatial', op: 's_within', left: { kind: 'property', name: 'geometry' },
      right: { kind: 'geometry', geometry: { type: 'Polygon', coordinates: [[[57, 30], [57.2, 30], [57.2, 30.3], [57, 30.3], [57, 30]]] } },
    });
    expect(parseCql2('S_INTERSECTS(geometry, POINT(57.07 30.28))')).toMatchObject({ right: { geometry: { type: 'Point', coordinates: [57.07, 30.28] } } });
    expect(parseCql2('S_INTERSECTS(geometry, MULTIPOINT((1 2), (3 4)))')).toMatchObject({ right: { geometry: { coordinates: [[1, 2], [3, 4]] } } });
    expect(parseCql2('S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))))')).toMatchObject({ right: { geometry: { type: 'MultiPolygon' } } });
  });

  it('lists the properties a filter names', () => {
    expect(propertiesOf(parseCql2("a = 1 AND (b LIKE 'x' OR c IS NULL) AND S_INTERSECTS(geometry, BBOX(0,0,1,1))"))).toEqual(['a', 'b', 'c', 'geometry']);
  });

  it.each([
    ['', /empty/],
    ['county_id =', /expected a property name or a value but found the end/],
    ['county_id = 3 AND', /found the end/],
    ["name = 'open", /no closing quote/],
    ['county_id == 3', /expected a property name or a value but found "=" at character 12/],
    ['county_id 3', /expected a comparison/],
    ['(county_id = 3', /expected "\)"/],
    ['county_id = 3 extra', /expected AND, OR or the end/],
    ['S_INTERSECTS(geometry, BBOX(1, 2, 3))', /four numbers/],
    ['S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))', /at least four positions/],
    ['S_INTERSECTS(geometry, CIRCLE(1 2))', /expected a geometry/],
    ['county_id = 3; drop table users', /unexpected ";"/],
    ['name NOT = 3', /LIKE, ILIKE, BETWEEN or IN after NOT/],
  ])('refuses %j with a message saying where', (text, message) => {
    expect(() => parseCql2(text)).toThrow(Cql2Error);
    expect(() => parseCql2(text)).toThrow(message);
  });
});

describe('CRS and bbox parameters', () => {
  it('knows the OGC URIs and the short forms of the supported CRSs', () => {
    expect(parseCrs('http://www.opengis.net/def/crs/OGC/1.3/CRS84')?.srid).toBe(4326);
    expect(parseCrs('http://www.opengis.net/def/crs/EPSG/0/4326')).toMatchObject({ srid: 4326, latFirst: true });
    expect(parseCrs('EPSG:32640')).toMatchObject({ srid: 32640, latFirst: false, geographic: false });
    expect(parseCrs('[EPSG:3857]')?.srid).toBe(3857);
    expect(parseCrs('OGC:CRS84')).toMatchObject({ srid: 4326, latFirst: false });
    expect(parseCrs('EPSG:2000')).toBeUndefined();
    expect(parseCrs('http://www.opengis.net/def/crs/EPSG/0/27700')).toBeUndefined();
    expect(SUPPORTED_CRS.map((c) => c.srid)).toEqual([4326, 4326, 3857, 32639, 32640, 32641]);
  });

  it('reads a bbox in its CRS axis order and splits one across the antimeridian', () => {
    const crs84 = parseCrs('CRS84')!;
    expect(parseOgcBbox('56.9,30.2,57.2,30.4', crs84)).toEqual({ boxes: [[56.9, 30.2, 57.2, 30.4]] });
    expect(parseOgcBbox('30.2,56.9,30.4,57.2', parseCrs('EPSG:4326')!)).toEqual({ boxes: [[56.9, 30.2, 57.2, 30.4]] });
    expect(parseOgcBbox('56.9,30.2,0,57.2,30.4,100', crs84)).toEqual({ boxes: [[56.9, 30.2, 57.2, 30.4]] });
    expect(parseOgcBbox('170,-10,-170,10', crs84)).toEqual({ boxes: [[170, -10, 180, 10], [-180, -10, -170, 10]] });
    expect(parseOgcBbox('500000,3300000,400000,3400000', parseCrs('EPSG:32640')!)).toEqual({ problem: expect.stringMatching(/western edge/) });
    expect(parseOgcBbox('1,2,3', crs84)).toEqual({ problem: expect.stringMatching(/four numbers/) });
    expect(parseOgcBbox('1,40,3,30', crs84)).toEqual({ problem: expect.stringMatching(/southern edge/) });
    expect(parseOgcBbox('1,2,3,95', crs84)).toEqual({ problem: expect.stringMatching(/-90\.\.90/) });
  });

  it('reads datetime instants and intervals, open at either end', () => {
    expect(parseDatetime('2025-03-21')).toEqual({ start: '2025-03-21', end: '2025-03-21' });
    expect(parseDatetime('2025-03-21T00:00:00Z/..')).toEqual({ start: '2025-03-21T00:00:00Z', end: undefined });
    expect(parseDatetime('/2025-03-21')).toEqual({ start: undefined, end: '2025-03-21' });
    expect(parseDatetime('2025-03-21/2024-01-01')).toEqual({ problem: expect.stringMatching(/comes after/) });
    expect(parseDatetime('yesterday')).toEqual({ problem: expect.stringMatching(/RFC 3339/) });
    expect(parseDatetime('../..')).toEqual({ problem: expect.stringMatching(/match everything/) });
  });
});
