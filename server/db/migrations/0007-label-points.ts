import { sql, type Kysely } from 'kysely';

/**
 * Where each neighbourhood's name is drawn: the centre of the largest circle inside the
 * polygon (its pole of inaccessibility), measured in Web Mercator as the map shows it.
 * ST_PointOnSurface, used before, often lands near an edge of a long or bent polygon,
 * where the label collides with the neighbour's and MapLibre drops one of them (six of the
 * 41 Kerman city names were missing at the opening zoom).
 *
 * It is kept in a column, set by a trigger on every write of the geometry (seed, upload,
 * restore, psql): the circle takes about 0.2 ms per neighbourhood, too slow to work out
 * in every tile of thousands of neighbourhoods.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table neighbourhoods add column label_point geometry(Point, 4326)`.execute(db);
  await sql`
    create function set_neighbourhood_label_point() returns trigger language plpgsql as $$
    begin
      new.label_point := ST_Transform((ST_MaximumInscribedCircle(ST_Transform(new.geom, 3857))).center, 4326);
      return new;
    end $$`.execute(db);
  await sql`create trigger neighbourhoods_label_point before insert or update of geom on neighbourhoods
    for each row execute function set_neighbourhood_label_point()`.execute(db);
  await sql`update neighbourhoods set geom = geom`.execute(db);
  await sql`alter table neighbourhoods alter column label_point set not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger neighbourhoods_label_point on neighbourhoods`.execute(db);
  await sql`drop function set_neighbourhood_label_point()`.execute(db);
  await sql`alter table neighbourhoods drop column label_point`.execute(db);
}
