import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stAsGeoJson } from '../db/postgis.js';

/** Every county with its neighbourhood count, as GeoJSON text built by PostGIS. */
export async function countiesGeoJson(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('counties as c')
    .select(
      sql<string>`json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', c.id, 'geometry', ${stAsGeoJson(sql.ref('c.geom'))}::json,
        'properties', json_build_object(
          'id', c.id, 'code', c.code, 'name_fa', c.name_fa, 'name_en', c.name_en,
          'population', c.population, 'source', c.source, 'license', c.license,
          'neighbourhood_count', (select count(*)::int from neighbourhoods n where n.county_id = c.id)))
        order by c.id), '[]'::json))::text`.as('body'),
    )
    .executeTakeFirstOrThrow();
  return row.body;
}
