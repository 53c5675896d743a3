import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { METHOD_TABLES, layerRevision, seedIds, tableCounts, type SeedIds } from './method-fixtures.js';
import type { Intervention, InterventionList, Problem } from '../../shared/method-schemas.js';

type ErrorBody = { error: string; message: string };

describe.each(backends)('interventions API on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let ids: SeedIds;

  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    ids = await seedIds(planner);
  });
  afterAll(async () => {
    await app?.close();
  });

  const jupar = () => ids.neighbourhood('KRM-C-031');

  function body(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      title: 'پارک محله جوپار',
      title_en: 'Jupar neighbourhood park',
      category: 'civil_environmental',
      lead_agency_id: ids.agency('municipality'),
      partners: [
        { agency_id: ids.agency('municipality'), commitment: 'زمین و ساخت پارک', commitment_en: 'Land and building the park', progress: 10 },
        { agency_id: ids.agency('progress_council'), commitment: 'نگهداری با مشارکت اهالی', progress: 0 },
      ],
      neighbourhood_ids: [jupar()],
      status: 'planned',
      start_date: '2027-03-21',
      end_date: '2028-03-19',
      budget: 2_500_000_000_000,
      beneficiaries: 11300,
      ...extra,
    };
  }

  it('seeds the Allah-Abad township upgrading with its four partners', async () => {
    const res = await planner.get<InterventionList>('/api/interventions');
    expect(res.status).toBe(200);
    const allahAbad = res.body.items.find((i) => i.title === 'بهسازی و ساماندهی شهرک الله‌آباد')!;
    expect(allahAbad).toBeDefined();
    expect(Object.keys(allahAbad)).toEqual(expect.arrayContaining([
      'id', 'title', 'category', 'lead_agency_id', 'partners', 'neighbourhood_ids', 'problem_ids', 'status',
      'start_date', 'end_date', 'budget', 'beneficiaries', 'geometry',
    ]));
    expect(allahAbad.partners.map((p) => p.agency_id).sort()).toEqual(
      ['regional_water', 'housing_foundation', 'municipality', 'roads_urban_development'].map((s) => ids.agency(s)).sort(),
    );
    for (const p of allahAbad.partners) {
      expect(Object.keys(p).sort()).toEqual(['agency_id', 'commitment', 'commitment_en', 'progress']);
      expect(p.progress).toBe(100);
    }
    expect(allahAbad).toMatchObject({ category: 'civil_environmental', status: 'done', neighbourhood_ids: [ids.neighbourhood('KRM-C-024')] });
    expect(allahAbad.budget).toBe(1_450_000_000_000);
    expect(typeof allahAbad.budget).toBe('number');
    expect(allahAbad.problem_ids).toHaveLength(3);
    expect(allahAbad.geometry?.type).toBe('MultiPolygon');
    expect(allahAbad.source).toMatch(/partners are real/);
    expect(res.body.items.length).toBe(8);
  });

  it('filters by neighbourhood, county, category, status and agency (as lead or partner)', async () => {
    const all = (await planner.get<InterventionList>('/api/interventions')).body.items;
    const sarAsiab = ids.neighbourhood('KRM-C-029');
    const here = (await planner.get<InterventionList>(`/api/interventions?neighbourhood=${sarAsiab}`)).body.items;
    expect(here.length).toBe(all.filter((i) => i.neighbourhood_ids.includes(sarAsiab)).length);
    expect(here.length).toBe(3);

    const municipality = ids.agency('municipality');
    const joined = (await planner.get<InterventionList>(`/api/interventions?agency=${municipality}`)).body.items;
    expect(joined.length).toBe(all.filter((i) => i.lead_agency_id === municipality || i.partners.some((p) => p.agency_id === municipality)).length);
    expect(joined.map((i) => i.title_en)).toContain('Allah-Abad Township upgrading');

    const educational = (await planner.get<InterventionList>('/api/interventions?category=educational&status=active')).body.items;
    expect(educational.map((i) => i.title_en)).toEqual(['Back to school for Karamat children']);

    const counties = (await planner.get<{ features: { id: number; properties: { name_en: string } }[] }>('/api/counties')).body.features;
    const jiroft = counties.find((c) => c.properties.name_en === 'Jiroft')!;
    const inJiroft = (await planner.get<InterventionList>(`/api/interventions?county=${jiroft.id}`)).body.items;
    expect(inJiroft.map((i) => i.title_en)).toEqual(['Flood channel and street lighting on the Jiroft margin']);
  });

  it.each([
    ['category=roads', /^category \(querystring\)/],
    ['status=identified', /^status \(querystring\).*planned, active, done/],
    ['agency=999999', /^agency \(querystring\) names no known agency/],
    ['neighbourhood=999999', /^neighbourhood \(querystring\)/],
  ])('refuses the filter %s with a 400 naming it', async (query, message) => {
    const res = await planner.get<ErrorBody>(`/api/interventions?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('creates an intervention with partners, a point, its problems and a budget past 2^31', async () => {
    const revision = await layerRevision(app, 'interventions');
    const problem = await planner.post<Problem>('/api/problems', { neighbourhood_id: jupar(), category: 'social', title: 'نبود فضای سبز', severity: 3 });
    const res = await planner.post<Intervention>('/api/interventions', body({
      problem_ids: [problem.body.id],
      geometry: { type: 'Point', coordinates: [57.1, 30.25] },
    }));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      title: 'پارک محله جوپار', lead_agency_id: ids.agency('municipality'), neighbourhood_ids: [jupar()],
      problem_ids: [problem.body.id], status: 'planned', start_date: '2027-03-21', end_date: '2028-03-19',
      budget: 2_500_000_000_000, beneficiaries: 11300, geometry: { type: 'Point', coordinates: [57.1, 30.25] },
    });
    expect(res.body.partners).toEqual([
      { agency_id: ids.agency('municipality'), commitment: 'زمین و ساخت پارک', commitment_en: 'Land and building the park', progress: 10 },
      { agency_id: ids.agency('progress_council'), commitment: 'نگهداری با مشارکت اهالی', commitment_en: null, progress: 0 },
    ]);
    expect((await planner.get<Intervention>(`/api/interventions/${res.body.id}`)).body).toEqual(res.body);
    expect((await planner.get<Problem>(`/api/problems/${problem.body.id}`)).body.intervention_ids).toEqual([res.body.id]);
    expect(await layerRevision(app, 'interventions')).toBeGreaterThan(revision);
  });

  it('updates status, partners, progress and geometry, and keeps an audit trail', async () => {
    const created = (await planner.post<Intervention>('/api/interventions', body())).body;
    const polygon = { type: 'Polygon', coordinates: [[[57.1, 30.25], [57.11, 30.25], [57.11, 30.26], [57.1, 30.26], [57.1, 30.25]]] };
    const res = await planner.patch<Intervention>(`/api/interventions/${created.id}`, {
      status: 'active',
      partners: [{ agency_id: ids.agency('municipality'), commitment: 'زمین و ساخت پارک', progress: 45 }],
      geometry: polygon,
      budget: null,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', budget: null, title: created.title, geometry: polygon });
    expect(res.body.partners).toEqual([{ agency_id: ids.agency('municipality'), commitment: 'زمین و ساخت پارک', commitment_en: null, progress: 45 }]);
    const admin = await signedInAs(app, 'admin');
    const audit = await admin.get<{ items: { entity_id: string; action: string }[] }>('/api/audit?entity=interventions');
    expect(audit.body.items).toContainEqual(expect.objectContaining({ entity_id: String(created.id), action: 'update' }));
  });

  it.each([
    [{ category: 'roads' }, /^category \(body\)/],
    [{ status: 'finished' }, /^status \(body\)/],
    [{ lead_agency_id: 999999 }, /^lead_agency_id \(body\) names no known agency: 999999/],
    [{ partners: [{ agency_id: 1, progress: 5 }, { agency_id: 999999 }] }, /^partners\.1\.agency_id \(body\) names no known agency: 999999/],
    [{ partners: [{ agency_id: 1 }, { agency_id: 1 }] }, /^partners\.1\.agency_id \(body\).*already a partner/],
    [{ partners: [{ agency_id: 1, progress: 101 }] }, /^partners\.0\.progress \(body\)/],
    [{ neighbourhood_ids: [999999] }, /^neighbourhood_ids \(body\) names no known neighbourhood: 999999/],
    [{ neighbourhood_ids: [] }, /^neighbourhood_ids \(body\)/],
    [{ problem_ids: [999999] }, /^problem_ids \(body\) names no known problem: 999999/],
    [{ start_date: '2027-01-01', end_date: '2026-01-01' }, /^end_date \(body\).*must not come before start_date/],
    [{ budget: -1 }, /^budget \(body\)/],
    [{ title: ' ' }, /^title \(body\) must not be blank/],
    [{ geometry: { type: 'LineString', coordinates: [[57, 30], [57.1, 30.1]] } }, /^geometry\.type \(body\).*Point, Polygon, MultiPolygon/],
    [{ geometry: { type: 'Point', coordinates: [570000, 3350000] } }, /^geometry\.coordinates \(body\).*longitude, latitude/],
    [{ geometry: { type: 'Polygon', coordinates: [[[57, 30], [57.1, 30], [57.1, 30.1], [57, 30.1]]] } }, /^geometry\.coordinates\.0 \(body\) must be closed/],
    // A bow tie: the ring crosses itself.
    [{ geometry: { type: 'Polygon', coordinates: [[[57, 30], [57.1, 30.1], [57.1, 30], [57, 30.1], [57, 30]]] } }, /^geometry \(body\) is not a valid shape: Self-intersection/],
  ])('refuses %o with a 400 naming the field, and writes nothing', async (change, message) => {
    const before = await tableCounts(app, METHOD_TABLES);
    const res = await planner.post<ErrorBody>('/api/interventions', body(change));
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toMatch(message);
    expect(await tableCounts(app, METHOD_TABLES)).toEqual(before);
  });

  it('rolls back a multi-row write refused after its rows were written', async () => {
    // The problem lies in Sar Asiab, outside Jupar: the rule is checked on the rows just
    // inserted (intervention, partners, neighbourhoods, problem link), so all of them go.
    const sarAsiabProblem = (await planner.get<{ items: Problem[] }>(`/api/problems?neighbourhood=${ids.neighbourhood('KRM-C-029')}`)).body.items[0]!;
    const before = await tableCounts(app, METHOD_TABLES);
    const revision = await layerRevision(app, 'interventions');
    const res = await planner.post<ErrorBody>('/api/interventions', body({ problem_ids: [sarAsiabProblem.id] }));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(new RegExp(`^problem_ids \\(body\\): problem ${sarAsiabProblem.id} .*outside the neighbourhoods`));
    expect(await tableCounts(app, METHOD_TABLES)).toEqual(before);
    expect(await layerRevision(app, 'interventions')).toBe(revision);

    // The same on an update that replaces the partners first: the old partners stay.
    const created = (await planner.post<Intervention>('/api/interventions', body())).body;
    const afterCreate = await tableCounts(app, METHOD_TABLES);
    const patched = await planner.patch<ErrorBody>(`/api/interventions/${created.id}`, {
      status: 'active', partners: [{ agency_id: ids.agency('welfare'), progress: 50 }], problem_ids: [sarAsiabProblem.id],
    });
    expect(patched.status).toBe(400);
    expect((await planner.get<Intervention>(`/api/interventions/${created.id}`)).body).toEqual(created);
    expect(await tableCounts(app, METHOD_TABLES)).toEqual(afterCreate);
  });

  it('answers 404 for an unknown intervention and refuses an empty update', async () => {
    expect((await planner.get('/api/interventions/999999')).status).toBe(404);
    expect((await planner.patch('/api/interventions/999999', { status: 'done' })).status).toBe(404);
    const seeded = (await planner.get<InterventionList>('/api/interventions')).body.items[0]!;
    const empty = await planner.patch<ErrorBody>(`/api/interventions/${seeded.id}`, {});
    expect(empty.status).toBe(400);
    const gis = await signedInAs(app, 'gis');
    expect((await gis.patch(`/api/interventions/${seeded.id}`, { status: 'done' })).status).toBe(403);
  });

  it('exports the filtered interventions as CSV with a BOM, partners spelled out and the attribution', async () => {
    const res = await planner.get(`/api/interventions.csv?neighbourhood=${ids.neighbourhood('KRM-C-024')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    const header = lines[0]!.split(',');
    expect(header).toEqual(expect.arrayContaining(['id', 'title', 'lead_agency_fa', 'partners_fa', 'partners_en', 'budget_rials', 'attribution']));
    expect(lines[1]).toContain('بهسازی و ساماندهی شهرک الله‌آباد');
    expect(lines[1]).toContain('1450000000000');
    expect(lines[1]).toContain('Kerman Regional Water Company: Water supply and the township water main (100%)');
    expect(lines[1]).toContain('© OpenStreetMap contributors');
    expect((await planner.get('/api/interventions.csv?status=bogus')).status).toBe(400);
  });

  it('exports interventions as GeoJSON: outlines where they have an area, points elsewhere', async () => {
    const res = await planner.get<{ attribution: string; features: { id: number; geometry: { type: string }; properties: { has_area: boolean; geometry_source: string; title_en: string; category: string } }[] }>(
      '/api/interventions.geojson?category=civil_environmental',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.body.attribution).toContain('© OpenStreetMap contributors');
    const list = (await planner.get<InterventionList>('/api/interventions?category=civil_environmental')).body.items;
    expect(res.body.features.map((f) => f.id).sort((a, b) => a - b)).toEqual(list.map((i) => i.id).sort((a, b) => a - b));
    const allahAbad = res.body.features.find((f) => f.properties.title_en === 'Allah-Abad Township upgrading')!;
    expect(allahAbad.geometry.type).toBe('MultiPolygon');
    expect(allahAbad.properties).toMatchObject({ has_area: true, geometry_source: 'drawn' });
    const jiroft = res.body.features.find((f) => f.properties.title_en?.startsWith('Flood channel'))!;
    expect(jiroft.geometry.type).toBe('Point');
    expect(jiroft.properties).toMatchObject({ has_area: false, geometry_source: 'neighbourhoods' });
    expect(res.body.features.every((f) => f.properties.category === 'civil_environmental')).toBe(true);
  });
});
