import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { renderTile } from '../../server/tiles/queries.js';
import { coverageTileLayer } from '../../server/coverage/tile-layer.js';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import {
  isoDateInZone,
  type CoverageAnswer, type CoverageRecord, type GapsAnswer, type HeatCollection, type HexCollection, type ProgrammeList,
  type SeriesAnswer,
} from '../../shared/coverage-schemas.js';

// The figures the seed must reproduce (geodata/README.md, checked at 2026-11-26).
const DAY = '2026-11-26';

type ErrorBody = { error: string; message: string; conflicting_record?: number };

describe.each(backends)('coverage API on $name', (backend) => {
  let app: FastifyInstance;
  let commander: Client;
  let planner: Client;
  let admin: Client;

  beforeAll(async () => {
    app = await backend.start();
    commander = await signedInAs(app, 'commander');
    planner = await signedInAs(app, 'planner');
    admin = await signedInAs(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
  });

  const coverage = async (programme: string, at = DAY) =>
    (await commander.get<CoverageAnswer>(`/api/coverage?programme=${programme}&at=${at}`)).body;

  describe('programmes', () => {
    it('lists the four programmes with the facilitation offices closed', async () => {
      const { status, body } = await commander.get<ProgrammeList>('/api/programmes');
      expect(status).toBe(200);
      expect(body.items.map((p) => p.slug)).toEqual(['karamat', 'progress_councils', 'facilitation_offices', 'field_bases']);
      const bySlug = new Map(body.items.map((p) => [p.slug, p]));
      expect(bySlug.get('karamat')!.name_fa).toBe('طرح کرامت');
      expect(bySlug.get('facilitation_offices')!.closed_on).toBe('2021-03-20');
      for (const slug of ['karamat', 'progress_councils', 'field_bases']) expect(bySlug.get(slug)!.closed_on).toBeNull();
      for (const p of body.items) {
        expect(Number.isInteger(p.id)).toBe(true);
        expect(p.name_en).toBeTruthy();
        expect(p.started_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });

    it('returns one programme by slug and 404 for an unknown one', async () => {
      const one = await commander.get('/api/programmes/progress_councils');
      expect(one.status).toBe(200);
      expect(one.body.name_fa).toBe('شوراهای پیشرفت محله');
      const none = await commander.get<ErrorBody>('/api/programmes/nothing_such');
      expect(none.status).toBe(404);
      expect(none.body).toEqual({ error: 'not_found', message: 'programme nothing_such does not exist' });
    });
  });

  describe('coverage at a date', () => {
    it('reproduces the Karamat plan: 65 neighbourhoods in 18 counties, and 119 active councils', async () => {
      const { status, body } = await commander.get<CoverageAnswer>(`/api/coverage?programme=karamat&at=${DAY}`);
      expect(status).toBe(200);
      expect(body.programme).toBe('karamat');
      expect(body.at).toBe(DAY);
      expect(body.summary.neighbourhoods_covered).toBe(65);
      expect(body.summary.counties_reached).toBe(18);
      expect(body.summary.councils_active).toBe(119);
      expect(body.neighbourhoods.filter((n) => n.covered)).toHaveLength(65);
      expect(Object.keys(body.summary)).toEqual(expect.arrayContaining(
        ['neighbourhoods_covered', 'counties_reached', 'population_covered', 'deprived_population_uncovered'],
      ));
    });

    it('counts 119 progress councils covering neighbourhoods at the date', async () => {
      const body = await coverage('progress_councils');
      expect(body.summary.neighbourhoods_covered).toBe(119);
      expect(body.summary.councils_active).toBe(119);
    });

    it('adds the counties up to the summary, every county listed', async () => {
      const body = await coverage('karamat');
      expect(body.counties).toHaveLength(25);
      const sum = (key: keyof CoverageAnswer['counties'][number]) => body.counties.reduce((t, c) => t + (c[key] as number), 0);
      expect(sum('neighbourhoods_covered')).toBe(body.summary.neighbourhoods_covered);
      expect(sum('population_covered')).toBe(body.summary.population_covered);
      expect(sum('deprived_population_uncovered')).toBe(body.summary.deprived_population_uncovered);
      expect(body.counties.filter((c) => c.neighbourhoods_covered > 0)).toHaveLength(18);
      const kerman = body.counties.find((c) => c.name_en === 'Kerman')!;
      expect(kerman.neighbourhoods_covered).toBe(26);
      expect(body.summary.population_covered).toBeGreaterThan(0);
      expect(body.summary.population_covered).toBeLessThan(body.summary.population_total);
    });

    it('replays coverage over time: fewer Karamat neighbourhoods earlier, none before it started', async () => {
      const early = await coverage('karamat', '2024-01-01');
      const today = await coverage('karamat');
      expect(early.summary.neighbourhoods_covered).toBeGreaterThan(0);
      expect(early.summary.neighbourhoods_covered).toBeLessThan(today.summary.neighbourhoods_covered);
      expect(early.summary.deprived_population_uncovered).toBeGreaterThan(today.summary.deprived_population_uncovered);
      expect((await coverage('karamat', '2023-01-01')).summary.neighbourhoods_covered).toBe(0);
    });

    it('shows the facilitation offices working before their closure and none after', async () => {
      expect((await coverage('facilitation_offices', '2020-01-01')).summary.neighbourhoods_covered).toBeGreaterThan(0);
      expect((await coverage('facilitation_offices')).summary.neighbourhoods_covered).toBe(0);
    });

    it('looks at today in Iran when at is absent', async () => {
      const { status, body } = await commander.get<CoverageAnswer>('/api/coverage?programme=karamat');
      expect(status).toBe(200);
      expect(body.at).toBe(isoDateInZone(new Date()));
    });
  });

  describe('heat and hexagons', () => {
    it('weighs points by covered population, adding up to the summary', async () => {
      const summary = (await coverage('karamat')).summary;
      const { status, body, headers } = await commander.get<HeatCollection>(`/api/coverage/heat?programme=karamat&at=${DAY}&metric=covered_population`);
      expect(status).toBe(200);
      expect(String(headers['content-type'])).toContain('application/geo+json');
      expect(body.type).toBe('FeatureCollection');
      expect(body.unit).toBe('people');
      expect(body.features).toHaveLength(65);
      for (const f of body.features) {
        expect(f.geometry.type).toBe('Point');
        expect(typeof f.properties.weight).toBe('number');
        expect(f.properties.weight).toBeGreaterThan(0);
      }
      expect(body.features.reduce((t, f) => t + f.properties.weight, 0)).toBe(summary.population_covered);
      expect(body.max_weight).toBe(Math.max(...body.features.map((f) => f.properties.weight)));
    });

    it('weighs the gap: deprived people not covered, as the default day and in the summary', async () => {
      const summary = (await coverage('karamat')).summary;
      const { body } = await commander.get<HeatCollection>(`/api/coverage/heat?programme=karamat&at=${DAY}&metric=uncovered_deprived_population`);
      expect(body.features).toHaveLength(summary.deprived_neighbourhoods_uncovered);
      expect(body.features.reduce((t, f) => t + f.properties.weight, 0)).toBe(summary.deprived_population_uncovered);
    });

    it('counts the interventions running at the date in each neighbourhood', async () => {
      const url = `/api/coverage/heat?programme=karamat&at=${DAY}&metric=interventions`;
      const before = await commander.get<HeatCollection>(url);
      expect(before.status).toBe(200);
      expect(before.body.unit).toBe('interventions');
      const weightOf = (body: HeatCollection, id: number) => body.features.find((f) => f.id === id)?.properties.weight ?? 0;
      const target = 5;
      // Two running on DAY, one that ended before it, one not started: only the two count.
      const db = app.database.db;
      const agency = await sql<{ id: number }>`insert into agencies (slug, name_fa, name_en)
        values ('coverage_test_agency', 'دستگاه آزمون', 'Test agency') returning id`.execute(db);
      const agencyId = agency.rows[0]!.id;
      for (const [start, end, status] of [
        ['2026-01-01', '2027-01-01', 'active'], ['2025-06-01', null, 'active'],
        ['2024-01-01', '2025-01-01', 'done'], ['2027-02-01', '2027-05-01', 'planned'],
      ] as const) {
        const iv = await sql<{ id: number }>`insert into interventions (title, category, lead_agency_id, status, start_date, end_date)
          values ('test', 'social', ${agencyId}, ${status}, ${start}::date, ${end}::date) returning id`.execute(db);
        await sql`insert into intervention_neighbourhoods (intervention_id, neighbourhood_id) values (${iv.rows[0]!.id}, ${target})`.execute(db);
      }
      const after = await commander.get<HeatCollection>(url);
      expect(weightOf(after.body, target) - weightOf(before.body, target)).toBe(2);
    });

    it('aggregates hexagons in PostGIS by area, keeping the total', async () => {
      const summary = (await coverage('karamat')).summary;
      const { status, body } = await commander.get<HexCollection>(`/api/coverage/hex?programme=karamat&at=${DAY}&metric=covered_population&size=5000`);
      expect(status).toBe(200);
      expect(body.size_m).toBe(5000);
      expect(body.aggregation).toBe('area_weighted');
      expect(body.features.length).toBeGreaterThan(10);
      for (const f of body.features) {
        expect(f.geometry.type).toBe('Polygon');
        expect((f.geometry.coordinates as number[][][])[0]).toHaveLength(7);
        expect(f.properties.value).toBeGreaterThan(0);
      }
      const total = body.features.reduce((t, f) => t + f.properties.value, 0);
      // Each cell is rounded to 0.01 person.
      expect(Math.abs(total - summary.population_covered)).toBeLessThan(body.features.length * 0.01);
    });

    it('picks the hexagon size from the zoom when size is absent', async () => {
      const wide = await commander.get<HexCollection>('/api/coverage/hex?programme=karamat&zoom=6');
      const close = await commander.get<HexCollection>('/api/coverage/hex?programme=karamat&zoom=11');
      expect(wide.status).toBe(200);
      expect(close.status).toBe(200);
      expect(wide.body.size_m).toBeGreaterThan(close.body.size_m);
      expect(close.body.features.length).toBeGreaterThan(wide.body.features.length);
      const fallback = await commander.get<HexCollection>('/api/coverage/hex?programme=karamat');
      expect(fallback.body.size_m).toBe(10000);
    });
  });

  describe('gaps', () => {
    it('lists deprived neighbourhoods left out, most people first, with their county', async () => {
      const { status, body } = await commander.get<GapsAnswer>(`/api/coverage/gaps?programme=karamat&at=${DAY}`);
      expect(status).toBe(200);
      const summary = (await coverage('karamat')).summary;
      expect(body.items).toHaveLength(summary.deprived_neighbourhoods_uncovered);
      expect(body.items.reduce((t, g) => t + g.population, 0)).toBe(summary.deprived_population_uncovered);
      const covered = new Set((await coverage('karamat')).neighbourhoods.filter((n) => n.covered).map((n) => n.id));
      for (const g of body.items) {
        expect(g.deprivation).toBeGreaterThanOrEqual(4);
        expect(covered.has(g.id)).toBe(false);
        expect(g.county.name_fa).toBeTruthy();
        expect(g.center).toHaveLength(2);
        expect(g.bbox[0]).toBeLessThanOrEqual(g.center[0]!);
      }
      const populations = body.items.map((g) => g.population);
      expect(populations).toEqual([...populations].sort((a, b) => b - a));
      // Two margin neighbourhoods are deliberately outside Karamat (geodata/README.md).
      expect(body.items.map((g) => g.name_en)).toEqual(expect.arrayContaining(['Hossein-Abad', 'Shams-Abad']));
    });
  });

  describe('bad input', () => {
    it.each(['/api/coverage', '/api/coverage/heat', '/api/coverage/hex', '/api/coverage/gaps', '/api/coverage/records'])(
      'answers 404 for an unknown programme on %s',
      async (path) => {
        const { status, body } = await commander.get<ErrorBody>(`${path}?programme=no_such_programme`);
        expect(status).toBe(404);
        expect(body.error).toBe('not_found');
        expect(body.message).toContain('no_such_programme');
      },
    );

    it.each(['/api/coverage', '/api/coverage/heat', '/api/coverage/hex', '/api/coverage/gaps', '/api/coverage/records'])(
      'answers 400 naming at for a malformed date on %s',
      async (path) => {
        for (const at of ['2026-13-01', '2026-02-30', 'yesterday', '26-11-2026']) {
          const { status, body } = await commander.get<ErrorBody>(`${path}?programme=karamat&at=${at}`);
          expect(status, at).toBe(400);
          expect(body.error).toBe('invalid_request');
          expect(body.message).toMatch(/^at /);
        }
      },
    );

    it.each(['/api/coverage/heat', '/api/coverage/hex'])('answers 400 naming metric for an unknown metric on %s', async (path) => {
      const { status, body } = await commander.get<ErrorBody>(`${path}?programme=karamat&metric=happiness`);
      expect(status).toBe(400);
      expect(body.message).toMatch(/^metric /);
    });

    it('answers 400 for a programme missing or malformed, and a hexagon size out of range', async () => {
      expect((await commander.get<ErrorBody>('/api/coverage')).body.message).toMatch(/programme/);
      expect((await commander.get<ErrorBody>('/api/coverage?programme=DROP%20TABLE')).status).toBe(400);
      for (const size of ['10', '1000000', 'big']) {
        const { status, body } = await commander.get<ErrorBody>(`/api/coverage/hex?programme=karamat&size=${size}`);
        expect(status, size).toBe(400);
        expect(body.message).toMatch(/^size /);
      }
    });
  });

  describe('coverage over time', () => {
    const series = async (query: string) => commander.get<SeriesAnswer & ErrorBody>(`/api/coverage/series?${query}`);
    const figures = (f: CoverageAnswer['summary'] | CoverageAnswer['counties'][number]) => ({
      neighbourhoods_covered: f.neighbourhoods_covered,
      population_covered: f.population_covered,
      deprived_neighbourhoods_uncovered: f.deprived_neighbourhoods_uncovered,
      deprived_population_uncovered: f.deprived_population_uncovered,
    });

    it('gives the province the figures of GET /api/coverage at evenly spaced days, both ends included', async () => {
      const { status, body } = await series(`programme=karamat&from=2023-03-21&to=${DAY}&steps=6`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ programme: 'karamat', county: null, from: '2023-03-21', to: DAY });
      const days = body.points.map((p) => p.at);
      expect(days).toHaveLength(6);
      expect(days[0]).toBe('2023-03-21');
      expect(days[5]).toBe(DAY);
      expect([...days].sort()).toEqual(days);
      for (const point of body.points) {
        const { at, ...rest } = point;
        expect(rest, at).toEqual(figures((await coverage('karamat', at)).summary));
      }
      // Not a flat line: the seed's plan grows to its 65 neighbourhoods.
      expect(body.points[5]!.neighbourhoods_covered).toBe(65);
      expect(body.points[0]!.neighbourhoods_covered).toBeLessThan(65);
    });

    it("gives one county's own figures when asked", async () => {
      const county = (await coverage('karamat')).counties.find((c) => c.neighbourhoods_covered > 1)!;
      const { status, body } = await series(`programme=karamat&county=${county.id}&from=2024-01-01&to=${DAY}&steps=5`);
      expect(status).toBe(200);
      expect(body.county).toBe(county.id);
      expect(body.points).toHaveLength(5);
      for (const { at, ...rest } of body.points) {
        const expected = (await coverage('karamat', at)).counties.find((c) => c.id === county.id)!;
        expect(rest, at).toEqual(figures(expected));
      }
    });

    it('gives each day once when the span is shorter than the steps, and starts at the programme by default', async () => {
      const short = await series('programme=karamat&from=2026-01-01&to=2026-01-03&steps=12');
      expect(short.body.points.map((p) => p.at)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
      const one = await series('programme=karamat&from=2026-01-01&to=2026-01-01');
      expect(one.body.points.map((p) => p.at)).toEqual(['2026-01-01']);

      const programme = (await commander.get<ProgrammeList>('/api/programmes')).body.items.find((p) => p.slug === 'karamat')!;
      const byDefault = await series(`programme=karamat&to=${DAY}`);
      expect(byDefault.status).toBe(200);
      expect(byDefault.body.from).toBe(programme.started_on);
      expect(byDefault.body.points).toHaveLength(12);
      expect(byDefault.body.points[11]!.at).toBe(DAY);
    });

    it('answers 404 for an unknown programme or county, 400 naming what is wrong', async () => {
      expect((await series('programme=no_such_programme')).body).toEqual({ error: 'not_found', message: 'programme no_such_programme does not exist' });
      const county = await series('programme=karamat&county=999999');
      expect(county.status).toBe(404);
      expect(county.body).toEqual({ error: 'not_found', message: 'county 999999 does not exist' });

      const backwards = await series('programme=karamat&from=2026-02-01&to=2026-01-01');
      expect(backwards.status).toBe(400);
      expect(backwards.body).toEqual({ error: 'invalid_request', message: "to (2026-01-01) precedes from (2026-02-01): a series's last day cannot come before its first" });
      for (const [query, field] of [
        ['steps=1', 'steps'], ['steps=101', 'steps'], ['steps=many', 'steps'], ['from=2026-02-30', 'from'], ['to=tomorrow', 'to'],
        ['county=0', 'county'], ['county=seven', 'county'],
      ]) {
        const { status, body } = await series(`programme=karamat&${query}`);
        expect(status, query).toBe(400);
        expect(body.error, query).toBe('invalid_request');
        expect(body.message, query).toMatch(new RegExp(`^${field} `));
      }
      const extra = await series('programme=karamat&at=2026-01-01');
      expect(extra.status).toBe(400);
    });
  });

  describe('coverage records', () => {
    // A deprived neighbourhood Karamat leaves out: the first of the gap list.
    async function gapNeighbourhood(index = 0): Promise<number> {
      const { body } = await commander.get<GapsAnswer>(`/api/coverage/gaps?programme=karamat&at=${DAY}`);
      return body.items[index]!.id;
    }

    it('lists the records of a programme, filtered by day and neighbourhood', async () => {
      const all = await commander.get<{ items: CoverageRecord[] }>('/api/coverage/records?programme=karamat');
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(65);
      const atDay = await commander.get<{ items: CoverageRecord[] }>(`/api/coverage/records?programme=progress_councils&at=${DAY}`);
      expect(atDay.body.items).toHaveLength(119);
      const councilsAll = await commander.get<{ items: CoverageRecord[] }>('/api/coverage/records?programme=progress_councils');
      expect(councilsAll.body.items).toHaveLength(121);
      const one = all.body.items[0]!;
      expect(one).toMatchObject({ programme: 'karamat', from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      const byNeighbourhood = await commander.get<{ items: CoverageRecord[] }>(`/api/coverage/records?neighbourhood=${one.neighbourhood_id}`);
      expect(byNeighbourhood.body.items.every((r) => r.neighbourhood_id === one.neighbourhood_id)).toBe(true);
      expect(byNeighbourhood.body.items.map((r) => r.programme)).toContain('karamat');
    });

    it('lets a commander add a record, which changes coverage, the audit log and the tile revision', async () => {
      const id = await gapNeighbourhood(0);
      const revision = async () =>
        (await sql<{ revision: number }>`select revision from layer_revisions where layer = 'coverage'`.execute(app.database.db)).rows[0]!.revision;
      const revisionBefore = await revision();
      const before = (await coverage('karamat')).summary;
      const created = await commander.post<CoverageRecord>('/api/coverage/records', { programme: 'karamat', neighbourhood_id: id, from: '2026-11-01' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ programme: 'karamat', neighbourhood_id: id, from: '2026-11-01', to: null });
      const after = await coverage('karamat');
      expect(after.summary.neighbourhoods_covered).toBe(before.neighbourhoods_covered + 1);
      expect(after.summary.deprived_neighbourhoods_uncovered).toBe(before.deprived_neighbourhoods_uncovered - 1);
      // The record starts on 2026-11-01: the day before, the neighbourhood is still a gap.
      expect((await coverage('karamat', '2026-10-31')).neighbourhoods.find((n) => n.id === id)!.covered).toBe(false);
      expect(after.neighbourhoods.find((n) => n.id === id)!.covered).toBe(true);
      expect(await revision()).toBeGreaterThan(revisionBefore);
      const audit = await admin.get<{ items: { entity: string; action: string; entity_id: string; user: string }[] }>('/api/audit?entity=coverage');
      expect(audit.body.items[0]).toMatchObject({ action: 'create', entity_id: String(created.body.id), user: commander.username });
    });

    it('ends a record with PATCH; the neighbourhood is covered up to that day and not after', async () => {
      const id = await gapNeighbourhood(1);
      const created = await commander.post<CoverageRecord>('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: id, from: '2025-01-01' });
      expect(created.status).toBe(201);
      const ended = await commander.patch<CoverageRecord>(`/api/coverage/records/${created.body.id}`, { to: '2025-06-30' });
      expect(ended.status).toBe(200);
      expect(ended.body.to).toBe('2025-06-30');
      const coveredOn = async (at: string) => (await coverage('field_bases', at)).neighbourhoods.find((n) => n.id === id)!.covered;
      expect(await coveredOn('2025-06-30')).toBe(true);
      expect(await coveredOn('2025-07-01')).toBe(false);
      const audit = await admin.get<{ items: { action: string; entity_id: string; before: { to: null }; after: { to: string } }[] }>('/api/audit?entity=coverage');
      expect(audit.body.items[0]).toMatchObject({ action: 'update', entity_id: String(created.body.id), before: { to: null }, after: { to: '2025-06-30' } });
    });

    it('refuses a to-date before the from-date with 400, on create and on end', async () => {
      const id = await gapNeighbourhood(2);
      const bad = await commander.post<ErrorBody>('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: id, from: '2025-05-01', to: '2025-04-30' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_request');
      expect(bad.body.message).toMatch(/^to /);
      const created = await commander.post<CoverageRecord>('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: id, from: '2025-05-01', to: '2025-05-01' });
      expect(created.status).toBe(201);
      const badEnd = await commander.patch<ErrorBody>(`/api/coverage/records/${created.body.id}`, { to: '2025-04-01' });
      expect(badEnd.status).toBe(400);
      expect(badEnd.body.message).toMatch(/^to /);
    });

    it('refuses overlapping records of one neighbourhood and programme with 409, and allows adjacent ones', async () => {
      const id = await gapNeighbourhood(3);
      const first = await commander.post<CoverageRecord>('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: id, from: '2024-03-01', to: '2024-06-30' });
      expect(first.status).toBe(201);
      for (const period of [
        { from: '2024-06-30' }, // open-ended, starting on the last covered day
        { from: '2024-01-01', to: '2024-03-01' },
        { from: '2024-04-01', to: '2024-04-02' },
        { from: '2023-01-01' },
      ]) {
        const clash = await commander.post<ErrorBody>('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: id, ...period });
        expect(clash.status, JSON.stringify(period)).toBe(409);
        expect(clash.body.error).toBe('conflict');
        expect(clash.body.conflicting_record).toBe(first.body.id);
      }
      const next = await commander.post<CoverageRecord>('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: id, from: '2024-07-01', to: '2024-12-31' });
      expect(next.status).toBe(201);
      // Another programme on the same days is no overlap.
      const other = await commander.post<CoverageRecord>('/api/coverage/records', { programme: 'karamat', neighbourhood_id: id, from: '2024-03-01', to: '2024-06-30' });
      expect(other.status).toBe(201);
      // Moving the first record's end into the next one is an overlap too.
      const stretch = await commander.patch<ErrorBody>(`/api/coverage/records/${first.body.id}`, { to: '2024-07-15' });
      expect(stretch.status).toBe(409);
      expect(stretch.body.conflicting_record).toBe(next.body.id);
    });

    it('holds the no-overlap rule in the database itself, whoever writes', async () => {
      const id = await gapNeighbourhood(4);
      const db = app.database.db;
      const programme = (await sql<{ id: number }>`select id from programmes where slug = 'field_bases'`.execute(db)).rows[0]!.id;
      await sql`insert into coverage_records (neighbourhood_id, programme_id, from_date, to_date) values (${id}, ${programme}, '2022-01-01', '2022-12-31')`.execute(db);
      await expect(
        sql`insert into coverage_records (neighbourhood_id, programme_id, from_date, to_date) values (${id}, ${programme}, '2022-12-31', null)`.execute(db),
      ).rejects.toMatchObject({ code: '23P01' });
      await expect(
        sql`insert into coverage_records (neighbourhood_id, programme_id, from_date, to_date) values (${id}, ${programme}, '2022-12-31', '2022-01-01')`.execute(db),
      ).rejects.toMatchObject({ code: '23514' });
    });

    it('answers 404 for an unknown programme, neighbourhood or record, 400 for malformed bodies', async () => {
      const id = await gapNeighbourhood(0);
      const unknownProgramme = await commander.post<ErrorBody>('/api/coverage/records', { programme: 'no_such', neighbourhood_id: id, from: '2025-01-01' });
      expect(unknownProgramme.status).toBe(404);
      const unknownNeighbourhood = await commander.post<ErrorBody>('/api/coverage/records', { programme: 'karamat', neighbourhood_id: 999999, from: '2025-01-01' });
      expect(unknownNeighbourhood.status).toBe(404);
      expect(unknownNeighbourhood.body.message).toContain('neighbourhood 999999');
      const unknownRecord = await commander.patch<ErrorBody>('/api/coverage/records/999999', { to: '2025-01-01' });
      expect(unknownRecord.status).toBe(404);
      const badDate = await commander.post<ErrorBody>('/api/coverage/records', { programme: 'karamat', neighbourhood_id: id, from: '2025-02-30' });
      expect(badDate.status).toBe(400);
      expect(badDate.body.message).toMatch(/^from /);
      const badTo = await commander.patch<ErrorBody>('/api/coverage/records/1', { to: 'soon' });
      expect(badTo.status).toBe(400);
      expect(badTo.body.message).toMatch(/^to /);
      const extra = await commander.post<ErrorBody>('/api/coverage/records', { programme: 'karamat', neighbourhood_id: id, from: '2025-01-01', covered: true });
      expect(extra.status).toBe(400);
    });

    it('keeps coverage records to commanders and admins', async () => {
      const id = await gapNeighbourhood(0);
      const denied = await planner.post<ErrorBody>('/api/coverage/records', { programme: 'karamat', neighbourhood_id: id, from: '2020-01-01', to: '2020-01-02' });
      expect(denied.status).toBe(403);
      expect((await planner.get('/api/coverage?programme=karamat')).status).toBe(200);
    });
  });

  describe('coverage tiles', () => {
    it('carries the coverage periods of each neighbourhood as dates, the same from both encoders', async () => {
      const db = app.database.db;
      // Kerman city centre (GeoNames 128234) at zoom 10.
      const tile = lonLatToTile(57.07879, 30.28321, 10);
      const encodings = app.database.hasMvt ? (['mvt', 'rows'] as const) : (['rows'] as const);
      const records = (await commander.get<{ items: CoverageRecord[] }>('/api/coverage/records?programme=karamat')).body.items;
      const karamatFrom = new Map(records.map((r) => [r.neighbourhood_id, r.from]));
      const decoded: Record<string, unknown>[][] = [];
      for (const encoding of encodings) {
        const rendered = await renderTile(db, coverageTileLayer, tile, encoding);
        const layer = new VectorTile(new PbfReader(rendered.bytes)).layers.coverage!;
        expect(layer.length).toBeGreaterThan(20);
        const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
        for (const p of features) {
          expect(p.karamat_from_0, `neighbourhood ${String(p.id)}`).toBe(karamatFrom.get(p.id as number));
          expect(p.deprivation).toBeGreaterThanOrEqual(1);
        }
        // Facilitation offices closed: every period in the tile has its end.
        for (const p of features.filter((f) => f.facilitation_offices_from_0)) expect(p.facilitation_offices_to_0).toBeTruthy();
        decoded.push(features);
      }
      if (decoded.length === 2) expect(decoded[0]).toEqual(decoded[1]);
    });

    it('serves the layer at /tiles/coverage with its date fields, and retires its tiles when coverage changes', async () => {
      const { x, y } = lonLatToTile(57.07879, 30.28321, 10);
      const url = `/tiles/coverage/10/${x}/${y}.mvt`;
      const first = await commander.get(url);
      expect(first.status).toBe(200);
      expect(String(first.headers['content-type'])).toContain('application/vnd.mapbox-vector-tile');
      const etag = String(first.headers.etag);
      expect((await commander.request({ method: 'GET', url, headers: { 'if-none-match': etag } })).status).toBe(304);

      const tileJson = await commander.get<{ vector_layers: { id: string; fields: Record<string, string> }[] }>('/tiles/coverage.json');
      expect(tileJson.status).toBe(200);
      const fields = tileJson.body.vector_layers.find((l) => l.id === 'coverage')!.fields;
      expect(fields).toMatchObject({ deprivation: 'Number', karamat_from_0: 'String', karamat_to_0: 'String', progress_councils_from_2: 'String' });

      // Field bases began in 2024: a 2019 record overlaps nothing.
      const created = await commander.post('/api/coverage/records', { programme: 'field_bases', neighbourhood_id: 1, from: '2019-01-01', to: '2019-02-01' });
      expect(created.status).toBe(201);
      const after = await commander.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(String(after.headers.etag)).not.toBe(etag);
    });
  });
});
