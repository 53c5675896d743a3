import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { multipart } from './boundaries-helpers.js';
import type { Indicator, IndicatorList, IndicatorRankItem, IndicatorValues } from '../../shared/indicators-schemas.js';

// Indicator tables (issue 17 part 5): CSV in UTF-8 and Windows-1256, and XLSX, imported by
// code; a preview report that names the bad rows; nothing live before the commit; a version
// per commit. Fixtures are written here from the seed's own codes: the Windows-1256 copy by
// Debian's iconv (`iconv -f UTF-8 -t CP1256`), the workbook by Debian's GDAL
// (`ogr2ogr -f XLSX -oo AUTODETECT_TYPE=YES out.xlsx in.csv`, so numbers are number cells).

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-indicators-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function upload(client: Client, file: { name: string; data: Buffer }, fields: Record<string, string>) {
  const body = multipart(fields, file);
  return client.request({ method: 'POST', url: '/api/indicators/uploads', payload: body.payload, headers: { 'content-type': body.contentType } });
}

const cp1256 = (text: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1256'], { input: text });

function xlsxOf(csv: string): Buffer {
  const dir = fs.mkdtempSync(path.join(work, 'xlsx-'));
  fs.writeFileSync(path.join(dir, 'table.csv'), csv);
  execFileSync('ogr2ogr', ['-f', 'XLSX', '-oo', 'AUTODETECT_TYPE=YES', path.join(dir, 'table.xlsx'), path.join(dir, 'table.csv')]);
  return fs.readFileSync(path.join(dir, 'table.xlsx'));
}

async function liveTables(app: FastifyInstance): Promise<string> {
  const { rows } = await sql<{ sets: number; versions: number }>`select (select count(*) from indicator_sets)::int as sets,
    (select count(*) from indicator_set_versions)::int as versions`.execute(app.database.db);
  return JSON.stringify(rows[0]);
}

const asMap = (values: IndicatorValues) => Object.fromEntries(values.items.map((i) => [i.neighbourhood_id, i.value]));

/**
 * The composite score as issue 17 part 5 defines it, written out again here rather than
 * imported, from the parts' own /values answers: min-max over the neighbourhoods with a
 * value, 1 - n for a negative weight, 100 · Σ|w|·n / Σ|w| where every part has a value.
 */
function expectedScores(parts: Array<{ weight: number; values: IndicatorValues }>): Map<number, number> {
  const normalised = parts.map(({ weight, values }) => {
    const numbers = values.items.map((i) => i.value);
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    return new Map(values.items.map((i) => {
      const n = max === min ? 0 : (i.value - min) / (max - min);
      return [i.neighbourhood_id, weight < 0 ? 1 - n : n];
    }));
  });
  const total = parts.reduce((sum, p) => sum + Math.abs(p.weight), 0);
  const scores = new Map<number, number>();
  for (const id of normalised[0]!.keys()) {
    if (normalised.some((m) => !m.has(id))) continue;
    scores.set(id, (100 * normalised.reduce((sum, m, i) => sum + Math.abs(parts[i]!.weight) * m.get(id)!, 0)) / total);
  }
  return scores;
}

async function compositeAudit(app: FastifyInstance, entityId: string) {
  const { rows } = await sql<{ action: string; username: string | null; before: unknown; after: unknown }>`select action, username, before, after
    from audit_log where entity = 'indicators' and entity_id = ${entityId} order by id`.execute(app.database.db);
  return rows.map((r) => ({ ...r, before: typeof r.before === 'string' ? JSON.parse(r.before) : r.before, after: typeof r.after === 'string' ? JSON.parse(r.after) : r.after }));
}

async function compositeTraces(app: FastifyInstance): Promise<string> {
  const { rows } = await sql<{ composites: number; audit: number }>`select (select count(*) from indicator_composites)::int as composites,
    (select count(*) from audit_log where entity_id like 'composite.%')::int as audit`.execute(app.database.db);
  return JSON.stringify(rows[0]);
}

describe.each(backends)('indicator tables on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let commander: Client;
  let nh: { id: number; code: string }[];

  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    commander = await signedInAs(app, 'commander');
    nh = await app.database.db.selectFrom('neighbourhoods').select(['id', 'code']).orderBy('id').limit(6).execute();
  });
  afterAll(async () => {
    await app?.close();
  });

  // Row 2 … : spreadsheet rows (the header is row 1).
  const csvV1 = () => [
    'code,name,literacy,income',
    `${nh[0]!.code},الف,71.5,1200`,
    `${nh[1]!.code},ب,n/a,1300`,
    'ZZZ-000,ناشناخته,50,900',
    `${nh[2]!.code},پ,۴۲٫۵,"1,450"`,
    `${nh[3]!.code},ت,60,`,
    `${nh[4]!.code},ث,80,1000`,
    `${nh[4]!.code},ث,81,1001`,
  ].join('\n');

  it('previews a CSV with an unknown code, a repeated code and a non-numeric value, naming the rows, and imports nothing', async () => {
    const before = await liveTables(app);
    const res = await upload(planner, { name: 'literacy.csv', data: Buffer.from(csvV1()) }, { name_fa: 'سواد', name_en: 'Literacy', unit: 'درصد', unit_en: '%' });
    expect(res.status, res.text).toBe(201);
    const report = res.body.report;
    expect(res.body.slug).toBe('literacy');
    expect(res.body.status).toBe('preview');
    expect(report.encoding).toBe('UTF-8');
    expect(report.rows).toBe(7);
    expect(report.code_column).toBe('code');
    expect(report.matched).toBe(4);
    expect(report.unknown_codes).toEqual([{ row: 4, code: 'ZZZ-000' }]);
    expect(report.duplicate_codes).toEqual([{ code: nh[4]!.code, rows: [7, 8] }]);
    expect(report.text_columns).toEqual(['name']);
    expect(report.indicators).toEqual([
      { key: 'literacy', column: 'literacy', values: 3, empty: 0, non_numeric: [{ row: 3, value: 'n/a' }] },
      { key: 'income', column: 'income', values: 3, empty: 1, non_numeric: [] },
    ]);
    expect(await liveTables(app)).toBe(before);
    expect((await planner.get('/api/indicators/literacy.literacy/values')).status).toBe(404);
    const list = await planner.get<IndicatorList>('/api/indicators');
    expect(list.body.items.filter((i) => i.source === 'imported')).toEqual([]);

    expect((await commander.post(`/api/indicators/uploads/${res.body.id}/commit`)).status).toBe(403);
    const committed = await planner.post(`/api/indicators/uploads/${res.body.id}/commit`);
    expect(committed.status, committed.text).toBe(200);
    expect(committed.body).toMatchObject({ slug: 'literacy', version: 1, indicators: ['literacy.literacy', 'literacy.income'] });
    expect((await planner.post(`/api/indicators/uploads/${res.body.id}/commit`)).status).toBe(409);

    const literacy = await commander.get<IndicatorValues>('/api/indicators/literacy.literacy/values');
    expect(literacy.status).toBe(200);
    expect(asMap(literacy.body)).toEqual({ [nh[0]!.id]: 71.5, [nh[2]!.id]: 42.5, [nh[3]!.id]: 60 });
    const income = await commander.get<IndicatorValues>('/api/indicators/literacy.income/values');
    expect(asMap(income.body)).toEqual({ [nh[0]!.id]: 1200, [nh[1]!.id]: 1300, [nh[2]!.id]: 1450 });
    const listed = (await commander.get<IndicatorList>('/api/indicators')).body.items.find((i) => i.key === 'literacy.literacy');
    expect(listed).toEqual({ key: 'literacy.literacy', source: 'imported', version: 1, name_fa: 'سواد — literacy', name_en: 'Literacy — literacy', unit_fa: 'درصد', unit_en: '%' });
  });

  it('reads a Windows-1256 CSV with Persian headers as a second version; the first stays readable', async () => {
    // Windows-1256 has no Persian yeh: the file holds the Arabic one (U+064A), as such files do.
    const text = [`کد,نرخ باسوادي`, `${nh[0]!.code},75`, `${nh[1]!.code},66`, `${nh[5]!.code},58.25`].join('\r\n');
    const file = { name: 'literacy-1256.csv', data: cp1256(text) };
    const res = await upload(planner, file, { name_fa: 'سواد', name_en: 'Literacy', slug: 'literacy', unit: 'درصد' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.replaces_version).toBe(1);
    expect(res.body.report.encoding).toBe('windows-1256');
    expect(res.body.report.code_column).toBe('کد');
    expect(res.body.report.indicators).toEqual([{ key: 'c2', column: 'نرخ باسوادی', values: 3, empty: 0, non_numeric: [] }]);
    expect(res.body.report.undecodable_rows).toEqual([]);

    // The same bytes said to be UTF-8: the rows that do not decode are named.
    const wrong = await upload(planner, file, { name_fa: 'سواد', slug: 'literacy_wrong', encoding: 'UTF-8', code_column: 'code' });
    expect(wrong.status, wrong.text).toBe(422);
    expect(wrong.body.message).toMatch(/code_column "code" is not a column of the file/);

    const committed = await planner.post(`/api/indicators/uploads/${res.body.id}/commit`);
    expect(committed.body).toMatchObject({ version: 2, indicators: ['literacy.c2'] });
    const v2 = await planner.get<IndicatorValues>('/api/indicators/literacy.c2/values');
    expect(asMap(v2.body)).toEqual({ [nh[0]!.id]: 75, [nh[1]!.id]: 66, [nh[5]!.id]: 58.25 });
    expect((await planner.get('/api/indicators/literacy.literacy/values')).status).toBe(404);
    const v1 = await planner.get<IndicatorValues>('/api/indicators/literacy.literacy/values?version=1');
    expect(v1.body.version).toBe(1);
    expect(asMap(v1.body)).toEqual({ [nh[0]!.id]: 71.5, [nh[2]!.id]: 42.5, [nh[3]!.id]: 60 });
    const versions = await planner.get('/api/indicators/sets/literacy/versions');
    expect(versions.body.current).toBe(2);
    expect(versions.body.items.map((v: { version: number; matched: number }) => [v.version, v.matched])).toEqual([[2, 3], [1, 4]]);
  });

  it('names the rows that a wrongly named encoding could not read', async () => {
    const text = [`code,name,value`, `${nh[0]!.code},جوپار,1`, `${nh[1]!.code},abc,2`, `${nh[2]!.code},باغ,3`].join('\n');
    const res = await upload(planner, { name: 'wrong.csv', data: cp1256(text) }, { name_fa: 'آزمون', name_en: 'Test', encoding: 'UTF-8' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.report.undecodable_rows).toEqual([2, 4]);
    const discarded = await planner.post(`/api/indicators/uploads/${res.body.id}/discard`);
    expect(discarded.body.status).toBe('discarded');
    expect((await planner.post(`/api/indicators/uploads/${res.body.id}/commit`)).status).toBe(409);
  });

  it('imports an XLSX workbook', async () => {
    const csv = ['code,households', `${nh[0]!.code},310`, `${nh[3]!.code},125.5`, `${nh[4]!.code},88`].join('\n');
    const res = await upload(planner, { name: 'households.xlsx', data: xlsxOf(csv) }, { name_fa: 'خانوار', name_en: 'Households' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.report).toMatchObject({ format: 'XLSX', rows: 3, matched: 3, unknown_codes: [], duplicate_codes: [] });
    expect((await planner.post(`/api/indicators/uploads/${res.body.id}/commit`)).status).toBe(200);
    const values = await planner.get<IndicatorValues>('/api/indicators/households.households/values');
    expect(asMap(values.body)).toEqual({ [nh[0]!.id]: 310, [nh[3]!.id]: 125.5, [nh[4]!.id]: 88 });
  });

  it('refuses tables it cannot use, and uploads from commanders', async () => {
    const before = await liveTables(app);
    const textOnly = await upload(planner, { name: 'names.csv', data: Buffer.from(`code,name\n${nh[0]!.code},x\n`) }, { name_fa: 'نام', name_en: 'Names' });
    expect(textOnly.status).toBe(422);
    expect(textOnly.body.message).toMatch(/No column of the table holds numbers/);
    const shapefile = await upload(planner, { name: 'x.shp', data: Buffer.from('x') }, { name_fa: 'x', name_en: 'X' });
    expect(shapefile.status).toBe(415);
    const noName = await upload(planner, { name: 'a.csv', data: Buffer.from(csvV1()) }, { name_en: 'A' });
    expect(noName.status).toBe(400);
    const persianOnly = await upload(planner, { name: 'a.csv', data: Buffer.from(csvV1()) }, { name_fa: 'سواد' });
    expect(persianOnly.status).toBe(400);
    expect(persianOnly.body.message).toMatch(/slug/);
    const byCommander = await upload(commander, { name: 'a.csv', data: Buffer.from(csvV1()) }, { name_fa: 'a', name_en: 'A' });
    expect(byCommander.status).toBe(403);
    expect((await planner.get('/api/indicators/population/values?version=1')).status).toBe(400);
    expect((await planner.get('/api/indicators/nothing.here/values')).status).toBe(404);
    expect(await liveTables(app)).toBe(before);
  });

  it('maps the built-in figures: population and deprivation as stored, coverage as 0 or 1', async () => {
    const rows = await app.database.db.selectFrom('neighbourhoods').select(['id', 'population', 'deprivation']).execute();
    const population = await planner.get<IndicatorValues>('/api/indicators/population/values');
    expect(asMap(population.body)).toEqual(Object.fromEntries(rows.map((r) => [r.id, r.population])));
    const deprivation = await planner.get<IndicatorValues>('/api/indicators/deprivation/values');
    expect(asMap(deprivation.body)).toEqual(Object.fromEntries(rows.map((r) => [r.id, r.deprivation])));
    const coverage = await planner.get<IndicatorValues>('/api/indicators/coverage/values');
    expect(coverage.body.items).toHaveLength(rows.length);
    expect(new Set(coverage.body.items.map((i) => i.value))).toEqual(new Set([0, 1]));
    for (const key of ['open_problems', 'access.educational.nearest_m', 'access.social.residents_per_facility']) {
      expect((await planner.get(`/api/indicators/${key}/values`)).status, key).toBe(200);
    }
    const list = await planner.get<IndicatorList>('/api/indicators');
    expect(list.body.items.find((i) => i.key === 'population')).toMatchObject({ source: 'builtin', unit_en: 'people', unit_fa: 'نفر' });
  });

  /** Uploads and commits a table of one column, so a test has an imported indicator of its own. */
  async function importSet(slug: string, rows: Array<[string, number]>): Promise<string> {
    const csv = ['code,value', ...rows.map(([code, value]) => `${code},${value}`)].join('\n');
    const res = await upload(planner, { name: `${slug}.csv`, data: Buffer.from(csv) }, { name_fa: slug, name_en: slug, slug });
    expect(res.status, res.text).toBe(201);
    expect((await planner.post(`/api/indicators/uploads/${res.body.id}/commit`)).status).toBe(200);
    return `${slug}.value`;
  }

  const valuesOf = async (key: string) => {
    const res = await commander.get<IndicatorValues>(`/api/indicators/${key}/values`);
    expect(res.status, `${key}: ${res.text}`).toBe(200);
    return res.body;
  };

  it('combines indicators with weights into a score 0–100, mapped and listed like any other, replaced and deleted with an audit trail', async () => {
    const schools = await importSet('schools', [[nh[0]!.code, 3], [nh[1]!.code, 0], [nh[2]!.code, 7], [nh[3]!.code, 7]]);
    const parts = [{ key: 'population', weight: 2 }, { key: 'deprivation', weight: -1 }, { key: schools, weight: 1.5 }];
    const body = { slug: 'wellbeing', name_fa: 'رفاه', name_en: 'Well-being', parts };
    expect((await commander.post('/api/indicators/composites', body)).status).toBe(403);

    const created = await planner.post<Indicator>('/api/indicators/composites', body);
    expect(created.status, created.text).toBe(201);
    const indicator = { key: 'composite.wellbeing', source: 'composite', name_fa: 'رفاه', name_en: 'Well-being', unit_fa: 'امتیاز ۰ تا ۱۰۰', unit_en: 'score 0–100', version: null };
    expect(created.body).toEqual(indicator);
    const list = await commander.get<IndicatorList>('/api/indicators');
    expect(list.body.items.filter((i) => i.source === 'composite')).toEqual([indicator]);

    const definition = await commander.get('/api/indicators/composites/wellbeing');
    expect(definition.status).toBe(200);
    expect(definition.body).toMatchObject({ slug: 'wellbeing', name_fa: 'رفاه', name_en: 'Well-being', parts, created_by: planner.username });
    expect(Date.now() - Date.parse(definition.body.created_at)).toBeLessThan(60_000);

    // Only the four neighbourhoods with a schools value have a score.
    const expected = expectedScores(await Promise.all(parts.map(async (p) => ({ weight: p.weight, values: await valuesOf(p.key) }))));
    expect([...expected.keys()].sort((a, b) => a - b)).toEqual(nh.slice(0, 4).map((n) => n.id));
    const scores = await valuesOf('composite.wellbeing');
    expect(scores.key).toBe('composite.wellbeing');
    expect(scores.version).toBeNull();
    expect(scores.items.map((i) => i.neighbourhood_id)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const item of scores.items) {
      expect(item.value).toBeCloseTo(expected.get(item.neighbourhood_id)!, 9);
      expect(item.value).toBeGreaterThanOrEqual(0);
      expect(item.value).toBeLessThanOrEqual(100);
    }
    expect((await commander.get('/api/indicators/composite.wellbeing/values?version=1')).status).toBe(400);

    // Replaced by a definition of the two built-in figures only: every neighbourhood scores.
    const replacement = { slug: 'wellbeing', name_fa: 'رفاه ۲', parts: [{ key: 'population', weight: 1 }, { key: 'deprivation', weight: -3 }] };
    const replaced = await planner.post<Indicator>('/api/indicators/composites', replacement);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body).toEqual({ ...indicator, name_fa: 'رفاه ۲', name_en: 'رفاه ۲' });
    expect((await commander.get('/api/indicators/composites/wellbeing')).body.parts).toEqual(replacement.parts);
    const all = expectedScores(await Promise.all(replacement.parts.map(async (p) => ({ weight: p.weight, values: await valuesOf(p.key) }))));
    const rescored = await valuesOf('composite.wellbeing');
    const count = await app.database.db.selectFrom('neighbourhoods').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(rescored.items).toHaveLength(Number(count.n));
    for (const item of rescored.items) expect(item.value).toBeCloseTo(all.get(item.neighbourhood_id)!, 9);

    const deleted = await planner.delete('/api/indicators/composites/wellbeing');
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ slug: 'wellbeing', status: 'deleted' });
    expect((await commander.get('/api/indicators/composites/wellbeing')).status).toBe(404);
    expect((await commander.get('/api/indicators/composite.wellbeing/values')).status).toBe(404);
    expect((await planner.delete('/api/indicators/composites/wellbeing')).status).toBe(404);
    expect((await commander.get<IndicatorList>('/api/indicators')).body.items.filter((i) => i.source === 'composite')).toEqual([]);

    const first = { name_fa: 'رفاه', name_en: 'Well-being', parts };
    const second = { name_fa: 'رفاه ۲', name_en: 'رفاه ۲', parts: replacement.parts };
    expect(await compositeAudit(app, 'composite.wellbeing')).toEqual([
      { action: 'create', username: planner.username, before: null, after: first },
      { action: 'replace', username: planner.username, before: first, after: second },
      { action: 'delete', username: planner.username, before: second, after: null },
    ]);
  });

  it('ranks the neighbourhoods of any indicator with ?top=N, highest first, ties by id, named', async () => {
    const names = new Map((await app.database.db.selectFrom('neighbourhoods as n').innerJoin('counties as c', 'c.id', 'n.county_id')
      .select(['n.id', 'n.name_fa', 'n.name_en', 'c.name_fa as county_fa']).execute()).map((r) => [r.id, r]));
    const ranked = (values: IndicatorValues, n: number): IndicatorRankItem[] => [...values.items]
      .sort((a, b) => b.value - a.value || a.neighbourhood_id - b.neighbourhood_id).slice(0, n)
      .map((i) => ({ neighbourhood_id: i.neighbourhood_id, name_fa: names.get(i.neighbourhood_id)!.name_fa,
        name_en: names.get(i.neighbourhood_id)!.name_en, county_fa: names.get(i.neighbourhood_id)!.county_fa, value: i.value }));

    // Ties: two neighbourhoods of 7 and two of 5; the lower id comes first.
    const ties = await importSet('ties', [[nh[4]!.code, 5], [nh[1]!.code, 7], [nh[3]!.code, 5], [nh[0]!.code, 7], [nh[2]!.code, 1], [nh[5]!.code, 2]]);
    const created = await planner.post('/api/indicators/composites', { slug: 'ranked', name_fa: 'رتبه', parts: [{ key: 'population', weight: 1 }, { key: 'deprivation', weight: 1 }] });
    expect(created.status, created.text).toBe(201);

    for (const key of ['population', 'deprivation', ties, 'composite.ranked']) {
      const values = await valuesOf(key);
      expect(values).not.toHaveProperty('top');
      const res = await commander.get<IndicatorValues>(`/api/indicators/${key}/values?top=5`);
      expect(res.status, `${key}: ${res.text}`).toBe(200);
      expect(res.body.items).toEqual(values.items);
      expect(res.body.top, key).toEqual(ranked(values, 5));
    }
    const tied = await commander.get<IndicatorValues>(`/api/indicators/${ties}/values?top=5`);
    expect(tied.body.top!.map((t) => t.neighbourhood_id)).toEqual([nh[0]!.id, nh[1]!.id, nh[3]!.id, nh[4]!.id, nh[5]!.id]);
    expect(tied.body.top!.map((t) => t.value)).toEqual([7, 7, 5, 5, 2]);
    const all = await commander.get<IndicatorValues>(`/api/indicators/${ties}/values?top=50`);
    expect(all.body.top).toHaveLength(6);
    for (const top of ['0', '51', '2.5', 'x']) {
      expect((await commander.get(`/api/indicators/population/values?top=${top}`)).status, top).toBe(400);
    }
  });

  it('refuses composites it cannot score, leaving nothing behind', async () => {
    const own = await importSet('wells', [[nh[0]!.code, 1], [nh[1]!.code, 2]]);
    const made = await planner.post('/api/indicators/composites', { slug: 'base', name_fa: 'پایه', parts: [{ key: 'population', weight: 1 }, { key: own, weight: 1 }] });
    expect(made.status, made.text).toBe(201);
    const before = await compositeTraces(app);
    const post = (body: Record<string, unknown>) => planner.post('/api/indicators/composites', { slug: 'bad', name_fa: 'بد', ...body });
    const two = [{ key: 'population', weight: 1 }, { key: 'deprivation', weight: 1 }];

    const unknown = await post({ parts: [{ key: 'population', weight: 1 }, { key: 'nothing.here', weight: 1 }] });
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.body.message).toContain('nothing.here');
    const preview = await upload(planner, { name: 'p.csv', data: Buffer.from(`code,value\n${nh[0]!.code},1`) }, { name_fa: 'p', slug: 'uncommitted' });
    expect(preview.status).toBe(201);
    expect((await post({ parts: [two[0], { key: 'uncommitted.value', weight: 1 }] })).status).toBe(404);
    expect((await post({ parts: [two[0], { key: 'deprivation', weight: 0 }] })).status).toBe(400);
    expect((await post({ parts: [two[0], { key: 'deprivation', weight: 100.5 }] })).status).toBe(400);
    expect((await post({ parts: [two[0], { key: 'deprivation', weight: 'a' }] })).status).toBe(400);
    expect((await post({ parts: [two[0]] })).status).toBe(400);
    expect((await post({ parts: Array.from({ length: 13 }, (_v, i) => ({ key: i === 0 ? 'population' : `wells.c${i}`, weight: 1 })) })).status).toBe(400);
    expect((await post({ parts: [two[0], two[0]] })).status).toBe(400);
    const nested = await post({ parts: [two[0], { key: 'composite.base', weight: 1 }] });
    expect([400, 404]).toContain(nested.status);
    const taken = await post({ slug: 'wells', parts: two });
    expect(taken.status, taken.text).toBe(409);
    expect(taken.body.error).toBe('conflict');
    expect((await post({ slug: 'composite', parts: two })).status).toBe(400);
    expect((await post({ slug: 'Bad-Slug', parts: two })).status).toBe(400);
    expect((await post({ name_fa: '  ', parts: two })).status).toBe(400);
    expect((await post({ name_fa: 'a\u0000b', parts: two })).status).toBe(400);
    expect((await post({ parts: two, colour: 'red' })).status).toBe(400);
    expect((await planner.get('/api/indicators/composites/bad')).status).toBe(404);
    expect(await compositeTraces(app)).toBe(before);

    // No imported set may take the composites' prefix as its slug.
    const prefix = await upload(planner, { name: 'c.csv', data: Buffer.from(`code,value\n${nh[0]!.code},1`) }, { name_fa: 'c', slug: 'composite' });
    expect(prefix.status).toBe(400);
  });
});
