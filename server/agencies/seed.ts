import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Category, InterventionStatus, NetworkKind, ProblemStatus } from '../../shared/method-schemas.js';
import { planProblemChange, type ProblemPatch, type ProblemState } from '../problems/workflow.js';
import { insertProblem, insertProblemEvent, updateProblem } from '../problems/queries.js';

interface ProgrammeSeed {
  agencies: { slug: string; name_fa: string; name_en: string }[];
  interventions: {
    title_fa: string; title_en: string; category: Category; lead_agency: string;
    partners: { agency: string; commitment_fa: string; commitment_en: string; progress: number }[];
    neighbourhood_codes: string[]; status: InterventionStatus; start_date: string | null; end_date: string | null;
    budget_rials: number | null; beneficiaries: number | null;
  }[];
}

interface HistoryStep {
  at: string;
  status?: ProblemStatus;
  agency?: string;
  due_date?: string;
  blocked_reason?: string;
  note?: string | null;
}

interface MethodSeed {
  source: string;
  intervention_areas: { titles_en: string[] };
  problems: {
    neighbourhood_code: string; category: Category; title: string; description: string; severity: number;
    answered_by?: string; history: HistoryStep[];
  }[];
  stage_reviews: { neighbourhood_code: string; at: string; note: string | null }[];
  networks: { neighbourhood_code: string; kind: NetworkKind; name: string; members: number; since: string | null; active: boolean }[];
}

/** Seeded history is written as if at noon in Kerman on its day. */
const at = (day: string) => `${day}T12:00:00+03:30`;
const SEED_ACTOR = { username: 'seed' };

/**
 * Agencies and interventions from geodata/programme.json, and the illustrative problems,
 * their follow-up, stage reviews and networks from geodata/method.json (see
 * geodata/README.md for what is real). A seed step of server/db/seed.ts: runs after the
 * boundaries, in the seed's one transaction.
 */
export async function seedMethod(trx: Transaction<Database>, geodataDir: string): Promise<void> {
  const programme = JSON.parse(fs.readFileSync(path.join(geodataDir, 'programme.json'), 'utf8')) as ProgrammeSeed;
  const method = JSON.parse(fs.readFileSync(path.join(geodataDir, 'method.json'), 'utf8')) as MethodSeed;

  const agencyIds = new Map<string, number>();
  for (const a of programme.agencies) {
    const row = await trx.insertInto('agencies').values({ slug: a.slug, name_fa: a.name_fa, name_en: a.name_en }).returning('id').executeTakeFirstOrThrow();
    agencyIds.set(a.slug, row.id);
  }
  const agency = (slug: string): number => {
    const id = agencyIds.get(slug);
    if (id === undefined) throw new Error(`seed names unknown agency ${slug}`);
    return id;
  };
  const neighbourhoods = await trx.selectFrom('neighbourhoods').select(['id', 'code']).execute();
  const neighbourhoodIds = new Map(neighbourhoods.map((n) => [n.code, n.id]));
  const neighbourhood = (code: string): number => {
    const id = neighbourhoodIds.get(code);
    if (id === undefined) throw new Error(`seed names unknown neighbourhood ${code}`);
    return id;
  };

  const interventionIds = new Map<string, number>();
  for (const i of programme.interventions) {
    const source = i.title_en === 'Allah-Abad Township upgrading'
      ? 'geodata/programme.json: the four partners are real (programme report); lead, dates, commitments, progress, budget and beneficiaries are ILLUSTRATIVE'
      : 'geodata/programme.json: ILLUSTRATIVE intervention';
    const row = await trx
      .insertInto('interventions')
      .values({
        title: i.title_fa, title_en: i.title_en, category: i.category, lead_agency_id: agency(i.lead_agency), status: i.status,
        start_date: i.start_date, end_date: i.end_date, budget: i.budget_rials, beneficiaries: i.beneficiaries, source,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    interventionIds.set(i.title_en, row.id);
    await trx
      .insertInto('intervention_partners')
      .values(i.partners.map((p, position) => ({
        intervention_id: row.id, agency_id: agency(p.agency), commitment: p.commitment_fa, commitment_en: p.commitment_en, progress: p.progress, position,
      })))
      .execute();
    await trx
      .insertInto('intervention_neighbourhoods')
      .values(i.neighbourhood_codes.map((code) => ({ intervention_id: row.id, neighbourhood_id: neighbourhood(code) })))
      .execute();
  }
  for (const title of method.intervention_areas.titles_en) {
    const id = interventionIds.get(title);
    if (id === undefined) throw new Error(`method.json draws unknown intervention ${title}`);
    await sql`update interventions set geom = (
        select ST_Multi(ST_Union(n.geom)) from intervention_neighbourhoods x join neighbourhoods n on n.id = x.neighbourhood_id
        where x.intervention_id = ${id})
      where id = ${id}`.execute(trx);
  }

  for (const p of method.problems) {
    const [first, ...rest] = p.history;
    if (!first) throw new Error(`method.json: problem "${p.title}" has no history`);
    let state: ProblemState | null = null;
    let id = 0;
    for (const step of [first, ...rest]) {
      const patch: ProblemPatch = {
        ...(state === null ? { category: p.category, title: p.title, description: p.description, severity: p.severity } : {}),
        ...(step.status ? { status: step.status } : {}),
        ...(step.agency ? { agency_id: agency(step.agency) } : {}),
        ...(step.due_date ? { due_date: step.due_date } : {}),
        ...(step.blocked_reason ? { blocked_reason: step.blocked_reason } : {}),
        ...(step.note ? { note: step.note } : {}),
      };
      // The same rules as the API: a seed that breaks the workflow fails the first start loudly.
      const plan = planProblemChange(state, patch);
      if (!plan.ok) throw new Error(`method.json: problem "${p.title}" at ${step.at}: ${plan.refusal.message}`);
      if (state === null) id = await insertProblem(trx, { ...plan.next, neighbourhood_id: neighbourhood(p.neighbourhood_code), source: method.source });
      else await updateProblem(trx, id, plan.next);
      await insertProblemEvent(trx, {
        problemId: id, actor: SEED_ACTOR, action: state === null ? 'create' : 'update', changes: plan.changes, note: step.note ?? null, at: at(step.at),
      });
      state = plan.next;
    }
    const last = p.history[p.history.length - 1]!;
    await trx.updateTable('problems').set({ created_at: at(first.at), updated_at: at(last.at) }).where('id', '=', id).execute();
    if (p.answered_by) {
      const interventionId = interventionIds.get(p.answered_by);
      if (interventionId === undefined) throw new Error(`method.json: problem "${p.title}" is answered by unknown intervention ${p.answered_by}`);
      await trx.insertInto('intervention_problems').values({ intervention_id: interventionId, problem_id: id }).execute();
    }
  }

  for (const r of method.stage_reviews) {
    await trx.insertInto('stage_reviews')
      .values({ neighbourhood_id: neighbourhood(r.neighbourhood_code), reviewed_at: at(r.at), reviewed_by: SEED_ACTOR.username, note: r.note })
      .execute();
  }
  for (const w of method.networks) {
    await trx.insertInto('networks')
      .values({
        neighbourhood_id: neighbourhood(w.neighbourhood_code), kind: w.kind, name: w.name, members: w.members,
        since: w.since, active: w.active, source: method.source,
      })
      .execute();
  }
}
