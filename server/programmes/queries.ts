import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Programme } from '../../shared/coverage-schemas.js';

function selectProgrammes(db: Kysely<Database>) {
  return db
    .selectFrom('programmes')
    .select([
      'id', 'slug', 'name_fa', 'name_en', 'description_fa', 'description_en',
      // Dates leave as 'YYYY-MM-DD' text: the two drivers would otherwise turn them into
      // Date objects at local midnight, a day off east or west of Greenwich.
      sql<string | null>`started_on::text`.as('started_on'),
      sql<string | null>`closed_on::text`.as('closed_on'),
    ]);
}

export async function listProgrammes(db: Kysely<Database>): Promise<Programme[]> {
  return selectProgrammes(db).orderBy('id').execute();
}

export async function findProgrammeBySlug(db: Kysely<Database>, slug: string): Promise<Programme | undefined> {
  return selectProgrammes(db).where('slug', '=', slug).executeTakeFirst();
}
