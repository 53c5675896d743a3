import { sql, type Kysely } from 'kysely';

/**
 * Indicator tables that planners and GIS staff import (server/indicators/): a CSV or XLSX
 * with a neighbourhood code column and one or more numeric columns, each an indicator.
 *
 * - `indicator_uploads`: one row per file sent — the set it is meant for (slug, names, unit)
 *   and the report of its rows. A committed upload is a version of its set; its values
 *   stay, so every version stays readable.
 * - `indicator_values`: the values of every upload, previews included (only matched rows
 *   with a number). A set's live values are those of its current upload. No foreign key to
 *   neighbourhoods, as for neighbourhood_access: a boundary upload may remove only
 *   neighbourhoods nothing points at, and reads join the neighbourhoods that exist.
 * - `indicator_sets` and `indicator_set_versions`: the named sets and the history of each.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table indicator_uploads (
      id serial primary key,
      slug text not null,
      name_fa text not null,
      name_en text not null,
      unit_fa text not null,
      unit_en text not null,
      status text not null default 'preview' check (status in ('preview', 'committed', 'discarded')),
      user_id integer,
      username text,
      file_name text not null,
      report jsonb not null,
      created_at timestamptz not null default now(),
      decided_at timestamptz
    )`.execute(db);

  await sql`create table indicator_values (
      upload_id integer not null references indicator_uploads (id) on delete cascade,
      indicator text not null,
      neighbourhood_id integer not null,
      value double precision not null,
      primary key (upload_id, indicator, neighbourhood_id)
    )`.execute(db);

  await sql`create table indicator_sets (
      id serial primary key,
      slug text not null unique,
      current_upload_id integer not null references indicator_uploads (id),
      version integer not null,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`create table indicator_set_versions (
      set_id integer not null references indicator_sets (id) on delete cascade,
      version integer not null,
      upload_id integer not null references indicator_uploads (id),
      created_by text,
      created_at timestamptz not null default now(),
      primary key (set_id, version)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table indicator_set_versions`.execute(db);
  await sql`drop table indicator_sets`.execute(db);
  await sql`drop table indicator_values`.execute(db);
  await sql`drop table indicator_uploads`.execute(db);
}
