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
import type { IndicatorList, IndicatorValues } from '../../shared/indicators-schemas.js';

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
});
