import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import type { CountyCollection, Health, NeighbourhoodCollection, NeighbourhoodDetail } from '../../shared/schemas.js';

describe.each(backends)('neighbourhood API on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
  });
  afterAll(async () => {
    await app?.close();
  });

  async function getJson<T>(url: string): Promise<{ status: number; body: T; type: string }> {
    const res = await planner.get<T>(url);
    return { status: res.status, body: res.body, type: String(res.headers['content-type']) };
  }

  it('reports health with the database kind and PostGIS version', async () => {
    const { status, body } = await getJson<Health>('/api/health');
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.database.kind).toBe(backend.name);
    expect(body.database.postgis).toMatch(/^3\.\d+/);
  });

  it('lists every seeded neighbourhood as GeoJSON with its properties', async () => {
    const { status, body, type } = await getJson<NeighbourhoodCollection>('/api/neighbourhoods');
    expect(status).toBe(200);
    expect(type).toContain('application/geo+json');
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBeGreaterThanOrEqual(150);
    const first = body.features[0]!;
    expect(first.geometry.type).toBe('MultiPolygon');
    expect(first.id).toBe(first.properties.id);
    expect(Object.keys(first.properties).sort()).toEqual(
      ['access', 'active_interventions', 'active_networks', 'code', 'county_en', 'county_fa', 'county_id', 'deprivation', 'households',
        'id', 'informal', 'margin', 'name_en', 'name_fa', 'open_problems', 'overdue_problems', 'population', 'source', 'stage'],
    );
    for (const f of body.features) {
      expect(f.properties.deprivation).toBeGreaterThanOrEqual(1);
      expect(f.properties.deprivation).toBeLessThanOrEqual(5);
      expect(f.properties.source).toMatch(/illustrative/i);
    }
    const margins = body.features.filter((f) => f.properties.margin);
    expect(margins).toHaveLength(7);
    expect(margins.reduce((sum, f) => sum + f.properties.population, 0)).toBeGreaterThan(100_000);
  });

  it('keeps only neighbourhoods that meet the bbox', async () => {
    // A box around Kerman city centre (57.07879, 30.28321), a few km wide.
    const bbox = '57.05,30.26,57.10,30.30';
    const { body } = await getJson<NeighbourhoodCollection>(`/api/neighbourhoods?bbox=${bbox}`);
    const all = await getJson<NeighbourhoodCollection>('/api/neighbourhoods');
    expect(body.features.length).toBeGreaterThan(0);
    expect(body.features.length).toBeLessThan(all.body.features.length);
    for (const f of body.features) expect(f.properties.county_en).toBe('Kerman');
  });

  it('names every county in English too, Jazmurian and Gonbaki (none in OpenStreetMap) included', async () => {
    const { body } = await getJson<CountyCollection>('/api/counties');
    expect(body.features).toHaveLength(25);
    for (const f of body.features) expect(f.properties.name_en, f.properties.name_fa).toMatch(/^[A-Z][A-Za-z' -]+$/);
    const byPersian = new Map(body.features.map((f) => [f.properties.name_fa, f.properties.name_en]));
    expect(byPersian.get('جازموریان')).toBe('Jazmurian');
    expect(byPersian.get('گنبکی')).toBe('Gonbaki');
  });

  it('filters by county', async () => {
    const counties = await getJson<CountyCollection>('/api/counties');
    const kerman = counties.body.features.find((f) => f.properties.name_en === 'Kerman')!;
    const { body } = await getJson<NeighbourhoodCollection>(`/api/neighbourhoods?county=${kerman.id}`);
    expect(body.features).toHaveLength(kerman.properties.neighbourhood_count);
    expect(new Set(body.features.map((f) => f.properties.county_id))).toEqual(new Set([kerman.id]));
  });

  it('finds Sar Asiab by its Persian name, in Arabic letters and in English', async () => {
    for (const q of ['سرآسیاب', 'Sar Asiab', 'sar asiab']) {
      const { body } = await getJson<NeighbourhoodCollection>(`/api/neighbourhoods?q=${encodeURIComponent(q)}`);
      expect(body.features.map((f) => f.properties.name_en), q).toContainEqual(expect.stringMatching(/Sar Asiab/));
    }
  });

  it('treats Arabic ي/ك and the zero-width non-joiner as their Persian forms', async () => {
    // "شهرک الله‌آباد" typed with an Arabic kaf and without the ZWNJ.
    const typed = 'شهرك اللهآباد';
    const { body } = await getJson<NeighbourhoodCollection>(`/api/neighbourhoods?q=${encodeURIComponent(typed)}`);
    expect(body.features.map((f) => f.properties.name_fa)).toContain('شهرک الله\u200cآباد');
    const yeh = await getJson<NeighbourhoodCollection>(`/api/neighbourhoods?q=${encodeURIComponent('سرآسياب')}`);
    expect(yeh.body.features.length).toBeGreaterThan(0);
  });

  it('answers an empty collection when nothing matches', async () => {
    const { status, body } = await getJson<NeighbourhoodCollection>('/api/neighbourhoods?q=zzzz-nowhere');
    expect(status).toBe(200);
    expect(body.features).toEqual([]);
  });

  it('returns one neighbourhood with everything known about it', async () => {
    const list = await getJson<NeighbourhoodCollection>(`/api/neighbourhoods?q=${encodeURIComponent('سرآسیاب')}`);
    const id = list.body.features[0]!.id;
    const { status, body } = await getJson<NeighbourhoodDetail>(`/api/neighbourhoods/${id}`);
    expect(status).toBe(200);
    expect(body.type).toBe('Feature');
    expect(body.id).toBe(id);
    expect(body.geometry.type).toBe('MultiPolygon');
    expect(body.properties.county_en).toBe('Kerman');
    expect(body.properties.boundary_version).toBe(1);
    expect(body.properties.area_km2).toBeGreaterThan(0);
    expect(new Date(body.properties.updated_at).getTime()).not.toBeNaN();
    expect(body.properties.license).toBeTruthy();
  });

  it('answers 404 with { error, message } for an unknown id', async () => {
    const { status, body } = await getJson<{ error: string; message: string }>('/api/neighbourhoods/999999');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'not_found', message: 'neighbourhood 999999 does not exist' });
  });

  it.each([
    ['1,2,3', /four numbers/],
    ['a,b,c,d', /four numbers/],
    ['57,30,56,31', /minimum not above/],
    ['57,30,190,31', /-180..180/],
    ['1,,2,3', /four numbers/],
  ])('refuses the malformed bbox %s with a 400 naming the parameter', async (bbox, message) => {
    const { status, body } = await getJson<{ error: string; message: string }>(`/api/neighbourhoods?bbox=${bbox}`);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_bbox');
    expect(body.message).toMatch(/^bbox/);
    expect(body.message).toMatch(message);
  });

  it('refuses a non-numeric county and a non-numeric id with 400', async () => {
    const county = await getJson<{ error: string; message: string }>('/api/neighbourhoods?county=abc');
    expect(county.status).toBe(400);
    expect(county.body.message).toMatch(/county/);
    const id = await getJson<{ error: string; message: string }>('/api/neighbourhoods/abc');
    expect(id.status).toBe(400);
    expect(id.body.message).toMatch(/id/);
  });

  it('lists the 25 counties of Kerman province with their neighbourhood counts and licence', async () => {
    const { status, body } = await getJson<CountyCollection>('/api/counties');
    expect(status).toBe(200);
    expect(body.features).toHaveLength(25);
    const total = body.features.reduce((sum, f) => sum + f.properties.neighbourhood_count, 0);
    const all = await getJson<NeighbourhoodCollection>('/api/neighbourhoods');
    expect(total).toBe(all.body.features.length);
    for (const f of body.features) expect(f.properties.license).toMatch(/ODbL/);
    expect(body.features.every((f) => f.properties.neighbourhood_count > 0)).toBe(true);
  });

  it('answers unknown API addresses with a JSON 404', async () => {
    const { status, body } = await getJson<{ error: string }>('/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error).toBe('not_found');
  });
});

describe.each(backends)('counties of a database seeded before they had English names, on $name', (backend) => {
  it('get them at the next start (migration 0023), keeping a name set since', async () => {
    const copy = await backend.copy();
    let app = await copy.start({ afterClose: async () => {} });
    try {
      await sql`update counties set name_en = null where name_fa = 'جازموریان'`.execute(app.database.db);
      await sql`update counties set name_en = 'Gonbaki County' where name_fa = 'گنبکی'`.execute(app.database.db);
      await sql`delete from kysely_migration where name = '0023-county-names-en'`.execute(app.database.db);
    } finally {
      await app.close();
    }
    app = await copy.start();
    try {
      const { rows } = await sql<{ name_fa: string; name_en: string }>`select name_fa, name_en from counties
        where name_fa in ('جازموریان', 'گنبکی') order by name_fa`.execute(app.database.db);
      expect(rows).toEqual([{ name_fa: 'جازموریان', name_en: 'Jazmurian' }, { name_fa: 'گنبکی', name_en: 'Gonbaki County' }]);
    } finally {
      await app.close();
    }
  });
});
