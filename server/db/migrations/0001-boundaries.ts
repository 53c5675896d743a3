import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema at their own point in time,
// not the Database interface of today.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists postgis`.execute(db);

  await db.schema
    .createTable('counties')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_fa', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('population', 'integer')
    .addColumn('population_date', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('license', 'text', (c) => c.notNull())
    .addColumn('geom', sql`geometry(MultiPolygon, 4326)`, (c) => c.notNull())
    .addColumn('boundary_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index counties_geom_idx on counties using gist (geom)`.execute(db);

  await db.schema
    .createTable('neighbourhoods')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_fa', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('county_id', 'integer', (c) => c.notNull().references('counties.id'))
    .addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
    .addColumn('households', 'integer', (c) => c.notNull().check(sql`households >= 0`))
    .addColumn('deprivation', 'smallint', (c) => c.notNull().check(sql`deprivation between 1 and 5`))
    .addColumn('informal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('margin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('license', 'text', (c) => c.notNull())
    .addColumn('geom', sql`geometry(MultiPolygon, 4326)`, (c) => c.notNull())
    .addColumn('boundary_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index neighbourhoods_geom_idx on neighbourhoods using gist (geom)`.execute(db);
  await db.schema.createIndex('neighbourhoods_county_idx').on('neighbourhoods').column('county_id').execute();

  await db.schema
    .createTable('boundary_versions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('layer', 'text', (c) => c.notNull().check(sql`layer in ('neighbourhoods', 'counties')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text')
    .addColumn('file_name', 'text')
    .addColumn('note', 'text')
    .addUniqueConstraint('boundary_versions_layer_version', ['layer', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('boundary_versions').execute();
  await db.schema.dropTable('neighbourhoods').execute();
  await db.schema.dropTable('counties').execute();
}
