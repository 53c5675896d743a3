/**
 * Access to services: the time to recompute every access indicator after a facilities
 * layer commit, beside the floor — a plain PostGIS nearest-neighbour query (`<->` on a GiST
 * index) from every neighbourhood's interior point to the nearest facility of each class,
 * over the same data — and whether reads wait while it runs.
 *
 *   npm run bench:access            (DATABASE_URL or BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * PostGIS: the tile benchmark's database (bench/tiles-data.ts: the seed plus 42 generated
 * neighbourhoods in each of Iran's 478 counties, 20,229 in all) with 100,000 facilities in
 * the four classes, placed by a fixed hash (not a random generator, so every run sees the
 * same points) within 1.5 km of a neighbourhood's label point — facilities stand where
 * people live. Embedded: a freshly seeded database (Kerman province) with as many
 * facilities per neighbourhood. Each measure: one warm-up, five timed runs, the median.
 * The facilities layer is removed again at the end, so the tile benchmark sees its data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../server/app.js';
import type { Database } from '../server/db/schema.js';
import { refreshAfterFacilitiesChange } from '../server/access/queries.js';
import { SERVICE_CLASSES } from '../shared/layers-schemas.js';
import { ADMIN_PASSWORD, BENCH_DATABASE, preparePostgis, withDatabase } from './tiles-data.js';

const FACILITIES = 100_000;
const RUNS = 5;
const SLUG = 'bench_facilities';
const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const repo = path.resolve(import.meta.dirname, '..');
const geodataDir = path.join(repo, 'geodata');
const sharedGeodataDir = path.resolve(repo, '../shared/geodata');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A facilities layer of `count` points, as a commit leaves it (upload, features, layer row). */
async function loadFacilities(db: Kysely<Database>, count: number): Promise<void> {
  await removeFacilities(db);
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: number }>`insert into reference_uploads
        (slug, name_fa, name_en, kind, geometry_type, status, file_name, format, crs, feature_count, fields, mapping, report)
      values (${SLUG}, 'مراکز خدمات (آزمایشی)', 'Bench facilities', 'facilities', 'point', 'committed', 'generated', 'bench',
        'EPSG:4326', ${count}, '[]', '{}', ${JSON.stringify({ accepted: count })}::jsonb)
      returning id`.execute(trx);
    const uploadId = rows[0]!.id;
    await sql`insert into reference_features (upload_id, name_fa, type_value, service_class, properties, geom)
      with n as (select row_number() over (order by id) - 1 as k, label_point as p from neighbourhoods),
      g as (select i, abs(hashtext('n' || i)) % (select count(*) from n) as k,
          (abs(hashtext('a' || i)) % 3600) / 10.0 as azimuth, abs(hashtext('d' || i)) % 1500 as distance
        from generate_series(1, ${count}::int) i)
      select ${uploadId}::int, 'مرکز ' || g.i, null, (${SERVICE_CLASSES as unknown as string[]}::text[])[1 + g.i % 4], '{}'::jsonb,
        ST_Project(n.p::geography, g.distance, radians(g.azimuth))::geometry
      from g join n using (k)`.execute(trx);
    await sql`insert into reference_layers (slug, name_fa, name_en, kind, geometry_type, current_upload_id, version, feature_count)
      values (${SLUG}, 'مراکز خدمات (آزمایشی)', 'Bench facilities', 'facilities', 'point', ${uploadId}::int, 1, ${count}::int)`.execute(trx);
  });
  await sql`analyze reference_features`.execute(db);
}

async function removeFacilities(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: number }>`select id from reference_uploads where slug = ${SLUG}`.execute(trx);
    await sql`delete from reference_layers where slug = ${SLUG}`.execute(trx);
    if (rows.length > 0) await sql`delete from reference_uploads where id = any(${rows.map((r) => r.id)}::int[])`.execute(trx);
    await refreshAfterFacilitiesChange(trx);
  });
}

/** The recompute a facilities commit runs, in a transaction of its own. */
async function recompute(db: Kysely<Database>): Promise<number> {
  const start = performance.now();
  await db.transaction().execute((trx) => refreshAfterFacilitiesChange(trx));
  return performance.now() - start;
}

/** The floor: nearest facility of each class to every neighbourhood's interior point, by `<->` on the GiST index. */
async function floor(db: Kysely<Database>): Promise<number> {
  const start = performance.now();
  await sql`select count(d), sum(d) from (
      select (select ST_Distance(f.geog, n.p) from service_facilities f where f.service_class = c.cls order by f.geog <-> n.p limit 1) as d
      from (select ST_PointOnSurface(geom)::geography as p from neighbourhoods) n
      cross join (values ${sql.join(SERVICE_CLASSES.map((c) => sql`(${c}::text)`))}) c(cls)) x`.execute(db);
  return performance.now() - start;
}

async function measure(db: Kysely<Database>, label: string, facilities: number) {
  const counts = await sql<{ neighbourhoods: number }>`select count(*)::int as neighbourhoods from neighbourhoods`.execute(db);
  console.log(`\n${label}: ${counts.rows[0]!.neighbourhoods} neighbourhoods, ${facilities} facilities`);
  await loadFacilities(db, facilities);
  await recompute(db);
  await floor(db);
  const recomputes: number[] = [];
  const floors: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    recomputes.push(await recompute(db));
    floors.push(await floor(db));
  }
  const rows = await sql<{ n: number; with_near: number }>`select count(*)::int as n,
    count(*) filter (where within_1000m > 0)::int as with_near from neighbourhood_access`.execute(db);
  console.log(`  access rows: ${rows.rows[0]!.n} (${rows.rows[0]!.with_near} with a facility of their class within 1 km)`);
  console.log(`  recompute every access indicator (median of ${RUNS}): ${secs(median(recomputes))}   runs: ${recomputes.map(secs).join(', ')}`);
  console.log(`  floor, plain nearest-neighbour <-> query (median of ${RUNS}): ${secs(median(floors))}   runs: ${floors.map(secs).join(', ')}`);
  const ratio = median(recomputes) / median(floors);
  console.log(`  ratio recompute / floor: ${ratio.toFixed(2)}× (target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'MISSED'})`);
  return { recompute: median(recomputes), floor: median(floors), ratio };
}

/** Reads of access figures from another connection while a recompute runs: how long the slowest waited. */
async function readsDuringRecompute(db: Kysely<Database>, url: string): Promise<void> {
  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  try {
    const ids = (await reader.query<{ id: number }>('select id from neighbourhoods order by id')).rows.map((r) => r.id);
    let done = false;
    const latencies: number[] = [];
    let stale = 0;
    const before = await reader.query('select count(*)::int as n from neighbourhood_access');
    const loop = (async () => {
      for (let i = 0; !done; i++) {
        const start = performance.now();
        const res = await reader.query('select count(*)::int as n from neighbourhood_access where neighbourhood_id = $1', [ids[(i * 7919) % ids.length]]);
        latencies.push(performance.now() - start);
        // Readers see the old rows until the recompute commits: never a neighbourhood without its four.
        if (res.rows[0].n !== 4) stale++;
      }
    })();
    const took = await recompute(db);
    done = true;
    await loop;
    console.log(`  reads from another connection during a ${secs(took)} recompute: ${latencies.length}, slowest ${latencies.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms, ` +
      `median ${median(latencies).toFixed(2)} ms; reads that saw a neighbourhood without its four rows: ${stale} (rows before: ${before.rows[0].n})`);
  } finally {
    await reader.end();
  }
}

const summary = await preparePostgis(serverUrl, geodataDir, sharedGeodataDir, process.argv.includes('--fresh'));
const benchUrl = withDatabase(serverUrl, BENCH_DATABASE);
const app = await buildApp({ databaseUrl: benchUrl, dataDir: 'data', geodataDir, adminPassword: ADMIN_PASSWORD, tileCacheBytes: 0 });
let postgisResult;
try {
  console.log(`PostGIS ${summary.reused ? '(reused' : '(built'} ${BENCH_DATABASE})`);
  postgisResult = await measure(app.database.db, 'PostGIS', FACILITIES);
  await readsDuringRecompute(app.database.db, benchUrl);
} finally {
  await removeFacilities(app.database.db).catch((error: unknown) => console.error('could not remove the bench facilities:', error));
  await app.close();
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-bench-access-'));
const embedded = await buildApp({ dataDir, geodataDir, adminPassword: ADMIN_PASSWORD, tileCacheBytes: 0 });
let embeddedResult;
try {
  const n = (await sql<{ n: number }>`select count(*)::int as n from neighbourhoods`.execute(embedded.database.db)).rows[0]!.n;
  embeddedResult = await measure(embedded.database.db, 'Embedded (seeded province)', Math.round((FACILITIES * n) / 20_229));
} finally {
  await embedded.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

console.log('\nsummary');
console.log(`  PostGIS   recompute ${secs(postgisResult.recompute)}, floor ${secs(postgisResult.floor)}, ratio ${postgisResult.ratio.toFixed(2)}×`);
console.log(`  embedded  recompute ${secs(embeddedResult.recompute)}, floor ${secs(embeddedResult.floor)}, ratio ${embeddedResult.ratio.toFixed(2)}×`);
