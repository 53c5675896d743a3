import { sql, type Kysely } from 'kysely';

/**
 * Programmes (Karamat plan, progress councils, facilitation offices, field bases) and
 * their coverage: neighbourhood × programme × from-date × optional to-date, both dates
 * inclusive, to-date null while the neighbourhood is still covered.
 *
 * Records of one neighbourhood and programme must not overlap. The database enforces it
 * with an exclusion constraint, so a write from any process (or psql) is held to it. The
 * usual form needs btree_gist for the integer equality, which the embedded PGlite only
 * has when the extension is loaded at open; singleton integer ranges compare with the
 * range GiST operator class that is built in, on both backends:
 *
 *   int4range(n, n, '[]') = int4range(n', n', '[]')   ⇔   n = n'
 *   daterange(from, to, '[]') && daterange(from', to', '[]')   (to null = unbounded)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('programmes')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique().check(sql`slug ~ '^[a-z][a-z0-9_]*$'`))
    .addColumn('name_fa', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_fa', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started_on', 'date')
    .addColumn('closed_on', 'date')
    .addCheckConstraint('programmes_closed_after_start', sql`closed_on is null or started_on is null or closed_on >= started_on`)
    .execute();

  await db.schema
    .createTable('coverage_records')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('neighbourhood_id', 'integer', (c) => c.notNull().references('neighbourhoods.id').onDelete('cascade'))
    .addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('coverage_records_to_after_from', sql`to_date is null or to_date >= from_date`)
    .execute();
  await sql`alter table coverage_records add constraint coverage_records_no_overlap exclude using gist (
      int4range(neighbourhood_id, neighbourhood_id, '[]') with =,
      int4range(programme_id, programme_id, '[]') with =,
      daterange(from_date, to_date, '[]') with &&)`.execute(db);
  await db.schema.createIndex('coverage_records_programme_idx').on('coverage_records').columns(['programme_id', 'from_date']).execute();

  // The coverage tile layer (server/coverage/tile-layer.ts) is drawn from these tables and
  // from the neighbourhoods; it lists the revisions 'coverage' and 'neighbourhoods', so a
  // change here bumps 'coverage' and a boundary change already bumps 'neighbourhoods'.
  await sql`insert into layer_revisions (layer) values ('coverage') on conflict (layer) do nothing`.execute(db);
  await sql`create trigger coverage_records_layer_revision after insert or update or delete or truncate on coverage_records
    for each statement execute function bump_layer_revision('coverage')`.execute(db);
  await sql`create trigger programmes_layer_revision after insert or update or delete or truncate on programmes
    for each statement execute function bump_layer_revision('coverage')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('coverage_records').execute();
  await db.schema.dropTable('programmes').execute();
  await sql`delete from layer_revisions where layer = 'coverage'`.execute(db);
}
