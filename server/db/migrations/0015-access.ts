import { sql, type Kysely } from 'kysely';

/**
 * Access to services per neighbourhood (server/access/).
 *
 * - `service_facilities`: the facilities of every facilities layer's current version that
 *   have a service class, one point each (a polygon or line counts at its
 *   ST_PointOnSurface), with the geography beside the geometry. Rebuilt whenever a
 *   facilities layer changes. A GiST index on the geography for distance searches, and one
 *   partial GiST index per class, so a
 *   nearest-neighbour search (`<->`) for one class walks only that class's tree.
 * - `neighbourhood_access`: one row per neighbourhood and class. No foreign key to
 *   neighbourhoods on purpose: a boundary upload may remove only neighbourhoods nothing
 *   points at (server/boundaries/queries.ts counts every foreign key), and these rows are
 *   derived — the refresh rewrites them in the same transaction as the boundary change.
 *   Its changes bump the 'neighbourhoods' tile revision: the tiles carry the figures.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table service_facilities (
      id serial primary key,
      feature_id integer not null,
      layer_id integer not null,
      service_class text not null check (service_class in ('educational', 'social', 'civil_environmental', 'economic')),
      geom geometry(Point, 4326) not null,
      geog geography(Point, 4326) not null
    )`.execute(db);
  await sql`create index service_facilities_geom_idx on service_facilities using gist (geom)`.execute(db);
  // Every class at once, for "within 1 km of this neighbourhood".
  await sql`create index service_facilities_geog_idx on service_facilities using gist (geog)`.execute(db);
  for (const serviceClass of ['educational', 'social', 'civil_environmental', 'economic']) {
    await sql`create index ${sql.raw(`service_facilities_${serviceClass}_idx`)} on service_facilities using gist (geog)
      where service_class = ${sql.lit(serviceClass)}`.execute(db);
  }

  await sql`create table neighbourhood_access (
      neighbourhood_id integer not null,
      service_class text not null check (service_class in ('educational', 'social', 'civil_environmental', 'economic')),
      inside integer not null,
      within_500m integer not null,
      within_1000m integer not null,
      nearest_m double precision,
      residents_per_facility double precision,
      primary key (neighbourhood_id, service_class)
    )`.execute(db);
  await sql`create trigger neighbourhood_access_layer_revision after insert or update or delete or truncate on neighbourhood_access
    for each statement execute function bump_layer_revision('neighbourhoods')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table neighbourhood_access`.execute(db);
  await sql`drop table service_facilities`.execute(db);
}
