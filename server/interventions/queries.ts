import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { dateText, isoTimestamp } from '../db/sql-values.js';
import { stAsGeoJson } from '../db/postgis.js';
import type { Category, Intervention, InterventionGeometry, InterventionStatus, PartnerInput } from '../../shared/method-schemas.js';
import { exportFeatureCollection } from '../exports/geojson.js';

export interface InterventionFilter {
  neighbourhoodId?: number | undefined;
  countyId?: number | undefined;
  category?: Category | undefined;
  status?: InterventionStatus | undefined;
  /** Lead or partner. */
  agencyId?: number | undefined;
}

function selectInterventions(db: Kysely<Database>) {
  return db
    .selectFrom('interventions as i')
    .select([
      'i.id', 'i.title', 'i.title_en', 'i.category', 'i.lead_agency_id',
      sql<Intervention['partners']>`coalesce((select json_agg(json_build_object(
          'agency_id', ip.agency_id, 'commitment', ip.commitment, 'commitment_en', ip.commitment_en, 'progress', ip.progress)
        order by ip.position, ip.agency_id) from intervention_partners ip where ip.intervention_id = i.id), '[]'::json)`.as('partners'),
      sql<number[]>`coalesce((select json_agg(x.neighbourhood_id order by x.neighbourhood_id)
        from intervention_neighbourhoods x where x.intervention_id = i.id), '[]'::json)`.as('neighbourhood_ids'),
      sql<number[]>`coalesce((select json_agg(x.problem_id order by x.problem_id)
        from intervention_problems x where x.intervention_id = i.id), '[]'::json)`.as('problem_ids'),
      'i.status',
      dateText(sql.ref('i.start_date')).as('start_date'),
      dateText(sql.ref('i.end_date')).as('end_date'),
      // bigint arrives as a string from pg; rials stay exact in a float8 up to 2^53.
      sql<number | null>`i.budget::float8`.as('budget'),
      'i.beneficiaries',
      sql<Intervention['geometry']>`${stAsGeoJson(sql.ref('i.geom'))}::json`.as('geometry'),
      'i.source',
      isoTimestamp(sql.ref('i.created_at')).as('created_at'),
      isoTimestamp(sql.ref('i.updated_at')).as('updated_at'),
    ]);
}

function filtered(db: Kysely<Database>, filter: InterventionFilter) {
  let query = selectInterventions(db);
  const { neighbourhoodId, countyId, agencyId } = filter;
  if (neighbourhoodId !== undefined) {
    query = query.where((eb) => eb.exists(eb.selectFrom('intervention_neighbourhoods as fx').select('fx.intervention_id')
      .whereRef('fx.intervention_id', '=', 'i.id').where('fx.neighbourhood_id', '=', neighbourhoodId)));
  }
  if (countyId !== undefined) {
    query = query.where((eb) => eb.exists(eb.selectFrom('intervention_neighbourhoods as fx')
      .innerJoin('neighbourhoods as fn', 'fn.id', 'fx.neighbourhood_id').select('fx.intervention_id')
      .whereRef('fx.intervention_id', '=', 'i.id').where('fn.county_id', '=', countyId)));
  }
  if (filter.category !== undefined) query = query.where('i.category', '=', filter.category);
  if (filter.status !== undefined) query = query.where('i.status', '=', filter.status);
  if (agencyId !== undefined) {
    query = query.where((eb) => eb.or([
      eb('i.lead_agency_id', '=', agencyId),
      eb.exists(eb.selectFrom('intervention_partners as fp').select('fp.agency_id')
        .whereRef('fp.intervention_id', '=', 'i.id').where('fp.agency_id', '=', agencyId)),
    ]));
  }
  return query;
}

/** Running first, then planned, then done; newest start first within each. */
export async function listInterventions(db: Kysely<Database>, filter: InterventionFilter): Promise<Intervention[]> {
  return filtered(db, filter)
    .orderBy(sql`case i.status when 'active' then 0 when 'planned' then 1 else 2 end`)
    .orderBy(sql`i.start_date desc nulls last`)
    .orderBy('i.id')
    .execute() as Promise<Intervention[]>;
}

export async function findIntervention(db: Kysely<Database>, id: number): Promise<Intervention | undefined> {
  return (await selectInterventions(db).where('i.id', '=', id).executeTakeFirst()) as Intervention | undefined;
}

export async function interventionExists(db: Kysely<Database>, id: number, lock = false): Promise<boolean> {
  let query = db.selectFrom('interventions').select('id').where('id', '=', id);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

export interface InterventionValues {
  title: string;
  title_en: string | null;
  category: Category;
  lead_agency_id: number;
  status: InterventionStatus;
  start_date: string | null;
  end_date: string | null;
  budget: number | null;
  beneficiaries: number | null;
  geometry: InterventionGeometry | null;
  source?: string | null;
}

function geomOf(geometry: InterventionGeometry | null): RawBuilder<string> | null {
  return geometry ? sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)` : null;
}

export async function insertIntervention(db: Kysely<Database>, v: InterventionValues): Promise<number> {
  const row = await db
    .insertInto('interventions')
    .values({
      title: v.title, title_en: v.title_en, category: v.category, lead_agency_id: v.lead_agency_id, status: v.status,
      start_date: v.start_date, end_date: v.end_date, budget: v.budget, beneficiaries: v.beneficiaries,
      geom: geomOf(v.geometry), source: v.source ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateIntervention(db: Kysely<Database>, id: number, v: Partial<InterventionValues>): Promise<void> {
  const { geometry, source: _source, ...columns } = v;
  await db
    .updateTable('interventions')
    .set({ ...columns, ...(geometry !== undefined ? { geom: geomOf(geometry) } : {}), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function replacePartners(db: Kysely<Database>, id: number, partners: readonly PartnerInput[]): Promise<void> {
  await db.deleteFrom('intervention_partners').where('intervention_id', '=', id).execute();
  if (partners.length === 0) return;
  await db
    .insertInto('intervention_partners')
    .values(partners.map((p, position) => ({
      intervention_id: id,
      agency_id: p.agency_id,
      commitment: p.commitment?.trim() ?? '',
      commitment_en: p.commitment_en?.trim() || null,
      progress: p.progress ?? 0,
      position,
    })))
    .execute();
}

export async function replaceNeighbourhoods(db: Kysely<Database>, id: number, neighbourhoodIds: readonly number[]): Promise<void> {
  await db.deleteFrom('intervention_neighbourhoods').where('intervention_id', '=', id).execute();
  const unique = [...new Set(neighbourhoodIds)];
  if (unique.length === 0) return;
  await db.insertInto('intervention_neighbourhoods').values(unique.map((n) => ({ intervention_id: id, neighbourhood_id: n }))).execute();
}

export async function replaceProblems(db: Kysely<Database>, id: number, problemIds: readonly number[]): Promise<void> {
  await db.deleteFrom('intervention_problems').where('intervention_id', '=', id).execute();
  const unique = [...new Set(problemIds)];
  if (unique.length === 0) return;
  await db.insertInto('intervention_problems').values(unique.map((p) => ({ intervention_id: id, problem_id: p }))).execute();
}

/**
 * The problems linked to an intervention that lie outside every neighbourhood it serves,
 * checked against the rows just written (so the rule holds for whatever a PATCH changed).
 */
export async function problemsOutsideServedNeighbourhoods(db: Kysely<Database>, id: number): Promise<{ id: number; neighbourhood_id: number }[]> {
  return db
    .selectFrom('intervention_problems as ip')
    .innerJoin('problems as p', 'p.id', 'ip.problem_id')
    .select(['p.id', 'p.neighbourhood_id'])
    .where('ip.intervention_id', '=', id)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('intervention_neighbourhoods as x').select('x.neighbourhood_id')
      .whereRef('x.intervention_id', '=', 'ip.intervention_id').whereRef('x.neighbourhood_id', '=', 'p.neighbourhood_id'))))
    .orderBy('p.id')
    .execute();
}

/** Why PostGIS finds a (well-formed) geometry invalid, or null when it is valid. */
export async function geometryInvalidReason(db: Kysely<Database>, geometry: InterventionGeometry): Promise<string | null> {
  const { rows } = await sql<{ reason: string | null }>`
    select case when ST_IsValid(g) then null else ST_IsValidReason(g) end as reason
    from (select ST_GeomFromGeoJSON(${JSON.stringify(geometry)}) as g) t`.execute(db);
  return rows[0]?.reason ?? null;
}

export interface InterventionExportRow extends Intervention {
  /** Where the intervention stands on the map: a point on its drawing, or inside the neighbourhoods it serves. */
  lon: number | null;
  lat: number | null;
  geometry_source: 'drawn' | 'neighbourhoods';
  lead_agency_fa: string;
  lead_agency_en: string;
  partners_text_fa: string;
  partners_text_en: string;
  neighbourhoods_fa: string;
  neighbourhoods_en: string;
  neighbourhood_codes: string;
}

/** Interventions with agency and neighbourhood names spelled out, for the CSV export. */
export async function listInterventionsForExport(db: Kysely<Database>, filter: InterventionFilter): Promise<InterventionExportRow[]> {
  const interventions = await listInterventions(db, filter);
  if (interventions.length === 0) return [];
  const agencies = new Map((await db.selectFrom('agencies').select(['id', 'name_fa', 'name_en']).execute()).map((a) => [a.id, a]));
  const neighbourhoodIds = [...new Set(interventions.flatMap((i) => i.neighbourhood_ids))];
  const neighbourhoods = new Map((await db.selectFrom('neighbourhoods').select(['id', 'code', 'name_fa', 'name_en'])
    .where('id', 'in', neighbourhoodIds).execute()).map((n) => [n.id, n]));
  const { rows: points } = await sql<{ id: number; lon: number | null; lat: number | null }>`
    select i.id, round(ST_X(p)::numeric, 6)::float8 as lon, round(ST_Y(p)::numeric, 6)::float8 as lat
    from interventions i cross join lateral (select ST_PointOnSurface(coalesce(i.geom, (select ST_Union(n.geom)
      from intervention_neighbourhoods x join neighbourhoods n on n.id = x.neighbourhood_id where x.intervention_id = i.id))) as p) g
    where i.id in (${sql.join(interventions.map((i) => i.id))})`.execute(db);
  const pointOf = new Map(points.map((p) => [p.id, p]));
  return interventions.map((i) => {
    const lead = agencies.get(i.lead_agency_id)!;
    const served = i.neighbourhood_ids.map((id) => neighbourhoods.get(id)!);
    return {
      ...i,
      lon: pointOf.get(i.id)?.lon ?? null,
      lat: pointOf.get(i.id)?.lat ?? null,
      geometry_source: i.geometry ? 'drawn' : 'neighbourhoods',
      lead_agency_fa: lead.name_fa,
      lead_agency_en: lead.name_en,
      partners_text_fa: i.partners.map((p) => `${agencies.get(p.agency_id)!.name_fa}: ${p.commitment} (${p.progress}٪)`).join(' | '),
      partners_text_en: i.partners.map((p) => `${agencies.get(p.agency_id)!.name_en}: ${p.commitment_en ?? p.commitment} (${p.progress}%)`).join(' | '),
      neighbourhoods_fa: served.map((n) => n.name_fa).join('، '),
      neighbourhoods_en: served.map((n) => n.name_en).join(', '),
      neighbourhood_codes: served.map((n) => n.code).join(' '),
    };
  });
}

/**
 * Interventions as GeoJSON for the map and for export. Where an intervention has no
 * geometry of its own it stands at a point inside the neighbourhoods it serves
 * (`geometry_source: "neighbourhoods"`); `has_area` says whether to draw an outline.
 */
export async function interventionsGeoJson(db: Kysely<Database>, filter: InterventionFilter): Promise<string> {
  const ids = filtered(db, filter).clearSelect().select('i.id');
  const { rows } = await sql<{ body: string }>`
    select ${exportFeatureCollection(sql`json_build_object(
        'type', 'Feature', 'id', i.id,
        'geometry', ${stAsGeoJson(sql`coalesce(i.geom, served.point)`)}::json,
        'properties', json_build_object(
          'id', i.id, 'title', i.title, 'title_en', i.title_en, 'category', i.category, 'status', i.status,
          'lead_agency_id', i.lead_agency_id, 'lead_agency_fa', a.name_fa, 'lead_agency_en', a.name_en,
          'partner_count', (select count(*)::int from intervention_partners ip where ip.intervention_id = i.id),
          'partners_fa', partners.fa, 'partners_en', partners.en,
          'neighbourhood_ids', served.ids, 'neighbourhood_codes', served.codes,
          'neighbourhoods_fa', served.names_fa, 'neighbourhoods_en', served.names_en,
          'problem_ids', coalesce((select json_agg(x.problem_id order by x.problem_id) from intervention_problems x where x.intervention_id = i.id), '[]'::json),
          'start_date', to_char(i.start_date, 'YYYY-MM-DD'), 'end_date', to_char(i.end_date, 'YYYY-MM-DD'),
          'budget_rials', i.budget::float8, 'beneficiaries', i.beneficiaries,
          'geometry_type', replace(ST_GeometryType(i.geom), 'ST_', ''),
          'has_area', coalesce(ST_Dimension(i.geom) = 2, false),
          'geometry_source', case when i.geom is null then 'neighbourhoods' else 'drawn' end,
          'source', i.source)
      )`, sql`i.id`)} as body
    from interventions i
    join agencies a on a.id = i.lead_agency_id
    cross join lateral (
      select json_agg(n.id order by n.id) as ids, ST_PointOnSurface(ST_Union(n.geom)) as point,
        string_agg(n.code, ' ' order by n.id) as codes, string_agg(n.name_fa, '، ' order by n.id) as names_fa,
        string_agg(n.name_en, ', ' order by n.id) as names_en
      from intervention_neighbourhoods x join neighbourhoods n on n.id = x.neighbourhood_id
      where x.intervention_id = i.id
    ) served
    -- Written as the CSV writes them (listInterventionsForExport).
    cross join lateral (
      select coalesce(string_agg(g.name_fa || ': ' || ip.commitment || ' (' || ip.progress || '٪)', ' | ' order by ip.position, ip.agency_id), '') as fa,
        coalesce(string_agg(g.name_en || ': ' || coalesce(ip.commitment_en, ip.commitment) || ' (' || ip.progress || '%)', ' | ' order by ip.position, ip.agency_id), '') as en
      from intervention_partners ip join agencies g on g.id = ip.agency_id
      where ip.intervention_id = i.id
    ) partners
    where i.id in (${ids})`.execute(db);
  return rows[0]!.body;
}
