import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Validator } from '@seriousme/openapi-schema-validator';
import { backends } from './backends.js';
import { send, signedInAs, type Answer } from './clients.js';

type Feature = { type: 'Feature'; id: number; geometry: { type: string; coordinates: any }; properties: Record<string, unknown> };
type Page = { type: string; numberMatched: number; numberReturned: number; links: { rel: string; href: string }[]; features: Feature[] };

// OGC API – Features under /ogc, read with an API token as QGIS and GDAL do. What each
// answer should hold is asked of PostGIS directly (app.database.db) on the seeded data.
describe.each(backends)('OGC API – Features on $name', (backend) => {
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    app = await backend.start();
    const planner = await signedInAs(app, 'planner');
    token = (await planner.post('/api/tokens', { name: 'QGIS' })).body.token;
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = <T = any>(url: string): Promise<Answer<T>> => send<T>(app, { method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const ids = async (query: string) => (await sql<{ id: number }>`${sql.raw(query)}`.execute(app.database.db)).rows.map((r) => r.id);
  const pageIds = (page: Page) => page.features.map((f) => f.id);
  const expectError = (res: Answer, status: number, message: RegExp) => {
    expect(res.status, res.text).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/json/);
    expect(res.body.message).toMatch(message);
  };

  it('answers nobody without a session or token, with JSON rather than the app page', async () => {
    for (const url of ['/ogc', '/ogc/collections', '/ogc/collections/neighbourhoods/items', '/ogc/api']) {
      const res = await send(app, { method: 'GET', url });
      expect(res.status, url).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    }
    expectError(await get('/ogc/no-such-thing'), 404, /no such address/);
  });

  it('has a landing page, conformance classes and a valid OpenAPI 3.0 document', async () => {
    const landing = await get('/ogc');
    expect(landing.status).toBe(200);
    const rels = Object.fromEntries(landing.body.links.map((l: { rel: string; href: string }) => [l.rel, l.href]));
    expect(rels).toMatchObject({ self: 'http://localhost:80/ogc', 'service-desc': 'http://localhost:80/ogc/api', conformance: expect.any(String), data: expect.any(String) });
    const conformance = await get('/ogc/conformance');
    expect(conformance.body.conformsTo).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
    ]));
    const api = await send(app, { method: 'GET', url: '/ogc/api', headers: { authorization: `Bearer ${token}` } });
    expect(api.headers['content-type']).toBe('application/vnd.oai.openapi+json;version=3.0');
    const document = JSON.parse(api.text);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/{collectionId}/items', '/collections/neighbourhoods/items']));
  });

  it('lists the seven collections with extents that hold their features', async () => {
    const res = await get('/ogc/collections');
    expect(res.status).toBe(200);
    const collections = res.body.collections as { id: string; extent: { spatial: { bbox: number[][] }; temporal?: { interval: (string | null)[][] } }; crs: string[] }[];
    expect(collections.map((c) => c.id)).toEqual(['neighbourhoods', 'counties', 'problems', 'intervention-areas', 'intervention-points', 'networks', 'coverage']);
    const neighbourhoods = collections[0]!;
    const [box] = (await sql<{ minx: number; miny: number; maxx: number; maxy: number }>`
      select ST_XMin(e) as minx, ST_YMin(e) as miny, ST_XMax(e) as maxx, ST_YMax(e) as maxy from (select ST_Extent(geom)::geometry e from neighbourhoods) x`.execute(app.database.db)).rows;
    const [w, s, e, n] = neighbourhoods.extent.spatial.bbox[0]!;
    expect(w).toBeLessThanOrEqual(box!.minx);
    expect(s).toBeLessThanOrEqual(box!.miny);
    expect(e).toBeGreaterThanOrEqual(box!.maxx);
    expect(n).toBeGreaterThanOrEqual(box!.maxy);
    expect(neighbourhoods.extent.temporal).toBeUndefined();
    expect(collections.find((c) => c.id === 'coverage')!.extent.temporal!.interval[0]![0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(neighbourhoods.crs).toContain('http://www.opengis.net/def/crs/EPSG/0/32640');
    expect((await get('/ogc/collections/problems')).body.id).toBe('problems');
    expectError(await get('/ogc/collections/wells'), 404, /no collection "wells".*neighbourhoods/);
    expectError(await get('/ogc/collections/wells/items'), 404, /no collection "wells"/);
  });

  it('pages through every neighbourhood once, in id order, with next and prev links', async () => {
    const all = await ids('select id from neighbourhoods order by id');
    const seen: number[] = [];
    let url: string | undefined = '/ogc/collections/neighbourhoods/items?limit=40';
    let pages = 0;
    while (url) {
      const res: Answer<Page> = await get<Page>(url);
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      expect(res.body.numberMatched).toBe(all.length);
      expect(res.body.numberReturned).toBe(res.body.features.length);
      seen.push(...pageIds(res.body));
      if (pages > 0) expect(res.body.links.map((l) => l.rel)).toContain('prev');
      const next = res.body.links.find((l) => l.rel === 'next')?.href;
      url = next?.replace('http://localhost:80', '');
      pages++;
    }
    expect(pages).toBe(Math.ceil(all.length / 40));
    expect(seen).toEqual(all);
  });

  it('sends typed properties, Persian names and anticlockwise outer rings', async () => {
    const page = (await get<Page>('/ogc/collections/neighbourhoods/items?limit=1000')).body;
    const [row] = (await sql<{ id: number; name_fa: string; population: number }>`select id, name_fa, population from neighbourhoods order by id limit 1`.execute(app.database.db)).rows;
    const first = page.features[0]!;
    expect(first.id).toBe(row!.id);
    expect(first.properties.name_fa).toBe(row!.name_fa);
    expect(first.properties.population).toBe(row!.population);
    expect(typeof first.properties.informal).toBe('boolean');
    expect(first.properties.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    for (const feature of page.features) {
      expect(feature.geometry.type).toBe('MultiPolygon');
      for (const polygon of feature.geometry.coordinates as number[][][][]) expect(signedArea(polygon[0]!)).toBeGreaterThan(0);
    }
    const problems = (await get<Page>('/ogc/collections/problems/items?limit=1')).body.features[0]!;
    expect(problems.geometry.type).toBe('Point');
    expect(Number.isInteger(problems.properties.severity)).toBe(true);
    const networks = (await get<Page>('/ogc/collections/networks/items')).body;
    expect(networks.features.every((f) => typeof f.properties.active === 'boolean' && Number.isInteger(f.properties.members))).toBe(true);
  });

  it('serves one feature by id and refuses ids that are not there', async () => {
    const [id] = await ids('select id from counties order by id limit 1');
    const res = await get<Feature>(`/ogc/collections/counties/items/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    expect(res.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    expectError(await get('/ogc/collections/counties/items/999999'), 404, /counties has no feature 999999/);
    expectError(await get('/ogc/collections/counties/items/abc'), 404, /no feature abc/);
  });

  it('clamps limit to 10,000 and refuses bad limits, offsets and formats with JSON', async () => {
    const clamped = await get<Page>('/ogc/collections/neighbourhoods/items?limit=50000');
    expect(clamped.status).toBe(200);
    expect(clamped.body.links.find((l) => l.rel === 'self')!.href).toContain('limit=50000');
    expect(clamped.body.numberReturned).toBe(Math.min(10_000, clamped.body.numberMatched));
    expectError(await get('/ogc/collections/neighbourhoods/items?limit=-1'), 400, /limit/);
    expectError(await get('/ogc/collections/neighbourhoods/items?limit=0'), 400, /limit/);
    expectError(await get('/ogc/collections/neighbourhoods/items?limit=ten'), 400, /limit/);
    expectError(await get('/ogc/collections/neighbourhoods/items?offset=-5'), 400, /offset/);
    expectError(await get('/ogc/collections/neighbourhoods/items?offset=1e30'), 400, /offset/);
    expectError(await get('/ogc/collections/neighbourhoods/items?f=xml'), 400, /f=xml.*json/);
    expectError(await get('/ogc/collections?f=html'), 406, /JSON only/);
    expectError(await get('/ogc/collections/neighbourhoods/items?colour=red'), 400, /unknown parameter colour.*county_id/);
    const past = await get<Page>('/ogc/collections/neighbourhoods/items?offset=100000');
    expect(past.body.features).toEqual([]);
    expect(past.body.links.map((l) => l.rel)).not.toContain('next');
  });

  it('filters by bbox in any supported CRS, across the antimeridian, and names the supported CRSs when asked for another', async () => {
    const expected = await ids('select id from neighbourhoods where ST_Intersects(geom, ST_MakeEnvelope(57.0, 30.2, 57.1, 30.3, 4326)) order by id');
    expect(expected.length).toBeGreaterThan(0);
    const inLonLat = (await get<Page>('/ogc/collections/neighbourhoods/items?limit=1000&bbox=57.0,30.2,57.1,30.3')).body;
    expect(pageIds(inLonLat)).toEqual(expected);
    const inLatLon = (await get<Page>(`/ogc/collections/neighbourhoods/items?limit=1000&bbox=30.2,57.0,30.3,57.1&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4326')}`)).body;
    expect(pageIds(inLatLon)).toEqual(expected);
    const [utm] = (await sql<{ minx: number; miny: number; maxx: number; maxy: number }>`
      select ST_XMin(b) minx, ST_YMin(b) miny, ST_XMax(b) maxx, ST_YMax(b) maxy
      from (select ST_Transform(ST_MakeEnvelope(57.03, 30.23, 57.07, 30.27, 4326), 32640) b) x`.execute(app.database.db)).rows;
    const inUtm = await ids(`select id from neighbourhoods where ST_Intersects(geom, ST_Transform(ST_MakeEnvelope(${utm!.minx}, ${utm!.miny}, ${utm!.maxx}, ${utm!.maxy}, 32640), 4326)) order by id`);
    const utmPage = (await get<Page>(`/ogc/collections/neighbourhoods/items?limit=1000&bbox=${utm!.minx},${utm!.miny},${utm!.maxx},${utm!.maxy}&bbox-crs=EPSG:32640`)).body;
    expect(pageIds(utmPage)).toEqual(inUtm);
    // Kerman lies far from the antimeridian: a box from 170°E across to 56°E takes in nothing
    // east of 56°E … and a box from 50°E round the world to 56°E takes in what lies west of 56°E.
    const across = (await get<Page>('/ogc/collections/neighbourhoods/items?limit=1000&bbox=170,20,57.1,35')).body;
    expect(pageIds(across)).toEqual(await ids('select id from neighbourhoods where ST_Intersects(geom, ST_MakeEnvelope(-180, 20, 57.1, 35, 4326)) order by id'));
    expectError(await get('/ogc/collections/neighbourhoods/items?bbox=1,2,3'), 400, /four numbers/);
    expectError(await get('/ogc/collections/neighbourhoods/items?bbox=57,30&bbox-crs=EPSG:2000'), 400, /bbox-crs "EPSG:2000" is not supported.*EPSG\/0\/32640/);
    const badCrs = await get('/ogc/collections/neighbourhoods/items?crs=EPSG:27700');
    expectError(badCrs, 400, /crs "EPSG:27700" is not supported; use one of http:\/\/www.opengis.net\/def\/crs\/OGC\/1.3\/CRS84/);
  });

  it('answers in the CRS asked for, with Content-Crs and that CRS axis order', async () => {
    const [id] = await ids('select id from neighbourhoods order by id limit 1');
    const [point] = (await sql<{ x: number; y: number; ux: number; uy: number }>`
      select ST_X(p) x, ST_Y(p) y, ST_X(ST_Transform(p, 32640)) ux, ST_Y(ST_Transform(p, 32640)) uy
      from (select ST_StartPoint(ST_ExteriorRing(ST_GeometryN(ST_ForcePolygonCCW(geom), 1))) p from neighbourhoods where id = ${id}) x`.execute(app.database.db)).rows;
    const first = (f: Feature) => (f.geometry.coordinates as number[][][][])[0]![0]![0]!;
    const lonLat = (await get<Feature>(`/ogc/collections/neighbourhoods/items/${id}`)).body;
    expect(first(lonLat)[0]).toBeCloseTo(point!.x, 5);
    const latLon = await get<Feature>(`/ogc/collections/neighbourhoods/items/${id}?crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4326')}`);
    expect(latLon.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/EPSG/0/4326>');
    expect(first(latLon.body)).toEqual([expect.closeTo(point!.y, 5), expect.closeTo(point!.x, 5)]);
    const utm = await get<Page>(`/ogc/collections/neighbourhoods/items?crs=EPSG:32640&filter=${encodeURIComponent(`county_id >= 0`)}&limit=1`);
    expect(utm.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/EPSG/0/32640>');
    expect(first(utm.body.features[0]!)).toEqual([expect.closeTo(point!.ux, 1), expect.closeTo(point!.uy, 1)]);
  });

  it('filters with CQL2 text and property parameters as PostGIS does', async () => {
    const cases: [string, string][] = [
      ["deprivation >= 4 AND informal = TRUE", 'deprivation >= 4 and informal'],
      ["name_en LIKE 'K%' OR population BETWEEN 10000 AND 12000", "name_en like 'K%' or population between 10000 and 12000"],
      ['county_id IN (11, 12) AND NOT margin = TRUE', 'county_id in (11, 12) and not margin'],
      ['S_INTERSECTS(geometry, BBOX(57.0, 30.2, 57.1, 30.3))', 'ST_Intersects(geom, ST_MakeEnvelope(57.0, 30.2, 57.1, 30.3, 4326))'],
      ['S_INTERSECTS(geometry, POLYGON((57 30.2, 57.1 30.2, 57.1 30.3, 57 30.3, 57 30.2))) AND deprivation <> 3',
        'ST_Intersects(geom, ST_MakeEnvelope(57.0, 30.2, 57.1, 30.3, 4326)) and deprivation <> 3'],
    ];
    for (const [filter, where] of cases) {
      const expected = await ids(`select id from neighbourhoods where ${where} order by id`);
      const res = await get<Page>(`/ogc/collections/neighbourhoods/items?limit=1000&filter-lang=cql2-text&filter=${encodeURIComponent(filter)}`);
      expect(res.status, `${filter}: ${res.text.slice(0, 300)}`).toBe(200);
      expect(pageIds(res.body), filter).toEqual(expected);
      expect(res.body.numberMatched).toBe(expected.length);
    }
    const nullAgency = await ids('select id from problems where agency_id is null order by id');
    expect(pageIds((await get<Page>(`/ogc/collections/problems/items?filter=${encodeURIComponent('agency_id IS NULL')}`)).body)).toEqual(nullAgency);
    const byCounty = await ids('select id from neighbourhoods where county_id = 11 and informal order by id');
    expect(pageIds((await get<Page>('/ogc/collections/neighbourhoods/items?limit=1000&county_id=11&informal=true')).body)).toEqual(byCounty);
    const seven = await ids("select id from neighbourhoods where margin order by id");
    expect(pageIds((await get<Page>(`/ogc/collections/neighbourhoods/items?filter=${encodeURIComponent("margin = true")}`)).body)).toEqual(seven);
  });

  it('refuses a filter that does not parse or names an unknown property, saying which', async () => {
    const items = (filter: string, lang = 'cql2-text') => get(`/ogc/collections/neighbourhoods/items?filter-lang=${lang}&filter=${encodeURIComponent(filter)}`);
    expectError(await items('colour = 3'), 400, /unknown property "colour".*name_fa/);
    expectError(await items('county_id = '), 400, /expected a property name or a value/);
    expectError(await items("population = 'many'"), 400, /population \(integer\).*a number/);
    expectError(await items('name_fa = 3'), 400, /name_fa \(string\).*quoted text/);
    expectError(await items('county_id = 3', 'ecql'), 400, /filter-lang=ecql.*cql2-text/);
    expectError(await items("S_INTERSECTS(name_fa, BBOX(1,2,3,4))"), 400, /"name_fa" as a geometry/);
    expectError(await get('/ogc/collections/neighbourhoods/items?county_id=eleven'), 400, /county_id must be a whole number/);
    expectError(await get('/ogc/collections/neighbourhoods/items?informal=yes'), 400, /informal must be true or false/);
    // A quote in a value stays a value: parameters, never concatenated SQL.
    const injected = await items("name_fa = 'x'' OR 1=1 --'");
    expect(injected.status).toBe(200);
    expect(injected.body.numberMatched).toBe(0);
  });

  it('filters by datetime where a collection has dates, and refuses it where there are none', async () => {
    const expected = await ids("select id from coverage_records where (to_date is null or to_date >= '2024-01-01') and from_date <= '2024-12-31' order by id");
    const res = await get<Page>('/ogc/collections/coverage/items?limit=1000&datetime=2024-01-01/2024-12-31');
    expect(res.status, res.text).toBe(200);
    expect(pageIds(res.body)).toEqual(expected);
    const open = await ids("select id from coverage_records where to_date is null or to_date >= '2025-06-01' order by id");
    expect(pageIds((await get<Page>('/ogc/collections/coverage/items?limit=1000&datetime=2025-06-01/..')).body)).toEqual(open);
    const recorded = await ids("select id from problems where created_at <= '2024-06-30T23:59:59.999Z' order by id");
    expect(pageIds((await get<Page>('/ogc/collections/problems/items?limit=1000&datetime=../2024-06-30')).body)).toEqual(recorded);
    expectError(await get('/ogc/collections/neighbourhoods/items?datetime=2024-01-01'), 400, /neighbourhoods has no dates/);
    expectError(await get('/ogc/collections/coverage/items?datetime=last-year'), 400, /RFC 3339/);
  });

  it('describes each collection queryables as JSON Schema', async () => {
    const res = await get('/ogc/collections/problems/queryables');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = JSON.parse(res.text);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.severity).toMatchObject({ type: 'integer' });
    expect(schema.properties.agency_id).toMatchObject({ type: ['integer', 'null'] });
    expect(schema.properties.status.enum).toContain('blocked');
    expect(schema.properties.geometry).toMatchObject({ format: 'geometry-point' });
  });

  it('splits interventions into areas and points, every intervention once', async () => {
    const all = await ids('select id from interventions order by id');
    const areas = (await get<Page>('/ogc/collections/intervention-areas/items?limit=1000')).body.features;
    const points = (await get<Page>('/ogc/collections/intervention-points/items?limit=1000')).body.features;
    expect(areas.every((f) => f.geometry.type === 'MultiPolygon')).toBe(true);
    expect(points.every((f) => f.geometry.type === 'Point')).toBe(true);
    expect([...areas, ...points].map((f) => f.id).sort((a, b) => a - b)).toEqual(all);
    for (const feature of areas) for (const polygon of feature.geometry.coordinates as number[][][][]) expect(signedArea(polygon[0]!)).toBeGreaterThan(0);
  });
});

/** Twice the signed area of a ring (shoelace): positive when it runs anticlockwise. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum;
}
