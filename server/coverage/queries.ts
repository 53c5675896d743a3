import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { stAsGeoJson } from '../db/postgis.js';
import {
  COUNCILS_PROGRAMME, DEPRIVED_MIN, METRIC_UNITS,
  type CoverageMetric, type CoverageRecord, type Gap, type SeriesPoint,
} from '../../shared/coverage-schemas.js';
import type { Programme } from '../../shared/coverage-schemas.js';
import { summariseCoverage } from './summary.js';

/** A record covers a day when from ≤ day ≤ to (both inclusive; to null = still covered). */
function coversDay(alias: string, at: string): RawBuilder<boolean> {
  const r = sql.raw(alias);
  return sql<boolean>`(${r}.from_date <= ${at}::date and (${r}.to_date is null or ${r}.to_date >= ${at}::date))`;
}

/**
 * The neighbourhoods a programme covers on a day, as a CTE body:
 *   select distinct neighbourhood_id from coverage_records r where programme_id = $1 and <covers day>
 */
function coveredCte(programmeId: number, at: string): RawBuilder<unknown> {
  return sql`select distinct r.neighbourhood_id from coverage_records r
    where r.programme_id = ${programmeId} and ${coversDay('r', at)}`;
}

// ─── records ────────────────────────────────────────────────────────────────

export interface RecordFilter {
  programme?: string | undefined;
  neighbourhoodId?: number | undefined;
  at?: string | undefined;
}

function selectRecords(db: Kysely<Database>) {
  return db
    .selectFrom('coverage_records as r')
    .innerJoin('programmes as p', 'p.id', 'r.programme_id')
    .innerJoin('neighbourhoods as n', 'n.id', 'r.neighbourhood_id')
    .select([
      'r.id', 'p.slug as programme', 'r.neighbourhood_id', 'n.code as neighbourhood_code', 'n.name_fa', 'n.name_en', 'n.county_id',
      sql<string>`r.from_date::text`.as('from'),
      sql<string | null>`r.to_date::text`.as('to'),
    ]);
}

export async function listRecords(db: Kysely<Database>, filter: RecordFilter): Promise<CoverageRecord[]> {
  let query = selectRecords(db);
  if (filter.programme !== undefined) query = query.where('p.slug', '=', filter.programme);
  if (filter.neighbourhoodId !== undefined) query = query.where('r.neighbourhood_id', '=', filter.neighbourhoodId);
  if (filter.at !== undefined) query = query.where(coversDay('r', filter.at));
  return query.orderBy('r.from_date').orderBy('r.id').execute();
}

export async function findRecord(db: Kysely<Database>, id: number): Promise<CoverageRecord | undefined> {
  return selectRecords(db).where('r.id', '=', id).executeTakeFirst();
}

/** Locks a record for the rest of the transaction (a concurrent PATCH waits). */
export async function lockRecord(db: Kysely<Database>, id: number): Promise<{ id: number; programme_id: number; neighbourhood_id: number; from: string; to: string | null } | undefined> {
  return db
    .selectFrom('coverage_records')
    .select(['id', 'programme_id', 'neighbourhood_id', sql<string>`from_date::text`.as('from'), sql<string | null>`to_date::text`.as('to')])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * A record of the same neighbourhood and programme whose period meets [from, to]
 * (to null = open-ended), other than `exceptId`. The exclusion constraint of migration
 * 0005 is the guarantee; this finds the culprit for a helpful 409.
 */
export async function findOverlap(
  db: Kysely<Database>,
  p: { neighbourhoodId: number; programmeId: number; from: string; to: string | null; exceptId?: number },
): Promise<{ id: number; from: string; to: string | null } | undefined> {
  let query = db
    .selectFrom('coverage_records')
    .select(['id', sql<string>`from_date::text`.as('from'), sql<string | null>`to_date::text`.as('to')])
    .where('neighbourhood_id', '=', p.neighbourhoodId)
    .where('programme_id', '=', p.programmeId)
    .where(sql<boolean>`daterange(from_date, to_date, '[]') && daterange(${p.from}::date, ${p.to}::date, '[]')`);
  if (p.exceptId !== undefined) query = query.where('id', '<>', p.exceptId);
  return query.orderBy('from_date').executeTakeFirst();
}

export async function insertRecord(
  db: Kysely<Database>,
  p: { neighbourhoodId: number; programmeId: number; from: string; to: string | null },
): Promise<number> {
  const row = await db
    .insertInto('coverage_records')
    .values({ neighbourhood_id: p.neighbourhoodId, programme_id: p.programmeId, from_date: p.from, to_date: p.to })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setRecordEnd(db: Kysely<Database>, id: number, to: string): Promise<void> {
  await db.updateTable('coverage_records').set({ to_date: to, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function neighbourhoodExists(db: Kysely<Database>, id: number): Promise<boolean> {
  return (await db.selectFrom('neighbourhoods').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

// ─── coverage at a day ──────────────────────────────────────────────────────

export async function coverageAt(db: Kysely<Database>, programme: Programme, at: string) {
  const { rows } = await sql<{ id: number; county_id: number; population: number; deprivation: number; covered: boolean }>`
    with covered as (${coveredCte(programme.id, at)})
    select n.id, n.county_id, n.population, n.deprivation::int as deprivation, (c.neighbourhood_id is not null) as covered
    from neighbourhoods n left join covered c on c.neighbourhood_id = n.id
    order by n.id`.execute(db);
  const counties = await db.selectFrom('counties').select(['id', 'name_fa', 'name_en']).orderBy('id').execute();
  const councils = await sql<{ count: number }>`
    select count(distinct r.neighbourhood_id)::int as count
    from coverage_records r join programmes p on p.id = r.programme_id
    where p.slug = ${COUNCILS_PROGRAMME} and ${coversDay('r', at)}`.execute(db);
  const figures = summariseCoverage(rows, counties, councils.rows[0]?.count ?? 0);
  return {
    programme: programme.slug,
    at,
    ...figures,
    neighbourhoods: rows.map((r) => ({ id: r.id, covered: r.covered })),
  };
}

// ─── coverage over time ─────────────────────────────────────────────────────

export interface SeriesRange {
  from: string;
  to: string;
  steps: number;
  /** One county's figures; the province's when absent. */
  countyId?: number | undefined;
}

/**
 * The figures of coverageAt (for the province, or one county) at `steps` evenly spaced days from
 * `from` to `to`, both included, in one query: the days, each neighbourhood covered on each, then
 * one group per day. Days are rounded to whole days, so a short span gives fewer, distinct ones.
 */
export async function coverageSeries(db: Kysely<Database>, programme: Programme, range: SeriesRange): Promise<SeriesPoint[]> {
  const county = range.countyId ?? null;
  const { rows } = await sql<SeriesPoint>`
    with days as (
      select distinct ${range.from}::date + round((${range.to}::date - ${range.from}::date) * i / (${range.steps}::int - 1)::numeric)::int as day
      from generate_series(0, ${range.steps}::int - 1) as i
    ),
    area as (
      select n.id, n.population, n.deprivation from neighbourhoods n
      where ${county}::int is null or n.county_id = ${county}::int
    ),
    covered as (
      select distinct d.day, r.neighbourhood_id
      from days d join coverage_records r
        on r.programme_id = ${programme.id} and r.from_date <= d.day and (r.to_date is null or r.to_date >= d.day)
    )
    select d.day::text as at,
      count(c.neighbourhood_id)::int as neighbourhoods_covered,
      coalesce(sum(a.population) filter (where c.neighbourhood_id is not null), 0)::float8 as population_covered,
      count(a.id) filter (where c.neighbourhood_id is null and a.deprivation >= ${DEPRIVED_MIN})::int as deprived_neighbourhoods_uncovered,
      coalesce(sum(a.population) filter (where c.neighbourhood_id is null and a.deprivation >= ${DEPRIVED_MIN}), 0)::float8 as deprived_population_uncovered
    from days d
    -- A county without neighbourhoods still has its days, at zero.
    left join area a on true
    left join covered c on c.day = d.day and c.neighbourhood_id = a.id
    group by d.day
    order by d.day`.execute(db);
  return rows;
}

// ─── heat, hexagons, gaps ───────────────────────────────────────────────────

/** Whether the interventions tables of migration 0004 are there (checked once at start-up). */
export async function hasInterventions(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select to_regclass('interventions') is not null and to_regclass('intervention_neighbourhoods') is not null as ok`.execute(db);
  return rows[0]?.ok === true;
}

export interface MetricQuery {
  programme: Programme;
  at: string;
  metric: CoverageMetric;
  /** False when the interventions tables are missing: that metric is then zero everywhere. */
  interventions: boolean;
}

/**
 * One row per neighbourhood with a positive weight for the metric, as a CTE body
 * (columns id, name_fa, name_en, geom, weight).
 *  - covered_population: people in covered neighbourhoods;
 *  - uncovered_deprived_population: people in deprived (4–5) neighbourhoods not covered;
 *  - interventions: interventions running on the day in the neighbourhood, whatever the
 *    programme — by their dates where they have them, by their status where they do not.
 */
function weightedNeighbourhoods(q: MetricQuery): RawBuilder<unknown> {
  let weight: RawBuilder<unknown>;
  if (q.metric === 'covered_population') {
    weight = sql`case when c.neighbourhood_id is not null then n.population else 0 end`;
  } else if (q.metric === 'uncovered_deprived_population') {
    weight = sql`case when c.neighbourhood_id is null and n.deprivation >= ${DEPRIVED_MIN} then n.population else 0 end`;
  } else if (q.interventions) {
    weight = sql`(select count(*) from intervention_neighbourhoods x join interventions iv on iv.id = x.intervention_id
      where x.neighbourhood_id = n.id
        and coalesce(iv.start_date <= ${q.at}::date, iv.status <> 'planned')
        and coalesce(iv.end_date >= ${q.at}::date, iv.status <> 'done'))`;
  } else {
    weight = sql`0`;
  }
  return sql`select * from (
      select n.id, n.name_fa, n.name_en, n.geom, (${weight})::float8 as weight
      from neighbourhoods n left join covered c on c.neighbourhood_id = n.id) w
    where w.weight > 0`;
}

/** Weighted points (a point inside each neighbourhood) for a MapLibre heatmap, as GeoJSON text. */
export async function heatGeoJson(db: Kysely<Database>, q: MetricQuery): Promise<string> {
  const { rows } = await sql<{ body: string }>`
    with covered as (${coveredCte(q.programme.id, q.at)}), weighted as (${weightedNeighbourhoods(q)})
    select json_build_object(
      'type', 'FeatureCollection', 'programme', ${q.programme.slug}::text, 'at', ${q.at}::text,
      'metric', ${q.metric}::text, 'unit', ${METRIC_UNITS[q.metric]}::text,
      'max_weight', coalesce(max(weight), 0),
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', id,
        'geometry', ${stAsGeoJson(sql`ST_PointOnSurface(geom)`)}::json,
        'properties', json_build_object('id', id, 'name_fa', name_fa, 'name_en', name_en, 'weight', weight)
      ) order by id), '[]'::json))::text as body
    from weighted`.execute(db);
  return rows[0]!.body;
}

/**
 * Hexagons of `size` metres (edge, web-mercator) with the metric shared out by area:
 * a neighbourhood gives each hexagon its weight × (the part of its area inside the
 * hexagon). Totals are kept whatever the size, and a small hexagon over a big
 * neighbourhood gets its fair part instead of all or nothing (as centroid assignment
 * would do). ST_HexagonGrid's grid is anchored at the origin, so hexagons generated
 * around different neighbourhoods line up and group by (i, j):
 *
 *   neighbourhood ──ST_HexagonGrid(size, its box)──▶ (i, j, hexagon) ──∩──▶ share of weight
 */
export async function hexGeoJson(db: Kysely<Database>, q: MetricQuery & { size: number }): Promise<string> {
  // The planner takes ST_HexagonGrid for a thousand-row function per neighbourhood, and
  // the inflated cost switches on JIT compilation, which alone took 300–600 ms of a query
  // that runs in 20 ms without it (PostgreSQL 15, PostGIS 3.3). SET LOCAL ends with the
  // transaction.
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return hexQuery(trx, q);
  });
}

async function hexQuery(db: Kysely<Database>, q: MetricQuery & { size: number }): Promise<string> {
  const { rows } = await sql<{ body: string }>`
    with covered as (${coveredCte(q.programme.id, q.at)}),
    weighted as (${weightedNeighbourhoods(q)}),
    projected as (select id, weight, ST_Transform(geom, 3857) as geom from weighted),
    cells as (
      select h.i, h.j, sum(p.weight * ST_Area(ST_Intersection(h.geom, p.geom)) / nullif(ST_Area(p.geom), 0)) as value
      from projected p cross join lateral ST_HexagonGrid(${q.size}::float8, p.geom) h
      where ST_Intersects(h.geom, p.geom)
      group by h.i, h.j
    ),
    rounded as (select i, j, round(value::numeric, 2)::float8 as value from cells where value > 0)
    select json_build_object(
      'type', 'FeatureCollection', 'programme', ${q.programme.slug}::text, 'at', ${q.at}::text,
      'metric', ${q.metric}::text, 'unit', ${METRIC_UNITS[q.metric]}::text,
      'size_m', ${q.size}::float8, 'aggregation', 'area_weighted',
      'max_value', coalesce(max(value), 0),
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', ${stAsGeoJson(sql`ST_Transform(ST_SetSRID(ST_Hexagon(${q.size}::float8, i, j), 3857), 4326)`)}::json,
        'properties', json_build_object('value', value, 'i', i, 'j', j)
      ) order by i, j), '[]'::json))::text as body
    from rounded where value > 0`.execute(db);
  return rows[0]!.body;
}

/** Deprived neighbourhoods (4–5) the programme does not cover on the day, most people first. */
export async function gaps(db: Kysely<Database>, programme: Programme, at: string, limit: number): Promise<Gap[]> {
  const { rows } = await sql<Omit<Gap, 'county'> & { county_id: number; county_fa: string; county_en: string | null }>`
    with covered as (${coveredCte(programme.id, at)})
    select n.id, n.code, n.name_fa, n.name_en, n.population, n.deprivation::int as deprivation,
      c.id as county_id, c.name_fa as county_fa, c.name_en as county_en,
      json_build_array(round(ST_X(pt)::numeric, 6)::float8, round(ST_Y(pt)::numeric, 6)::float8) as center,
      json_build_array(ST_XMin(box)::float8, ST_YMin(box)::float8, ST_XMax(box)::float8, ST_YMax(box)::float8) as bbox
    from neighbourhoods n
    join counties c on c.id = n.county_id
    cross join lateral (select ST_PointOnSurface(n.geom) as pt, Box2D(n.geom) as box) g
    where n.deprivation >= ${DEPRIVED_MIN}
      and not exists (select 1 from covered v where v.neighbourhood_id = n.id)
    order by n.population desc, n.id
    limit ${limit}`.execute(db);
  return rows.map(({ county_id, county_fa, county_en, ...gap }) => ({
    ...gap,
    county: { id: county_id, name_fa: county_fa, name_en: county_en },
  }));
}
