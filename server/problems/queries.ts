import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { dateText, isoTimestamp } from '../db/sql-values.js';
import { stAsGeoJson } from '../db/postgis.js';
import type { Problem, ProblemChange, ProblemEvent, ProblemStatus } from '../../shared/method-schemas.js';
import type { ProblemState } from './workflow.js';
import { exportFeatureCollection } from '../exports/geojson.js';

export interface ProblemFilter {
  neighbourhoodId?: number | undefined;
  countyId?: number | undefined;
  category?: string | undefined;
  /** A status, or 'open' for every status but resolved. */
  status?: ProblemStatus | 'open' | undefined;
  agencyId?: number | undefined;
  overdue?: boolean | undefined;
}

const overdueSql = sql<boolean>`(p.status <> 'resolved' and p.due_date is not null and p.due_date < programme_today())`;

function selectProblems(db: Kysely<Database>) {
  return db
    .selectFrom('problems as p')
    .select([
      'p.id', 'p.neighbourhood_id', 'p.category', 'p.title', 'p.description', 'p.severity', 'p.status', 'p.agency_id',
      dateText(sql.ref('p.due_date')).as('due_date'),
      'p.blocked_reason',
      overdueSql.as('overdue'),
      sql<number[]>`coalesce((select json_agg(ip.intervention_id order by ip.intervention_id)
        from intervention_problems ip where ip.problem_id = p.id), '[]'::json)`.as('intervention_ids'),
      'p.source',
      isoTimestamp(sql.ref('p.created_at')).as('created_at'),
      isoTimestamp(sql.ref('p.updated_at')).as('updated_at'),
    ]);
}

function filtered(db: Kysely<Database>, filter: ProblemFilter) {
  let query = selectProblems(db);
  if (filter.neighbourhoodId !== undefined) query = query.where('p.neighbourhood_id', '=', filter.neighbourhoodId);
  if (filter.countyId !== undefined) {
    const countyId = filter.countyId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('neighbourhoods as fn').select('fn.id').whereRef('fn.id', '=', 'p.neighbourhood_id').where('fn.county_id', '=', countyId)));
  }
  if (filter.category !== undefined) query = query.where('p.category', '=', filter.category as Problem['category']);
  if (filter.status === 'open') query = query.where('p.status', '<>', 'resolved');
  else if (filter.status !== undefined) query = query.where('p.status', '=', filter.status);
  if (filter.agencyId !== undefined) query = query.where('p.agency_id', '=', filter.agencyId);
  if (filter.overdue !== undefined) query = query.where(filter.overdue ? overdueSql : sql<boolean>`not ${overdueSql}`);
  return query;
}

/** Most urgent first: open before resolved, then severity, then due date. */
export async function listProblems(db: Kysely<Database>, filter: ProblemFilter): Promise<Problem[]> {
  return filtered(db, filter)
    .orderBy(sql`p.status = 'resolved'`)
    .orderBy('p.severity', 'desc')
    .orderBy(sql`p.due_date nulls last`)
    .orderBy('p.id')
    .execute() as Promise<Problem[]>;
}

export async function findProblem(db: Kysely<Database>, id: number): Promise<Problem | undefined> {
  return (await selectProblems(db).where('p.id', '=', id).executeTakeFirst()) as Problem | undefined;
}

/** The workflow's view of a problem, locked until the transaction ends so two edits cannot interleave. */
export async function lockProblemState(db: Kysely<Database>, id: number): Promise<(ProblemState & { neighbourhood_id: number }) | undefined> {
  return db
    .selectFrom('problems as p')
    .select([
      'p.category', 'p.title', 'p.description', 'p.severity', 'p.status', 'p.agency_id', 'p.blocked_reason', 'p.neighbourhood_id',
      dateText(sql.ref('p.due_date')).as('due_date'),
    ])
    .where('p.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The workflow's state as columns of the problems table (picked, so nothing else a caller holds is written). */
function stateColumns(values: ProblemState) {
  return {
    category: values.category as Problem['category'],
    title: values.title,
    description: values.description,
    severity: values.severity,
    status: values.status,
    agency_id: values.agency_id,
    due_date: values.due_date,
    blocked_reason: values.blocked_reason,
  };
}

export async function insertProblem(
  db: Kysely<Database>,
  values: ProblemState & { neighbourhood_id: number; source?: string | null },
): Promise<number> {
  const row = await db
    .insertInto('problems')
    .values({ neighbourhood_id: values.neighbourhood_id, ...stateColumns(values), source: values.source ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProblem(db: Kysely<Database>, id: number, values: ProblemState): Promise<void> {
  await db
    .updateTable('problems')
    .set({ ...stateColumns(values), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export interface NewProblemEvent {
  problemId: number;
  actor: { id?: number; username: string } | null;
  action: 'create' | 'update';
  changes: ProblemChange[];
  note: string | null;
  /** Seeded history carries its own dates; live events are stamped now. */
  at?: string;
}

export async function insertProblemEvent(db: Kysely<Database>, event: NewProblemEvent): Promise<void> {
  await db
    .insertInto('problem_events')
    .values({
      problem_id: event.problemId,
      user_id: event.actor?.id ?? null,
      username: event.actor?.username ?? null,
      action: event.action,
      changes: JSON.stringify(event.changes),
      note: event.note,
      ...(event.at ? { at: event.at } : {}),
    })
    .execute();
}

/** Oldest first: the follow-up timeline reads top to bottom. */
export async function listProblemEvents(db: Kysely<Database>, problemId: number): Promise<ProblemEvent[]> {
  const rows = await db
    .selectFrom('problem_events as e')
    .select([
      'e.id', 'e.problem_id', isoTimestamp(sql.ref('e.at')).as('at'), 'e.username', 'e.action',
      sql<ProblemChange[]>`e.changes`.as('changes'), 'e.note',
    ])
    .where('e.problem_id', '=', problemId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  // jsonb arrives parsed from pg and from PGlite alike.
  return rows as ProblemEvent[];
}

export interface ProblemExportRow extends Problem {
  /** Where the problem stands on the map: a point inside its neighbourhood. */
  lon: number;
  lat: number;
  neighbourhood_code: string;
  neighbourhood_fa: string;
  neighbourhood_en: string;
  county_fa: string;
  county_en: string | null;
  agency_fa: string | null;
  agency_en: string | null;
}

/** Problems with the names a spreadsheet reader needs, for the CSV export. */
export async function listProblemsForExport(db: Kysely<Database>, filter: ProblemFilter): Promise<ProblemExportRow[]> {
  const problems = await listProblems(db, filter);
  if (problems.length === 0) return [];
  const names = await db
    .selectFrom('problems as p')
    .innerJoin('neighbourhoods as n', 'n.id', 'p.neighbourhood_id')
    .innerJoin('counties as c', 'c.id', 'n.county_id')
    .leftJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['p.id', 'n.code', 'n.name_fa', 'n.name_en', 'c.name_fa as county_fa', 'c.name_en as county_en', 'a.name_fa as agency_fa', 'a.name_en as agency_en',
      sql<number>`round(ST_X(ST_PointOnSurface(n.geom))::numeric, 6)::float8`.as('lon'),
      sql<number>`round(ST_Y(ST_PointOnSurface(n.geom))::numeric, 6)::float8`.as('lat')])
    .where('p.id', 'in', problems.map((p) => p.id))
    .execute();
  const byId = new Map(names.map((n) => [n.id, n]));
  return problems.map((p) => {
    const n = byId.get(p.id)!;
    return {
      ...p,
      lon: n.lon,
      lat: n.lat,
      neighbourhood_code: n.code,
      neighbourhood_fa: n.name_fa,
      neighbourhood_en: n.name_en,
      county_fa: n.county_fa,
      county_en: n.county_en,
      agency_fa: n.agency_fa,
      agency_en: n.agency_en,
    };
  });
}

/**
 * Problems as GeoJSON points: a problem has no geometry of its own, so it stands at a
 * point inside its neighbourhood (ST_PointOnSurface), with the neighbourhood's names.
 */
export async function problemsGeoJson(db: Kysely<Database>, filter: ProblemFilter): Promise<string> {
  const ids = filtered(db, filter).clearSelect().select('p.id');
  const { rows } = await sql<{ body: string }>`
    select ${exportFeatureCollection(sql`json_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', ${stAsGeoJson(sql`ST_PointOnSurface(n.geom)`)}::json,
        'properties', json_build_object(
          'id', p.id, 'neighbourhood_id', p.neighbourhood_id, 'neighbourhood_code', n.code,
          'neighbourhood_fa', n.name_fa, 'neighbourhood_en', n.name_en, 'county_fa', c.name_fa, 'county_en', c.name_en,
          'category', p.category, 'title', p.title, 'description', p.description, 'severity', p.severity,
          'status', p.status, 'agency_id', p.agency_id, 'agency_fa', a.name_fa, 'agency_en', a.name_en,
          'due_date', to_char(p.due_date, 'YYYY-MM-DD'), 'blocked_reason', p.blocked_reason,
          'overdue', ${overdueSql}, 'source', p.source,
          'created_at', ${isoTimestamp(sql.ref('p.created_at'))}, 'updated_at', ${isoTimestamp(sql.ref('p.updated_at'))})
      )`, sql`p.id`)} as body
    from problems p
    join neighbourhoods n on n.id = p.neighbourhood_id
    join counties c on c.id = n.county_id
    left join agencies a on a.id = p.agency_id
    where p.id in (${ids})`.execute(db);
  return rows[0]!.body;
}
