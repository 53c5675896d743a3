import fs from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

interface ProgrammeSeed {
  programmes: {
    slug: string; name_fa: string; name_en: string; description_fa: string; description_en: string;
    started_on: string | null; closed_on: string | null;
  }[];
  coverage: { programme: string; neighbourhood_code: string; from: string; to: string | null }[];
}

/**
 * The programmes and their coverage from geodata/programme.json (see geodata/README.md:
 * the figures are real, which neighbourhood got what is illustrative). A seed step of
 * server/db/seed.ts: runs after the boundaries, in the seed's one transaction.
 */
export async function seedCoverage(trx: Transaction<Database>, geodataDir: string): Promise<void> {
  const seed = JSON.parse(fs.readFileSync(path.join(geodataDir, 'programme.json'), 'utf8')) as ProgrammeSeed;

  const programmeIds = new Map<string, number>();
  for (const p of seed.programmes) {
    const row = await trx
      .insertInto('programmes')
      .values({
        slug: p.slug, name_fa: p.name_fa, name_en: p.name_en,
        description_fa: p.description_fa, description_en: p.description_en,
        started_on: p.started_on, closed_on: p.closed_on,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    programmeIds.set(p.slug, row.id);
  }

  const neighbourhoods = await trx.selectFrom('neighbourhoods').select(['id', 'code']).execute();
  const neighbourhoodIds = new Map(neighbourhoods.map((n) => [n.code, n.id]));
  const rows = seed.coverage.map((r) => {
    const programmeId = programmeIds.get(r.programme);
    const neighbourhoodId = neighbourhoodIds.get(r.neighbourhood_code);
    if (programmeId === undefined) throw new Error(`coverage names unknown programme ${r.programme}`);
    if (neighbourhoodId === undefined) throw new Error(`coverage names unknown neighbourhood ${r.neighbourhood_code}`);
    return { programme_id: programmeId, neighbourhood_id: neighbourhoodId, from_date: r.from, to_date: r.to };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await trx.insertInto('coverage_records').values(rows.slice(i, i + 500)).execute();
  }
}
