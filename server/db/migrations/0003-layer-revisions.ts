import { sql, type Kysely } from 'kysely';

/**
 * A revision number per map layer, bumped by the database itself on every change to the
 * tables a layer is drawn from. Tiles and their ETags carry the revision, so a change
 * made by any server process (or by hand in psql) retires every cached tile at once.
 * Later tables that feed a layer attach the same trigger:
 *   create trigger … after insert or update or delete or truncate on <table>
 *   for each statement execute function bump_layer_revision('<layer>', …);
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('layer_revisions')
    .addColumn('layer', 'text', (c) => c.primaryKey())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`
    create function bump_layer_revision() returns trigger language plpgsql as $$
    declare
      layer_name text;
    begin
      foreach layer_name in array TG_ARGV loop
        insert into layer_revisions (layer, revision, changed_at) values (layer_name, 2, now())
        on conflict (layer) do update set revision = layer_revisions.revision + 1, changed_at = now();
        perform pg_notify('layer_changed', layer_name);
      end loop;
      return null;
    end $$`.execute(db);

  await sql`insert into layer_revisions (layer) values ('neighbourhoods'), ('counties')`.execute(db);
  // Counties carry neighbourhood counts, so a neighbourhood change touches both layers.
  await sql`create trigger neighbourhoods_layer_revision after insert or update or delete or truncate on neighbourhoods
    for each statement execute function bump_layer_revision('neighbourhoods', 'counties')`.execute(db);
  await sql`create trigger counties_layer_revision after insert or update or delete or truncate on counties
    for each statement execute function bump_layer_revision('counties', 'neighbourhoods')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger counties_layer_revision on counties`.execute(db);
  await sql`drop trigger neighbourhoods_layer_revision on neighbourhoods`.execute(db);
  await sql`drop function bump_layer_revision()`.execute(db);
  await db.schema.dropTable('layer_revisions').execute();
}
