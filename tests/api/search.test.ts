import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { searchKey, searchWords } from '../../shared/persian-text.js';
import type { SearchResults } from '../../shared/search-schemas.js';
import type { NeighbourhoodCollection } from '../../shared/schemas.js';

// Spellings Kerman's staff type (issue 15), each with the seeded neighbourhood code it must find.
const SPELLINGS: Array<[string, string]> = [
  ['سر آسیاب', 'KRM-C-029'], // a space where the name has none
  ['سرآسیاب فرسنگی', 'KRM-C-029'],
  ['مهدی آباد', 'KRM-C-020'], // a space where the name has a half-space
  ['مهدیاباد', 'KRM-C-020'], // nothing, and no madda
  ['مهدي‌آباد', 'KRM-C-020'], // Arabic yeh
  ['الله آباد', 'KRM-C-024'],
  ['اله اباد', 'KRM-C-024'],
  ['قلعه‌دختر', 'KRM-C-003'], // a half-space where the name has a space
  ['ازادی', 'KRM-C-008'], // no madda
  ['خواجه خظر', 'KRM-C-002'], // one wrong letter
  ['سراسیب فرسنگی', 'KRM-C-029'], // one missing letter
  ['Mahdiabad', 'KRM-C-020'],
  ['mahdi abad', 'KRM-C-020'],
  ['allahabad', 'KRM-C-024'],
  ['bazar', 'KRM-C-001'],
  ['khaje khezr', 'KRM-C-002'],
  ['Sar Asiab', 'KRM-C-029'],
  ['Zarisph', 'KRM-C-006'], // fuzzy Latin
  ['KRM-C-011', 'KRM-C-011'],
];

describe.each(backends)('search on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let codeOf: Map<number, string>;
  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    const all = await planner.get<NeighbourhoodCollection>('/api/neighbourhoods');
    codeOf = new Map(all.body.features.map((f) => [f.properties.id, f.properties.code]));
  });
  afterAll(async () => {
    await app?.close();
  });

  const find = (q: string) => planner.get<SearchResults>(`/api/search?q=${encodeURIComponent(q)}`);

  it.each(SPELLINGS)('finds %s', async (q, code) => {
    const res = await find(q);
    expect(res.status).toBe(200);
    const found = res.body.items.filter((i) => i.kind === 'neighbourhood').map((i) => codeOf.get(i.id));
    expect(found).toContain(code);
    // and /api/neighbourhoods?q= matches the same way
    const list = await planner.get<NeighbourhoodCollection>(`/api/neighbourhoods?q=${encodeURIComponent(q)}`);
    expect(list.body.features.map((f) => f.properties.code)).toContain(code);
  });

  it('finds the county of Kerman first for کرمان, with its bounding box', async () => {
    const res = await find('کرمان');
    const first = res.body.items[0]!;
    expect(first).toMatchObject({ kind: 'county', name_fa: 'کرمان', match: 'exact' });
    const [w, s, e, n] = first.bbox!;
    expect(w).toBeLessThan(57.08); // Kerman city centre, 57.07879 30.28321, is inside the county
    expect(e).toBeGreaterThan(57.08);
    expect(s).toBeLessThan(30.28);
    expect(n).toBeGreaterThan(30.28);
  });

  it('ranks exact, then prefix, then contains, then fuzzy, and names the county of a neighbourhood', async () => {
    const res = await find('سرآسیاب');
    const matches = res.body.items.map((i) => i.match);
    const order = ['exact', 'prefix', 'contains', 'fuzzy'];
    expect([...matches].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(matches);
    expect(res.body.items[0]).toMatchObject({ kind: 'neighbourhood', match: 'prefix', county_fa: 'کرمان' });
  });

  it('matches a code only as written: one wrong digit is another neighbourhood', async () => {
    const res = await find('KRM-C-001');
    expect(res.body.items.filter((i) => i.kind === 'neighbourhood').map((i) => codeOf.get(i.id))).toEqual(['KRM-C-001']);
    const list = await planner.get<NeighbourhoodCollection>('/api/neighbourhoods?q=KRM-C-001');
    expect(list.body.features.map((f) => f.properties.code)).toEqual(['KRM-C-001']);
  });

  it('finds agencies by either name', async () => {
    const agencies = (await planner.get<{ items: Array<{ id: number; name_fa: string; name_en: string }> }>('/api/agencies')).body.items;
    const agency = agencies[0]!;
    const res = await find(agency.name_en.toLowerCase());
    expect(res.body.items).toContainEqual(expect.objectContaining({ kind: 'agency', id: agency.id, bbox: null }));
  });

  it.each(['   ', '؟!،.', 'ب'.repeat(500), 'x'.repeat(2000), '%_\\', "' or 1=1 --"])('answers an empty list for %j', async (q) => {
    const started = performance.now();
    const res = await find(q);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a missing q and a limit out of range with a 400', async () => {
    expect((await planner.get('/api/search')).status).toBe(400);
    expect((await planner.get('/api/search?q=a&limit=0')).status).toBe(400);
    expect((await planner.get('/api/search?q=a&limit=51')).status).toBe(400);
  });

  it('needs a signed-in user', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/search?q=bam' })).statusCode).toBe(401);
  });

  it('computes the same key in SQL as in TypeScript for every seeded name', async () => {
    const names = await app.database.db
      .selectFrom('neighbourhoods').select(['name_fa', 'name_en']).execute();
    const texts = [...names.flatMap((n) => [n.name_fa, n.name_en]), 'Orzū’īyeh', 'Qal‘eh Ganj', 'ارزوئیه', 'كرمانـــ', 'Ḩasanābād', 'GHALEH'];
    for (const text of texts) {
      const { rows } = await sql<{ key: string; words: string }>`select mn_search_key(${text}) as key, mn_search_words(${text}) as words`.execute(app.database.db);
      expect(rows[0]!.key, text).toBe(searchKey(text));
      expect(rows[0]!.words, text).toBe(searchWords(text));
    }
  });
});
