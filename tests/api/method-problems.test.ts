import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { METHOD_TABLES, databaseToday, layerRevision, seedIds, tableCounts, type SeedIds } from './method-fixtures.js';
import type { Problem, ProblemEventList, ProblemList, WorkflowConflict } from '../../shared/method-schemas.js';

type ErrorBody = { error: string; message: string };

describe.each(backends)('problems API on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let ids: SeedIds;
  let today: string;

  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    ids = await seedIds(planner);
    today = await databaseToday(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A fresh problem in a neighbourhood of its own, so tests do not see each other's changes. */
  async function newProblem(extra: Record<string, unknown> = {}): Promise<Problem> {
    const res = await planner.post<Problem>('/api/problems', {
      neighbourhood_id: ids.neighbourhood('KRM-C-031'),
      category: 'social',
      title: 'مسئله آزمایشی',
      severity: 3,
      ...extra,
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  async function events(id: number) {
    const res = await planner.get<ProblemEventList>(`/api/problems/${id}/events`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it('lists the seeded problems with the documented field names', async () => {
    const res = await planner.get<ProblemList>('/api/problems');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(13);
    const first = res.body.items[0]!;
    for (const field of ['id', 'neighbourhood_id', 'category', 'title', 'description', 'severity', 'status', 'agency_id', 'due_date', 'blocked_reason']) {
      expect(first, field).toHaveProperty(field);
    }
    const allahAbad = res.body.items.filter((p) => p.neighbourhood_id === ids.neighbourhood('KRM-C-024'));
    expect(allahAbad.map((p) => p.title)).toContain('نبود شبکه آب لوله‌کشی پایدار');
    expect(allahAbad.filter((p) => p.status === 'resolved')).toHaveLength(3);
    for (const p of res.body.items) expect(p.source).toMatch(/ILLUSTRATIVE/);
  });

  it('filters by neighbourhood, county, category, status, agency and overdue', async () => {
    const all = (await planner.get<ProblemList>('/api/problems')).body.items;
    const sarAsiab = ids.neighbourhood('KRM-C-029');
    const byNeighbourhood = (await planner.get<ProblemList>(`/api/problems?neighbourhood=${sarAsiab}`)).body.items;
    expect(byNeighbourhood.length).toBe(all.filter((p) => p.neighbourhood_id === sarAsiab).length);
    expect(byNeighbourhood.length).toBeGreaterThan(0);

    const civil = (await planner.get<ProblemList>('/api/problems?category=civil_environmental')).body.items;
    expect(civil.length).toBe(all.filter((p) => p.category === 'civil_environmental').length);
    expect(civil.every((p) => p.category === 'civil_environmental')).toBe(true);

    const blocked = (await planner.get<ProblemList>('/api/problems?status=blocked')).body.items;
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((p) => p.status === 'blocked' && p.blocked_reason)).toBe(true);
    const open = (await planner.get<ProblemList>('/api/problems?status=open')).body.items;
    expect(open.length).toBe(all.filter((p) => p.status !== 'resolved').length);

    const water = ids.agency('regional_water');
    const byAgency = (await planner.get<ProblemList>(`/api/problems?agency=${water}`)).body.items;
    expect(byAgency.length).toBe(all.filter((p) => p.agency_id === water).length);
    expect(byAgency.length).toBeGreaterThan(0);

    const overdue = (await planner.get<ProblemList>('/api/problems?overdue=true')).body.items;
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    for (const p of overdue) {
      expect(p.overdue).toBe(true);
      expect(p.status).not.toBe('resolved');
      expect(p.due_date! < today).toBe(true);
    }
    const notOverdue = (await planner.get<ProblemList>('/api/problems?overdue=false')).body.items;
    expect(notOverdue.length + overdue.length).toBe(all.length);

    const combined = (await planner.get<ProblemList>(`/api/problems?neighbourhood=${sarAsiab}&overdue=true&category=economic`)).body.items;
    expect(combined.map((p) => p.title)).toEqual(['بیکاری جوانان و نبود مهارت‌آموزی']);

    const counties = (await planner.get<{ features: { id: number; properties: { name_en: string } }[] }>('/api/counties')).body.features;
    const bam = counties.find((c) => c.properties.name_en === 'Bam')!;
    expect((await planner.get<ProblemList>(`/api/problems?county=${bam.id}`)).body.items).toEqual([]);
  });

  it.each([
    ['category=roads', /^category \(querystring\).*educational, social, civil_environmental, economic/],
    ['status=done', /^status \(querystring\)/],
    ['agency=999999', /^agency \(querystring\) names no known agency: 999999/],
    ['neighbourhood=999999', /^neighbourhood \(querystring\) names no known neighbourhood/],
    ['county=999999', /^county \(querystring\)/],
    ['overdue=perhaps', /^overdue \(querystring\)/],
    ['colour=red', /colour/],
  ])('refuses the filter %s with a 400 naming it', async (query, message) => {
    const res = await planner.get<ErrorBody>(`/api/problems?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toMatch(message);
  });

  it('creates a problem as identified, stores text as typed, and records who did it', async () => {
    const revision = await layerRevision(app, 'neighbourhoods');
    const title = 'نبود <script>alert(1)</script> روشنایی در کوچه‌ها';
    const created = await newProblem({ title, description: 'شرح با نیم‌فاصله‌ و "نقل قول"', due_date: '2027-01-15' });
    expect(created).toMatchObject({ title, status: 'identified', agency_id: null, due_date: '2027-01-15', blocked_reason: null, overdue: false });
    expect(created.description).toBe('شرح با نیم‌فاصله‌ و "نقل قول"');
    expect((await planner.get<Problem>(`/api/problems/${created.id}`)).body).toEqual(created);

    const history = await events(created.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'create', username: planner.username, problem_id: created.id });
    expect(history[0]!.changes).toContainEqual({ field: 'title', from: null, to: title });
    expect(Number.isNaN(Date.parse(history[0]!.at))).toBe(false);

    const admin = await signedInAs(app, 'admin');
    const audit = await admin.get<{ items: { entity: string; entity_id: string; action: string; user: string }[] }>('/api/audit?entity=problems');
    expect(audit.body.items).toContainEqual(expect.objectContaining({ entity_id: String(created.id), action: 'create', user: planner.username }));
    // Problem counts are neighbourhood feature properties: the tiles must retire.
    expect(await layerRevision(app, 'neighbourhoods')).toBeGreaterThan(revision);
  });

  it('creates a problem directly as assigned when it names its agency', async () => {
    const created = await newProblem({ status: 'assigned', agency_id: ids.agency('welfare') });
    expect(created).toMatchObject({ status: 'assigned', agency_id: ids.agency('welfare') });
  });

  it.each([
    [{ category: 'roads' }, 400, /^category \(body\)/],
    [{ neighbourhood_id: 999999 }, 400, /^neighbourhood_id \(body\) names no known neighbourhood: 999999/],
    [{ agency_id: 999999 }, 400, /^agency_id \(body\) names no known agency: 999999/],
    [{ status: 'finished' }, 400, /^status \(body\)/],
    [{ severity: 6 }, 400, /^severity \(body\)/],
    [{ title: '   ' }, 400, /^title \(body\) must not be blank/],
    [{ title: undefined }, 400, /title/],
    [{ due_date: '2027-13-45' }, 400, /^due_date \(body\)/],
    [{ status: 'resolved', agency_id: 1 }, 409, /starts as identified/],
    [{ status: 'assigned' }, 409, /leaves identified only with exactly one responsible agency/],
    [{ blocked_reason: 'x' }, 400, /^blocked_reason \(body\) is only for a blocked problem/],
    [{ owner: 'me' }, 400, /owner/],
  ])('refuses to create %o and writes nothing', async (change, status, message) => {
    const before = await tableCounts(app, METHOD_TABLES);
    const res = await planner.post<WorkflowConflict>('/api/problems', {
      neighbourhood_id: ids.neighbourhood('KRM-C-031'), category: 'social', title: 'x', severity: 3, ...change,
    });
    expect(res.status, res.text).toBe(status);
    expect(res.body.message).toMatch(message);
    if (status === 409) expect(res.body.allowed).toEqual(['identified', 'assigned']);
    expect(await tableCounts(app, METHOD_TABLES)).toEqual(before);
  });

  it('walks the whole workflow, refusing every forbidden step with the allowed next states', async () => {
    const p = await newProblem();
    const water = ids.agency('regional_water');
    const municipality = ids.agency('municipality');
    const patch = (body: Record<string, unknown>) => planner.patch<Problem & WorkflowConflict>(`/api/problems/${p.id}`, body);

    // identified: only to assigned, and only with an agency.
    let res = await patch({ status: 'in_progress', agency_id: water });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'conflict', status: 'identified', allowed: ['assigned'] });
    res = await patch({ status: 'resolved' });
    expect(res.status).toBe(409);
    expect(res.body.allowed).toEqual(['assigned']);
    res = await patch({ status: 'assigned' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/exactly one responsible agency/);
    expect(res.body.allowed).toEqual(['assigned']);

    res = await patch({ status: 'assigned', agency_id: water, due_date: '2027-05-01' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'assigned', agency_id: water, due_date: '2027-05-01' });

    // One agency, always: it cannot be removed, only moved — with a reason.
    res = await patch({ agency_id: null });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/keeps exactly one responsible agency/);
    expect(res.body.allowed).toEqual(['in_progress', 'resolved', 'blocked']);
    res = await patch({ agency_id: municipality });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^note \(body\)/);
    res = await patch({ agency_id: municipality, note: 'شهرداری مسئولیت را پذیرفت' });
    expect(res.status).toBe(200);
    expect(res.body.agency_id).toBe(municipality);

    // Blocked needs a reason; leaving blocked clears it (the events keep it).
    res = await patch({ status: 'blocked' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^blocked_reason \(body\)/);
    res = await patch({ status: 'blocked', blocked_reason: 'اعتبار تخصیص نیافته' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'blocked', blocked_reason: 'اعتبار تخصیص نیافته' });
    res = await patch({ status: 'resolved' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 'blocked', allowed: ['assigned', 'in_progress'] });
    res = await patch({ status: 'in_progress' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'in_progress', blocked_reason: null });
    res = await patch({ status: 'identified' });
    expect(res.status).toBe(409);
    expect(res.body.allowed).toEqual(['resolved', 'blocked']);

    res = await patch({ status: 'resolved', note: 'انجام شد' });
    expect(res.status).toBe(200);
    // Reopening: only to in progress, and with a reason.
    res = await patch({ status: 'assigned' });
    expect(res.status).toBe(409);
    expect(res.body.allowed).toEqual(['in_progress']);
    res = await patch({ status: 'in_progress' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^note \(body\).*reopened/);
    res = await patch({ status: 'in_progress', note: 'دوباره آب‌گرفتگی گزارش شد' });
    expect(res.status).toBe(200);

    const history = await events(p.id);
    expect(history.map((e) => e.action)).toEqual(['create', 'update', 'update', 'update', 'update', 'update', 'update']);
    const moved = history.find((e) => e.changes.some((c) => c.field === 'agency_id' && c.from === water))!;
    expect(moved.changes).toContainEqual({ field: 'agency_id', from: water, to: municipality });
    expect(moved.note).toBe('شهرداری مسئولیت را پذیرفت');
    expect(moved.username).toBe(planner.username);
    const unblocked = history.find((e) => e.changes.some((c) => c.field === 'status' && c.from === 'blocked'))!;
    expect(unblocked.changes).toContainEqual({ field: 'blocked_reason', from: 'اعتبار تخصیص نیافته', to: null });
    expect(history.at(-1)!.changes).toEqual([{ field: 'status', from: 'resolved', to: 'in_progress' }]);
  });

  it('keeps a note-only update as a follow-up event, and ignores an update that changes nothing', async () => {
    const p = await newProblem();
    const res = await planner.patch<Problem>(`/api/problems/${p.id}`, { note: 'با دهیار تماس گرفته شد' });
    expect(res.status).toBe(200);
    let history = await events(p.id);
    expect(history.at(-1)).toMatchObject({ action: 'update', changes: [], note: 'با دهیار تماس گرفته شد' });
    const same = await planner.patch<Problem>(`/api/problems/${p.id}`, { title: p.title, severity: p.severity });
    expect(same.status).toBe(200);
    history = await events(p.id);
    expect(history).toHaveLength(2);
  });

  it('marks a problem overdue past its due date until it is resolved', async () => {
    const p = await newProblem({ status: 'assigned', agency_id: ids.agency('health'), due_date: '2020-01-01' });
    expect(p.overdue).toBe(true);
    const overdue = (await planner.get<ProblemList>('/api/problems?overdue=true')).body.items;
    expect(overdue.map((x) => x.id)).toContain(p.id);
    const resolved = await planner.patch<Problem>(`/api/problems/${p.id}`, { status: 'resolved' });
    expect(resolved.body.overdue).toBe(false);
    const later = (await planner.get<ProblemList>('/api/problems?overdue=true')).body.items;
    expect(later.map((x) => x.id)).not.toContain(p.id);
  });

  it('leaves a problem untouched when any part of an update is refused', async () => {
    const p = await newProblem();
    const before = await tableCounts(app, METHOD_TABLES);
    const refused = [
      { title: 'عنوان تازه', status: 'resolved' },
      { title: 'عنوان تازه', agency_id: 999999 },
      { title: 'عنوان تازه', category: 'roads' },
      { title: 'عنوان تازه', neighbourhood_id: 2 },
      {},
    ];
    for (const body of refused) {
      const res = await planner.patch(`/api/problems/${p.id}`, body);
      expect([400, 409], JSON.stringify(body)).toContain(res.status);
    }
    expect((await planner.get<Problem>(`/api/problems/${p.id}`)).body).toEqual(p);
    expect(await tableCounts(app, METHOD_TABLES)).toEqual(before);
  });

  it('answers 404 for an unknown problem, and 403 to roles that may only read', async () => {
    expect((await planner.get('/api/problems/999999')).status).toBe(404);
    expect((await planner.get('/api/problems/999999/events')).status).toBe(404);
    expect((await planner.patch('/api/problems/999999', { note: 'x' })).status).toBe(404);
    const commander = await signedInAs(app, 'commander');
    expect((await commander.get('/api/problems')).status).toBe(200);
    const refused = await commander.post<ErrorBody>('/api/problems', { neighbourhood_id: 1, category: 'social', title: 'x', severity: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/admin or planner/);
  });

  it('exports the filtered problems as CSV with a BOM, names and the OpenStreetMap attribution', async () => {
    const sarAsiab = ids.neighbourhood('KRM-C-029');
    const injected = await newProblem({ title: '=HYPERLINK("http://example.com")', neighbourhood_id: sarAsiab });
    const list = (await planner.get<ProblemList>(`/api/problems?neighbourhood=${sarAsiab}`)).body.items;
    const res = await planner.get(`/api/problems.csv?neighbourhood=${sarAsiab}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="problems.csv"/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['id', 'neighbourhood_id', 'neighbourhood_code']);
    expect(header).toContain('agency_fa');
    expect(header.at(-1)).toBe('attribution');
    expect(lines).toHaveLength(list.length + 1);
    expect(res.text).toContain('سرآسیاب فرسنگی');
    expect(res.text).toContain('بیکاری جوانان و نبود مهارت‌آموزی');
    expect(res.text).toContain('© OpenStreetMap contributors');
    expect(res.text).toMatch(/ILLUSTRATIVE/);
    // A title that looks like a formula is defused with a leading apostrophe.
    const row = lines.find((l) => l.startsWith(`${injected.id},`))!;
    expect(row).toContain(`"'=HYPERLINK(""http://example.com"")"`);

    const overdue = await planner.get('/api/problems.csv?overdue=true');
    const overdueList = (await planner.get<ProblemList>('/api/problems?overdue=true')).body.items;
    expect(overdue.text.trimEnd().split('\r\n')).toHaveLength(overdueList.length + 1);
    expect((await planner.get<ErrorBody>('/api/problems.csv?category=roads')).status).toBe(400);
  });

  it('exports the filtered problems as GeoJSON points inside their neighbourhoods', async () => {
    const res = await planner.get<{ type: string; attribution: string; features: { id: number; geometry: { type: string; coordinates: number[] }; properties: Problem & { neighbourhood_en: string } }[] }>(
      '/api/problems.geojson?status=open&category=civil_environmental',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.attribution).toContain('© OpenStreetMap contributors');
    const list = (await planner.get<ProblemList>('/api/problems?status=open&category=civil_environmental')).body.items;
    expect(res.body.features.map((f) => f.id).sort((a, b) => a - b)).toEqual(list.map((p) => p.id).sort((a, b) => a - b));
    for (const f of res.body.features) {
      expect(f.geometry.type).toBe('Point');
      const [lon, lat] = f.geometry.coordinates;
      expect(lon).toBeGreaterThan(54);
      expect(lon).toBeLessThan(60);
      expect(lat).toBeGreaterThan(26);
      expect(lat).toBeLessThan(32);
      expect(f.properties.status).not.toBe('resolved');
      expect(f.properties.neighbourhood_en).toBeTruthy();
    }
    expect((await planner.get('/api/problems.geojson?agency=999999')).status).toBe(400);
  });
});
