import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type {
  ReferenceCommitResult, ReferenceGeometryType, ReferenceKind, ReferenceLayer, ReferenceMapping, ReferenceUpload,
  ReferenceUploadReport, ReferenceVersionList, ServiceClass,
} from '../../shared/layers-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import type { AuthUser } from '../auth/sessions.js';
import { stAsGeoJson } from '../db/postgis.js';
import { refreshAfterFacilitiesChange } from '../access/queries.js';

/** One feature of an upload as it goes into reference_features. */
export interface StagedFeature {
  index: number;
  name_fa: string | null;
  name_en: string | null;
  type_value: string | null;
  service_class: ServiceClass | null;
  properties: Record<string, unknown>;
  /** Hex EWKB in EPSG:4326, as the upload reader gives it. */
  ewkb: string;
}

const STAGE_BATCH = 2000;

/** Inserts the features, a batch per statement (one JSON parameter each). */
export async function stageFeatures(trx: Transaction<Database>, uploadId: number, features: StagedFeature[]): Promise<void> {
  for (let start = 0; start < features.length; start += STAGE_BATCH) {
    const batch = features.slice(start, start + STAGE_BATCH);
    // Polygons are repaired (ST_MakeValid keeps their type when asked to); every geometry
    // loses a Z or M it may carry, which tiles and distances ignore anyway.
    await sql`insert into reference_features (upload_id, name_fa, name_en, type_value, service_class, properties, geom)
      select ${uploadId}::int, r.name_fa, r.name_en, r.type_value, r.service_class, r.properties,
        case when GeometryType(g.geom) like '%POLYGON' and not ST_IsValid(g.geom)
          then ST_CollectionExtract(ST_MakeValid(g.geom), 3) else g.geom end
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb)
        as r(index int, name_fa text, name_en text, type_value text, service_class text, properties jsonb, ewkb text)
      cross join lateral (select ST_SetSRID(ST_Force2D(r.ewkb::geometry), 4326) as geom) g
      order by r.index`.execute(trx);
  }
}

/** Features per geometry type, as PostGIS names them (POINT, MULTILINESTRING …). */
export async function geometryTypes(trx: Transaction<Database>, uploadId: number): Promise<Record<string, number>> {
  const { rows } = await sql<{ type: string; n: number }>`
    select GeometryType(geom) as type, count(*)::int as n from reference_features where upload_id = ${uploadId}::int group by 1 order by 1`.execute(trx);
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}

/**
 * Collections of one kind (a GeometryCollection of points) become that kind's multi
 * geometry; collections that mix kinds cannot be split into one layer and stay as they are.
 */
export async function flattenCollections(trx: Transaction<Database>, uploadId: number): Promise<void> {
  await sql`update reference_features set geom = ST_CollectionHomogenize(geom)
    where upload_id = ${uploadId}::int and GeometryType(geom) = 'GEOMETRYCOLLECTION'`.execute(trx);
}

export async function insertUpload(
  trx: Transaction<Database>,
  upload: {
    slug: string; name_fa: string; name_en: string; kind: ReferenceKind; geometry_type: ReferenceGeometryType;
    user: { id: number; username: string } | null; file_name: string; format: string; crs: string;
    feature_count: number; fields: unknown; mapping: ReferenceMapping; report: ReferenceUploadReport;
  },
): Promise<number> {
  const row = await trx
    .insertInto('reference_uploads')
    .values({
      slug: upload.slug, name_fa: upload.name_fa, name_en: upload.name_en, kind: upload.kind, geometry_type: upload.geometry_type,
      user_id: upload.user?.id ?? null, username: upload.user?.username ?? null, file_name: upload.file_name,
      format: upload.format, crs: upload.crs, feature_count: upload.feature_count,
      fields: JSON.stringify(upload.fields), mapping: JSON.stringify(upload.mapping), report: JSON.stringify(upload.report),
      decided_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUpload(db: Kysely<Database>, id: number): Promise<ReferenceUpload | undefined> {
  const row = await db
    .selectFrom('reference_uploads as u')
    .leftJoin('reference_layers as l', 'l.slug', 'u.slug')
    .select([
      'u.id', 'u.status', 'u.slug', 'u.name_fa', 'u.name_en', 'u.kind', 'u.geometry_type', 'u.file_name', 'u.feature_count',
      'u.mapping', 'u.report', 'u.created_at', 'u.username', 'l.version as layer_version',
    ])
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    status: row.status,
    slug: row.slug,
    name_fa: row.name_fa,
    name_en: row.name_en,
    kind: row.kind,
    geometry_type: row.geometry_type,
    file_name: row.file_name,
    feature_count: row.feature_count,
    mapping: row.mapping as ReferenceMapping,
    replaces_version: row.layer_version ?? null,
    report: row.report as ReferenceUploadReport,
    created_at: new Date(row.created_at).toISOString(),
    created_by: row.username,
  };
}

export async function listLayers(db: Kysely<Database>): Promise<ReferenceLayer[]> {
  const rows = await db
    .selectFrom('reference_layers')
    .select(['slug', 'name_fa', 'name_en', 'kind', 'geometry_type', 'feature_count', 'version', 'updated_at'])
    .orderBy('kind').orderBy('slug')
    .execute();
  return rows.map((r) => ({ ...r, updated_at: new Date(r.updated_at).toISOString() }));
}

export async function layerExists(db: Kysely<Database>, slug: string): Promise<boolean> {
  return (await db.selectFrom('reference_layers').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

/** The staged features of a preview as GeoJSON, built by PostGIS. */
export async function previewGeoJson(db: Kysely<Database>, uploadId: number): Promise<string> {
  const { rows } = await sql<{ body: string }>`
    select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', f.id, 'geometry', ${stAsGeoJson(sql.ref('f.geom'))}::json,
      'properties', json_build_object('name_fa', f.name_fa, 'name_en', f.name_en, 'type', f.type_value, 'service_class', f.service_class)
    ) order by f.id), '[]'::json))::text as body
    from reference_features f where f.upload_id = ${uploadId}::int`.execute(db);
  return rows[0]!.body;
}

type Actor = AuthUser | null;

/**
 * Serialises writers of reference layers; SHARE ROW EXCLUSIVE lets readers (tiles, lists)
 * on, while a second commit waits for the first.
 */
async function lockLayers(trx: Transaction<Database>): Promise<void> {
  await sql`lock table reference_layers in share row exclusive mode`.execute(trx);
}

/** Makes a preview the current version of its layer (a new layer when the slug is new). */
export async function commitUpload(db: Kysely<Database>, uploadId: number, actor: Actor): Promise<ReferenceCommitResult> {
  return db.transaction().execute(async (trx) => {
    await lockLayers(trx);
    const upload = await trx.selectFrom('reference_uploads').selectAll().where('id', '=', uploadId).forUpdate().executeTakeFirst();
    if (!upload) throw notFound('layer upload', uploadId);
    if (upload.status !== 'preview') throw new AppError('conflict', `layer upload ${uploadId} is ${upload.status}; only a preview can be committed`);
    const accepted = (upload.report as ReferenceUploadReport).accepted;
    const existing = await trx.selectFrom('reference_layers').selectAll().where('slug', '=', upload.slug).executeTakeFirst();
    const fields = {
      name_fa: upload.name_fa, name_en: upload.name_en, kind: upload.kind, geometry_type: upload.geometry_type,
      current_upload_id: uploadId, feature_count: accepted,
    };
    let layerId: number;
    let version: number;
    if (existing) {
      version = existing.version + 1;
      layerId = existing.id;
      await trx.updateTable('reference_layers').set({ ...fields, version, updated_at: new Date() }).where('id', '=', layerId).execute();
    } else {
      version = 1;
      layerId = (await trx.insertInto('reference_layers').values({ slug: upload.slug, ...fields, version }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await trx.insertInto('reference_layer_versions')
      .values({ layer_id: layerId, version, upload_id: uploadId, restored_from: null, created_by: actor?.username ?? null })
      .execute();
    await trx.updateTable('reference_uploads').set({ status: 'committed', decided_at: new Date() }).where('id', '=', uploadId).execute();
    if (upload.kind === 'facilities' || existing?.kind === 'facilities') await refreshAfterFacilitiesChange(trx);
    await recordAudit(trx, {
      actor, action: 'commit', entity: 'layers', entityId: upload.slug,
      before: existing ? { version: existing.version, features: existing.feature_count } : null,
      after: { version, features: accepted, file: upload.file_name, kind: upload.kind },
    });
    return { id: uploadId, status: 'committed' as const, slug: upload.slug, version, feature_count: accepted };
  });
}

export async function discardUpload(db: Kysely<Database>, uploadId: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const upload = await trx.selectFrom('reference_uploads').select(['status', 'slug']).where('id', '=', uploadId).forUpdate().executeTakeFirst();
    if (!upload) throw notFound('layer upload', uploadId);
    if (upload.status !== 'preview') throw new AppError('conflict', `layer upload ${uploadId} is ${upload.status}; only a preview can be discarded`);
    await trx.deleteFrom('reference_features').where('upload_id', '=', uploadId).execute();
    await trx.updateTable('reference_uploads').set({ status: 'discarded', decided_at: new Date() }).where('id', '=', uploadId).execute();
    await recordAudit(trx, { actor, action: 'discard', entity: 'layers', entityId: upload.slug, after: { upload: uploadId } });
  });
}

export async function listVersions(db: Kysely<Database>, slug: string): Promise<ReferenceVersionList> {
  const layer = await db.selectFrom('reference_layers').select(['id', 'version']).where('slug', '=', slug).executeTakeFirst();
  if (!layer) throw notFound('layer', slug);
  const rows = await db
    .selectFrom('reference_layer_versions as v')
    .innerJoin('reference_uploads as u', 'u.id', 'v.upload_id')
    .select(['v.version', 'v.upload_id', 'u.file_name', 'u.report', 'v.restored_from', 'v.created_by', 'v.created_at'])
    .where('v.layer_id', '=', layer.id)
    .orderBy('v.version', 'desc')
    .execute();
  return {
    slug,
    current: layer.version,
    items: rows.map(({ report, created_at, ...r }) => ({
      ...r,
      feature_count: (report as ReferenceUploadReport).accepted,
      created_at: new Date(created_at).toISOString(),
    })),
  };
}

/** Makes the layer as it was at `target`, as a new version pointing at that version's features. */
export async function restoreVersion(db: Kysely<Database>, slug: string, target: number, actor: Actor): Promise<ReferenceCommitResult & { restored_from: number }> {
  return db.transaction().execute(async (trx) => {
    await lockLayers(trx);
    const layer = await trx.selectFrom('reference_layers').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!layer) throw notFound('layer', slug);
    const then = await trx
      .selectFrom('reference_layer_versions as v')
      .innerJoin('reference_uploads as u', 'u.id', 'v.upload_id')
      .select(['v.upload_id', 'u.kind', 'u.geometry_type', 'u.name_fa', 'u.name_en', 'u.report'])
      .where('v.layer_id', '=', layer.id).where('v.version', '=', target)
      .executeTakeFirst();
    if (!then) throw notFound(`${slug} version`, target);
    const version = layer.version + 1;
    const featureCount = (then.report as ReferenceUploadReport).accepted;
    await trx.updateTable('reference_layers')
      .set({
        current_upload_id: then.upload_id, version, kind: then.kind, geometry_type: then.geometry_type,
        name_fa: then.name_fa, name_en: then.name_en, feature_count: featureCount, updated_at: new Date(),
      })
      .where('id', '=', layer.id).execute();
    await trx.insertInto('reference_layer_versions')
      .values({ layer_id: layer.id, version, upload_id: then.upload_id, restored_from: target, created_by: actor?.username ?? null })
      .execute();
    if (layer.kind === 'facilities' || then.kind === 'facilities') await refreshAfterFacilitiesChange(trx);
    await recordAudit(trx, {
      actor, action: 'restore', entity: 'layers', entityId: slug,
      before: { version: layer.version }, after: { version, restored_from: target },
    });
    return { id: then.upload_id, status: 'committed' as const, slug, version, feature_count: featureCount, restored_from: target };
  });
}
