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
import { signedInAs } from './clients.js';

const run = promisify(execFile);

// GDAL's own OGC API – Features client (Debian's gdal-bin: ogrinfo, ogr2ogr) against the
// server listening on an ephemeral port, authenticated with an API token as QGIS would be.
describe.each(backends)('GDAL reads /ogc on $name', (backend) => {
  let app: FastifyInstance;
  let landing: string;
  let env: NodeJS.ProcessEnv;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-ogc-gdal-'));

  beforeAll(async () => {
    app = await backend.start();
    const gis = await signedInAs(app, 'gis');
    const token = (await gis.post<{ token: string }>('/api/tokens', { name: 'ogr2ogr' })).body.token;
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    landing = `OAPIF:${address}/ogc`;
    env = { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}`, CPL_DEBUG: 'OFF' };
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const ids = async (query: string) => (await sql<{ id: number }>`${sql.raw(query)}`.execute(app.database.db)).rows.map((r) => r.id);
  /** The feature ids ogrinfo prints for a layer (GDAL keeps our integer ids as FIDs). */
  const ogrinfoIds = async (args: string[]) => {
    const { stdout } = await run('ogrinfo', ['-ro', '-q', landing, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return [...stdout.matchAll(/^OGRFeature\([^)]*\):(\d+)$/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
  };

  it('lists the collections', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-q', landing], { env });
    expect(stdout).toContain('1: neighbourhoods (title: Neighbourhoods) (Multi Polygon)');
    expect(stdout).toContain('3: problems (title: Problems) (Point)');
    expect(stdout).toContain('7: coverage (title: Programme coverage) (Multi Polygon)');
    await expect(run('ogrinfo', ['-ro', '-q', landing], { env: { ...process.env, GDAL_HTTP_HEADERS: 'Authorization: Bearer nope' } })).rejects.toThrow();
  });

  it('copies every collection into a GeoPackage with all features, Persian names and types intact', async () => {
    const gpkg = path.join(scratch, 'all.gpkg');
    await run('ogr2ogr', ['-f', 'GPKG', gpkg, landing, '-oo', 'PAGE_SIZE=50'], { env, maxBuffer: 64 * 1024 * 1024 });
    const copy = new DatabaseSync(gpkg, { readOnly: true });
    try {
      const count = (table: string) => (copy.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
      const expected: Record<string, string> = {
        neighbourhoods: 'select count(*)::int as id from neighbourhoods',
        counties: 'select count(*)::int as id from counties',
        problems: 'select count(*)::int as id from problems',
        'intervention-areas': 'select count(*)::int as id from interventions where ST_Dimension(geom) = 2',
        'intervention-points': 'select count(*)::int as id from interventions where geom is null or ST_Dimension(geom) = 0',
        networks: 'select count(*)::int as id from networks',
        coverage: 'select count(*)::int as id from coverage_records',
      };
      for (const [layer, query] of Object.entries(expected)) {
        const [n] = await ids(query);
        expect(n, layer).toBeGreaterThan(0);
        expect(count(layer), layer).toBe(n);
      }
      const names = (await sql<{ name_fa: string }>`select name_fa from neighbourhoods order by name_fa`.execute(app.database.db)).rows.map((r) => r.name_fa);
      const copied = (copy.prepare('select name_fa from neighbourhoods order by name_fa').all() as { name_fa: string }[]).map((r) => r.name_fa);
      expect(copied).toEqual(names);
      expect(copied).toContain('محله بازار');
      const types = (table: string) => Object.fromEntries(
        (copy.prepare(`pragma table_info("${table}")`).all() as { name: string; type: string }[]).map((c) => [c.name, c.type]));
      // GDAL picks the integer width from the schema's range (INTEGER, MEDIUMINT, SMALLINT): all integers.
      const integer = expect.stringMatching(/^(TINY|SMALL|MEDIUM)?INT(EGER)?$/);
      expect(types('neighbourhoods')).toMatchObject({ population: integer, informal: 'BOOLEAN', name_fa: 'TEXT', updated_at: 'DATETIME' });
      expect(types('problems')).toMatchObject({ severity: integer, due_date: 'DATE' });
      // A budget is a whole number of rials: GDAL may store it as an integer or a real, never text.
      expect(types('intervention-areas')).toMatchObject({ budget: expect.stringMatching(/^(INTEGER|REAL)$/), beneficiaries: integer });
      const geometryTypes = Object.fromEntries((copy.prepare('select table_name, geometry_type_name from gpkg_geometry_columns').all() as { table_name: string; geometry_type_name: string }[])
        .map((r) => [r.table_name, r.geometry_type_name]));
      expect(geometryTypes).toMatchObject({ neighbourhoods: 'MULTIPOLYGON', problems: 'POINT', 'intervention-points': 'POINT' });
    } finally {
      copy.close();
    }
  });

  it('returns what PostGIS returns for a -spat bbox and a -where filter', async () => {
    const inBox = await ids('select id from neighbourhoods where ST_Intersects(geom, ST_MakeEnvelope(57.0, 30.2, 57.1, 30.3, 4326)) order by id');
    expect(inBox.length).toBeGreaterThan(0);
    expect(await ogrinfoIds(['neighbourhoods', '-spat', '57.0', '30.2', '57.1', '30.3'])).toEqual(inBox);
    const deprived = await ids('select id from neighbourhoods where county_id = 11 and deprivation >= 4 order by id');
    expect(deprived.length).toBeGreaterThan(0);
    expect(await ogrinfoIds(['neighbourhoods', '-where', 'county_id = 11 AND deprivation >= 4'])).toEqual(deprived);
    const teachers = await ids("select id from networks where kind = 'teachers' order by id");
    expect(await ogrinfoIds(['networks', '-where', "kind = 'teachers'"])).toEqual(teachers);
  });
});
