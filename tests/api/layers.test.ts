import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { multipart } from './boundaries-helpers.js';
import { decode, plannerCookie } from './tile-helpers.js';
import { layerRevision } from './method-fixtures.js';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import type { NeighbourhoodDetail } from '../../shared/schemas.js';
import { SERVICE_CLASSES, type ReferenceLayerList, type ServiceClass } from '../../shared/layers-schemas.js';

// Reference layers (streets, facilities) uploaded by GIS staff, their tiles, and the access
// to services per neighbourhood that a facilities layer changes.
//
// Fixtures are made here: GeoJSON written by the test, turned into a UTM 40N Shapefile
// (UTF-8 .dbf with a .cpg) by Debian's GDAL —
//   ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:32640 -lco ENCODING=UTF-8 facilities.shp facilities.geojson
// — and zipped with `zip -j`, as a GIS office would send it.

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-layers-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Facility { name: string; service: string; lon: number; lat: number }

function zippedShapefile(name: string, facilities: Facility[]): Buffer {
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  const geojson = path.join(dir, `${name}.geojson`);
  fs.writeFileSync(geojson, JSON.stringify({
    type: 'FeatureCollection',
    features: facilities.map((f) => ({
      type: 'Feature', properties: { NAME: f.name, SERVICE: f.service }, geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
    })),
  }));
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:32640', '-lco', 'ENCODING=UTF-8', path.join(dir, `${name}.shp`), geojson]);
  const zip = path.join(dir, `${name}.zip`);
  execFileSync('zip', ['-j', '-q', zip, ...['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => path.join(dir, `${name}.${e}`))]);
  return fs.readFileSync(zip);
}

function geojsonFile(features: { properties: Record<string, unknown>; geometry: unknown }[]): Buffer {
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) }));
}

function uploadLayer(client: Client, file: { name: string; data: Buffer }, fields: Record<string, string>) {
  const body = multipart(fields, file);
  return client.request({ method: 'POST', url: '/api/layers/uploads', payload: body.payload, headers: { 'content-type': body.contentType } });
}

/** The file's values → classes, as the uploader sends them in service_classes. */
const SERVICE_CLASSES_MAP = { 'مدرسه': 'educational', 'درمانگاه': 'social', 'بازار': 'economic', 'مسجد': null };

/** Great-circle metres (haversine, mean Earth radius): an estimate made without PostGIS. */
function haversine(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

type AccessRow = { id: number; service_class: ServiceClass; inside: number; within_500m: number; within_1000m: number; nearest_m: number | null; residents: number | null };

/**
 * The figures worked out another way: every neighbourhood against every facility the test
 * placed, by brute force (no index, no `<->`, no table of ours), with ST_Covers for inside
 * and ST_Distance on geography for the rest.
 */
async function expectedAccess(app: FastifyInstance, facilities: { lon: number; lat: number; service_class: ServiceClass }[]): Promise<AccessRow[]> {
  const values = sql.join(facilities.map((f) => sql`(${f.lon}::float8, ${f.lat}::float8, ${f.service_class}::text)`));
  const { rows } = await sql<AccessRow>`
    with f as (select ST_SetSRID(ST_MakePoint(lon, lat), 4326) as pt, cls from (values ${values}) v(lon, lat, cls)),
    classes as (select unnest(${SERVICE_CLASSES as unknown as string[]}::text[]) as cls)
    select n.id, c.cls as service_class,
      (select count(*) from f where f.cls = c.cls and ST_Covers(n.geom, f.pt))::int as inside,
      (select count(*) from f where f.cls = c.cls and ST_Distance(n.geom::geography, f.pt::geography) <= 500)::int as within_500m,
      (select count(*) from f where f.cls = c.cls and ST_Distance(n.geom::geography, f.pt::geography) <= 1000)::int as within_1000m,
      (select min(ST_Distance(ST_PointOnSurface(n.geom)::geography, f.pt::geography)) from f where f.cls = c.cls) as nearest_m,
      n.population::float8 as residents
    from neighbourhoods n cross join classes c order by n.id, c.cls`.execute(app.database.db);
  return rows;
}

async function storedAccess(app: FastifyInstance): Promise<Map<string, AccessRow>> {
  const { rows } = await sql<AccessRow>`select neighbourhood_id as id, service_class, inside, within_500m, within_1000m, nearest_m,
    residents_per_facility as residents from neighbourhood_access`.execute(app.database.db);
  return new Map(rows.map((r) => [`${r.id}/${r.service_class}`, r]));
}

function expectSameAccess(stored: Map<string, AccessRow>, expected: AccessRow[]) {
  for (const e of expected) {
    const s = stored.get(`${e.id}/${e.service_class}`);
    const where = `neighbourhood ${e.id} ${e.service_class}`;
    expect(s, where).toBeDefined();
    expect({ inside: s!.inside, within_500m: s!.within_500m, within_1000m: s!.within_1000m }, where)
      .toEqual({ inside: e.inside, within_500m: e.within_500m, within_1000m: e.within_1000m });
    if (e.nearest_m === null) expect(s!.nearest_m, where).toBeNull();
    else expect(s!.nearest_m, where).toBeCloseTo(e.nearest_m, 0);
    expect(s!.residents, where).toBe(e.within_1000m > 0 ? e.residents! / e.within_1000m : null);
  }
}

async function checksum(app: FastifyInstance): Promise<string> {
  const parts: string[] = [];
  for (const table of ['reference_uploads', 'reference_features', 'reference_layers', 'reference_layer_versions', 'service_facilities', 'neighbourhood_access']) {
    const { rows } = await sql<{ sum: string }>`select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum
      from ${sql.table(table)} t`.execute(app.database.db);
    parts.push(`${table}:${rows[0]!.sum}`);
  }
  return parts.join('\n');
}

describe.each(backends)('reference layers and access to services on $name', (backend) => {
  let app: FastifyInstance;
  let gis: Client;
  let planner: Client;
  let home: { id: number; lon: number; lat: number };
  let placed: { lon: number; lat: number; service_class: ServiceClass }[];

  beforeAll(async () => {
    app = await backend.start();
    gis = await signedInAs(app, 'gis');
    planner = await signedInAs(app, 'planner');
    // Jupar, in Kerman city, and a point inside it.
    const { rows } = await sql<{ id: number; lon: number; lat: number }>`
      select id, ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat
      from neighbourhoods where code = 'KRM-C-031'`.execute(app.database.db);
    home = rows[0]!;
  });
  afterAll(async () => {
    await app?.close();
  });

  const facilitiesV1 = (): Facility[] => [
    { name: 'دبستان شهید باهنر', service: 'مدرسه', lon: home.lon, lat: home.lat + 0.0004 },
    { name: 'درمانگاه جوپار', service: 'درمانگاه', lon: home.lon + 0.0075, lat: home.lat },
    { name: 'بازار محلی', service: 'بازار', lon: home.lon - 0.004, lat: home.lat - 0.003 },
    { name: 'پارک', service: 'civil_environmental', lon: home.lon, lat: home.lat + 0.02 },
    { name: 'هنرستان', service: 'educational', lon: home.lon + 0.03, lat: home.lat - 0.01 },
    { name: 'مسجد جامع', service: 'مسجد', lon: home.lon + 0.001, lat: home.lat + 0.001 },
  ];
  const classOf = (f: Facility) => (SERVICE_CLASSES_MAP as Record<string, ServiceClass | null>)[f.service] ?? (f.service as ServiceClass);

  it('starts with no facilities: every class has none near any neighbourhood', async () => {
    const res = await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`);
    expect(res.status).toBe(200);
    for (const c of SERVICE_CLASSES) {
      expect(res.body.properties.access[c]).toEqual({ inside: 0, within_500m: 0, within_1000m: 0, nearest_m: null, residents_per_facility: null });
    }
  });

  it('refuses a facilities upload from a planner, without a class field, with unmapped values, with mixed or no geometry', async () => {
    const before = await checksum(app);
    const shp = { name: 'facilities.zip', data: zippedShapefile('facilities', facilitiesV1()) };
    const fields = { name_fa: 'خدمات', name_en: 'Services', kind: 'facilities' };

    const byPlanner = await uploadLayer(planner, shp, { ...fields, mapping: '{"service_class":"SERVICE"}' });
    expect(byPlanner.status).toBe(403);

    const noClassField = await uploadLayer(gis, shp, { ...fields, mapping: '{"name_fa":"NAME"}' });
    expect(noClassField.status, noClassField.text).toBe(422);
    expect(noClassField.body.message).toMatch(/service_class/);

    const unmapped = await uploadLayer(gis, shp, { ...fields, mapping: '{"name_fa":"NAME","service_class":"SERVICE"}' });
    expect(unmapped.status, unmapped.text).toBe(422);
    expect(unmapped.body.message).toContain('"مدرسه" (1)');
    expect(unmapped.body.unmapped).toEqual({ 'مدرسه': 1, 'درمانگاه': 1, 'بازار': 1, 'مسجد': 1 });

    const wrongField = await uploadLayer(gis, shp, { ...fields, mapping: '{"service_class":"KIND"}' });
    expect(wrongField.status).toBe(422);
    expect(wrongField.body.message).toMatch(/not a field of the file/);

    const mixed = await uploadLayer(gis, { name: 'mixed.geojson', data: geojsonFile([
      { properties: { name: 'a' }, geometry: { type: 'Point', coordinates: [home.lon, home.lat] } },
      { properties: { name: 'b' }, geometry: { type: 'LineString', coordinates: [[home.lon, home.lat], [home.lon + 0.01, home.lat]] } },
    ]) }, { name_fa: 'آمیخته', name_en: 'Mixed', kind: 'other' });
    expect(mixed.status, mixed.text).toBe(422);
    expect(mixed.body.message).toMatch(/mixes kinds of geometry \(1 linestring, 1 point\)/);

    const noGeometry = await uploadLayer(gis, { name: 'empty.geojson', data: geojsonFile([
      { properties: { name: 'a' }, geometry: null }, { properties: { name: 'b' }, geometry: null },
    ]) }, { name_fa: 'بی‌هندسه', name_en: 'No geometry', kind: 'other' });
    expect(noGeometry.status, noGeometry.text).toBe(422);
    expect(noGeometry.body.message).toMatch(/None of the 2 features of the file has a geometry/);

    const badKind = await uploadLayer(gis, shp, { ...fields, kind: 'rivers' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toMatch(/kind \(body\) must be one of: streets, facilities, land_use, other/);

    const reserved = await uploadLayer(gis, shp, { ...fields, slug: 'neighbourhoods', service_classes: JSON.stringify(SERVICE_CLASSES_MAP) });
    expect(reserved.status).toBe(400);

    expect(await checksum(app)).toBe(before);
  });

  it('takes a zipped UTM Shapefile of facilities and changes the access figures around it, as computed independently', async () => {
    const facilities = facilitiesV1();
    const res = await uploadLayer(gis, { name: 'facilities.zip', data: zippedShapefile('facilities', facilities) }, {
      name_fa: 'خدمات شهری', name_en: 'City services', kind: 'facilities',
      mapping: JSON.stringify({ name_fa: 'NAME', service_class: 'SERVICE' }),
      service_classes: JSON.stringify(SERVICE_CLASSES_MAP),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      status: 'preview', slug: 'city_services', kind: 'facilities', geometry_type: 'point', feature_count: 6, replaces_version: null,
    });
    expect(res.body.report).toMatchObject({
      features: 6, accepted: 6, crs: 'EPSG:32640', format: 'ESRI Shapefile',
      service_classes: { educational: 2, social: 1, economic: 1, civil_environmental: 1, none: 1 },
    });
    // A preview changes nothing yet.
    expect((await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`)).body.properties.access.educational.nearest_m).toBeNull();
    const preview = await gis.get(`/api/layers/uploads/${res.body.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.features.map((f: { properties: { name_fa: string } }) => f.properties.name_fa)).toContain('دبستان شهید باهنر');

    const revision = await layerRevision(app, 'neighbourhoods');
    const committed = await gis.post(`/api/layers/uploads/${res.body.id}/commit`);
    expect(committed.status, committed.text).toBe(200);
    expect(committed.body).toMatchObject({ slug: 'city_services', version: 1, feature_count: 6 });
    // The neighbourhood tiles carry the figures, so their revision moved.
    expect(await layerRevision(app, 'neighbourhoods')).toBeGreaterThan(revision);

    placed = facilities.flatMap((f) => {
      const c = classOf(f);
      return c ? [{ lon: f.lon, lat: f.lat, service_class: c }] : [];
    });
    const expected = await expectedAccess(app, placed);
    expectSameAccess(await storedAccess(app), expected);

    // Through the API, for Jupar: the school is inside, the clinic about 700 m east.
    const detail = await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`);
    const access = detail.body.properties.access;
    expect(access.educational.inside).toBe(1);
    expect(access.educational.within_1000m).toBeGreaterThanOrEqual(1);
    expect(access.educational.nearest_m).toBeCloseTo(haversine([home.lon, home.lat], [home.lon, home.lat + 0.0004]), -1);
    expect(access.social.nearest_m!).toBeGreaterThan(0.99 * haversine([home.lon, home.lat], [home.lon + 0.0075, home.lat]));
    expect(access.social.nearest_m!).toBeLessThan(1.01 * haversine([home.lon, home.lat], [home.lon + 0.0075, home.lat]));
    expect(access.civil_environmental.within_1000m).toBe(expected.find((e) => e.id === home.id && e.service_class === 'civil_environmental')!.within_1000m);
    expect(access.economic.residents_per_facility).toBe(
      access.economic.within_1000m > 0 ? Math.round((detail.body.properties.population / access.economic.within_1000m) * 10) / 10 : null,
    );
    // Some neighbourhood near Jupar other than Jupar itself gained a facility within 1 km.
    expect(expected.some((e) => e.id !== home.id && e.within_1000m > 0)).toBe(true);

    // The GeoJSON download carries the same figures.
    const download = await planner.get(`/api/neighbourhoods?q=${encodeURIComponent('جوپار')}`);
    const inList = download.body.features.find((f: { id: number }) => f.id === home.id);
    expect(inList.properties.access).toEqual(access);

    const list = await planner.get<ReferenceLayerList>('/api/layers');
    expect(list.body.items).toContainEqual(expect.objectContaining({
      slug: 'city_services', name_fa: 'خدمات شهری', name_en: 'City services', kind: 'facilities', geometry_type: 'point', feature_count: 6,
    }));
  });

  it('keeps versions: a second upload changes the figures, a restore brings the first back', async () => {
    const fewer = facilitiesV1().filter((f) => f.service !== 'مدرسه');
    const res = await uploadLayer(gis, { name: 'facilities.zip', data: zippedShapefile('facilities2', fewer) }, {
      name_fa: 'خدمات شهری', name_en: 'City services', kind: 'facilities',
      mapping: JSON.stringify({ name_fa: 'NAME', service_class: 'SERVICE' }), service_classes: JSON.stringify(SERVICE_CLASSES_MAP),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.replaces_version).toBe(1);
    expect((await gis.post(`/api/layers/uploads/${res.body.id}/commit`)).body.version).toBe(2);
    const without = (await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`)).body.properties.access;
    expect(without.educational.inside).toBe(0);
    expectSameAccess(await storedAccess(app), await expectedAccess(app, placed.filter((p) => !(p.service_class === 'educational' && p.lon === home.lon))));

    const versions = await planner.get(`/api/layers/city_services/versions`);
    expect(versions.body).toMatchObject({ slug: 'city_services', current: 2 });
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    expect((await planner.post('/api/layers/city_services/versions/1/restore')).status).toBe(403);
    const restored = await gis.post('/api/layers/city_services/versions/1/restore');
    expect(restored.status, restored.text).toBe(201);
    expect(restored.body).toMatchObject({ version: 3, restored_from: 1, feature_count: 6 });
    expect((await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`)).body.properties.access.educational.inside).toBe(1);
    expectSameAccess(await storedAccess(app), await expectedAccess(app, placed));
    expect((await gis.post('/api/layers/city_services/versions/9/restore')).status).toBe(404);
  });

  it('serves a streets line layer as vector tiles with TileJSON, and the access figures in the neighbourhood tiles', async () => {
    const streets = geojsonFile([
      { properties: { name: 'خیابان جوپار', name_en: 'Jupar Street' }, geometry: { type: 'LineString', coordinates: [[home.lon - 0.01, home.lat], [home.lon + 0.01, home.lat]] } },
      { properties: { name: 'کوچه ۱۲', name_en: 'Alley 12' }, geometry: { type: 'MultiLineString', coordinates: [[[home.lon, home.lat - 0.005], [home.lon, home.lat + 0.005]]] } },
    ]);
    const res = await uploadLayer(gis, { name: 'streets.geojson', data: streets }, { name_fa: 'خیابان‌ها', name_en: 'Streets', kind: 'streets' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ slug: 'streets', geometry_type: 'line', mapping: { name_fa: 'name', name_en: 'name_en' } });
    expect((await gis.post(`/api/layers/uploads/${res.body.id}/commit`)).status).toBe(200);

    const cookie = await plannerCookie(app);
    const { x, y } = lonLatToTile(home.lon, home.lat, 14);
    const tile = await app.inject({ method: 'GET', url: `/tiles/streets/14/${x}/${y}.mvt`, headers: { cookie } });
    expect(tile.statusCode).toBe(200);
    const layers = decode(tile.rawPayload);
    expect(layers.streets!.map((f) => f.properties.name_fa).sort()).toEqual(['خیابان جوپار', 'کوچه ۱۲']);
    expect(layers.streets!.every((f) => f.type === 2)).toBe(true);
    // Served again from memory: the hot path now knows the layer.
    const again = await app.inject({ method: 'GET', url: `/tiles/streets/14/${x}/${y}.mvt`, headers: { cookie } });
    expect(again.headers['x-tile-cache']).toBe('hit');

    const facilities = decode((await app.inject({ method: 'GET', url: `/tiles/city_services/14/${x}/${y}.mvt`, headers: { cookie } })).rawPayload);
    expect(facilities.city_services!.find((f) => f.properties.name_fa === 'دبستان شهید باهنر')!.properties).toMatchObject({
      service_class: 'educational', type: 'مدرسه',
    });

    const tilejson = await app.inject({ method: 'GET', url: '/tiles/streets.json', headers: { cookie } });
    expect(tilejson.statusCode).toBe(200);
    const bounds = tilejson.json().bounds as number[];
    expect(bounds[0]).toBeCloseTo(home.lon - 0.01, 5);
    expect(tilejson.json().vector_layers[0].fields).toMatchObject({ name_fa: 'String', service_class: 'String' });
    expect((await app.inject({ method: 'GET', url: '/tiles/nosuchlayer/14/1/1.mvt', headers: { cookie } })).statusCode).toBe(404);

    const neighbourhoods = decode((await app.inject({ method: 'GET', url: `/tiles/neighbourhoods/14/${x}/${y}.mvt`, headers: { cookie } })).rawPayload);
    const jupar = neighbourhoods.neighbourhoods!.find((f) => f.id === home.id)!;
    const detail = (await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`)).body.properties.access;
    expect(jupar.properties.access_educational_1km).toBe(detail.educational.within_1000m);
    expect(jupar.properties.access_social_nearest_m).toBe(Math.round(detail.social.nearest_m!));
  });

  it('refreshes the figures when a neighbourhood boundary changes', async () => {
    // Move Jupar's boundary far away through the boundary upload: nothing is inside any more.
    const far = { type: 'Polygon', coordinates: [[[58.5, 29.0], [58.51, 29.0], [58.51, 29.01], [58.5, 29.01], [58.5, 29.0]]] };
    const body = multipart({ mapping: JSON.stringify({ code: 'code', name_fa: 'name' }) }, {
      name: 'jupar.geojson', data: geojsonFile([{ properties: { code: 'KRM-C-031', name: 'جوپار' }, geometry: far }]),
    });
    const up = await gis.request({ method: 'POST', url: '/api/boundaries/uploads', payload: body.payload, headers: { 'content-type': body.contentType } });
    expect(up.status, up.text).toBe(201);
    const committed = await gis.post(`/api/boundaries/uploads/${up.body.id}/commit`);
    expect(committed.status, committed.text).toBe(200);
    const access = (await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${home.id}`)).body.properties.access;
    expect(access.educational.inside).toBe(0);
    expect(access.educational.within_1000m).toBe(0);
    expectSameAccess(await storedAccess(app), await expectedAccess(app, placed));
  });
});

describe.each(backends)('access at the thresholds on $name', (backend) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await backend.start();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts a facility half a metre inside 500 m and 1 km, and not one half a metre beyond, on the spheroid', async () => {
    const gis = await signedInAs(app, 'gis');
    // Due north of a neighbourhood's northernmost vertex, a geodesic of d metres (ST_Project, on
    // the spheroid) ends d metres from the neighbourhood: every other point of it lies further south.
    const { rows } = await sql<{ id: number; lon: number; lat: number; distance: number }>`
      with n as (select id, geom from neighbourhoods where code like 'KRM-RFS-%' order by code limit 1),
      top as (select n.id, (d).geom as v from n, ST_DumpPoints(n.geom) d order by ST_Y((d).geom) desc limit 1)
      select top.id, ST_X(p::geometry) as lon, ST_Y(p::geometry) as lat, distance
      from top, unnest(array[499.5, 500.5, 999.5, 1000.5]) distance,
        ST_Project(top.v::geography, distance, 0) p`.execute(app.database.db);
    const id = rows[0]!.id;
    const res = await uploadLayer(gis, { name: 'edges.geojson', data: geojsonFile(rows.map((r) => ({
      properties: { name: `${r.distance} m`, service: 'economic' }, geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    }))) }, { name_fa: 'بازارها', name_en: 'Markets', kind: 'facilities', mapping: JSON.stringify({ name_fa: 'name', service_class: 'service' }) });
    expect(res.status, res.text).toBe(201);
    expect((await gis.post(`/api/layers/uploads/${res.body.id}/commit`)).status).toBe(200);

    const stored = await storedAccess(app);
    expect(stored.get(`${id}/economic`)).toMatchObject({ inside: 0, within_500m: 1, within_1000m: 3 });
    expect(stored.get(`${id}/economic`)!.nearest_m).toBeGreaterThan(500);
    expectSameAccess(stored, await expectedAccess(app, rows.map((r) => ({ lon: r.lon, lat: r.lat, service_class: 'economic' as const }))));
  });
});
