import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { searchKey, searchWords } from '../../shared/persian-text.js';
import type { SearchItem } from '../../shared/search-schemas.js';

/** No name is this long; a longer query finds nothing, at once. */
const LONGEST_QUERY = 200;
/**
 * Fuzzy matches need this much trigram word similarity (0..1) between the query's words and a
 * name's words (pg_trgm's `<%`). 0.5 lets one wrong or missing letter through in names of
 * five letters and more, and keeps unrelated names out; shorter queries match only exactly,
 * by prefix or inside a name.
 */
const FUZZY_SIMILARITY = 0.5;
const FUZZY_MIN_LENGTH = 4;

const MATCHES = ['exact', 'prefix', 'contains', 'fuzzy'] as const;

interface Query {
  key: RawBuilder<string>;
  words: RawBuilder<string>;
  fuzzy: boolean;
}

function prepare(text: string): Query | undefined {
  const key = searchKey(text);
  if (!key || text.length > LONGEST_QUERY) return undefined;
  return { key: sql<string>`${key}::text`, words: sql<string>`${searchWords(text)}::text`, fuzzy: key.length >= FUZZY_MIN_LENGTH };
}

/**
 * Names match inside and fuzzily; codes (KRM-C-001, an agency's slug) only inside, since one
 * wrong digit of a code is another place. The key contains no LIKE wildcards: % _ and \ are
 * separators, which the key drops. `fuzzyAt` is `<%` under search()'s threshold setting, or an
 * explicit comparison elsewhere.
 */
function matches(q: Query, names: RawBuilder<unknown>[], codes: RawBuilder<unknown>[], fuzzyAt = (c: RawBuilder<unknown>) => sql`${q.words} <% mn_search_words(${c})`): RawBuilder<boolean> {
  const inside = [...names, ...codes].map((c) => sql`mn_search_key(${c}) like '%' || ${q.key} || '%'`);
  const fuzzy = q.fuzzy ? names.map(fuzzyAt) : [];
  return sql<boolean>`(${sql.join([...inside, ...fuzzy], sql` or `)})`;
}

/** 0 exact, 1 prefix, 2 contains, 3 fuzzy: the best over the columns. */
function rank(q: Query, columns: RawBuilder<unknown>[]): RawBuilder<number> {
  return sql<number>`least(${sql.join(columns.map((c) => sql`case when mn_search_key(${c}) = ${q.key} then 0
    when mn_search_key(${c}) like ${q.key} || '%' then 1 when mn_search_key(${c}) like '%' || ${q.key} || '%' then 2 else 3 end`))})`;
}

function similarity(q: Query, columns: RawBuilder<unknown>[]): RawBuilder<number> {
  return sql<number>`greatest(${sql.join(columns.map((c) => sql`coalesce(word_similarity(${q.words}, mn_search_words(${c})), 0)`))})`;
}

const bbox = (geom: RawBuilder<unknown>) => sql`json_build_array(ST_XMin(${geom}), ST_YMin(${geom}), ST_XMax(${geom}), ST_YMax(${geom}))`;

/**
 * Neighbourhoods, counties and agencies whose Persian or English name (or a neighbourhood's
 * code, an agency's slug) matches, best first: an exact match, then a name that starts with
 * the query, then one that contains it, then a fuzzy match; within each, the closest spelling.
 */
export async function search(db: Kysely<Database>, text: string, limit: number): Promise<SearchItem[]> {
  const q = prepare(text);
  if (!q) return [];
  const nNames = [sql.ref('n.name_fa'), sql.ref('n.name_en')];
  const n = [...nNames, sql.ref('n.code')];
  const c = [sql.ref('c.name_fa'), sql.ref('c.name_en')];
  const aNames = [sql.ref('a.name_fa'), sql.ref('a.name_en')];
  const a = [...aNames, sql.ref('a.slug')];
  // `<%` compares with a setting; set for this transaction only.
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(FUZZY_SIMILARITY)}, true)`.execute(trx);
    const { rows } = await sql<Omit<SearchItem, 'match'> & { rank: number; similarity: number; kind_order: number }>`
      select * from (
        select 'county' as kind, 0 as kind_order, c.id, c.name_fa, c.name_en, null::text as county_fa,
          ${bbox(sql.ref('c.geom'))} as bbox, ${rank(q, c)} as rank, ${similarity(q, c)} as similarity
        from counties c where ${matches(q, c, [])}
        union all
        select 'neighbourhood', 1, n.id, n.name_fa, n.name_en, c.name_fa,
          ${bbox(sql.ref('n.geom'))}, ${rank(q, n)}, ${similarity(q, n)}
        from neighbourhoods n join counties c on c.id = n.county_id where ${matches(q, nNames, [sql.ref('n.code')])}
        union all
        select 'agency', 2, a.id, a.name_fa, a.name_en, null, null, ${rank(q, a)}, ${similarity(q, a)}
        from agencies a where ${matches(q, aNames, [sql.ref('a.slug')])}
      ) found
      order by rank, similarity desc, kind_order, name_fa, id
      limit ${limit}`.execute(trx);
    return rows.map(({ rank, similarity: _similarity, kind_order: _order, ...item }) => ({ ...item, match: MATCHES[rank]! }));
  });
}

/** The condition search() uses for neighbourhoods (alias n), for the ?q= filter of lists. */
export function neighbourhoodMatch(text: string): RawBuilder<boolean> {
  const q = prepare(text);
  if (!q) return sql<boolean>`false`;
  // Outside search()'s transaction the similarity threshold is compared explicitly.
  return matches(q, [sql.ref('n.name_fa'), sql.ref('n.name_en')], [sql.ref('n.code')],
    (c) => sql`word_similarity(${q.words}, mn_search_words(${c})) >= ${FUZZY_SIMILARITY}`);
}
