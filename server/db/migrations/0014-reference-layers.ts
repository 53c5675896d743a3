import { sql, type Kysely } from 'kysely';

/**
 * Reference layers that GIS staff upload: streets, schools, clinics, parks, water network…
 *
 * - `reference_uploads`: one row per file sent — the layer it is meant for (slug, names,
 *   kind), how it was read, the mapping and the report. A committed upload is a version of
 *   its layer; its features stay, so any version can be restored.
 * - `reference_features`: the features of every upload, previews included. A layer's
 *   features are those of its current upload (`reference_layers.current_upload_id`), so a
 *   restore only moves that pointer.
 * - `reference_layers`: the named layers; `reference_layer_versions` the history of each
 *   (a commit or a restore adds a row).
 *
 * Tiles of every reference layer carry the revision 'reference_layers', bumped when a
 * layer's current upload changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table reference_uploads (
      id serial primary key,
      slug text not null,
      name_fa text not null,
      name_en text not null,
      kind text not null check (kind in ('streets', 'facilities', 'land_use', 'other')),
      geometry_type text not null check (geometry_type in ('point', 'line', 'polygon')),
      status text not null default 'preview' check (status in ('preview', 'committed', 'discarded')),
      user_id integer,
      username text,
      file_name text not null,
      format text not null,
      crs text not null,
      feature_count integer not null,
      fields jsonb not null,
      mapping jsonb not null,
      report jsonb not null,
      created_at timestamptz not null default now(),
      decided_at timestamptz
    )`.execute(db);

  // serial, not bigserial: a feature id is a tile feature id, which both encoders write as int4.
  await sql`create table reference_features (
      id serial primary key,
      upload_id integer not null references reference_uploads (id) on delete cascade,
      name_fa text,
      name_en text,
      type_value text,
      service_class text check (service_class in ('educational', 'social', 'civil_environmental', 'economic')),
      properties jsonb not null,
      geom geometry(Geometry, 4326) not null
    )`.execute(db);
  await sql`create index reference_features_geom_idx on reference_features using gist (geom)`.execute(db);
  await sql`create index reference_features_upload_idx on reference_features (upload_id)`.execute(db);

  await sql`create table reference_layers (
      id serial primary key,
      slug text not null unique,
      name_fa text not null,
      name_en text not null,
      kind text not null check (kind in ('streets', 'facilities', 'land_use', 'other')),
      geometry_type text not null check (geometry_type in ('point', 'line', 'polygon')),
      current_upload_id integer not null references reference_uploads (id),
      version integer not null,
      feature_count integer not null,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`create table reference_layer_versions (
      layer_id integer not null references reference_layers (id) on delete cascade,
      version integer not null,
      upload_id integer not null references reference_uploads (id),
      restored_from integer,
      created_by text,
      created_at timestamptz not null default now(),
      primary key (layer_id, version)
    )`.execute(db);

  await sql`insert into layer_revisions (layer) values ('reference_layers') on conflict do nothing`.execute(db);
  await sql`create trigger reference_layers_layer_revision after insert or update or delete or truncate on reference_layers
    for each statement execute function bump_layer_revision('reference_layers')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table reference_layer_versions`.execute(db);
  await sql`drop table reference_layers`.execute(db);
  await sql`drop table reference_features`.execute(db);
  await sql`drop table reference_uploads`.execute(db);
  await sql`delete from layer_revisions where layer = 'reference_layers'`.execute(db);
}
