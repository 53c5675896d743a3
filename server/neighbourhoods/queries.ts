import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stAsGeoJson, stIntersects, stMakeEnvelope } from '../db/postgis.js';
import { neighbourhoodMatch } from '../search/queries.js';
import type { Bbox } from '../../shared/bbox.js';
import type { NeighbourhoodDetail } from '../../shared/schemas.js';
import { neighbourhoodMethod } from '../stages/queries.js';
import { accessOf } from '../access/queries.js';

export interface NeighbourhoodFilter {
  bbox?: Bbox | undefined;
  countyId?: number | undefined;
  q?: string | undefined;
}

// Access to services per class, as in GET /api/neighbourhoods/:id (server/access/), so the
// GeoJSON download carries it too; null until the first refresh after the neighbourhood came.
const accessJson = sql`(select json_object_agg(x.service_class, json_build_object(
    'inside', x.inside, 'within_500m', x.within_500m, 'within_1000m', x.within_1000m,
    'nearest_m', round(x.nearest_m::numeric, 1), 'residents_per_facility', round(x.residents_per_facility::numeric, 1)))
  from neighbourhood_access x where x.neighbourhood_id = n.id)`;

// The feature properties, as a JSON object built in SQL; keep in step with
// NeighbourhoodProperties in shared/schemas.ts.
const properties = sql`json_build_object(
  'id', n.id, 'code', n.code, 'name_fa', n.name_fa, 'name_en', n.name_en,
  'county_id', n.county_id, 'county_fa', c.name_fa, 'county_en', c.name_en,
  'population', n.population, 'households', n.households, 'deprivation', n.deprivation,
  'informal', n.informal, 'margin', n.margin, 'source', n.source,
  'open_problems', m.open_problems, 'overdue_problems', m.overdue_problems,
  'active_interventions', m.active_interventions, 'active_networks', m.active_networks, 'stage', m.stage,
  'access', ${accessJson})`;

/**
 * The matching neighbourhoods as a GeoJSON FeatureCollection, built by PostGIS and
 * returned as text: serialising hundreds of polygons again in JavaScript only costs time.
 */
export async function neighbourhoodsGeoJson(db: Kysely<Database>, filter: NeighbourhoodFilter): Promise<string> {
  let query = db
    .selectFrom('neighbourhoods as n')
    .innerJoin('counties as c', 'c.id', 'n.county_id')
    .innerJoin('neighbourhood_method as m', 'm.neighbourhood_id', 'n.id')
    .select(
      sql<string>`json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', n.id, 'geometry', ${stAsGeoJson(sql.ref('n.geom'))}::json,
        'properties', ${properties}) order by n.id), '[]'::json))::text`.as('body'),
    );
  if (filter.bbox) query = query.where(stIntersects(sql.ref('n.geom'), stMakeEnvelope(filter.bbox)));
  if (filter.countyId !== undefined) query = query.where('n.county_id', '=', filter.countyId);
  if (filter.q !== undefined) query = query.where(neighbourhoodMatch(filter.q));
  const row = await query.executeTakeFirstOrThrow();
  return row.body;
}

export async function findNeighbourhood(db: Kysely<Database>, id: number): Promise<NeighbourhoodDetail | undefined> {
  const row = await db
    .selectFrom('neighbourhoods as n')
    .innerJoin('counties as c', 'c.id', 'n.county_id')
    .innerJoin('neighbourhood_method as m', 'm.neighbourhood_id', 'n.id')
    .select([
      'm.open_problems', 'm.overdue_problems', 'm.active_interventions', 'm.active_networks', 'm.stage',
      'n.id', 'n.code', 'n.name_fa', 'n.name_en', 'n.county_id', 'c.name_fa as county_fa', 'c.name_en as county_en',
      'n.population', 'n.households', 'n.deprivation', 'n.informal', 'n.margin', 'n.source', 'n.license',
      'n.boundary_version', 'n.updated_at',
      sql<number>`round((ST_Area(n.geom::geography) / 1e6)::numeric, 3)::float8`.as('area_km2'),
      stAsGeoJson(sql.ref('n.geom')).as('geometry'),
    ])
    .where('n.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { geometry, updated_at, ...rest } = row;
  return {
    type: 'Feature',
    id: row.id,
    geometry: JSON.parse(geometry) as NeighbourhoodDetail['geometry'],
    properties: {
      ...rest,
      updated_at: new Date(updated_at).toISOString(),
      method: await neighbourhoodMethod(db, id),
      access: await accessOf(db, id),
    },
  };
}
