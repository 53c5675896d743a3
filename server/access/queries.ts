import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { SERVICE_CLASSES, type NeighbourhoodAccess, type ServiceAccess } from '../../shared/layers-schemas.js';

/**
 * Access to services per neighbourhood: for each of the four service classes, the
 * facilities inside the neighbourhood, within 500 m and 1 km of it (geography, metres on
 * the spheroid), the distance from its interior point (ST_PointOnSurface) to the nearest
 * facility, and residents per facility within 1 km.
 *
 * Refreshed whenever a facilities layer or a neighbourhood boundary changes, inside the
 * transaction of that change. The refresh deletes and rewrites the rows: under MVCC,
 * readers keep seeing the old figures until the transaction commits, and nothing they do
 * waits for it (no lock stronger than ROW EXCLUSIVE is taken).
 */

/** Rebuilds service_facilities from the current version of every facilities layer. */
export async function refreshServiceFacilities(db: Kysely<Database>): Promise<void> {
  await sql`delete from service_facilities`.execute(db);
  // A polygon (a park) or a line counts at a point on it, so one facility is one point.
  await sql`insert into service_facilities (feature_id, layer_id, service_class, geom, geog)
    select f.id, l.id, f.service_class, p.geom, p.geom::geography
    from reference_layers l
    join reference_features f on f.upload_id = l.current_upload_id
    cross join lateral (select case when GeometryType(f.geom) = 'POINT' then f.geom
      else ST_PointOnSurface(f.geom) end as geom) p
    where l.kind = 'facilities' and f.service_class is not null and not ST_IsEmpty(f.geom)`.execute(db);
  await sql`analyze service_facilities`.execute(db);
}

/**
 * Rewrites neighbourhood_access for every neighbourhood. One pass finds, per
 * neighbourhood, every facility within 1 km of it (one GiST search for all classes) and
 * counts them by class; the nearest facility to the interior point is the nearest of
 * those when it is at most 1 km away (every facility that close to the point is within
 * 1 km of the polygon around it), otherwise a nearest-neighbour search (`<->` on the
 * class's partial GiST index).
 */
export async function refreshAccess(db: Kysely<Database>): Promise<void> {
  await sql`delete from neighbourhood_access`.execute(db);
  const classes = sql.join(SERVICE_CLASSES.map((c) => sql`(${c}::text)`));
  await sql`insert into neighbourhood_access
      (neighbourhood_id, service_class, inside, within_500m, within_1000m, nearest_m, residents_per_facility)
    with n as materialized (
      select id, population, geom, geom::geography as g, ST_PointOnSurface(geom)::geography as p from neighbourhoods),
    near as (
      select n.id, f.service_class,
        count(*) filter (where ST_Intersects(n.geom, f.geom))::int as inside,
        count(*) filter (where ST_DWithin(n.g, f.geog, 500))::int as within_500m,
        count(*)::int as within_1000m,
        min(ST_Distance(n.p, f.geog)) as nearest_m
      from n join service_facilities f on ST_DWithin(n.g, f.geog, 1000)
      group by n.id, f.service_class)
    select n.id, c.service_class,
      coalesce(near.inside, 0), coalesce(near.within_500m, 0), coalesce(near.within_1000m, 0),
      case when near.nearest_m <= 1000 then near.nearest_m
        else (select ST_Distance(n.p, f.geog) from service_facilities f
              where f.service_class = c.service_class order by f.geog <-> n.p limit 1) end,
      case when near.within_1000m > 0 then n.population::float8 / near.within_1000m end
    from n cross join (values ${classes}) c(service_class)
    left join near on near.id = n.id and near.service_class = c.service_class`.execute(db);
}

/** Both, after a facilities layer changed. */
export async function refreshAfterFacilitiesChange(db: Kysely<Database>): Promise<void> {
  await refreshServiceFacilities(db);
  await refreshAccess(db);
}

const NO_ACCESS: ServiceAccess = { inside: 0, within_500m: 0, within_1000m: 0, nearest_m: null, residents_per_facility: null };

/** The figures of one neighbourhood; a class without a row (no refresh since it was added) has none. */
export async function accessOf(db: Kysely<Database>, neighbourhoodId: number): Promise<NeighbourhoodAccess> {
  const rows = await db
    .selectFrom('neighbourhood_access')
    .select(['service_class', 'inside', 'within_500m', 'within_1000m', 'nearest_m', 'residents_per_facility'])
    .where('neighbourhood_id', '=', neighbourhoodId)
    .execute();
  const access = Object.fromEntries(SERVICE_CLASSES.map((c) => [c, { ...NO_ACCESS }])) as NeighbourhoodAccess;
  for (const { service_class, ...figures } of rows) {
    access[service_class] = {
      ...figures,
      nearest_m: figures.nearest_m === null ? null : Math.round(figures.nearest_m * 10) / 10,
      residents_per_facility: figures.residents_per_facility === null ? null : Math.round(figures.residents_per_facility * 10) / 10,
    };
  }
  return access;
}
