import { sql, type Kysely } from 'kysely';
import type { Database, NeighbourhoodMethodView } from '../db/schema.js';
import { isoTimestamp } from '../db/sql-values.js';
import {
  CATEGORIES, PROBLEM_STATUSES, type NeighbourhoodMethod, type NeighbourhoodStage, type StageRow, type StageTable,
} from '../../shared/method-schemas.js';
import { listProblems } from '../problems/queries.js';
import { listInterventions } from '../interventions/queries.js';
import { listNetworks } from '../networks/queries.js';

// The stage rule itself is the view neighbourhood_method (migration 0004); this module
// only shapes its rows.

type MethodRow = Omit<NeighbourhoodMethodView, 'reviewed_at' | 'neighbourhood_id'> & { reviewed_at: string | null };

const METHOD_COLUMNS = [
  'm.problems', 'm.open_problems', 'm.overdue_problems', 'm.with_agency', 'm.moving', 'm.resolved',
  'm.active_networks', 'm.network_members', 'm.active_interventions', 'm.reviewed', 'm.reviewed_by', 'm.review_note', 'm.stage',
] as const;

export function stageOf(row: MethodRow): NeighbourhoodStage {
  return {
    stage: row.stage,
    stage1: {
      problems: row.problems,
      reviewed: row.reviewed,
      reviewed_at: row.reviewed_at,
      reviewed_by: row.reviewed_by,
      note: row.review_note,
    },
    stage2: {
      problems: row.problems,
      with_agency: row.with_agency,
      moving: row.moving,
      resolved: row.resolved,
      open: row.open_problems,
      overdue: row.overdue_problems,
      share_moving: row.problems > 0 ? Math.round((row.moving / row.problems) * 1000) / 1000 : null,
    },
    stage3: { active_networks: row.active_networks, members: row.network_members },
  };
}

export interface StageFilter {
  countyId?: number | undefined;
  stage?: number | undefined;
}

/** The province table: every neighbourhood with its stage, furthest along first, then the most deprived. */
export async function stageTable(db: Kysely<Database>, filter: StageFilter): Promise<StageTable> {
  let query = db
    .selectFrom('neighbourhoods as n')
    .innerJoin('counties as c', 'c.id', 'n.county_id')
    .innerJoin('neighbourhood_method as m', 'm.neighbourhood_id', 'n.id')
    .select([
      'n.id as neighbourhood_id', 'n.code', 'n.name_fa', 'n.name_en', 'n.county_id', 'c.name_fa as county_fa', 'c.name_en as county_en',
      'n.population', 'n.deprivation', ...METHOD_COLUMNS,
      sql<string | null>`case when m.reviewed_at is null then null else ${isoTimestamp(sql.ref('m.reviewed_at'))} end`.as('reviewed_at'),
    ]);
  if (filter.countyId !== undefined) query = query.where('n.county_id', '=', filter.countyId);
  const rows = await query.orderBy('m.stage', 'desc').orderBy('n.deprivation', 'desc').orderBy('n.population', 'desc').orderBy('n.id').execute();

  const counts = { '0': 0, '1': 0, '2': 0, '3': 0 };
  const items: StageRow[] = [];
  for (const row of rows) {
    counts[String(row.stage) as keyof typeof counts] += 1;
    if (filter.stage !== undefined && row.stage !== filter.stage) continue;
    items.push({
      neighbourhood_id: row.neighbourhood_id, code: row.code, name_fa: row.name_fa, name_en: row.name_en,
      county_id: row.county_id, county_fa: row.county_fa, county_en: row.county_en,
      population: row.population, deprivation: row.deprivation,
      ...stageOf(row),
    });
  }
  return { items, counts };
}

export async function neighbourhoodStage(db: Kysely<Database>, neighbourhoodId: number): Promise<NeighbourhoodStage | undefined> {
  const row = await db
    .selectFrom('neighbourhood_method as m')
    .select([...METHOD_COLUMNS, sql<string | null>`case when m.reviewed_at is null then null else ${isoTimestamp(sql.ref('m.reviewed_at'))} end`.as('reviewed_at')])
    .where('m.neighbourhood_id', '=', neighbourhoodId)
    .executeTakeFirst();
  return row ? stageOf(row) : undefined;
}

export async function markReviewed(db: Kysely<Database>, neighbourhoodId: number, by: string | null, note: string | null): Promise<void> {
  await db
    .insertInto('stage_reviews')
    .values({ neighbourhood_id: neighbourhoodId, reviewed_by: by, note })
    .onConflict((oc) => oc.column('neighbourhood_id').doUpdateSet({ reviewed_at: sql`now()`, reviewed_by: by, note }))
    .execute();
}

export async function clearReview(db: Kysely<Database>, neighbourhoodId: number): Promise<void> {
  await db.deleteFrom('stage_reviews').where('neighbourhood_id', '=', neighbourhoodId).execute();
}

/** Everything of the method about one neighbourhood, for GET /api/neighbourhoods/:id. */
export async function neighbourhoodMethod(db: Kysely<Database>, neighbourhoodId: number): Promise<NeighbourhoodMethod> {
  const [problems, interventions, networks, stage] = [
    await listProblems(db, { neighbourhoodId }),
    await listInterventions(db, { neighbourhoodId }),
    await listNetworks(db, { neighbourhoodId }),
    await neighbourhoodStage(db, neighbourhoodId),
  ];
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as NeighbourhoodMethod['problems']['by_category'];
  const byStatus = Object.fromEntries(PROBLEM_STATUSES.map((s) => [s, 0])) as NeighbourhoodMethod['problems']['by_status'];
  for (const p of problems) {
    byCategory[p.category] += 1;
    byStatus[p.status] += 1;
  }
  return { problems: { by_category: byCategory, by_status: byStatus, items: problems }, interventions, networks, stage: stage! };
}
