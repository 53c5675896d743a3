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
  // Truncate, not delete: nothing but this refresh reads the table, and a delete would leave every
  // earlier version behind as dead rows in its six indexes until a vacuum, slowing each refresh after it.
  await sql`truncate service_facilities`.execute(db);
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
 * Rewrites neighbourhood_access for every neighbourhood, in one pass over them.
 *
 * Distances on the spheroid from a polygon of a hundred or more vertices are what made this
 * slow, so each neighbourhood is laid out in a local plane: metres east and north of its
 * interior point (ST_PointOnSurface), scaled by the spheroid's radii of curvature at that
 * latitude. Within a few kilometres that plane is off the spheroid by well under 0.2 %, so a
 * facility whose planar distance is more than `eps` (10 m plus 0.5 % of the neighbourhood's
 * radius) from 500 m or 1 km is on the same side of it on the spheroid; only the few within
 * `eps` of a threshold are measured on the spheroid, with the ST_Distance on geography the
 * figures are defined by. A facility is inside when its planar distance is 0 (the plane is an
 * affine image of the lon/lat polygon, so it keeps what is inside). The candidates come from
 * the planar GiST index, in a box a little larger than 1 km around the polygon.
 *
 * The nearest facility to the interior point, on the spheroid, is the nearest of those within
 * 1 km of the polygon when it is at most 1 km away (every facility that close to the point is
 * within 1 km of the polygon around it), otherwise a nearest-neighbour search (`<->`) on the
 * class's own partial GiST index: the class is a literal in each branch so the planner uses it.
 */
export async function refreshAccess(db: Kysely<Database>): Promise<void> {
  await sql`delete from neighbourhood_access`.execute(db);
  const classes = sql.join(SERVICE_CLASSES.map((c) => sql`(${c}::text)`));
  const nearestBeyond1km = sql.join(
    SERVICE_CLASSES.map((c) => sql`when ${c}::text then (select ST_Distance(frame.p, f.geog) from service_facilities f
      where f.service_class = ${sql.lit(c)} order by f.geog <-> frame.p limit 1)`),
    sql` `,
  );
  await sql`insert into neighbourhood_access
      (neighbourhood_id, service_class, inside, within_500m, within_1000m, nearest_m, residents_per_facility)
    select nb.id, c.service_class,
      coalesce(near.inside, 0), coalesce(near.within_500m, 0), coalesce(near.within_1000m, 0),
      case when near.nearest_m <= 1000 then near.nearest_m else case c.service_class ${nearestBeyond1km} end end,
      case when near.within_1000m > 0 then nb.population::float8 / near.within_1000m end
    from neighbourhoods nb
    cross join lateral (select ST_PointOnSurface(nb.geom) as p_geom) a
    cross join lateral (select p_geom::geography as p, ST_X(p_geom) as lon0, ST_Y(p_geom) as lat0,
      -- metres per degree of longitude and of latitude at lat0 on WGS 84
      6378137 * cos(radians(ST_Y(p_geom))) / sqrt(1 - 0.00669437999014 * sin(radians(ST_Y(p_geom))) ^ 2) * pi() / 180 as kx,
      6378137 * (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(ST_Y(p_geom))) ^ 2) ^ 1.5 * pi() / 180 as ky) b
    cross join lateral (select ST_SetSRID(ST_Affine(nb.geom, b.kx, 0, 0, b.ky, -b.lon0 * b.kx, -b.lat0 * b.ky), 0) as plane
      offset 0) l
    cross join lateral (select b.*, l.plane,
      -- the radius: the farthest corner of the plane's bounding box from the interior point
      10 + 0.005 * sqrt(greatest(ST_XMin(l.plane) ^ 2, ST_XMax(l.plane) ^ 2) + greatest(ST_YMin(l.plane) ^ 2, ST_YMax(l.plane) ^ 2)) as eps
      offset 0) frame
    cross join (values ${classes}) c(service_class)
    left join lateral (
      select service_class,
        count(*) filter (where planar_m = 0)::int as inside,
        count(*) filter (where d <= 500)::int as within_500m,
        count(*)::int as within_1000m,
        min(ST_Distance(frame.p, geog)) as nearest_m
      from (
        select service_class, geog, planar_m,
          case when abs(planar_m - 500) <= frame.eps or abs(planar_m - 1000) <= frame.eps
            then ST_Distance(nb.geom::geography, geog) else planar_m end as d
        from (
          select f.service_class, f.geog,
            ST_Distance(frame.plane, ST_MakePoint((ST_X(f.geom) - frame.lon0) * frame.kx, (ST_Y(f.geom) - frame.lat0) * frame.ky)) as planar_m
          from service_facilities f
          where f.geom && ST_Expand(nb.geom, 1.05 * (1000 + frame.eps) / frame.kx, 1.05 * (1000 + frame.eps) / frame.ky)
          -- offset 0 keeps planar_m a column, computed once, rather than inlined into each use
          offset 0) candidate
        where planar_m <= 1000 + frame.eps) measured
      where d <= 1000
      group by service_class) near on near.service_class = c.service_class`.execute(db);
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
