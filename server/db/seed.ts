import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { multiPolygonFromGeoJson } from './postgis.js';
import { seedCoverage } from '../coverage/seed.js';
import { seedBoundaryHistory } from '../boundaries/history.js';
import { seedMethod } from '../agencies/seed.js';
import { seedPlacesIfEmpty } from '../places/seed.js';
import { COUNTY_NAMES_EN } from './county-names.js';

type GeoJsonFeature = {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
};

function readFeatures(file: string): GeoJsonFeature[] {
  const collection = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: GeoJsonFeature[] };
  return collection.features;
}

/**
 * Loads geodata/ into an empty database, in one transaction: either the whole seed
 * lands or nothing does, so an interrupted first start simply seeds again.
 * Returns whether it seeded.
 */
export async function seedIfEmpty(db: Kysely<Database>, geodataDir: string): Promise<boolean> {
  await seedPlacesIfEmpty(db, geodataDir);
  const { count } = await db
    .selectFrom('counties')
    .select(sql<number>`count(*)::int`.as('count'))
    .executeTakeFirstOrThrow();
  if (count > 0) return false;
  await db.transaction().execute(async (trx) => {
    await seedBoundaries(trx, geodataDir);
    for (const step of seedSteps) await step(trx, geodataDir);
  });
  return true;
}

/** Seed steps of later areas (programme, agencies, …) run after the boundaries. */
export type SeedStep = (trx: Transaction<Database>, geodataDir: string) => Promise<void>;
const seedSteps: SeedStep[] = [seedCoverage, seedMethod, seedBoundaryHistory];

async function seedBoundaries(trx: Transaction<Database>, geodataDir: string): Promise<void> {
  const counties = readFeatures(path.join(geodataDir, 'kerman-counties.geojson'));
  const countyIds = new Map<string, number>();
  for (const { properties: p, geometry } of counties) {
    const row = await trx
      .insertInto('counties')
      .values({
        code: String(p.osm_id),
        name_fa: String(p.name_fa),
        name_en: (p.name_en as string | null) ?? COUNTY_NAMES_EN[String(p.osm_id)] ?? null,
        population: (p.population as number | null) ?? null,
        population_date: (p.population_date as string | null) ?? null,
        source: String(p.source),
        license: String(p.license),
        geom: multiPolygonFromGeoJson(JSON.stringify(geometry)),
        boundary_version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    countyIds.set(String(p.osm_id), row.id);
  }

  const neighbourhoods = readFeatures(path.join(geodataDir, 'neighbourhoods.geojson'));
  const rows = neighbourhoods.map(({ properties: p, geometry }) => {
    const countyId = countyIds.get(String(p.county_code));
    if (countyId === undefined) {
      throw new Error(`neighbourhood ${String(p.code)} names unknown county ${String(p.county_code)}`);
    }
    return {
      code: String(p.code),
      name_fa: String(p.name_fa),
      name_en: String(p.name_en),
      county_id: countyId,
      population: Number(p.population),
      households: Number(p.households),
      deprivation: Number(p.deprivation),
      informal: Boolean(p.informal),
      margin: Boolean(p.margin),
      source: String(p.source),
      license: String(p.license),
      geom: multiPolygonFromGeoJson(JSON.stringify(geometry)),
      boundary_version: 1,
    };
  });
  // A few hundred rows per statement keeps the parameter count far below PostgreSQL's limit.
  for (let i = 0; i < rows.length; i += 200) {
    await trx.insertInto('neighbourhoods').values(rows.slice(i, i + 200)).execute();
  }

  await trx
    .insertInto('boundary_versions')
    .values([
      { layer: 'counties', version: 1, created_by: null, file_name: 'geodata/kerman-counties.geojson', note: 'seed' },
      { layer: 'neighbourhoods', version: 1, created_by: null, file_name: 'geodata/neighbourhoods.geojson', note: 'seed' },
    ])
    .execute();
}
