import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { METHOD_TABLES, layerRevision, seedIds, tableCounts, type SeedIds } from './method-fixtures.js';
import type {
  Agency, AgencyList, AgencySummary, Network, NetworkList, NeighbourhoodStage, Problem, ProblemList, StageTable,
} from '../../shared/method-schemas.js';
import type { NeighbourhoodCollection, NeighbourhoodDetail } from '../../shared/schemas.js';

type ErrorBody = { error: string; message: string };

describe.each(backends)('agencies, networks, stages and the neighbourhood on $name', (backend) => {
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

  describe('agencies', () => {
    it('lists the bodies the programme names and the usual others, in Persian and English', async () => {
      const res = await planner.get<AgencyList>('/api/agencies');
      expect(res.status).toBe(200);
      const slugs = res.body.items.map((a) => a.slug);
      expect(slugs).toEqual(expect.arrayContaining([
        'regional_water', 'housing_foundation', 'municipality', 'roads_urban_development',
        'education', 'welfare', 'health', 'progress_council', 'field_base',
      ]));
      for (const a of res.body.items) {
        expect(Object.keys(a).sort()).toEqual(['id', 'name_en', 'name_fa', 'slug']);
        expect(a.name_fa).toMatch(/[\u0600-\u06FF]/);
        expect(a.name_en).toMatch(/^[A-Za-z]/);
      }
      expect(res.body.items.find((a) => a.slug === 'regional_water')!.name_fa).toBe('شرکت آب منطقه‌ای کرمان');
    });

    it('adds an agency, making its slug from the English name, and refuses a taken slug', async () => {
      const res = await planner.post<Agency>('/api/agencies', { name_fa: 'اداره کل میراث فرهنگی استان کرمان', name_en: 'Kerman Cultural Heritage Dept.' });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ slug: 'kerman_cultural_heritage_dept', name_fa: 'اداره کل میراث فرهنگی استان کرمان' });
      expect((await planner.get<AgencyList>('/api/agencies')).body.items).toContainEqual(res.body);
      const again = await planner.post<ErrorBody>('/api/agencies', { name_fa: 'دیگر', name_en: 'Other', slug: 'kerman_cultural_heritage_dept' });
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/slug kerman_cultural_heritage_dept/);
    });

    it.each([
      [{ name_en: 'No Persian' }, /name_fa/],
      [{ name_fa: '  ', name_en: 'Blank' }, /^name_fa \(body\) must not be blank/],
      [{ name_fa: 'فقط فارسی', name_en: 'ــ' }, /^slug \(body\) is needed/],
      [{ name_fa: 'x', name_en: 'x', slug: 'Not A Slug' }, /^slug \(body\)/],
    ])('refuses %o with a 400 and writes nothing', async (body, message) => {
      const before = await tableCounts(app, METHOD_TABLES);
      const res = await planner.post<ErrorBody>('/api/agencies', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
      expect(await tableCounts(app, METHOD_TABLES)).toEqual(before);
    });

    it('lets commanders read agencies but not add them', async () => {
      const commander = await signedInAs(app, 'commander');
      expect((await commander.get('/api/agencies')).status).toBe(200);
      expect((await commander.post('/api/agencies', { name_fa: 'x', name_en: 'xx' })).status).toBe(403);
    });

    it('summarises one agency: open, overdue and resolved problems, interventions led and joined', async () => {
      const water = ids.agency('regional_water');
      const res = await planner.get<AgencySummary>(`/api/agencies/${water}/summary`);
      expect(res.status).toBe(200);
      const problems = (await planner.get<ProblemList>(`/api/problems?agency=${water}`)).body.items;
      expect(res.body.agency.slug).toBe('regional_water');
      expect(res.body.problems).toEqual({
        total: problems.length,
        open: problems.filter((p) => p.status !== 'resolved').length,
        overdue: problems.filter((p) => p.overdue).length,
        resolved: problems.filter((p) => p.status === 'resolved').length,
        blocked: problems.filter((p) => p.status === 'blocked').length,
      });
      expect(res.body.interventions.led).toBe(1);
      expect(res.body.interventions.joined).toBe(2);
      expect(res.body.interventions.items.map((i) => [i.title_en, i.role])).toEqual(expect.arrayContaining([
        ['Sar Asiab water network and surface-water drainage', 'lead'],
        ['Allah-Abad Township upgrading', 'partner'],
      ]));

      // Who is late: the relief committee's skills training in Sar Asiab was due 2026-09-22.
      const relief = await planner.get<AgencySummary>(`/api/agencies/${ids.agency('relief_committee')}/summary`);
      expect(relief.body.problems.overdue).toBeGreaterThanOrEqual(1);
      expect(relief.body.overdue_problems.map((p) => p.title)).toContain('بیکاری جوانان و نبود مهارت‌آموزی');
      expect((await planner.get('/api/agencies/999999/summary')).status).toBe(404);
    });
  });

  describe('networks', () => {
    it('lists the seeded networks with the documented fields, filtered by neighbourhood, kind and activity', async () => {
      const sarAsiab = ids.neighbourhood('KRM-C-029');
      const res = await planner.get<NetworkList>(`/api/networks?neighbourhood=${sarAsiab}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((n) => n.kind).sort()).toEqual(['teachers', 'teenagers', 'women']);
      for (const field of ['id', 'neighbourhood_id', 'kind', 'name', 'members', 'since']) expect(res.body.items[0]).toHaveProperty(field);
      const teachers = (await planner.get<NetworkList>('/api/networks?kind=teachers')).body.items;
      expect(teachers.every((n) => n.kind === 'teachers')).toBe(true);
      expect(teachers.length).toBe(2);
      const inactive = (await planner.get<NetworkList>('/api/networks?active=false')).body.items;
      expect(inactive.map((n) => n.name)).toEqual(['معلمان داوطلب کوی رجایی']);
    });

    it('adds and updates a network', async () => {
      const res = await planner.post<Network>('/api/networks', {
        neighbourhood_id: ids.neighbourhood('KRM-C-031'), kind: 'elders', name: 'ریش‌سفیدان جوپار', members: 9, since: '2026-10-01',
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ kind: 'elders', name: 'ریش‌سفیدان جوپار', members: 9, since: '2026-10-01', active: true });
      const updated = await planner.patch<Network>(`/api/networks/${res.body.id}`, { members: 12, active: false });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ members: 12, active: false, name: 'ریش‌سفیدان جوپار' });
      expect((await planner.get<Network>(`/api/networks/${res.body.id}`)).body).toEqual(updated.body);
    });

    it.each([
      [{ kind: 'students' }, /^kind \(body\).*teenagers, teachers, shopkeepers, women, elders, other/],
      [{ neighbourhood_id: 999999 }, /^neighbourhood_id \(body\) names no known neighbourhood/],
      [{ members: -3 }, /^members \(body\)/],
      [{ name: ' ' }, /^name \(body\) must not be blank/],
      [{ since: 'last year' }, /^since \(body\)/],
    ])('refuses %o with a 400 naming the field, and writes nothing', async (change, message) => {
      const before = await tableCounts(app, METHOD_TABLES);
      const res = await planner.post<ErrorBody>('/api/networks', {
        neighbourhood_id: ids.neighbourhood('KRM-C-031'), kind: 'women', name: 'گروه', members: 5, ...change,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
      expect(await tableCounts(app, METHOD_TABLES)).toEqual(before);
    });

    it('answers 404 for an unknown network and 400 for unknown filters', async () => {
      expect((await planner.get('/api/networks/999999')).status).toBe(404);
      expect((await planner.patch('/api/networks/999999', { members: 1 })).status).toBe(404);
      expect((await planner.get<ErrorBody>('/api/networks?kind=robots')).body.message).toMatch(/^kind \(querystring\)/);
      expect((await planner.get<ErrorBody>('/api/networks?neighbourhood=999999')).status).toBe(400);
    });
  });

  describe('stages', () => {
    it('tracks the seeded neighbourhoods at each stage, and the province table counts them all', async () => {
      const res = await planner.get<StageTable>('/api/stages');
      expect(res.status).toBe(200);
      const total = Object.values(res.body.counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(res.body.items.length);
      expect(total).toBeGreaterThanOrEqual(150);
      const byCode = new Map(res.body.items.map((r) => [r.code, r]));
      expect(byCode.get('KRM-C-029')!.stage).toBe(3);
      expect(byCode.get('KRM-C-024')!.stage).toBe(3);
      expect(byCode.get('KRM-C-028')!.stage).toBe(2);
      expect(byCode.get('KRM-C-030')!.stage).toBe(1);
      expect(byCode.get('KRM-C-024')!.stage2).toMatchObject({ problems: 4, moving: 4, resolved: 3, share_moving: 1 });
      // Sorted furthest along first.
      const stages = res.body.items.map((r) => r.stage);
      expect(stages).toEqual([...stages].sort((a, b) => b - a));

      const three = await planner.get<StageTable>('/api/stages?stage=3');
      expect(three.body.items.every((r) => r.stage === 3)).toBe(true);
      expect(three.body.items).toHaveLength(res.body.counts['3']);
      const bad = await planner.get<ErrorBody>('/api/stages?stage=4');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^stage \(querystring\)/);
      expect((await planner.get('/api/stages?county=999999')).status).toBe(400);
    });

    it('takes a neighbourhood through the three stages', async () => {
      const id = ids.untouched().at(-1)!;
      const stage = async () => (await planner.get<NeighbourhoodStage>(`/api/stages/${id}`)).body;
      expect((await stage()).stage).toBe(0);

      const early = await planner.request<ErrorBody>({ method: 'PUT', url: `/api/stages/${id}/review`, payload: { reviewed: true } });
      expect(early.status).toBe(409);
      expect(early.body.message).toMatch(/record the neighbourhood's problems first/);

      const problem = (await planner.post<Problem>('/api/problems', { neighbourhood_id: id, category: 'economic', title: 'بیکاری', severity: 4 })).body;
      expect((await stage()).stage).toBe(1);

      const reviewed = await planner.request<NeighbourhoodStage>({ method: 'PUT', url: `/api/stages/${id}/review`, payload: { reviewed: true, note: 'بازبینی شد' } });
      expect(reviewed.status).toBe(200);
      expect(reviewed.body.stage).toBe(2);
      expect(reviewed.body.stage1).toMatchObject({ reviewed: true, reviewed_by: planner.username, note: 'بازبینی شد', problems: 1 });
      expect(reviewed.body.stage2).toMatchObject({ problems: 1, with_agency: 0, moving: 0, share_moving: 0 });

      await planner.patch(`/api/problems/${problem.id}`, { status: 'assigned', agency_id: ids.agency('relief_committee') });
      expect((await stage()).stage2).toMatchObject({ with_agency: 1, moving: 1, share_moving: 1 });

      const network = (await planner.post<Network>('/api/networks', { neighbourhood_id: id, kind: 'shopkeepers', name: 'کسبه', members: 7 })).body;
      expect(await stage()).toMatchObject({ stage: 3, stage3: { active_networks: 1, members: 7 } });
      await planner.patch(`/api/networks/${network.id}`, { active: false });
      expect((await stage()).stage).toBe(2);

      const cleared = await planner.request<NeighbourhoodStage>({ method: 'PUT', url: `/api/stages/${id}/review`, payload: { reviewed: false } });
      expect(cleared.body).toMatchObject({ stage: 1, stage1: { reviewed: false, reviewed_by: null } });
      const admin = await signedInAs(app, 'admin');
      const audit = await admin.get<{ items: { entity_id: string; action: string }[] }>('/api/audit?entity=stages');
      expect(audit.body.items.map((e) => [e.entity_id, e.action])).toEqual(expect.arrayContaining([[String(id), 'review'], [String(id), 'unreview']]));
    });

    it('refuses bad review requests and roles that may only read', async () => {
      expect((await planner.get('/api/stages/999999')).status).toBe(404);
      expect((await planner.request({ method: 'PUT', url: '/api/stages/999999/review', payload: { reviewed: true } })).status).toBe(404);
      const bad = await planner.request<ErrorBody>({ method: 'PUT', url: `/api/stages/${ids.neighbourhood('KRM-C-030')}/review`, payload: { reviewed: 'perhaps' } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^reviewed \(body\)/);
      const gis = await signedInAs(app, 'gis');
      expect((await gis.request({ method: 'PUT', url: `/api/stages/${ids.neighbourhood('KRM-C-030')}/review`, payload: { reviewed: true } })).status).toBe(403);
    });
  });

  describe('the neighbourhood', () => {
    it('includes its problems by category and status, interventions, networks and stage', async () => {
      const sarAsiab = ids.neighbourhood('KRM-C-029');
      const res = await planner.get<NeighbourhoodDetail>(`/api/neighbourhoods/${sarAsiab}`);
      expect(res.status).toBe(200);
      const { method } = res.body.properties;
      expect(method.problems.items.every((p) => p.neighbourhood_id === sarAsiab)).toBe(true);
      expect(method.problems.items.length).toBe(5);
      expect(Object.values(method.problems.by_category).reduce((a, b) => a + b, 0)).toBe(method.problems.items.length);
      expect(method.problems.by_category.civil_environmental).toBe(2);
      expect(method.problems.by_status).toEqual({ identified: 1, assigned: 1, in_progress: 2, resolved: 0, blocked: 1 });
      expect(method.interventions.map((i) => i.title_en).sort()).toEqual([
        'Back to school for Karamat children', 'Networks of hope: teenagers, teachers and shopkeepers', 'Sar Asiab water network and surface-water drainage',
      ]);
      expect(method.interventions[0]!.partners.length).toBeGreaterThan(0);
      expect(method.networks).toHaveLength(3);
      expect(method.stage.stage).toBe(3);
      expect(res.body.properties).toMatchObject({
        open_problems: 5, overdue_problems: method.stage.stage2.overdue, active_networks: 3, active_interventions: 3, stage: 3,
      });
    });

    it('carries the counts as feature properties, and retires the neighbourhood tiles when they change', async () => {
      const id = ids.neighbourhood('KRM-C-032');
      const feature = async () => (await planner.get<NeighbourhoodCollection>('/api/neighbourhoods')).body.features.find((f) => f.id === id)!;
      const before = (await feature()).properties;
      expect(before).toMatchObject({ open_problems: 0, overdue_problems: 0, active_networks: 0, stage: 0 });
      expect(before.active_interventions).toBe(1);
      const revision = await layerRevision(app, 'neighbourhoods');
      await planner.post('/api/problems', { neighbourhood_id: id, category: 'social', title: 'x', severity: 2, status: 'assigned', agency_id: ids.agency('health'), due_date: '2021-01-01' });
      await planner.post('/api/networks', { neighbourhood_id: id, kind: 'women', name: 'زنان شمس‌آباد', members: 12 });
      expect((await feature()).properties).toMatchObject({ open_problems: 1, overdue_problems: 1, active_networks: 1, stage: 1 });
      expect(await layerRevision(app, 'neighbourhoods')).toBeGreaterThan(revision);
    });
  });
});
