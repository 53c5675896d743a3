import { sql, type Transaction } from 'kysely';
import type { BoundaryLayer, Database } from '../db/schema.js';
import type { UploadReport } from '../../shared/boundaries-schemas.js';
import type { MappedAttributes, Rejection } from './feature-attributes.js';
import type { PropertyValue } from './read-upload.js';
import type { ServiceArea } from './service-area.js';
import { LAYER_TABLES } from './history.js';

/**
 * Staging and checking an upload in PostGIS. The features go into boundary_upload_features
 * normalised — 2D, curves linearised, polygons only, valid, MultiPolygon, EPSG:4326 — with
 * what ST_IsValidReason said before the repair. The checks then read the staged rows:
 * duplicates, counties, the service area, overlaps and gaps.
 */

export interface StageRow {
  index: number;
  attributes: MappedAttributes;
  properties: Record<string, PropertyValue>;
  /** Hex EWKB as GDAL wrote it; null for no geometry. */
  ewkb: string | null;
  rejection?: Rejection;
}

export interface CheckThresholds {
  /** Overlaps between two boundaries smaller than this are digitising noise. */
  overlapM2: number;
  /** Holes between a county's neighbourhoods smaller than this are not reported. */
  gapM2: number;
  /** A feature is outside the service area when more than this share of it lies outside. */
  outsidePct: number;
}

export const DEFAULT_THRESHOLDS: CheckThresholds = { overlapM2: 100, gapM2: 1000, outsidePct: 1 };

const COLUMNS = [
  'idx', 'code', 'name_fa', 'name_en', 'county', 'county_id', 'population', 'households', 'deprivation', 'informal',
  'properties', 'ewkb', 'rejected', 'rejected_detail', 'rejected_values',
] as const;
const CASTS = ['int', 'text', 'text', 'text', 'text', 'int', 'int', 'int', 'smallint', 'boolean', 'jsonb', 'text', 'text', 'text', 'jsonb'];
/** Per statement: a few thousand parameters and some megabytes of geometry at most. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Writes the features in multi-row statements, normalising each geometry on the way in:
 *
 *   ewkb → ST_SetSRID 4326, ST_Force2D, ST_CurveToLine (arcs only)
 *        → points and lines: rejected (not_polygon); nothing: rejected (empty)
 *        → ST_CollectionExtract(…, 3) → ST_IsValidReason → ST_MakeValid when invalid
 *        → ST_CollectionExtract(…, 3) again (repair can leave lines) → ST_Multi
 *        → empty after repair: rejected (collapsed)
 */
export async function stageFeatures(trx: Transaction<Database>, uploadId: number, rows: StageRow[]): Promise<void> {
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && end - start < BATCH_ROWS && (bytes < BATCH_BYTES || end === start)) {
      bytes += rows[end]!.ewkb?.length ?? 0;
      end++;
    }
    await insertBatch(trx, uploadId, rows.slice(start, end));
    start = end;
  }
}

async function insertBatch(trx: Transaction<Database>, uploadId: number, rows: StageRow[]): Promise<void> {
  const values = sql.join(rows.map((row) => {
    const a = row.attributes;
    const cells = [
      row.index, a.code, a.name_fa, a.name_en, a.county, a.county_id, a.population, a.households, a.deprivation, a.informal,
      JSON.stringify(row.properties), row.rejection ? null : row.ewkb, row.rejection?.reason ?? null, row.rejection?.message ?? null,
      row.rejection ? JSON.stringify(row.rejection.values) : null,
    ];
    return sql`(${sql.join(cells.map((value, i) => sql`${value}::${sql.raw(CASTS[i]!)}`))})`;
  }));
  await sql`
    insert into boundary_upload_features (upload_id, idx, code, name_fa, name_en, county, county_id, population,
      households, deprivation, informal, properties, geom, invalid_reason, rejected, rejected_detail, rejected_values)
    select ${uploadId}::int, v.idx, v.code, v.name_fa, v.name_en, v.county, v.county_id, v.population,
      v.households, v.deprivation, v.informal, v.properties,
      case when v.rejected is null and g.problem is null then ST_Multi(g.fixed) end,
      case when g.reason <> 'Valid Geometry' then g.reason end,
      coalesce(v.rejected, g.problem),
      coalesce(v.rejected_detail, g.detail),
      coalesce(v.rejected_values, g.problem_values)
    from (values ${values}) as v(${sql.join(COLUMNS.map((c) => sql.ref(c)))})
    -- "offset 0" keeps each step a subquery of its own: flattened, every mention of a step's
    -- result would repeat its whole expression, parsing the EWKB and validating again each time.
    cross join lateral (select case when ST_HasArc(r.g) then ST_CurveToLine(r.g) else r.g end as g
      from (select ST_Force2D(ST_SetSRID(v.ewkb::geometry, 4326)) as g offset 0) r offset 0) as raw
    cross join lateral (select case when raw.g is not null and not ST_IsEmpty(raw.g) and ST_Dimension(raw.g) = 2
      then ST_CollectionExtract(raw.g, 3) end as g offset 0) as polygons
    cross join lateral (select case when polygons.g is not null then ST_IsValidReason(polygons.g) end as reason offset 0) as validity
    cross join lateral (select case
        when validity.reason is null then null
        when validity.reason = 'Valid Geometry' then polygons.g
        else ST_CollectionExtract(ST_MakeValid(polygons.g), 3)
      end as fixed offset 0) as repaired
    cross join lateral (select
        case
          when v.rejected is not null then null
          when raw.g is null or ST_IsEmpty(raw.g) then 'empty'
          when ST_Dimension(raw.g) < 2 then 'not_polygon'
          when repaired.fixed is null or ST_IsEmpty(repaired.fixed) then 'collapsed'
        end as problem,
        case
          when v.rejected is not null then null
          when raw.g is null or ST_IsEmpty(raw.g) then 'the feature has no geometry'
          when ST_Dimension(raw.g) < 2 then GeometryType(raw.g) || ' is not an area'
          when repaired.fixed is null or ST_IsEmpty(repaired.fixed) then 'nothing is left of it when repaired (' || validity.reason || ')'
        end as detail,
        case
          when v.rejected is not null then null
          when raw.g is null or ST_IsEmpty(raw.g) then '{}'::jsonb
          when ST_Dimension(raw.g) < 2 then jsonb_build_object('geometry_type', GeometryType(raw.g))
          when repaired.fixed is null or ST_IsEmpty(repaired.fixed) then jsonb_build_object('validity', validity.reason)
        end as problem_values,
        repaired.fixed, validity.reason offset 0) as g
  `.execute(trx);
}

/**
 * New neighbourhoods whose file gives no county go to the county that holds them (the one
 * under a point on their surface); a neighbourhood the layer already has keeps its county.
 * Those in no county are rejected.
 */
export async function assignCounties(trx: Transaction<Database>, uploadId: number): Promise<void> {
  await sql`update boundary_upload_features f set county_id = (
      select c.id from counties c where ST_Intersects(c.geom, ST_PointOnSurface(f.geom)) order by c.id limit 1)
    where f.upload_id = ${uploadId} and f.rejected is null and f.county is null
      and not exists (select 1 from neighbourhoods n where n.code = f.code)`.execute(trx);
  await sql`update boundary_upload_features f
    set rejected = 'outside_counties', rejected_detail = 'it lies in no county; map a county field or correct its position',
      rejected_values = '{}'::jsonb
    where f.upload_id = ${uploadId} and f.rejected is null and f.county is null and f.county_id is null
      and not exists (select 1 from neighbourhoods n where n.code = f.code)`.execute(trx);
}

/** Features sharing a code are all rejected: which one is right is for the uploader to say. */
export async function rejectDuplicates(trx: Transaction<Database>, uploadId: number): Promise<UploadReport['duplicate_codes']> {
  const { rows } = await sql<{ code: string; indexes: number[] }>`
    with duplicates as (
      select code, array_agg(idx order by idx) as indexes from boundary_upload_features
      where upload_id = ${uploadId} and rejected is null group by code having count(*) > 1)
    update boundary_upload_features f
    set rejected = 'duplicate_code',
      rejected_detail = 'the code ' || d.code || ' is on features ' || array_to_string(d.indexes, ', '),
      rejected_values = jsonb_build_object('value', d.code, 'indexes', to_jsonb(d.indexes))
    from duplicates d
    where f.upload_id = ${uploadId} and f.rejected is null and f.code = d.code
    returning d.code, d.indexes`.execute(trx);
  const byCode = new Map(rows.map((r) => [r.code, r.indexes]));
  return [...byCode].map(([code, indexes]) => ({ code, indexes })).sort((a, b) => a.indexes[0]! - b.indexes[0]!);
}

export async function repairedFeatures(trx: Transaction<Database>, uploadId: number): Promise<UploadReport['repaired']> {
  const { rows } = await sql<UploadReport['repaired'][number]>`
    select idx as index, code, name_fa, invalid_reason as reason from boundary_upload_features
    where upload_id = ${uploadId} and rejected is null and invalid_reason is not null order by idx`.execute(trx);
  return rows;
}

export async function rejectedFeatures(trx: Transaction<Database>, uploadId: number): Promise<UploadReport['rejected']> {
  const { rows } = await sql<UploadReport['rejected'][number]>`
    select idx as index, code, name_fa, rejected as reason, coalesce(rejected_values, '{}'::jsonb) as values,
      rejected_detail as message from boundary_upload_features
    where upload_id = ${uploadId} and rejected is not null order by idx`.execute(trx);
  return rows;
}

/**
 * Share of each feature outside the service area. The area is cut into small pieces
 * (ST_Subdivide) in a temporary table with a GiST index, so each feature meets only the
 * pieces its box touches, and a feature inside one piece costs one ST_CoveredBy.
 */
export async function outsideServiceArea(
  trx: Transaction<Database>,
  uploadId: number,
  area: ServiceArea,
  outsidePct: number,
): Promise<UploadReport['outside_service_area']> {
  if (area.kind === 'none') return [];
  const source = sql`select ST_Subdivide(ST_SetSRID(ST_GeomFromGeoJSON(${area.geojson}), 4326), 256) as g`;
  await sql`create temp table upload_service_area on commit drop as ${source}`.execute(trx);
  await sql`create index on upload_service_area using gist (g)`.execute(trx);
  const { rows } = await sql<UploadReport['outside_service_area'][number]>`
    select f.idx as index, f.code, f.name_fa, round(o.pct::numeric, 2)::float8 as outside_pct
    from boundary_upload_features f
    cross join lateral (select 100 * (1 - least(1, coalesce(sum(case
          when ST_CoveredBy(f.geom, a.g) then ST_Area(f.geom)
          else ST_Area(ST_Intersection(f.geom, a.g)) end), 0) / nullif(ST_Area(f.geom), 0))) as pct
        from upload_service_area a where a.g && f.geom) o
    where f.upload_id = ${uploadId} and f.rejected is null and o.pct > ${outsidePct}::float8
    order by f.idx`.execute(trx);
  await sql`drop table upload_service_area`.execute(trx);
  return rows;
}

/**
 * Overlaps between the boundaries the layer would hold, where at least one comes from the
 * file: the staged features, and the boundaries that stay (not in the file, not removed)
 * within the file's extent.
 *
 * Not the plain self-join that intersects every pair that touches: in a layer that tiles
 * (counties, neighbourhoods of a city) nearly every neighbouring pair touches, and each
 * ST_Intersection is a full overlay. The pairs come from the GiST index (&& on a temporary
 * table of the candidates), ST_Intersects drops the ones that do not meet (cheap: PostGIS
 * keeps the repeated geometry prepared), ST_Relate('2********') drops the ones that only
 * share a border, and only what is left — the real overlaps — is intersected and measured.
 * (Cutting the polygons into small pieces with ST_Subdivide first was tried: on the 478
 * counties of Iran the cutting alone took longer than this whole check.)
 */
export async function findOverlaps(
  trx: Transaction<Database>,
  uploadId: number,
  layer: BoundaryLayer,
  removedCodes: string[],
  overlapM2: number,
): Promise<UploadReport['overlaps']> {
  const { table } = LAYER_TABLES[layer];
  await sql`create temp table upload_candidates on commit drop as
    select f.idx as idx, f.code, true as staged, f.geom as g
    from boundary_upload_features f where f.upload_id = ${uploadId} and f.rejected is null
    union all
    select -l.id, l.code, false, l.geom
    from ${sql.table(table)} l
    where l.geom && (select ST_SetSRID(ST_Extent(geom)::geometry, 4326) from boundary_upload_features
        where upload_id = ${uploadId} and rejected is null)
      and not (l.code = any(${removedCodes}::text[]))
      and not exists (select 1 from boundary_upload_features f
        where f.upload_id = ${uploadId} and f.rejected is null and f.code = l.code)`.execute(trx);
  await sql`create index on upload_candidates using gist (g)`.execute(trx);
  await sql`analyze upload_candidates`.execute(trx);
  const { rows } = await sql<{ a_idx: number; a_code: string; a_staged: boolean; b_idx: number; b_code: string; b_staged: boolean; area_m2: number }>`
    select * from (
      select p.*, ST_Area(ST_Intersection(a.g, b.g)::geography)::float8 as area_m2
      from (
        select a.idx as a_idx, a.code as a_code, a.staged as a_staged, b.idx as b_idx, b.code as b_code, b.staged as b_staged
        from upload_candidates a join upload_candidates b on a.g && b.g and a.idx < b.idx
        where (a.staged or b.staged) and ST_Intersects(a.g, b.g) and ST_Relate(a.g, b.g, '2********')
        offset 0) p
      join upload_candidates a on a.idx = p.a_idx
      join upload_candidates b on b.idx = p.b_idx
      offset 0) measured
    where area_m2 > ${overlapM2}::float8
    order by area_m2 desc`.execute(trx);
  await sql`drop table upload_candidates`.execute(trx);
  const ref = (idx: number, code: string, staged: boolean) => ({ index: staged ? idx : null, code });
  return rows.map((r) => {
    // Staged features first, in file order.
    const a = ref(r.a_idx, r.a_code, r.a_staged);
    const b = ref(r.b_idx, r.b_code, r.b_staged);
    const swap = !r.a_staged || (r.b_staged && r.b_idx < r.a_idx);
    return { a: swap ? b : a, b: swap ? a : b, area_m2: Math.round(r.area_m2 * 10) / 10 };
  });
}

/**
 * Holes between a county's neighbourhoods, for the counties the file touches: the
 * neighbourhoods the layer would hold there are unioned, and each interior ring of the union
 * is a gap (less whatever lies inside it, an island neighbourhood).
 */
export async function findGaps(
  trx: Transaction<Database>,
  uploadId: number,
  removedCodes: string[],
  gapM2: number,
): Promise<UploadReport['gaps']> {
  const { rows } = await sql<{ county_id: number; county_fa: string; area_m2: number; x: number; y: number }>`
    with staged as (
      select coalesce(case when f.county is not null then f.county_id end, n.county_id, f.county_id) as county_id, f.code, f.geom
      from boundary_upload_features f left join neighbourhoods n on n.code = f.code
      where f.upload_id = ${uploadId} and f.rejected is null),
    result as (
      select county_id, geom from staged
      union all
      select n.county_id, n.geom from neighbourhoods n
      where n.county_id in (select county_id from staged)
        and not (n.code = any(${removedCodes}::text[]))
        and not exists (select 1 from staged s where s.code = n.code)),
    unions as (select county_id, ST_Union(geom) as g from result group by county_id),
    parts as (select u.county_id, p.geom from unions u, lateral ST_Dump(u.g) p),
    holes as (
      select parts.county_id, r.geom from parts, lateral ST_DumpRings(parts.geom) r
      where r.path[1] > 0 and ST_Area(r.geom::geography) > ${gapM2}::float8),
    gaps as (
      -- the parts of the union are disjoint: what lies inside a hole is a whole island part
      select h.county_id, h.geom, ST_Area(h.geom::geography) - coalesce((
          select sum(ST_Area(p.geom::geography)) from parts p
          where p.county_id = h.county_id and p.geom && h.geom and ST_Within(p.geom, h.geom)), 0) as area_m2
      from holes h)
    select g.county_id, c.name_fa as county_fa, g.area_m2::float8 as area_m2,
      ST_X(ST_PointOnSurface(g.geom))::float8 as x, ST_Y(ST_PointOnSurface(g.geom))::float8 as y
    from gaps g join counties c on c.id = g.county_id
    where g.area_m2 > ${gapM2}::float8
    order by area_m2 desc`.execute(trx);
  return rows.map((r) => ({
    county_id: r.county_id,
    county_fa: r.county_fa,
    area_m2: Math.round(r.area_m2),
    point: [Math.round(r.x * 1e6) / 1e6, Math.round(r.y * 1e6) / 1e6],
  }));
}
