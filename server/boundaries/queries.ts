import { sql, type Kysely, type Transaction } from 'kysely';
import type { BoundaryLayer, Database } from '../db/schema.js';
import { stAsGeoJson, stSameVertices } from '../db/postgis.js';

const SAME_VERTEX_TOLERANCE = 1e-6;
import type {
  BoundaryVersion, FieldMapping, Upload, UploadDiff, UploadField, UploadMode, UploadReport,
} from '../../shared/boundaries-schemas.js';
import type { AttributeValue, ComparedAttribute, CurrentBoundary, FeatureChange } from './diff.js';
import { LAYER_TABLES } from './history.js';

export interface NewUpload {
  layer: BoundaryLayer;
  mode: UploadMode;
  user: { id: number; username: string } | null;
  fileName: string;
  fileSize: number;
  format: string;
  crs: string;
  layerName: string;
  featureCount: number;
  fields: UploadField[];
  mapping: FieldMapping;
  options: Record<string, string>;
  baseVersions: Record<BoundaryLayer, number>;
}

/** The upload row, before its features are staged; report and diff follow in finishPreview. */
export async function insertUpload(trx: Transaction<Database>, upload: NewUpload): Promise<number> {
  const row = await trx
    .insertInto('boundary_uploads')
    .values({
      layer: upload.layer,
      mode: upload.mode,
      user_id: upload.user?.id ?? null,
      username: upload.user?.username ?? null,
      file_name: upload.fileName,
      file_size: upload.fileSize,
      format: upload.format,
      crs: upload.crs,
      layer_name: upload.layerName,
      feature_count: upload.featureCount,
      staged_count: 0,
      fields: JSON.stringify(upload.fields),
      mapping: JSON.stringify(upload.mapping),
      options: JSON.stringify(upload.options),
      report: '{}',
      diff: '{}',
      base_neighbourhoods_version: upload.baseVersions.neighbourhoods,
      base_counties_version: upload.baseVersions.counties,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishPreview(
  trx: Transaction<Database>,
  id: number,
  result: { report: UploadReport; diff: UploadDiff },
): Promise<void> {
  await sql`update boundary_uploads set report = ${JSON.stringify(result.report)}::jsonb, diff = ${JSON.stringify(result.diff)}::jsonb,
      staged_count = (select count(*) from boundary_upload_features where upload_id = ${id} and rejected is null)
    where id = ${id}`.execute(trx);
}

export async function findUploadRow(db: Kysely<Database>, id: number) {
  return db.selectFrom('boundary_uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

export type UploadRow = NonNullable<Awaited<ReturnType<typeof findUploadRow>>>;

/** An upload as the API shows it. */
export function uploadView(row: UploadRow): Upload {
  return {
    id: row.id,
    status: row.status,
    layer: row.layer,
    mode: row.mode,
    file_name: row.file_name,
    format: row.format,
    crs: row.crs,
    feature_count: row.feature_count,
    fields: row.fields as UploadField[],
    mapping: row.mapping as FieldMapping,
    report: row.report as UploadReport,
    diff: row.diff as UploadDiff,
    base_version: row.layer === 'neighbourhoods' ? row.base_neighbourhoods_version : row.base_counties_version,
    committed_version: row.committed_version,
    user: row.username,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** The staged features that passed, by file position. */
export async function acceptedFeatures(trx: Transaction<Database>, uploadId: number): Promise<{ index: number; county_id: number | null }[]> {
  const { rows } = await sql<{ index: number; county_id: number | null }>`
    select idx as index, county_id from boundary_upload_features
    where upload_id = ${uploadId} and rejected is null order by idx`.execute(trx);
  return rows;
}

/** Every code the file holds, accepted or not. */
export async function fileCodes(trx: Transaction<Database>, uploadId: number): Promise<Set<string>> {
  const { rows } = await sql<{ code: string }>`
    select distinct code from boundary_upload_features where upload_id = ${uploadId} and code is not null`.execute(trx);
  return new Set(rows.map((r) => r.code));
}

/** The layer's boundaries with the attributes a diff compares; all of them, or those with the given codes. */
export async function currentBoundaries(
  trx: Transaction<Database>,
  layer: BoundaryLayer,
  codes: string[] | 'all',
): Promise<Map<string, CurrentBoundary>> {
  const filter = codes === 'all' ? sql`true` : sql`x.code = any(${codes}::text[])`;
  const { rows } = layer === 'neighbourhoods'
    ? await sql<{ code: string } & Record<ComparedAttribute, AttributeValue>>`
        select x.code, x.name_fa, x.name_en, c.name_fa as county, x.population, x.households, x.deprivation, x.informal
        from neighbourhoods x join counties c on c.id = x.county_id where ${filter}`.execute(trx)
    : await sql<{ code: string } & Record<ComparedAttribute, AttributeValue>>`
        select x.code, x.name_fa, x.name_en, x.population from counties x where ${filter}`.execute(trx);
  return new Map(rows.map(({ code, ...attributes }) => [code, { code, name_fa: String(attributes.name_fa), attributes }]));
}

export async function countBoundaries(trx: Transaction<Database>, layer: BoundaryLayer): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(LAYER_TABLES[layer].table)}`.execute(trx);
  return rows[0]!.n;
}

/**
 * How each staged geometry compares with the boundary of the same code. Equal means the
 * same vertices, each within 1e-6° (about 10 cm): a file that went through another CRS and
 * back differs in the last bits of its coordinates, and one exported from this API (or most
 * GIS tools) is rounded to six decimals — neither is a change. The change of a
 * changed one is the area of the symmetric difference as a share of the old area.
 */
export async function compareGeometries(
  trx: Transaction<Database>,
  uploadId: number,
  layer: BoundaryLayer,
): Promise<Map<number, { same: boolean; changePct: number | null }>> {
  const { table } = LAYER_TABLES[layer];
  const { rows } = await sql<{ index: number; same: boolean; change_pct: number | null }>`
    select f.idx as index, s.same,
      case when s.same then null
        else (100 * ST_Area(ST_SymDifference(f.geom, n.geom)) / nullif(ST_Area(n.geom), 0))::float8 end as change_pct
    from boundary_upload_features f
    join ${sql.table(table)} n on n.code = f.code
    cross join lateral (select ${stSameVertices(sql.ref('f.geom'), sql.ref('n.geom'), SAME_VERTEX_TOLERANCE)} as same offset 0) s
    where f.upload_id = ${uploadId} and f.rejected is null`.execute(trx);
  return new Map(rows.map((r) => [r.index, { same: r.same, changePct: r.change_pct }]));
}

export async function saveChanges(
  trx: Transaction<Database>,
  uploadId: number,
  changes: Map<number, FeatureChange>,
  geometry: Map<number, { same: boolean; changePct: number | null }>,
): Promise<void> {
  if (changes.size === 0) return;
  const indexes = [...changes.keys()];
  const kinds = indexes.map((i) => changes.get(i)!);
  const pcts = indexes.map((i) => (changes.get(i) === 'changed' ? geometry.get(i)?.changePct ?? null : null));
  await sql`update boundary_upload_features f set change = v.change, geometry_change_pct = v.pct
    from (select unnest(${indexes}::int[]) as idx, unnest(${kinds}::text[]) as change, unnest(${pcts}::float8[]) as pct) v
    where f.upload_id = ${uploadId} and f.idx = v.idx`.execute(trx);
}

/**
 * Counts, per boundary code, the rows of other tables that point at it (problems,
 * interventions, coverage, networks … for neighbourhoods; neighbourhoods for counties).
 * Which tables those are is read from the database's foreign keys once, so areas added
 * later are covered without a change here.
 */
export function referenceCounter() {
  const foreignKeys = new Map<BoundaryLayer, Promise<{ table: string; column: string }[]>>();
  const keysOf = (db: Kysely<Database>, layer: BoundaryLayer) => {
    let keys = foreignKeys.get(layer);
    if (!keys) {
      keys = sql<{ table: string; column: string }>`
        select cl.relname as table, a.attname as column
        from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.confrelid = ${LAYER_TABLES[layer].table}::regclass
        order by 1`.execute(db).then((r) => r.rows);
      keys.catch(() => foreignKeys.delete(layer));
      foreignKeys.set(layer, keys);
    }
    return keys;
  };
  return async (db: Kysely<Database>, layer: BoundaryLayer, codes: string[]): Promise<Map<string, Record<string, number>>> => {
    const counts = new Map<string, Record<string, number>>();
    if (codes.length === 0) return counts;
    const { table } = LAYER_TABLES[layer];
    for (const key of await keysOf(db, layer)) {
      const { rows } = await sql<{ code: string; count: number }>`
        select b.code, count(*)::int as count
        from ${sql.table(key.table)} r join ${sql.table(table)} b on b.id = r.${sql.ref(key.column)}
        where b.code = any(${codes}::text[]) group by b.code`.execute(db);
      for (const row of rows) {
        const entry = counts.get(row.code) ?? {};
        entry[key.table] = row.count;
        counts.set(row.code, entry);
      }
    }
    return counts;
  };
}
export type ReferenceCounter = ReturnType<typeof referenceCounter>;

/**
 * The preview as GeoJSON, built in PostGIS: the file's accepted features with their
 * `change`, then the boundaries it would remove (or that stay, blocked). A changed feature
 * whose shape changed carries its old shape in the foreign member `before`.
 */
export async function previewGeoJson(db: Kysely<Database>, upload: { id: number; layer: BoundaryLayer; diff: UploadDiff }): Promise<string> {
  const { table } = LAYER_TABLES[upload.layer];
  const removed = upload.diff.removed.map((r) => r.code);
  const blocked = upload.diff.blocked.map((r) => r.code);
  const { rows } = await sql<{ body: string }>`
    select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(t.feature order by t.ord), '[]'::json))::text as body
    from (
      select f.idx::bigint as ord, json_build_object(
          'type', 'Feature', 'id', f.idx,
          'geometry', ${stAsGeoJson(sql.ref('f.geom'))}::json,
          'properties', json_build_object('index', f.idx, 'code', f.code, 'name_fa', f.name_fa,
            'name_en', coalesce(f.name_en, n.name_en), 'change', f.change, 'geometry_change_pct', f.geometry_change_pct,
            'repaired', f.invalid_reason is not null, 'blocked', false),
          'before', case when f.change = 'changed' and f.geometry_change_pct is not null
            then ${stAsGeoJson(sql.ref('n.geom'))}::json end) as feature
      from boundary_upload_features f left join ${sql.table(table)} n on n.code = f.code
      where f.upload_id = ${upload.id} and f.rejected is null
      union all
      select 10000000000 + n.id, json_build_object(
          'type', 'Feature', 'id', null,
          'geometry', ${stAsGeoJson(sql.ref('n.geom'))}::json,
          'properties', json_build_object('index', null, 'code', n.code, 'name_fa', n.name_fa, 'name_en', n.name_en,
            'change', case when n.code = any(${blocked}::text[]) then 'unchanged' else 'removed' end,
            'geometry_change_pct', null, 'repaired', false, 'blocked', n.code = any(${blocked}::text[])))
      from ${sql.table(table)} n
      where n.code = any(${[...removed, ...blocked]}::text[])
    ) t`.execute(db);
  return rows[0]!.body;
}

export async function listVersions(db: Kysely<Database>, layer: BoundaryLayer): Promise<BoundaryVersion[]> {
  const rows = await db
    .selectFrom('boundary_versions')
    .select(['version', 'created_at', 'created_by', 'file_name', 'note', 'upload_id', 'restored_from', 'counts'])
    .where('layer', '=', layer)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    created_at: new Date(r.created_at).toISOString(),
    user: r.created_by,
    file: r.file_name,
    note: r.note,
    upload_id: r.upload_id,
    restored_from: r.restored_from,
    counts: (r.counts ?? null) as BoundaryVersion['counts'],
  }));
}
