import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';

const run = promisify(execFile);

type FeatureCollection = { features: { geometry: { type: string; coordinates: any } | null; properties: Record<string, unknown> }[] };

// Downloads in GeoPackage (written by gdal3.js, opened here by Debian's ogrinfo and by
// SQLite), and the GeoJSON and CSV exports they stand beside.
describe.each(backends)('GeoPackage and GeoJSON exports on $name', (backend) => {
  let app: FastifyInstance;
  let planner: Client;
  let token: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-gpkg-'));

  beforeAll(async () => {
    app = await backend.start();
    planner = await signedInAs(app, 'planner');
    token = (await planner.post<{ token: string }>('/api/tokens', { name: 'downloads' })).body.token;
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const count = async (query: string) => (await sql<{ n: number }>`${sql.raw(query)}`.execute(app.database.db)).rows[0]!.n;
  const download = async (url: string, fileName: string) => {
    // Bytes as sent: inject's rawPayload, not text.
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/geopackage+sqlite3');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
    const file = path.join(scratch, fileName);
    fs.writeFileSync(file, res.rawPayload);
    return file;
  };
  const inside = <T>(file: string, look: (db: DatabaseSync) => T): T => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return look(db);
    } finally {
      db.close();
    }
  };
  const layerCounts = (db: DatabaseSync) => Object.fromEntries((db.prepare('select table_name from gpkg_contents order by table_name').all() as { table_name: string }[])
    .map((r) => [r.table_name, (db.prepare(`select count(*) as n from "${r.table_name}"`).get() as { n: number }).n]));

  it('downloads problems as a GeoPackage that ogrinfo opens, with Persian text, field types, attribution and licence', async () => {
    const file = await download('/api/problems.gpkg', 'problems.gpkg');
    const { stdout } = await run('ogrinfo', ['-ro', '-so', file, 'problems']);
    expect(stdout).toContain('Geometry: Point');
    expect(stdout).toContain(`Feature Count: ${await count('select count(*)::int as n from problems')}`);
    expect(stdout).toMatch(/severity: Integer/);
    expect(stdout).toMatch(/due_date: Date/);
    inside(file, (db) => {
      const titles = (db.prepare('select title from problems').all() as { title: string }[]).map((r) => r.title);
      expect(titles.some((t) => /[\u0600-\u06FF]/.test(t))).toBe(true);
      const metadata = (db.prepare('select metadata from gpkg_metadata').all() as { metadata: string }[]).map((r) => r.metadata).join('\n');
      expect(metadata).toContain('OpenStreetMap contributors');
      expect(metadata).toContain('ODbL-1.0');
      const description = (db.prepare("select description from gpkg_contents where table_name = 'problems'").get() as { description: string }).description;
      expect(description).toContain('OpenStreetMap');
    });
  });

  it('puts intervention points and areas in layers of their own, every intervention once', async () => {
    const file = await download('/api/interventions.gpkg', 'interventions.gpkg');
    const counts = inside(file, layerCounts);
    expect(counts).toEqual({
      interventions_areas: await count('select count(*)::int as n from interventions where ST_Dimension(geom) = 2'),
      interventions_points: await count('select count(*)::int as n from interventions where geom is null or ST_Dimension(geom) = 0'),
    });
    const { stdout } = await run('ogrinfo', ['-ro', '-so', file, 'interventions_areas']);
    expect(stdout).toMatch(/Geometry: (Multi )?Polygon/);
  });

  it('downloads the neighbourhood and county layers, filters and all', async () => {
    const all = inside(await download('/api/neighbourhoods.gpkg', 'neighbourhoods.gpkg'), layerCounts);
    expect(all).toEqual({ neighbourhoods: await count('select count(*)::int as n from neighbourhoods') });
    const [county] = (await sql<{ county_id: number; n: number }>`select county_id, count(*)::int as n from neighbourhoods group by county_id order by n desc limit 1`.execute(app.database.db)).rows;
    const some = inside(await download(`/api/neighbourhoods.gpkg?county=${county!.county_id}`, 'neighbourhoods.gpkg'), layerCounts);
    expect(some).toEqual({ neighbourhoods: county!.n });
    const counties = await download('/api/counties.gpkg', 'counties.gpkg');
    expect(inside(counties, layerCounts)).toEqual({ counties: await count('select count(*)::int as n from counties') });
    expect(inside(counties, (db) => (db.prepare('select name_fa from counties').all() as { name_fa: string }[]).map((r) => r.name_fa))).toContain('کرمان');
    expect((await planner.get('/api/neighbourhoods.gpkg?bbox=1,2,3')).status).toBe(400);
  });

  it('writes every polygon of the GeoJSON answers anticlockwise (RFC 7946), a drawn clockwise one too', async () => {
    const [clockwise] = (await sql<{ n: number }>`select count(*)::int as n from interventions where ST_Dimension(geom) = 2 and not ST_IsPolygonCCW(geom)`.execute(app.database.db)).rows;
    expect(clockwise!.n, 'the seed has a clockwise intervention area').toBeGreaterThan(0);
    for (const url of ['/api/interventions.geojson', '/api/neighbourhoods', '/api/counties']) {
      const body = (await planner.get<FeatureCollection>(url)).body;
      for (const feature of body.features) {
        if (feature.geometry?.type === 'Polygon') expect(signedArea(feature.geometry.coordinates[0]), url).toBeGreaterThan(0);
        if (feature.geometry?.type === 'MultiPolygon') for (const p of feature.geometry.coordinates) expect(signedArea(p[0]), url).toBeGreaterThan(0);
      }
    }
    const res = await planner.get('/api/interventions.geojson');
    expect(res.headers['content-disposition']).toBe('attachment; filename="interventions.geojson"');
  });

  it('names the fields of the CSV and GeoJSON of one resource alike, and gives point CSVs lon and lat', async () => {
    for (const resource of ['problems', 'interventions']) {
      const csv = (await planner.get(`/api/${resource}.csv`)).text.replace(/^\uFEFF/, '');
      const lines = csv.split('\r\n');
      const header = lines[0]!.split(',');
      const geojson = (await planner.get<FeatureCollection>(`/api/${resource}.geojson`)).body;
      const properties = Object.keys(geojson.features[0]!.properties);
      // The CSV carries the attribution in a column and the place as lon/lat; the GeoJSON
      // carries them as its attribution member and its geometry.
      expect(header.filter((h) => !['lon', 'lat', 'attribution'].includes(h)).sort(), resource).toEqual([...properties].sort());
      const lon = header.indexOf('lon');
      const lat = header.indexOf('lat');
      const first = csvRow(lines[1]!);
      const [x, y] = [Number(first[lon]), Number(first[lat])];
      expect(x).toBeGreaterThan(54);
      expect(x).toBeLessThan(60);
      expect(y).toBeGreaterThan(26);
      expect(y).toBeLessThan(32);
    }
  });

  it('puts the attribution in every TileJSON', async () => {
    for (const layer of ['neighbourhoods', 'counties', 'coverage', 'interventions']) {
      const tilejson = await planner.get<{ attribution?: string }>(`/tiles/${layer}.json`);
      expect(tilejson.status).toBe(200);
      expect(tilejson.body.attribution, layer).toContain('OpenStreetMap');
    }
  });
});

/** Twice the signed area of a ring (shoelace): positive when it runs anticlockwise. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum;
}

/** One CSV line (RFC 4180, no line breaks inside fields) as its fields. */
function csvRow(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));
}
