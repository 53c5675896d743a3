import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OgcCollection, OgcProperty } from './collections.js';
import type { Crs } from './crs.js';

/**
 * The SQL of /ogc: pages of features as GeoJSON text built in PostGIS, one feature, and a
 * collection's extent. Features go out as the text PostgreSQL wrote, joined by commas:
 *
 *   '{"type":"Feature","id":' || f.id || ',"geometry":' || ST_AsGeoJSON(…) ||
 *   ',"properties":' || json_build_object(…)::text || '}'
 */

/** A property as its JSON value: dates as YYYY-MM-DD, times in UTC with a Z. */
function propertyValue(property: OgcProperty): RawBuilder<unknown> {
  const ref = sql.ref(`t.${property.name}`);
  if (property.type === 'date') return sql`to_char(${ref}, 'YYYY-MM-DD')`;
  if (property.type === 'date-time') return sql`to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  return ref;
}

/**
 * The geometry in the answer's CRS. Polygons follow RFC 7946's right-hand rule (exterior
 * rings anticlockwise) in lon/lat; EPSG:4326 answers swap the axes to lat/lon.
 */
function geometryJson(crs: Crs): RawBuilder<string> {
  let geometry: RawBuilder<unknown> = sql`ST_ForcePolygonCCW(t.geom)`;
  if (crs.srid !== 4326) geometry = sql`ST_Transform(${geometry}, ${crs.srid}::int)`;
  if (crs.latFirst) geometry = sql`ST_FlipCoordinates(${geometry})`;
  // Six decimals of a degree (about 0.1 m), or centimetres in a projected CRS.
  return sql<string>`ST_AsGeoJSON(${geometry}, ${crs.geographic ? 6 : 2}::int)`;
}

function featureText(collection: OgcCollection, crs: Crs): RawBuilder<string> {
  const properties = collection.properties.map((property) => sql`${sql.lit(property.name)}::text, ${propertyValue(property)}`);
  return sql<string>`'{"type":"Feature","id":' || t.id || ',"geometry":' || coalesce(${geometryJson(crs)}, 'null')
    || ',"properties":' || json_build_object(${sql.join(properties)})::text || '}'`;
}

const conditions = (where: readonly RawBuilder<boolean>[]) => (where.length === 0 ? sql`true` : sql.join(where, sql` and `));

export interface ItemsPage {
  /** The features, as GeoJSON texts joined by commas. */
  features: string;
  returned: number;
  matched: number;
}

/**
 * One page in id order, and how many features match in all. The page is cut before the
 * GeoJSON is written, so skipped rows cost nothing but their ids.
 */
export async function itemsPage(
  db: Kysely<Database>, collection: OgcCollection, where: readonly RawBuilder<boolean>[], page: { limit: number; offset: number }, crs: Crs,
): Promise<ItemsPage> {
  const { rows } = await sql<ItemsPage>`
    select
      (select count(*)::int from (${collection.source}) f where ${conditions(where)}) as matched,
      coalesce(string_agg(${featureText(collection, crs)}, ',' order by t.id), '') as features,
      count(t.id)::int as returned
    from (select f.* from (${collection.source}) f where ${conditions(where)}
      order by f.id limit ${page.limit}::int offset ${page.offset}::int) t`.execute(db);
  return rows[0]!;
}

/** One feature as GeoJSON text, or undefined when there is no such id. */
export async function findItem(db: Kysely<Database>, collection: OgcCollection, id: number, crs: Crs): Promise<string | undefined> {
  const { rows } = await sql<{ feature: string }>`
    select ${featureText(collection, crs)} as feature
    from (select f.* from (${collection.source}) f where f.id = ${id}::int) t`.execute(db);
  return rows[0]?.feature;
}

export interface Extent {
  /** [minLon, minLat, maxLon, maxLat], or null when the collection is empty. */
  bbox: [number, number, number, number] | null;
  /** First start and last end as YYYY-MM-DD or RFC 3339 text; null end: still going. */
  interval: [string | null, string | null] | null;
}

export async function collectionExtent(db: Kysely<Database>, collection: OgcCollection): Promise<Extent> {
  const temporal = collection.temporal;
  const start = temporal ? collection.properties.find((q) => q.name === temporal.start)! : undefined;
  const end = temporal?.end ? collection.properties.find((q) => q.name === temporal.end)! : start;
  const asText = (property: OgcProperty | undefined, aggregate: 'min' | 'max') => {
    if (!property) return sql`null::text`;
    const ref = sql.ref(`f.${property.name}`);
    const value = property.type === 'date' ? sql`to_char(${sql.raw(aggregate)}(${ref}), 'YYYY-MM-DD')`
      : sql`to_char(${sql.raw(aggregate)}(${ref}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    // An interval that is still going (a null end) has an open end.
    return aggregate === 'max' && temporal?.end ? sql`case when bool_or(${ref} is null) then null else ${value} end` : value;
  };
  const { rows } = await sql<{ minx: number | null; miny: number | null; maxx: number | null; maxy: number | null; first: string | null; last: string | null; n: number }>`
    select ST_XMin(e) as minx, ST_YMin(e) as miny, ST_XMax(e) as maxx, ST_YMax(e) as maxy, first, last, n
    from (select ST_Extent(f.geom)::geometry as e, ${asText(start, 'min')} as first, ${asText(end, 'max')} as last, count(*)::int as n
      from (${collection.source}) f) x`.execute(db);
  const row = rows[0]!;
  const round = (n: number, up: boolean) => (up ? Math.ceil(n * 1e6) : Math.floor(n * 1e6)) / 1e6;
  return {
    bbox: row.minx === null ? null : [round(row.minx, false), round(row.miny!, false), round(row.maxx!, true), round(row.maxy!, true)],
    interval: temporal && row.n > 0 ? [row.first, row.last] : null,
  };
}
