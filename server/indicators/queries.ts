import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  COMPOSITE_PREFIX,
  type Indicator, type IndicatorCommitResult, type IndicatorComposite, type IndicatorCompositePart, type IndicatorRankItem,
  type IndicatorUpload, type IndicatorUploadReport, type IndicatorValues, type IndicatorVersionList,
} from '../../shared/indicators-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import type { AuthUser } from '../auth/sessions.js';
import type { StagedValue } from './table-report.js';
import { BUILTIN_INDICATORS, builtinValues } from './builtin.js';
import { compositeScores, type NeighbourhoodValue } from './composite-score.js';

type Actor = AuthUser | null;

/** Every neighbourhood's code → id, for matching a table's rows. */
export async function neighbourhoodCodes(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('neighbourhoods').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export interface NewUpload {
  slug: string; name_fa: string; name_en: string; unit_fa: string; unit_en: string;
  user: { id: number; username: string } | null; file_name: string; report: IndicatorUploadReport;
}

const STAGE_BATCH = 5000;

/** A preview: the upload and its matched values, in one transaction. */
export async function insertPreview(db: Kysely<Database>, upload: NewUpload, values: StagedValue[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx.insertInto('indicator_uploads')
      .values({
        slug: upload.slug, name_fa: upload.name_fa, name_en: upload.name_en, unit_fa: upload.unit_fa, unit_en: upload.unit_en,
        user_id: upload.user?.id ?? null, username: upload.user?.username ?? null, file_name: upload.file_name,
        report: JSON.stringify(upload.report), decided_at: null,
      })
      .returning('id').executeTakeFirstOrThrow();
    for (let start = 0; start < values.length; start += STAGE_BATCH) {
      const batch = values.slice(start, start + STAGE_BATCH);
      await sql`insert into indicator_values (upload_id, indicator, neighbourhood_id, value)
        select ${id}::int, r.indicator, r.neighbourhood_id, r.value
        from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as r(indicator text, neighbourhood_id int, value float8)`.execute(trx);
    }
    return id;
  });
}

export async function findUpload(db: Kysely<Database>, id: number): Promise<IndicatorUpload | undefined> {
  const row = await db.selectFrom('indicator_uploads as u')
    .leftJoin('indicator_sets as s', 's.slug', 'u.slug')
    .select(['u.id', 'u.status', 'u.slug', 'u.name_fa', 'u.name_en', 'u.unit_fa', 'u.unit_en', 'u.file_name', 'u.report',
      'u.created_at', 'u.username', 's.version as set_version'])
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { set_version, username, created_at, report, ...rest } = row;
  return {
    ...rest,
    report: report as IndicatorUploadReport,
    replaces_version: set_version ?? null,
    created_at: new Date(created_at).toISOString(),
    created_by: username,
  };
}

/** Serialises writers of indicator sets; readers go on. */
async function lockSets(trx: Transaction<Database>): Promise<void> {
  await sql`lock table indicator_sets in share row exclusive mode`.execute(trx);
}

/** Makes a preview the current version of its set (a new set when the slug is new). */
export async function commitUpload(db: Kysely<Database>, uploadId: number, actor: Actor): Promise<IndicatorCommitResult> {
  return db.transaction().execute(async (trx) => {
    await lockSets(trx);
    const upload = await trx.selectFrom('indicator_uploads').selectAll().where('id', '=', uploadId).forUpdate().executeTakeFirst();
    if (!upload) throw notFound('indicator upload', uploadId);
    if (upload.status !== 'preview') throw new AppError('conflict', `indicator upload ${uploadId} is ${upload.status}; only a preview can be committed`);
    const existing = await trx.selectFrom('indicator_sets').selectAll().where('slug', '=', upload.slug).executeTakeFirst();
    let setId: number;
    let version: number;
    if (existing) {
      version = existing.version + 1;
      setId = existing.id;
      await trx.updateTable('indicator_sets').set({ current_upload_id: uploadId, version, updated_at: new Date() }).where('id', '=', setId).execute();
    } else {
      version = 1;
      setId = (await trx.insertInto('indicator_sets').values({ slug: upload.slug, current_upload_id: uploadId, version }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await trx.insertInto('indicator_set_versions').values({ set_id: setId, version, upload_id: uploadId, created_by: actor?.username ?? null }).execute();
    await trx.updateTable('indicator_uploads').set({ status: 'committed', decided_at: new Date() }).where('id', '=', uploadId).execute();
    const report = upload.report as IndicatorUploadReport;
    await recordAudit(trx, {
      actor, action: 'commit', entity: 'indicators', entityId: upload.slug,
      before: existing ? { version: existing.version } : null,
      after: { version, matched: report.matched, file: upload.file_name },
    });
    return { id: uploadId, status: 'committed' as const, slug: upload.slug, version, indicators: report.indicators.map((i) => `${upload.slug}.${i.key}`) };
  });
}

export async function discardUpload(db: Kysely<Database>, uploadId: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const upload = await trx.selectFrom('indicator_uploads').select(['status', 'slug']).where('id', '=', uploadId).forUpdate().executeTakeFirst();
    if (!upload) throw notFound('indicator upload', uploadId);
    if (upload.status !== 'preview') throw new AppError('conflict', `indicator upload ${uploadId} is ${upload.status}; only a preview can be discarded`);
    await trx.deleteFrom('indicator_values').where('upload_id', '=', uploadId).execute();
    await trx.updateTable('indicator_uploads').set({ status: 'discarded', decided_at: new Date() }).where('id', '=', uploadId).execute();
    await recordAudit(trx, { actor, action: 'discard', entity: 'indicators', entityId: upload.slug, after: { upload: uploadId } });
  });
}

export async function listVersions(db: Kysely<Database>, slug: string): Promise<IndicatorVersionList> {
  const set = await db.selectFrom('indicator_sets').select(['id', 'version']).where('slug', '=', slug).executeTakeFirst();
  if (!set) throw notFound('indicator set', slug);
  const rows = await db.selectFrom('indicator_set_versions as v')
    .innerJoin('indicator_uploads as u', 'u.id', 'v.upload_id')
    .select(['v.version', 'v.upload_id', 'u.file_name', 'u.report', 'v.created_by', 'v.created_at'])
    .where('v.set_id', '=', set.id)
    .orderBy('v.version', 'desc')
    .execute();
  return {
    slug,
    current: set.version,
    items: rows.map(({ report, created_at, ...r }) => ({
      ...r, matched: (report as IndicatorUploadReport).matched, created_at: new Date(created_at).toISOString(),
    })),
  };
}

/** The built-in indicators, then every column of every imported set's current version, then the composites. */
export async function listIndicators(db: Kysely<Database>): Promise<Indicator[]> {
  const sets = await db.selectFrom('indicator_sets as s')
    .innerJoin('indicator_uploads as u', 'u.id', 's.current_upload_id')
    .select(['s.slug', 's.version', 'u.name_fa', 'u.name_en', 'u.unit_fa', 'u.unit_en', 'u.report'])
    .orderBy('s.slug')
    .execute();
  const imported = sets.flatMap((set) => {
    const { indicators } = set.report as IndicatorUploadReport;
    // A set of one column is named as the set; several columns add the column's name.
    return indicators.map((i): Indicator => ({
      key: `${set.slug}.${i.key}`, source: 'imported', version: set.version, unit_fa: set.unit_fa, unit_en: set.unit_en,
      name_fa: indicators.length === 1 ? set.name_fa : `${set.name_fa} — ${i.column}`,
      name_en: indicators.length === 1 ? set.name_en : `${set.name_en} — ${i.column}`,
    }));
  });
  const builtins = BUILTIN_INDICATORS.map(({ query: _query, ...b }): Indicator => ({ ...b, source: 'builtin', version: null }));
  const composites = await db.selectFrom('indicator_composites').select(['slug', 'name_fa', 'name_en']).orderBy('slug').execute();
  return [...builtins, ...imported, ...composites.map(compositeIndicator)];
}

/** An indicator's value per neighbourhood that exists; imported ones at their current version or the one asked. */
export async function indicatorValues(db: Kysely<Database>, key: string, version: number | undefined): Promise<IndicatorValues> {
  if (key.startsWith(`${COMPOSITE_PREFIX}.`)) {
    if (version !== undefined) throw new AppError('invalid_request', `version (querystring) applies to imported indicators only; ${key} is a composite`);
    return { key, version: null, items: await compositeValues(db, key) };
  }
  const builtin = BUILTIN_INDICATORS.find((b) => b.key === key);
  if (builtin) {
    if (version !== undefined) throw new AppError('invalid_request', `version (querystring) applies to imported indicators only; ${key} is built in`);
    return { key, version: null, items: await builtinValues(db, builtin) };
  }
  const [slug, column, extra] = key.split('.');
  if (!slug || !column || extra !== undefined) throw notFound('indicator', key);
  const set = await db.selectFrom('indicator_sets').select(['id', 'version', 'current_upload_id']).where('slug', '=', slug).executeTakeFirst();
  if (!set) throw notFound('indicator', key);
  let uploadId = set.current_upload_id;
  if (version !== undefined && version !== set.version) {
    const then = await db.selectFrom('indicator_set_versions').select('upload_id').where('set_id', '=', set.id).where('version', '=', version).executeTakeFirst();
    if (!then) throw notFound(`${slug} version`, version);
    uploadId = then.upload_id;
  }
  const upload = await db.selectFrom('indicator_uploads').select('report').where('id', '=', uploadId).executeTakeFirstOrThrow();
  if (!(upload.report as IndicatorUploadReport).indicators.some((i) => i.key === column)) throw notFound('indicator', key);
  const items = await db.selectFrom('indicator_values as v')
    .innerJoin('neighbourhoods as n', 'n.id', 'v.neighbourhood_id')
    .select(['v.neighbourhood_id', 'v.value'])
    .where('v.upload_id', '=', uploadId).where('v.indicator', '=', column)
    .orderBy('v.neighbourhood_id')
    .execute();
  return { key, version: version ?? set.version, items: items.map((i) => ({ neighbourhood_id: i.neighbourhood_id, value: Number(i.value) })) };
}

// ---- composites

const COMPOSITE_UNIT = { unit_fa: 'امتیاز ۰ تا ۱۰۰', unit_en: 'score 0–100' } as const;

function compositeIndicator(row: { slug: string; name_fa: string; name_en: string }): Indicator {
  return { key: `${COMPOSITE_PREFIX}.${row.slug}`, source: 'composite', name_fa: row.name_fa, name_en: row.name_en, ...COMPOSITE_UNIT, version: null };
}

/** The scores of composite.<slug> from its parts' current values (see composite-score.ts). */
async function compositeValues(db: Kysely<Database>, key: string): Promise<NeighbourhoodValue[]> {
  const slug = key.slice(COMPOSITE_PREFIX.length + 1);
  const row = await db.selectFrom('indicator_composites').select('parts').where('slug', '=', slug).executeTakeFirst();
  if (!row) throw notFound('indicator', key);
  const parts = row.parts as IndicatorCompositePart[];
  const known = new Set((await listIndicators(db)).map((i) => i.key));
  // A part can go away after the composite is made: a new version of its set without that column.
  const gone = parts.filter((p) => !known.has(p.key)).map((p) => p.key);
  if (gone.length > 0) {
    throw new AppError('conflict', `${key} cannot be scored: its part ${gone.join(', ')} is no longer an indicator; define the composite again without it`);
  }
  const values = [];
  for (const part of parts) values.push({ weight: part.weight, items: (await indicatorValues(db, part.key, undefined)).items });
  return compositeScores(values);
}

export interface CompositeDefinition {
  slug: string;
  name_fa: string;
  name_en: string;
  parts: IndicatorCompositePart[];
}

/**
 * Saves a composite, replacing one of the same slug; `created` says whether it is new. The
 * caller has checked the parts' shape (weights, no key twice, no composite among them); this
 * checks what needs the database: the slug is not an imported set's, every part exists.
 */
export async function saveComposite(db: Kysely<Database>, definition: CompositeDefinition, actor: Actor): Promise<{ indicator: Indicator; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    // The same lock as a set's commit: a set and a composite cannot take one slug at once.
    await lockSets(trx);
    const { slug, name_fa, name_en, parts } = definition;
    const set = await trx.selectFrom('indicator_sets').select('slug').where('slug', '=', slug).executeTakeFirst();
    if (set) throw new AppError('conflict', `slug "${slug}" is an imported indicator set's; give the composite another slug`);
    const known = new Set((await listIndicators(trx)).filter((i) => i.source !== 'composite').map((i) => i.key));
    const unknown = parts.find((p) => !known.has(p.key));
    if (unknown) throw new AppError('not_found', `indicator ${unknown.key} does not exist; GET /api/indicators lists the built-in and imported ones`);
    const existing = await trx.selectFrom('indicator_composites').select(['name_fa', 'name_en', 'parts']).where('slug', '=', slug).executeTakeFirst();
    const row = { name_fa, name_en, parts: JSON.stringify(parts), created_by: actor?.username ?? null };
    if (existing) {
      await trx.updateTable('indicator_composites').set({ ...row, created_at: new Date() }).where('slug', '=', slug).execute();
    } else {
      await trx.insertInto('indicator_composites').values({ slug, ...row }).execute();
    }
    await recordAudit(trx, {
      actor, action: existing ? 'replace' : 'create', entity: 'indicators', entityId: `${COMPOSITE_PREFIX}.${slug}`,
      before: existing ? { name_fa: existing.name_fa, name_en: existing.name_en, parts: existing.parts } : null,
      after: { name_fa, name_en, parts },
    });
    return { indicator: compositeIndicator({ slug, name_fa, name_en }), created: !existing };
  });
}

export async function findComposite(db: Kysely<Database>, slug: string): Promise<IndicatorComposite | undefined> {
  const row = await db.selectFrom('indicator_composites').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, parts: row.parts as IndicatorCompositePart[], created_at: new Date(row.created_at).toISOString() };
}

export async function deleteComposite(db: Kysely<Database>, slug: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockSets(trx);
    const existing = await trx.selectFrom('indicator_composites').select(['name_fa', 'name_en', 'parts']).where('slug', '=', slug).executeTakeFirst();
    if (!existing) throw notFound('composite indicator', slug);
    await trx.deleteFrom('indicator_composites').where('slug', '=', slug).execute();
    await recordAudit(trx, { actor, action: 'delete', entity: 'indicators', entityId: `${COMPOSITE_PREFIX}.${slug}`, before: existing, after: null });
  });
}

// ---- ranking

/**
 * The n neighbourhoods with the highest value, highest first, ties by id, with their names.
 * The values go to the database as one JSON parameter, as a preview's do (insertPreview);
 * a value of a neighbourhood that no longer exists is left out by the join.
 */
export async function topNeighbourhoods(db: Kysely<Database>, items: readonly NeighbourhoodValue[], n: number): Promise<IndicatorRankItem[]> {
  if (items.length === 0) return [];
  const { rows } = await sql<Omit<IndicatorRankItem, 'value'>>`select r.neighbourhood_id, n.name_fa, n.name_en, c.name_fa as county_fa
    from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as r(neighbourhood_id int, value float8)
    join neighbourhoods n on n.id = r.neighbourhood_id
    join counties c on c.id = n.county_id
    order by r.value desc, r.neighbourhood_id
    limit ${n}`.execute(db);
  // The value as computed here, not as it came back through JSON and float8.
  const valueOf = new Map(items.map((i) => [i.neighbourhood_id, i.value]));
  return rows.map((r) => ({ ...r, value: valueOf.get(r.neighbourhood_id)! }));
}
