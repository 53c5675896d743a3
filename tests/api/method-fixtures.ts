import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Client } from './clients.js';
import type { AgencyList, StageTable } from '../../shared/method-schemas.js';

/** Ids of the seeded agencies (by slug) and neighbourhoods (by code), read through the API. */
export interface SeedIds {
  agency(slug: string): number;
  neighbourhood(code: string): number;
  /** A neighbourhood the seed leaves without problems, networks or interventions. */
  untouched(): number[];
}

export async function seedIds(client: Client): Promise<SeedIds> {
  const agencies = (await client.get<AgencyList>('/api/agencies')).body.items;
  const stages = (await client.get<StageTable>('/api/stages')).body.items;
  const bySlug = new Map(agencies.map((a) => [a.slug, a.id]));
  const byCode = new Map(stages.map((s) => [s.code, s.neighbourhood_id]));
  return {
    agency(slug) {
      const id = bySlug.get(slug);
      if (id === undefined) throw new Error(`no seeded agency ${slug}`);
      return id;
    },
    neighbourhood(code) {
      const id = byCode.get(code);
      if (id === undefined) throw new Error(`no seeded neighbourhood ${code}`);
      return id;
    },
    untouched: () => stages.filter((s) => s.stage === 0 && s.stage2.problems === 0).map((s) => s.neighbourhood_id),
  };
}

/** Row counts straight from the database, to prove a refused write left nothing behind. */
export async function tableCounts(app: FastifyInstance, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app.database.db);
    counts[table] = rows[0]!.n;
  }
  return counts;
}

export const METHOD_TABLES = [
  'problems', 'problem_events', 'interventions', 'intervention_partners', 'intervention_neighbourhoods',
  'intervention_problems', 'networks', 'stage_reviews', 'agencies', 'audit_log',
] as const;

export async function layerRevision(app: FastifyInstance, layer: string): Promise<number> {
  const { rows } = await sql<{ revision: number }>`select revision from layer_revisions where layer = ${layer}`.execute(app.database.db);
  return rows[0]?.revision ?? 0;
}

/** The programme's today (Kerman time), by which the database decides what is overdue. */
export async function databaseToday(app: FastifyInstance): Promise<string> {
  const { rows } = await sql<{ today: string }>`select programme_today()::text as today`.execute(app.database.db);
  return rows[0]!.today;
}
