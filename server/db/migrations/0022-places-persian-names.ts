import { sql, type Kysely } from 'kysely';

/**
 * The towns of the context layer got their Persian names (geodata/make-towns.ts). Places are
 * reference data that nobody edits, loaded from geodata/ whenever the table is empty
 * (server/places/seed.ts, at every start): emptying it here makes a database seeded with the
 * Latin-only towns reload them, with the names, right after this migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from places`.execute(db);
}

export async function down(): Promise<void> {
  // Nothing to undo: the next start loads the places again from geodata/.
}
