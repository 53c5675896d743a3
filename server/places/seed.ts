import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database, PlacesTable } from '../db/schema.js';

/** The gazetteer files of geodata/ and the kind of place each holds. */
const PLACE_FILES = [
  ['kerman-county-seats.geojson', 'county_seat'],
  ['kerman-towns.geojson', 'town'],
] as const;

interface PlaceFeature {
  properties: { name_fa: string | null; name_en: string | null; source: string; license: string };
  geometry: { type: 'Point'; coordinates: [number, number] };
}

/**
 * Loads the context layer's places when the table is empty, in one transaction. Runs on
 * every start, not only with the first seed, so a database seeded before the places
 * existed (migration 0017) gets them too.
 */
export async function seedPlacesIfEmpty(db: Kysely<Database>, geodataDir: string): Promise<void> {
  const { count } = await db.selectFrom('places').select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow();
  if (count > 0) return;
  await db.transaction().execute(async (trx) => {
    for (const [file, kind] of PLACE_FILES) {
      const { features } = JSON.parse(fs.readFileSync(path.join(geodataDir, file), 'utf8')) as { features: PlaceFeature[] };
      const rows = features.map(({ properties: p, geometry }) => ({
        kind: kind satisfies PlacesTable['kind'],
        name_fa: p.name_fa,
        name_en: p.name_en,
        source: p.source,
        license: p.license,
        geom: sql<string>`ST_SetSRID(ST_MakePoint(${geometry.coordinates[0]}::float8, ${geometry.coordinates[1]}::float8), 4326)`,
      }));
      if (rows.length) await trx.insertInto('places').values(rows).execute();
    }
  });
}
