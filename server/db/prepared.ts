import type { CompiledQuery } from 'kysely';
import pg from 'pg';

/**
 * The hot statements (tile queries, the session check, the layer revision read) run as
 * named prepared statements on a PostgreSQL server, so each connection plans them once
 * and reuses the plan: planning took most of their time (0.44 ms of a 0.47 ms session
 * check, about 2.5 ms of a median 6 ms tile query on the 20,000-neighbourhood benchmark).
 *
 * Only texts marked here are prepared. A prepared statement lives as long as its
 * connection, so preparing every text — IN lists of every length, one-off admin
 * queries — would pile them up in the server. The embedded database is untouched: PGlite
 * has no connection to keep them on.
 */
const statementNames = new Map<string, string>();

/** Marks the query's text to run as a prepared statement, and returns the query. */
export function prepared<T>(query: CompiledQuery<T>): CompiledQuery<T> {
  if (!statementNames.has(query.sql)) statementNames.set(query.sql, `mahallenama_${statementNames.size + 1}`);
  return query;
}

/** pg's client, running the texts marked by `prepared` as named statements (given to pg.Pool as its Client). */
export class PreparingClient extends pg.Client {
  // Kysely calls query(text, values); every other form goes to pg as it came. `any`: one
  // override stands for pg's many overloads.
  override query(config: unknown, values?: unknown, callback?: unknown): any {
    const name = typeof config === 'string' ? statementNames.get(config) : undefined;
    if (name && Array.isArray(values) && callback === undefined) return super.query({ name, text: config as string, values });
    return super.query(config as never, values as never, callback as never);
  }
}
