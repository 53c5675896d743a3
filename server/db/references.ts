import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { AppError } from '../errors.js';

type ReferencedTable = 'agencies' | 'neighbourhoods' | 'problems' | 'counties';

const NOUN: Record<ReferencedTable, string> = {
  agencies: 'agency',
  neighbourhoods: 'neighbourhood',
  problems: 'problem',
  counties: 'county',
};

/**
 * Checks that every id names a row, before anything is written: an unknown agency,
 * neighbourhood or problem is the caller's mistake (400 naming the field), not a
 * foreign-key failure (500) halfway through a write.
 */
export async function requireIds(
  db: Kysely<Database>,
  table: ReferencedTable,
  ids: readonly number[],
  field: string,
): Promise<void> {
  const wanted = [...new Set(ids)];
  const found = await existingIds(db, table, wanted);
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError('invalid_request', `${field} names no known ${NOUN[table]}: ${missing.join(', ')}${table === 'agencies' ? ' (see GET /api/agencies)' : ''}`);
  }
}

/** Which of `ids` name a row of `table`. */
export async function existingIds(db: Kysely<Database>, table: ReferencedTable, ids: readonly number[]): Promise<Set<number>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  const { rows } = await sql<{ id: number }>`select id from ${sql.table(table)} where id = any(${wanted}::int[])`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/**
 * The agency, neighbourhood and county a list's query string filters by must exist: an
 * unknown id is a 400 naming the parameter, not an empty list that looks like an answer.
 */
export async function requireQueryReferences(
  db: Kysely<Database>,
  query: { agency?: number | undefined; neighbourhood?: number | undefined; county?: number | undefined },
): Promise<void> {
  if (query.agency !== undefined) await requireIds(db, 'agencies', [query.agency], 'agency (querystring)');
  if (query.neighbourhood !== undefined) await requireIds(db, 'neighbourhoods', [query.neighbourhood], 'neighbourhood (querystring)');
  if (query.county !== undefined) await requireIds(db, 'counties', [query.county], 'county (querystring)');
}
