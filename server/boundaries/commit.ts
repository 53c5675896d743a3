import { sql, type Kysely, type Transaction } from 'kysely';
import type { BoundaryLayer, Database } from '../db/schema.js';
import type {
  ChangeCounts, CommitConfirmation, CommitResult, RestoreResult, UploadDiff, UploadReport,
} from '../../shared/boundaries-schemas.js';
import { AppError, notFound } from '../errors.js';
import { reason } from './errors.js';
import { recordAudit } from '../audit/record.js';
import type { AuthUser } from '../auth/sessions.js';
import { currentVersion, currentVersions, lockBoundaries, LAYER_TABLES, recordHistory, withoutJit } from './history.js';
import { NEIGHBOURHOOD_DEFAULTS } from './preview.js';
import type { ReferenceCounter } from './queries.js';
import { refreshAccess } from '../access/queries.js';

/**
 * Writing boundaries: committing a preview, discarding one, restoring a version. Each is
 * one transaction that first takes the boundary lock, so it sees every write before it and
 * none can slip in between its checks and its writes. Boundaries are updated in place by
 * code, never deleted and re-inserted: their ids — which problems, interventions and
 * coverage point at — stay the same. The statement triggers of migration 0003 bump the
 * layer revisions, so tiles change with the commit.
 */

/** 409: the layer changed after the preview was made; the upload must be previewed again. */
export class StalePreviewError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
    this.name = 'StalePreviewError';
  }
}

/** 409: a restore would delete boundaries that other records still point at. */
export class BlockedRemovalError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
    this.name = 'BlockedRemovalError';
  }
}

type Actor = AuthUser | null;

/** 409: the report has overlaps, features outside the service area or counties matched by spelling, unconfirmed. */
export class UnconfirmedCommitError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
    this.name = 'UnconfirmedCommitError';
  }
}

/** What a commit of this report must confirm, by number. */
export function confirmationNeeded(report: Partial<Pick<UploadReport, 'overlaps' | 'outside_service_area' | 'county_matches'>>): Required<CommitConfirmation> {
  return {
    overlaps: report.overlaps?.length ?? 0,
    outside_service_area: report.outside_service_area?.length ?? 0,
    county_matches: report.county_matches?.length ?? 0,
  };
}

/**
 * The uploader must name each number the report shows (not just say "yes"): a confirmation
 * made for another preview, or before the counts were read, does not fit and is refused.
 */
export function checkConfirmation(needed: Required<CommitConfirmation>, given: CommitConfirmation | undefined): void {
  const kinds = (Object.keys(needed) as (keyof CommitConfirmation)[]).filter((k) => needed[k] > 0);
  if (kinds.every((k) => given?.[k] === needed[k])) return;
  const words = { overlaps: 'overlaps', outside_service_area: 'features outside the service area', county_matches: 'counties matched by spelling' };
  const list = kinds.map((k) => `${needed[k]} ${words[k]}`).join(', ');
  const body = JSON.stringify({ confirm: Object.fromEntries(kinds.map((k) => [k, needed[k]])) });
  throw new UnconfirmedCommitError(
    `This upload has ${list}; look at them in the report, then commit with the body ${body} to accept them.`,
    reason('confirmation_required', needed),
  );
}

export async function commitUpload(
  db: Kysely<Database>,
  references: ReferenceCounter,
  uploadId: number,
  actor: Actor,
  confirm?: CommitConfirmation,
): Promise<CommitResult> {
  return db.transaction().execute(async (trx) => {
    await lockBoundaries(trx);
    await withoutJit(trx);
    const upload = await trx.selectFrom('boundary_uploads').selectAll().where('id', '=', uploadId).forUpdate().executeTakeFirst();
    if (!upload) throw notFound('upload', uploadId);
    requirePreview(upload);
    const needed = confirmationNeeded(upload.report as UploadReport);
    checkConfirmation(needed, confirm);

    const versions = await currentVersions(trx);
    const { layer } = upload;
    const base = { neighbourhoods: upload.base_neighbourhoods_version, counties: upload.base_counties_version };
    const moved = (['neighbourhoods', 'counties'] as const).find((l) => versions[l] !== base[l]);
    if (moved) {
      throw new StalePreviewError(
        `The ${moved} changed after this preview was made (now version ${versions[moved]}); upload the file again to see what it would change now.`,
        reason('stale_preview', { layer: moved, version: versions[moved] }),
      );
    }
    const staged = await trx
      .selectFrom('boundary_upload_features')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('upload_id', '=', uploadId)
      .where('rejected', 'is', null)
      .executeTakeFirstOrThrow();
    if (staged.n !== upload.staged_count) {
      throw new StalePreviewError(`The staged features of upload ${uploadId} are gone (the server restarted?); upload the file again.`,
        reason('staged_gone', { upload: uploadId }));
    }

    const diff = upload.diff as UploadDiff;
    const removed = diff.removed.map((r) => r.code);
    const nowReferenced = await references(trx, layer, removed);
    if (nowReferenced.size > 0) {
      throw new StalePreviewError(
        `Since the preview, other records point at boundaries it would remove (${[...nowReferenced.keys()].join(', ')}); upload the file again.`,
        reason('now_referenced', { codes: [...nowReferenced.keys()].join(', ') }),
      );
    }

    const version = versions[layer] + 1;
    const source = `Boundary upload ${uploadId}: ${upload.file_name}${upload.username ? ` by ${upload.username}` : ''}`;
    await writeUpload(trx, layer, uploadId, version, source);
    if (removed.length > 0) {
      await sql`delete from ${sql.table(LAYER_TABLES[layer].table)} where code = any(${removed}::text[])`.execute(trx);
    }
    const changed = diff.changed.map((c) => c.code);
    const added = diff.added.map((a) => a.code);
    await recordHistory(trx, layer, version, { closed: [...changed, ...removed], written: [...changed, ...added] });
    // Access to services is measured from the boundaries (server/access/).
    if (layer === 'neighbourhoods') await refreshAccess(trx);

    const counts: ChangeCounts = {
      features: diff.counts.features,
      added: diff.counts.added,
      changed: diff.counts.changed,
      removed: diff.counts.removed,
      unchanged: diff.counts.unchanged,
    };
    await trx
      .insertInto('boundary_versions')
      .values({
        layer,
        version,
        created_by: actor?.username ?? null,
        file_name: upload.file_name,
        note: `upload ${uploadId} (${upload.mode})`,
        upload_id: uploadId,
        counts: JSON.stringify(counts),
      })
      .execute();
    await trx
      .updateTable('boundary_uploads')
      .set({ status: 'committed', committed_version: version, decided_at: new Date() })
      .where('id', '=', uploadId)
      .execute();
    await trx.deleteFrom('boundary_upload_features').where('upload_id', '=', uploadId).execute();
    await recordAudit(trx, {
      actor,
      action: 'commit',
      entity: 'boundaries',
      entityId: uploadId,
      before: { layer, version: version - 1 },
      // What the uploader accepted knowingly, by number (all zero when the report had none).
      after: { layer, version, file: upload.file_name, mode: upload.mode, counts, confirmed: needed },
    });
    return { id: uploadId, status: 'committed', layer, version, counts };
  });
}

/**
 * The staged rows into the live table: changed ones updated by code (attributes the file
 * leaves empty keep their value; the shape only when it changed), added ones inserted.
 */
async function writeUpload(trx: Transaction<Database>, layer: BoundaryLayer, uploadId: number, version: number, source: string) {
  if (layer === 'neighbourhoods') {
    await sql`update neighbourhoods n set
        name_fa = f.name_fa,
        name_en = coalesce(f.name_en, n.name_en),
        county_id = case when f.county is not null then f.county_id else n.county_id end,
        population = coalesce(f.population, n.population),
        households = coalesce(f.households, n.households),
        deprivation = coalesce(f.deprivation, n.deprivation),
        informal = coalesce(f.informal, n.informal),
        geom = case when f.geometry_change_pct is null then n.geom else f.geom end,
        source = case when f.geometry_change_pct is null then n.source else ${source} end,
        boundary_version = ${version}::int,
        updated_at = now()
      from boundary_upload_features f
      where f.upload_id = ${uploadId} and f.change = 'changed' and n.code = f.code`.execute(trx);
    await sql`insert into neighbourhoods (code, name_fa, name_en, county_id, population, households, deprivation,
        informal, source, license, geom, boundary_version)
      select f.code, f.name_fa, coalesce(f.name_en, f.name_fa), f.county_id,
        coalesce(f.population, ${NEIGHBOURHOOD_DEFAULTS.population}::int), coalesce(f.households, ${NEIGHBOURHOOD_DEFAULTS.households}::int),
        coalesce(f.deprivation, ${NEIGHBOURHOOD_DEFAULTS.deprivation}::smallint), coalesce(f.informal, ${NEIGHBOURHOOD_DEFAULTS.informal}::boolean),
        ${source}, 'as supplied by the uploader', f.geom, ${version}::int
      from boundary_upload_features f
      where f.upload_id = ${uploadId} and f.change = 'added'
      order by f.idx`.execute(trx);
  } else {
    await sql`update counties c set
        name_fa = f.name_fa,
        name_en = coalesce(f.name_en, c.name_en),
        population = coalesce(f.population, c.population),
        geom = case when f.geometry_change_pct is null then c.geom else f.geom end,
        source = case when f.geometry_change_pct is null then c.source else ${source} end,
        boundary_version = ${version}::int,
        updated_at = now()
      from boundary_upload_features f
      where f.upload_id = ${uploadId} and f.change = 'changed' and c.code = f.code`.execute(trx);
    await sql`insert into counties (code, name_fa, name_en, population, source, license, geom, boundary_version)
      select f.code, f.name_fa, f.name_en, f.population, ${source}, 'as supplied by the uploader', f.geom, ${version}::int
      from boundary_upload_features f
      where f.upload_id = ${uploadId} and f.change = 'added'
      order by f.idx`.execute(trx);
  }
}

export async function discardUpload(db: Kysely<Database>, uploadId: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const upload = await trx.selectFrom('boundary_uploads').selectAll().where('id', '=', uploadId).forUpdate().executeTakeFirst();
    if (!upload) throw notFound('upload', uploadId);
    requirePreview(upload);
    await trx.updateTable('boundary_uploads').set({ status: 'discarded', decided_at: new Date() }).where('id', '=', uploadId).execute();
    await trx.deleteFrom('boundary_upload_features').where('upload_id', '=', uploadId).execute();
    await recordAudit(trx, {
      actor,
      action: 'discard',
      entity: 'boundaries',
      entityId: uploadId,
      before: { status: 'preview', layer: upload.layer, file: upload.file_name },
      after: { status: 'discarded' },
    });
  });
}

/** An upload can be committed or discarded while it is a preview, and only then. */
function requirePreview(upload: { id: number; status: string; committed_version: number | null }): void {
  if (upload.status === 'preview') return;
  const what = upload.status === 'committed' ? `was committed as version ${upload.committed_version}` : `was ${upload.status}`;
  throw new AppError('conflict', `Upload ${upload.id} ${what}; only a preview can be committed or discarded.`,
    reason('not_preview', { upload: upload.id, status: upload.status, version: upload.committed_version }));
}

/**
 * Makes the layer as it was at `target`, as a new version. The history says which state
 * of each code was valid then; codes whose current state is another row are written back
 * from it, codes that did not exist then are removed (unless other records point at them:
 * then nothing happens and the blockers are named), codes removed since come back.
 */
export async function restoreVersion(
  db: Kysely<Database>,
  references: ReferenceCounter,
  layer: BoundaryLayer,
  target: number,
  actor: Actor,
): Promise<RestoreResult> {
  return db.transaction().execute(async (trx) => {
    await lockBoundaries(trx);
    await withoutJit(trx);
    const known = await trx.selectFrom('boundary_versions').select('version').where('layer', '=', layer).where('version', '=', target).executeTakeFirst();
    if (!known) throw notFound(`${layer} version`, target);
    const { table, history, columns } = LAYER_TABLES[layer];

    // Per code: the history row valid at the target version and the current one.
    const { rows } = await sql<{ code: string; then_id: number | null; now_id: number | null }>`
      with then_rows as (
        select id, code from ${sql.table(history)}
        where valid_from <= ${target}::int and (valid_to is null or valid_to > ${target}::int)),
      now_rows as (select id, code from ${sql.table(history)} where valid_to is null)
      select coalesce(t.code, n.code) as code, t.id as then_id, n.id as now_id
      from then_rows t full join now_rows n on n.code = t.code
      where t.id is distinct from n.id`.execute(trx);
    const added = rows.filter((r) => r.now_id === null);
    const removed = rows.filter((r) => r.then_id === null);
    const changed = rows.filter((r) => r.then_id !== null && r.now_id !== null);

    const blocking = await references(trx, layer, removed.map((r) => r.code));
    if (blocking.size > 0) {
      const names = await trx.selectFrom(table).select(['code', 'name_fa']).where('code', 'in', [...blocking.keys()]).execute();
      throw new BlockedRemovalError(
        `Version ${target} lacks ${blocking.size} ${layer} that other records still point at; move those records first.`,
        reason('restore_blocked', { version: target, count: blocking.size, layer },
          { blockers: names.map((n) => ({ code: n.code, name_fa: n.name_fa, references: blocking.get(n.code)! })) }),
      );
    }
    if (layer === 'neighbourhoods') {
      const { rows: orphans } = await sql<{ code: string }>`
        select h.code from neighbourhood_versions h
        where h.id = any(${[...added, ...changed].map((r) => r.then_id!)}::int[])
          and not exists (select 1 from counties c where c.id = h.county_id)`.execute(trx);
      if (orphans.length > 0) {
        throw new BlockedRemovalError(
          `Version ${target} puts ${orphans.map((o) => o.code).join(', ')} in counties that no longer exist; restore the counties first.`,
          reason('restore_orphans', { version: target, codes: orphans.map((o) => o.code).join(', ') }),
        );
      }
    }

    const version = (await currentVersion(trx, layer)) + 1;
    const settable = columns.filter((c) => c !== 'code');
    if (changed.length > 0) {
      await sql`update ${sql.table(table)} l set
          ${sql.join(settable.map((c) => sql`${sql.ref(c)} = h.${sql.ref(c)}`))},
          boundary_version = ${version}::int, updated_at = now()
        from ${sql.table(history)} h
        where h.id = any(${changed.map((r) => r.then_id!)}::int[]) and l.code = h.code`.execute(trx);
    }
    if (added.length > 0) {
      const list = sql.join(columns.map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(table)} (${list}, boundary_version)
        select ${list}, ${version}::int from ${sql.table(history)}
        where id = any(${added.map((r) => r.then_id!)}::int[]) order by id`.execute(trx);
    }
    if (removed.length > 0) {
      await sql`delete from ${sql.table(table)} where code = any(${removed.map((r) => r.code)}::text[])`.execute(trx);
    }
    await recordHistory(trx, layer, version, {
      closed: [...changed, ...removed].map((r) => r.code),
      written: [...changed, ...added].map((r) => r.code),
    });
    if (layer === 'neighbourhoods') await refreshAccess(trx);

    const total = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx);
    const counts: ChangeCounts = {
      features: total.rows[0]!.n,
      added: added.length,
      changed: changed.length,
      removed: removed.length,
      unchanged: total.rows[0]!.n - added.length - changed.length,
    };
    await trx
      .insertInto('boundary_versions')
      .values({
        layer,
        version,
        created_by: actor?.username ?? null,
        file_name: null,
        note: `restore of version ${target}`,
        restored_from: target,
        counts: JSON.stringify(counts),
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'restore',
      entity: 'boundaries',
      entityId: `${layer}/${target}`,
      before: { layer, version: version - 1 },
      after: { layer, version, restored_from: target, counts },
    });
    return { layer, version, restored_from: target, counts };
  });
}
