import { sql, type Kysely, type Transaction } from 'kysely';
import type { BoundaryLayer, Database } from '../db/schema.js';
import type { ChangeCounts } from '../../shared/boundaries-schemas.js';

/**
 * Boundary history as temporal rows (see migration 0006): each row is one state of one
 * boundary, valid for versions [valid_from, valid_to). Commits and restores write the live
 * table first, then close the rows they replaced and copy what they wrote, so history and
 * live rows are the same bytes.
 */

export interface LayerTables {
  table: 'neighbourhoods' | 'counties';
  history: 'neighbourhood_versions' | 'county_versions';
  /** What a version keeps of each boundary, geometry included; ids stay with the live rows. */
  columns: readonly string[];
}

export const LAYER_TABLES: Record<BoundaryLayer, LayerTables> = {
  neighbourhoods: {
    table: 'neighbourhoods',
    history: 'neighbourhood_versions',
    columns: ['code', 'name_fa', 'name_en', 'county_id', 'population', 'households', 'deprivation', 'informal', 'margin', 'source', 'license', 'geom'],
  },
  counties: {
    table: 'counties',
    history: 'county_versions',
    columns: ['code', 'name_fa', 'name_en', 'population', 'population_date', 'source', 'license', 'geom'],
  },
};

/** The layer's current version: the newest row of boundary_versions. */
export async function currentVersion(db: Kysely<Database>, layer: BoundaryLayer): Promise<number> {
  const row = await db
    .selectFrom('boundary_versions')
    .select(sql<number>`coalesce(max(version), 0)::int`.as('version'))
    .where('layer', '=', layer)
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function currentVersions(db: Kysely<Database>): Promise<Record<BoundaryLayer, number>> {
  return { neighbourhoods: await currentVersion(db, 'neighbourhoods'), counties: await currentVersion(db, 'counties') };
}

/**
 * Serialises boundary writes across every server process: commits and restores of either
 * layer take this lock first (a county change can block or unblock a neighbourhood one), and
 * the staleness check that follows sees every write that came before.
 */
export async function lockBoundaries(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${BOUNDARY_LOCK}::bigint)`.execute(trx);
}
/**
 * PostgreSQL servers built with LLVM compile a plan to machine code when its estimated cost
 * is high, and set-returning PostGIS functions (ST_Dump, ST_Subdivide) make estimates huge:
 * a gap check on three features spent 1.4 s compiling to run in 30 ms. The statements of an
 * upload are many and short, so the transaction runs without it.
 */
export async function withoutJit(trx: Transaction<Database>): Promise<void> {
  await sql`set local jit = off`.execute(trx);
}

// "mahalleh" in ASCII: any number other code does not use for an advisory lock.
const BOUNDARY_LOCK = 0x6d6168616c6c6568n.toString();

/**
 * After a write of `version`: the rows of `closed` codes end, and what the live table now
 * holds for `written` codes becomes history.
 */
export async function recordHistory(
  trx: Transaction<Database>,
  layer: BoundaryLayer,
  version: number,
  codes: { closed: string[]; written: string[] },
): Promise<void> {
  const { table, history, columns } = LAYER_TABLES[layer];
  const list = sql.join(columns.map((c) => sql.ref(c)));
  if (codes.closed.length > 0) {
    await sql`update ${sql.table(history)} set valid_to = ${version}::int
      where valid_to is null and code = any(${codes.closed}::text[])`.execute(trx);
  }
  if (codes.written.length > 0) {
    await sql`insert into ${sql.table(history)} (${list}, valid_from)
      select ${list}, ${version}::int from ${sql.table(table)} where code = any(${codes.written}::text[])`.execute(trx);
  }
}

/** Seed step: the seeded boundaries are version 1 of their history. */
export async function seedBoundaryHistory(trx: Transaction<Database>): Promise<void> {
  for (const layer of ['neighbourhoods', 'counties'] as const) {
    const { table } = LAYER_TABLES[layer];
    const codes = await sql<{ code: string }>`select code from ${sql.table(table)}`.execute(trx);
    await recordHistory(trx, layer, 1, { closed: [], written: codes.rows.map((r) => r.code) });
    const counts: ChangeCounts = { features: codes.rows.length, added: codes.rows.length, changed: 0, removed: 0, unchanged: 0 };
    await trx
      .updateTable('boundary_versions')
      .set({ counts: JSON.stringify(counts) })
      .where('layer', '=', layer)
      .where('version', '=', 1)
      .execute();
  }
}
