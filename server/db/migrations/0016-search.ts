import { sql, type Kysely } from 'kysely';
import { SEARCH_KEY_FROM, SEARCH_KEY_MARKS, SEARCH_KEY_REWRITES, SEARCH_KEY_SEPARATORS, SEARCH_KEY_TO } from '../../../shared/persian-text.js';

/**
 * Forgiving name search: mn_search_key(text) and mn_search_words(text) are searchKey and
 * searchWords (shared/persian-text.ts) in SQL, built from the same constants, and pg_trgm
 * gives the fuzzy match (one wrong or missing letter). Trigram indexes on the keys serve the
 * substring search, those on the words the fuzzy one.
 *
 * The functions are IMMUTABLE so they can be indexed: a change of the rules needs a new
 * migration that replaces them and rebuilds the indexes (tests/api/search.test.ts compares
 * them with the TypeScript on every seeded name, so a drift fails the tests).
 */
function foldFunction(name: string, separator: '' | ' ') {
  // translate() deletes the characters of its second argument that have no counterpart in the third.
  const mapped = separator
    ? sql`translate(translate(normalize(coalesce($1, ''), NFD), ${sql.lit(SEARCH_KEY_MARKS)}, ''), ${sql.lit(SEARCH_KEY_FROM + SEARCH_KEY_SEPARATORS)}, ${sql.lit(SEARCH_KEY_TO + ' '.repeat(SEARCH_KEY_SEPARATORS.length))})`
    : sql`translate(translate(normalize(coalesce($1, ''), NFD), ${sql.lit(SEARCH_KEY_MARKS + SEARCH_KEY_SEPARATORS)}, ''), ${sql.lit(SEARCH_KEY_FROM)}, ${sql.lit(SEARCH_KEY_TO)})`;
  let body = separator
    ? sql`btrim(regexp_replace(lower(${mapped}), ' +', ' ', 'g'))`
    : sql`lower(${mapped})`;
  for (const [pattern, replacement] of SEARCH_KEY_REWRITES) {
    body = sql`regexp_replace(${body}, ${sql.lit(pattern)}, ${sql.lit(replacement)}, 'g')`;
  }
  return sql`create or replace function ${sql.raw(name)}(text) returns text
    language sql immutable parallel safe strict as $fn$ select ${body} $fn$`;
}

const INDEXED = [['neighbourhoods', 'name_fa'], ['neighbourhoods', 'name_en'], ['counties', 'name_fa'], ['counties', 'name_en']] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await foldFunction('mn_search_key', '').execute(db);
  await foldFunction('mn_search_words', ' ').execute(db);
  for (const [table, column] of INDEXED) {
    for (const fn of ['mn_search_key', 'mn_search_words']) {
      await sql`create index ${sql.raw(`${table}_${column}_${fn.slice(10)}`)} on ${sql.table(table)}
        using gin (${sql.raw(fn)}(${sql.ref(column)}) gin_trgm_ops)`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of INDEXED) {
    for (const suffix of ['key', 'words']) await sql`drop index ${sql.raw(`${table}_${column}_${suffix}`)}`.execute(db);
  }
  await sql`drop function mn_search_key(text)`.execute(db);
  await sql`drop function mn_search_words(text)`.execute(db);
}
