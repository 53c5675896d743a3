import { sql, type Expression, type RawBuilder } from 'kysely';

// The raw SQL of PostGIS lives here, as small typed helpers taking and returning
// Kysely expressions. Values always travel as parameters.

/** A GeoJSON geometry (text) as an EPSG:4326 MultiPolygon. */
export function multiPolygonFromGeoJson(geojson: string): RawBuilder<string> {
  return sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`;
}

/** A geometry as GeoJSON text, coordinates rounded to 6 decimals (about 0.1 m). */
export function stAsGeoJson(geom: Expression<unknown>): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${geom}, 6)`;
}

/** The envelope of a lon/lat bounding box. */
export function stMakeEnvelope(bbox: readonly [number, number, number, number]): RawBuilder<string> {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  return sql<string>`ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)`;
}

/** Whether two geometries' boxes overlap (uses the GiST index) and they truly intersect. */
export function stIntersects(a: Expression<unknown>, b: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`ST_Intersects(${a}, ${b})`;
}
