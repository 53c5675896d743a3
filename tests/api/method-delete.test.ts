import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { METHOD_TABLES, layerRevision, seedIds, tableCounts, type SeedIds } from './method-fixtures.js';
import type { Intervention, Network, Problem } from '../../shared/method-schemas.js';

type AuditItems = { items: { action: string; entity: string; entity_id: string; user: string; before: Record<string, unknown> | null }[] };

// Records entered by mistake can be deleted by those who may write them; the audit log
// keeps what was deleted.
describe.each(backends)('deleting problems, interventions and networks on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let admin: Client;
  let ids: SeedIds;

  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    admin = await signedInAs(app, 'admin');
    ids = await seedIds(planner);
  });
  afterAll(async () => {
    await app?.close();
  });

  const jupar = () => ids.neighbourhood('KRM-C-031');
  const newProblem = async (title: string) => {
    const res = await planner.post<Problem>('/api/problems', {
      neighbourhood_id: jupar(), category: 'civil_environmental', title, severity: 2, agency_id: ids.agency('municipality'),
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const newIntervention = async (problemIds: number[]) => {
    const res = await planner.post<Intervention>('/api/interventions', {
      title: 'آسفالت کوچه‌های جوپار', category: 'civil_environmental', lead_agency_id: ids.agency('municipality'),
      partners: [{ agency_id: ids.agency('progress_council'), progress: 0 }],
      neighbourhood_ids: [jupar()], problem_ids: problemIds, status: 'planned',
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const auditOf = async (entity: string, id: number) =>
    (await admin.get<AuditItems>(`/api/audit?entity=${entity}`)).body.items.filter((e) => e.entity_id === String(id));

  it('deletes a problem with its history, unlinks it from interventions, and keeps it in the audit log', async () => {
    const problem = await newProblem('چاله بزرگ در کوچه ۵');
    await planner.patch(`/api/problems/${problem.id}`, { note: 'بازدید شد' });
    const intervention = await newIntervention([problem.id]);
    const before = await tableCounts(app, METHOD_TABLES);
    const revision = await layerRevision(app, 'neighbourhoods');

    const res = await planner.delete(`/api/problems/${problem.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await planner.get(`/api/problems/${problem.id}`)).status).toBe(404);
    expect((await planner.get<Intervention>(`/api/interventions/${intervention.id}`)).body.problem_ids).toEqual([]);
    const after = await tableCounts(app, METHOD_TABLES);
    expect(after).toMatchObject({
      problems: before.problems! - 1,
      problem_events: before.problem_events! - 2,
      intervention_problems: before.intervention_problems! - 1,
      audit_log: before.audit_log! + 1,
    });
    expect(await layerRevision(app, 'neighbourhoods')).toBeGreaterThan(revision);
    const [entry] = await auditOf('problems', problem.id);
    expect(entry).toMatchObject({ action: 'delete', user: planner.username, before: { id: problem.id, title: 'چاله بزرگ در کوچه ۵' } });
  });

  it('deletes an intervention with its partners and neighbourhoods, and retires its tiles', async () => {
    const intervention = await newIntervention([]);
    const before = await tableCounts(app, METHOD_TABLES);
    const revision = await layerRevision(app, 'interventions');
    expect((await planner.delete(`/api/interventions/${intervention.id}`)).status).toBe(204);
    expect((await planner.get(`/api/interventions/${intervention.id}`)).status).toBe(404);
    expect(await tableCounts(app, METHOD_TABLES)).toMatchObject({
      interventions: before.interventions! - 1,
      intervention_partners: before.intervention_partners! - 1,
      intervention_neighbourhoods: before.intervention_neighbourhoods! - 1,
    });
    expect(await layerRevision(app, 'interventions')).toBeGreaterThan(revision);
    expect((await auditOf('interventions', intervention.id))[0]).toMatchObject({ action: 'delete', before: { title: 'آسفالت کوچه‌های جوپار' } });
  });

  it('deletes a network', async () => {
    const created = await planner.post<Network>('/api/networks', { neighbourhood_id: jupar(), kind: 'teenagers', name: 'گروه نوجوانان جوپار', members: 12 });
    expect(created.status, created.text).toBe(201);
    expect((await planner.delete(`/api/networks/${created.body.id}`)).status).toBe(204);
    expect((await planner.get(`/api/networks/${created.body.id}`)).status).toBe(404);
    expect((await auditOf('networks', created.body.id))[0]).toMatchObject({ action: 'delete', before: { name: 'گروه نوجوانان جوپار' } });
  });

  it('answers 404 for what is not there and 403 to roles that may only read, deleting nothing', async () => {
    const problem = await newProblem('شکستگی لوله آب');
    const commander = await signedInAs(app, 'commander');
    const before = await tableCounts(app, METHOD_TABLES);
    for (const url of [`/api/problems/${problem.id}`, '/api/interventions/1', '/api/networks/1']) {
      const refused = await commander.delete<{ error: string }>(url);
      expect(refused.status, url).toBe(403);
      expect(refused.body.error).toBe('forbidden');
    }
    for (const url of ['/api/problems/999999', '/api/interventions/999999', '/api/networks/999999']) {
      const missing = await planner.delete<{ error: string }>(url);
      expect(missing.status, url).toBe(404);
      expect(missing.body.error).toBe('not_found');
    }
    // Nothing deleted; the three refused writes are in the audit log (issue 13 part 7).
    expect(await tableCounts(app, METHOD_TABLES)).toEqual({ ...before, audit_log: before.audit_log! + 3 });
    const refusals = (await admin.get<AuditItems>(`/api/audit?user=${commander.username}`)).body.items.filter((e) => e.action !== 'login');
    expect(refusals.map((e) => [e.action, e.entity])).toEqual([['refused', 'networks'], ['refused', 'interventions'], ['refused', 'problems']]);
    expect((await planner.delete<{ error: string }>('/api/problems/abc')).status).toBe(400);
  });
});
