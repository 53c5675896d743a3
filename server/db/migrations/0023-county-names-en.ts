import { sql, type Kysely } from 'kysely';
import { COUNTY_NAMES_EN } from '../county-names.js';

/**
 * Two counties had no English name (OpenStreetMap has none), so the English interface showed
 * them in Persian. A database seeded before gets the names the seed now gives them; a name
 * someone has set since (a boundary upload) is kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [code, name] of Object.entries(COUNTY_NAMES_EN)) {
    await sql`update counties set name_en = ${name} where code = ${code} and name_en is null`.execute(db);
  }
}

export async function down(): Promise<void> {
  // Nothing to undo: the names are right either way.
}
