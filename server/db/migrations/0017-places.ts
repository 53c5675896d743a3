import { sql, type Kysely } from 'kysely';

/**
 * Place names for the map's context layer (server/places/): the county seats and the towns
 * of the province from the open gazetteer files in geodata/ (GeoNames, CC BY 4.0). They
 * are reference data, not programme records: seeded from geodata/ when the table is empty,
 * served as the `places` tile layer. A town may have no Persian name in the source.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table places (
      id serial primary key,
      kind text not null check (kind in ('county_seat', 'town')),
      name_fa text,
      name_en text,
      source text not null,
      license text not null,
      geom geometry(Point, 4326) not null,
      check (name_fa is not null or name_en is not null)
    )`.execute(db);
  await sql`create index places_geom_idx on places using gist (geom)`.execute(db);
  await sql`insert into layer_revisions (layer) values ('places')`.execute(db);
  await sql`create trigger places_layer_revision after insert or update or delete or truncate on places
    for each statement execute function bump_layer_revision('places')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table places`.execute(db);
  await sql`delete from layer_revisions where layer = 'places'`.execute(db);
}
