import { sql, type Kysely } from 'kysely';

/**
 * Boundary uploads and boundary history.
 *
 * - `boundary_uploads`: one row per file a GIS user sent — who, what, how it was read,
 *   the mapping, the validation report and the diff, and the layer versions the preview was
 *   computed against (a commit after another commit is stale).
 * - `boundary_upload_features`: the upload's features, already normalised to valid EPSG:4326
 *   MultiPolygons, with their mapped attributes. Scratch data: UNLOGGED (no WAL, as a copy
 *   that only lives until commit or discard does not need crash safety), emptied at commit
 *   or discard. An upload remembers how many features it staged, so a preview whose rows
 *   were lost (a crash truncates unlogged tables) is refused, never committed as empty.
 * - `neighbourhood_versions`, `county_versions`: the history, as temporal rows. Each row is
 *   one state of one boundary (by code), valid from the version that wrote it until the
 *   version that replaced or removed it (exclusive; null while current):
 *
 *       version   1    2    3    4
 *       K-001     [a--------)[b---        a valid in 1–2, b from 3 on
 *       K-002     [c-----)                removed by version 3
 *       K-003               [d------      added by version 3
 *
 *   The layer at version v is every row with valid_from <= v < coalesce(valid_to, ∞), so any
 *   version can be restored exactly, and a commit that touches a few boundaries stores only
 *   those (full snapshots would store the whole layer per version: 20,000 neighbourhoods ×
 *   every upload).
 * - `boundary_versions` gains the upload it came from, the version a restore copied, and
 *   the counts shown in the history.
 *
 * Version 1 (the seed) enters the history here for databases seeded before this migration,
 * and through the seed step in server/boundaries/history.ts for new ones.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('boundary_uploads')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('layer', 'text', (c) => c.notNull().check(sql`layer in ('neighbourhoods', 'counties')`))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('merge', 'replace')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('preview').check(sql`status in ('preview', 'committed', 'discarded', 'failed')`))
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_size', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('crs', 'text', (c) => c.notNull())
    .addColumn('layer_name', 'text')
    .addColumn('feature_count', 'integer', (c) => c.notNull())
    .addColumn('staged_count', 'integer', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('diff', 'jsonb', (c) => c.notNull())
    .addColumn('base_neighbourhoods_version', 'integer', (c) => c.notNull())
    .addColumn('base_counties_version', 'integer', (c) => c.notNull())
    .addColumn('committed_version', 'integer')
    .addColumn('failure', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('boundary_uploads_created_idx').on('boundary_uploads').columns(['layer', 'created_at']).execute();

  await sql`create unlogged table boundary_upload_features (
      upload_id integer not null references boundary_uploads (id) on delete cascade,
      idx integer not null,
      code text,
      name_fa text,
      name_en text,
      county text,
      county_id integer,
      population integer,
      households integer,
      deprivation smallint,
      informal boolean,
      properties jsonb not null,
      geom geometry(MultiPolygon, 4326),
      invalid_reason text,
      rejected text,
      rejected_detail text,
      change text check (change in ('added', 'changed', 'unchanged')),
      geometry_change_pct float8,
      primary key (upload_id, idx),
      -- every accepted feature has its geometry; a rejected one may have none
      check (rejected is not null or geom is not null)
    )`.execute(db);
  // Uncompressed: staged geometries live for minutes, and compressing them costs more time
  // than their disk space is worth (the same goes for the history copies below).
  await sql`alter table boundary_upload_features alter column geom set storage external`.execute(db);
  await sql`create index boundary_upload_features_geom_idx on boundary_upload_features using gist (geom)`.execute(db);
  await sql`create index boundary_upload_features_code_idx on boundary_upload_features (upload_id, code)`.execute(db);

  await sql`create table neighbourhood_versions (
      id serial primary key,
      code text not null,
      name_fa text not null,
      name_en text not null,
      county_id integer not null,
      population integer not null,
      households integer not null,
      deprivation smallint not null,
      informal boolean not null,
      margin boolean not null,
      source text not null,
      license text not null,
      geom geometry(MultiPolygon, 4326) not null,
      valid_from integer not null,
      valid_to integer check (valid_to > valid_from)
    )`.execute(db);
  await sql`create table county_versions (
      id serial primary key,
      code text not null,
      name_fa text not null,
      name_en text,
      population integer,
      population_date text,
      source text not null,
      license text not null,
      geom geometry(MultiPolygon, 4326) not null,
      valid_from integer not null,
      valid_to integer check (valid_to > valid_from)
    )`.execute(db);
  for (const table of ['neighbourhood_versions', 'county_versions']) {
    await sql`alter table ${sql.table(table)} alter column geom set storage external`.execute(db);
    // One current row per code; the range query for "the layer at version v" reads by version.
    await sql`create unique index ${sql.id(`${table}_current_idx`)} on ${sql.table(table)} (code) where valid_to is null`.execute(db);
    await sql`create index ${sql.id(`${table}_code_idx`)} on ${sql.table(table)} (code, valid_from)`.execute(db);
    await sql`create index ${sql.id(`${table}_valid_idx`)} on ${sql.table(table)} (valid_from, valid_to)`.execute(db);
  }

  await sql`alter table boundary_versions
      add column upload_id integer references boundary_uploads (id),
      add column restored_from integer,
      add column counts jsonb`.execute(db);

  // Databases seeded before this migration: their boundaries become the current version.
  await sql`insert into neighbourhood_versions (code, name_fa, name_en, county_id, population, households,
      deprivation, informal, margin, source, license, geom, valid_from)
    select code, name_fa, name_en, county_id, population, households, deprivation, informal, margin, source, license, geom,
      coalesce((select max(version) from boundary_versions where layer = 'neighbourhoods'), 1)
    from neighbourhoods`.execute(db);
  await sql`insert into county_versions (code, name_fa, name_en, population, population_date, source, license, geom, valid_from)
    select code, name_fa, name_en, population, population_date, source, license, geom,
      coalesce((select max(version) from boundary_versions where layer = 'counties'), 1)
    from counties`.execute(db);
  await sql`update boundary_versions v set counts = jsonb_build_object(
      'features', (select count(*) from neighbourhoods), 'added', (select count(*) from neighbourhoods),
      'changed', 0, 'removed', 0, 'unchanged', 0)
    where v.layer = 'neighbourhoods' and v.version = 1`.execute(db);
  await sql`update boundary_versions v set counts = jsonb_build_object(
      'features', (select count(*) from counties), 'added', (select count(*) from counties),
      'changed', 0, 'removed', 0, 'unchanged', 0)
    where v.layer = 'counties' and v.version = 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table boundary_versions drop column upload_id, drop column restored_from, drop column counts`.execute(db);
  await db.schema.dropTable('county_versions').execute();
  await db.schema.dropTable('neighbourhood_versions').execute();
  await db.schema.dropTable('boundary_upload_features').execute();
  await db.schema.dropTable('boundary_uploads').execute();
}
