/**
 * The tile benchmark's data set and its fixed tile list.
 *
 * PostGIS: a database of its own (mahallenama_bench_tiles) made by buildApp (migrations,
 * seed, admin), then every one of Iran's 478 counties from ../shared/geodata and 42
 * generated neighbourhoods per county — Voronoi cells of 42 seeded random points in a
 * 3.5–6.5 km disc around the county's point on surface, edges densified to 60 m, so
 * about 70 vertices each: 20,076 neighbourhoods spread over the whole country, in
 * clusters like real cities. Generation is seeded, so every run sees the same data.
 *
 * Embedded: an embedded database folder with the very same rows (ids included), copied
 * from the PostGIS database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import type { Database } from '../server/db/schema.js';
import { multiPolygonFromGeoJson } from '../server/db/postgis.js';
import { lonLatToTile, type TileId } from '../server/tiles/tile-math.js';

/**
 * BENCH_TILES_DATABASE names another one: a database migrated by a newer branch refuses an
 * older server (kysely checks that no applied migration is missing).
 */
export const BENCH_DATABASE = process.env.BENCH_TILES_DATABASE || 'mahallenama_bench_tiles';
export const ADMIN_PASSWORD = 'bench-admin-password';
export const NEIGHBOURHOODS_PER_COUNTY = 42;
const GENERATED_CODE = 'BENCH-%';

interface CountyFeature {
  properties: { osm_id: string; name_fa: string; name_en: string | null; population: number | null; population_date: string | null; source: string; license: string };
  geometry: unknown;
}

export interface DataSummary {
  counties: number;
  neighbourhoods: number;
  generated: number;
  reused: boolean;
}

export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function counts(db: Kysely<Database>): Promise<Omit<DataSummary, 'reused'>> {
  const { rows } = await sql<{ counties: number; neighbourhoods: number; generated: number }>`select
    (select count(*)::int from counties) as counties,
    (select count(*)::int from neighbourhoods) as neighbourhoods,
    (select count(*)::int from neighbourhoods where code like ${GENERATED_CODE}) as generated`.execute(db);
  return rows[0]!;
}

/**
 * Creates and loads the PostGIS benchmark database, or reuses it when a previous run
 * completed it. Another benchmark may name a database of its own (bench/ogc.ts does), so
 * that each is migrated only by the code that runs it.
 */
export async function preparePostgis(serverUrl: string, geodataDir: string, sharedGeodataDir: string, fresh: boolean, database = BENCH_DATABASE): Promise<DataSummary> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if (fresh) await admin.query(`drop database if exists ${database}`);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  const app = await buildApp({ databaseUrl: withDatabase(serverUrl, database), dataDir: 'data', geodataDir, adminPassword: ADMIN_PASSWORD });
  try {
    const db = app.database.db;
    const before = await counts(db);
    if (before.counties >= 478 && before.generated >= 478 * NEIGHBOURHOODS_PER_COUNTY) return { ...before, reused: true };

    const file = path.join(sharedGeodataDir, 'iran-counties.geojson');
    const features = (JSON.parse(fs.readFileSync(file, 'utf8')) as { features: CountyFeature[] }).features;
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('neighbourhoods').where('code', 'like', GENERATED_CODE).execute();
      const known = new Set((await trx.selectFrom('counties').select('code').execute()).map((r) => r.code));
      for (const { properties: p, geometry } of features) {
        if (known.has(p.osm_id)) continue;
        await trx.insertInto('counties').values({
          code: p.osm_id, name_fa: p.name_fa, name_en: p.name_en, population: p.population, population_date: p.population_date,
          source: p.source, license: p.license, geom: multiPolygonFromGeoJson(JSON.stringify(geometry)), boundary_version: 1,
        }).execute();
      }
      await sql`
        insert into neighbourhoods (code, name_fa, name_en, county_id, population, households, deprivation, informal, source, license, geom)
        select 'BENCH-' || c.id || '-' || cell.path[1],
          'محله آزمایشی ' || c.id || '-' || cell.path[1],
          'Bench quarter ' || c.id || '-' || cell.path[1],
          c.id, h.population, h.population / 4, 1 + h.bits % 5, h.bits % 7 = 0,
          'illustrative: generated for the tile benchmark', 'CC0 1.0',
          ST_Multi(ST_CollectionExtract(ST_Segmentize(ST_Intersection(cell.geom, city.disc)::geography, 60)::geometry, 3))
        from counties c
        cross join lateral (select ST_Buffer(ST_PointOnSurface(c.geom)::geography, 3500 + (c.id * 37) % 3000)::geometry as disc) city
        cross join lateral ST_Dump(ST_VoronoiPolygons(ST_GeneratePoints(city.disc, ${NEIGHBOURHOODS_PER_COUNTY}, c.id), 0, city.disc)) cell
        cross join lateral (select abs(hashtext(c.code || cell.path[1])) as bits, 2000 + abs(hashtext(c.code || cell.path[1])) % 20000 as population) h
      `.execute(trx);
    });
    await sql`analyze`.execute(db);
    return { ...(await counts(db)), reused: false };
  } finally {
    await app.close();
  }
}

/** An embedded database folder holding the same rows as the PostGIS benchmark database. */
export async function prepareEmbedded(dataDir: string, postgisUrl: string, geodataDir: string): Promise<DataSummary> {
  const app = await buildApp({ dataDir, geodataDir, adminPassword: ADMIN_PASSWORD });
  const source = new pg.Client({ connectionString: postgisUrl });
  await source.connect();
  try {
    const db = app.database.db;
    const before = await counts(db);
    if (before.counties >= 478 && before.generated >= 478 * NEIGHBOURHOODS_PER_COUNTY) return { ...before, reused: true };
    await db.deleteFrom('neighbourhoods').where('code', 'like', GENERATED_CODE).execute();
    const known = new Set((await db.selectFrom('counties').select('code').execute()).map((r) => r.code));
    const counties = await source.query(`select id, code, name_fa, name_en, population, population_date, source, license, ST_AsBinary(geom) as wkb from counties order by id`);
    for (const c of counties.rows) {
      if (known.has(c.code)) continue;
      await sql`insert into counties (id, code, name_fa, name_en, population, population_date, source, license, geom)
        values (${c.id}, ${c.code}, ${c.name_fa}, ${c.name_en}, ${c.population}, ${c.population_date}, ${c.source}, ${c.license}, ST_GeomFromWKB(${c.wkb}, 4326))`.execute(db);
    }
    const columns = 'id, code, name_fa, name_en, county_id, population, households, deprivation, informal, source, license';
    const rows = (await source.query(`select ${columns}, ST_AsBinary(geom) as wkb from neighbourhoods where code like $1 order by id`, [GENERATED_CODE])).rows;
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500).map((r) => sql`(${r.id}, ${r.code}, ${r.name_fa}, ${r.name_en}, ${r.county_id}, ${r.population},
        ${r.households}, ${r.deprivation}, ${r.informal}, ${r.source}, ${r.license}, ST_GeomFromWKB(${r.wkb}, 4326))`);
      await sql`insert into neighbourhoods (${sql.raw(columns)}, geom) values ${sql.join(batch)}`.execute(db);
    }
    await sql`analyze`.execute(db);
    return { ...(await counts(db)), reused: false };
  } finally {
    await source.end();
    await app.close();
  }
}

export interface BenchTile extends TileId {
  layer: string;
}

/**
 * The fixed tiles: for zoom 6 to 15, 21 distinct neighbourhood tiles at the cities of
 * counties taken in code order (every 23rd, then the next ones when tiles coincide at
 * low zoom; Iran spans fewer than 21 tiles at zoom 6), alternating the city's own tile and
 * its eastern neighbour; and for zoom 6
 * to 12, 9 county tiles the same way. Same data, same list, every run.
 */
export async function fixedTiles(db: Kysely<Database>): Promise<BenchTile[]> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    select ST_X(p)::float8 as lon, ST_Y(p)::float8 as lat
    from (select ST_PointOnSurface(geom) as p, code from counties order by code) c`.execute(db);
  const order = rows.map((_, i) => rows[(i * 23) % rows.length]!);
  const tiles: BenchTile[] = [];
  const pick = (layer: string, zooms: [number, number], perZoom: number) => {
    for (let z = zooms[0]; z <= zooms[1]; z++) {
      const seen = new Set<string>();
      for (let i = 0; seen.size < perZoom && i < order.length; i++) {
        const centre = lonLatToTile(order[i]!.lon, order[i]!.lat, z);
        const tile = { layer, z, x: centre.x + (i % 2), y: centre.y };
        const key = `${tile.x}/${tile.y}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tiles.push(tile);
      }
    }
  };
  pick('neighbourhoods', [6, 15], 21);
  pick('counties', [6, 12], 9);
  return tiles;
}
