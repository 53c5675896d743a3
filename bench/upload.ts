/**
 * Boundary upload benchmark (issue 7): `npm run bench:upload`.
 *
 * Input, fixed: ../shared/geodata/iran-counties.geojson (478 counties, 257,704 vertices),
 * re-encoded with the project's gdal3.js as a zipped Shapefile in UTM zone 40N
 * (EPSG:32640), as a GIS office would send it.
 *
 * Needs a PostgreSQL + PostGIS server (BENCH_DATABASE_URL or DATABASE_URL, any database on
 * it; default postgres://postgres@127.0.0.1:5432/postgres), where it creates
 * mahallenama_bench_upload (our server's) and mahallenama_bench_ogr (ogr2ogr's), dropped again
 * at the end. Installs
 * Debian's gdal-bin with apt-get when ogr2ogr is missing.
 *
 * Ours: server/main.ts in a process of its own (service area: all of Iran), the file
 * uploaded over HTTP as the counties layer and committed; the layer is restored to version 1
 * between runs (not timed). The server reports each step in Server-Timing:
 *   reading+writing = receive (multipart) + read (GDAL) + stage (normalised into PostGIS)
 *                     + commit (into the counties table and the history)
 *   validation+diff = validate + diff
 * Reference: ogr2ogr loading the same zip into PostGIS with
 *   -t_srs EPSG:4326 -nlt PROMOTE_TO_MULTI -makevalid
 * One warm-up each, then RUNS runs alternating ours and ogr2ogr; medians, peak resident
 * memory (VmHWM) of our server and of ogr2ogr, and the ratio (target ≤ 2.0) printed last.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { withGdal } from '../server/boundaries/gdal.js';
import { makeZip } from '../tests/fixtures/boundaries/make-fixtures.js';

const RUNS = 5;
const ADMIN_PASSWORD = 'bench-admin-password';
const OUR_DB = 'mahallenama_bench_upload';
const OGR_DB = 'mahallenama_bench_ogr';
const MAPPING = { code: 'osm_id', name_fa: 'name_fa', name_en: 'name_en', population: 'population' };

const repo = path.resolve(import.meta.dirname, '..');
const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-bench-upload-'));

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function ensureOgr2ogr(): void {
  if (spawnSync('ogr2ogr', ['--version']).status === 0) return;
  log('ogr2ogr is missing: apt-get install gdal-bin …');
  spawnSync('apt-get', ['update'], { stdio: 'inherit' });
  const installed = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'gdal-bin'], { stdio: 'inherit' });
  if (installed.status !== 0) throw new Error('could not install gdal-bin');
}

/** The counties of Iran as a zipped UTM 40N Shapefile, written by gdal3.js. */
async function makeShapefileZip(): Promise<string> {
  const source = fs.readFileSync(path.resolve(repo, '../shared/geodata/iran-counties.geojson'));
  const files = await withGdal(async (session) => {
    session.writeFile('iran-counties.geojson', source);
    const dataset = await session.open(`${session.dir}/iran-counties.geojson`, { drivers: ['GeoJSON'] });
    return dataset.translate(['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:32640', '-nlt', 'MULTIPOLYGON', '-lco', 'ENCODING=UTF-8'], 'iran-counties');
  });
  const zip = makeZip([...files].map(([name, data]) => ({ name, data })));
  const file = path.join(workDir, 'iran-counties-utm40n.zip');
  fs.writeFileSync(file, zip);
  return file;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Peak and current resident memory of a process, in kB, from /proc. */
function memoryOf(pid: number): { peakKb: number; rssKb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peakKb: field('VmHWM'), rssKb: field('VmRSS') };
}

interface OurServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startOurServer(database: { url: string } | { dataDir: string } = { url: withDatabase(serverUrl, OUR_DB) }): Promise<OurServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'server/main.ts')], {
    cwd: repo,
    env: {
      ...process.env,
      ...('url' in database ? { DATABASE_URL: database.url } : { DATABASE_URL: '', MAHALLENAMA_DATA_DIR: database.dataDir }),
      PORT: String(port),
      HOST: '127.0.0.1',
      MAHALLENAMA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      MAHALLENAMA_SERVICE_AREA: 'iran',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Mahallenama is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

function serverTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const match = /^\s*([\w.-]+);dur=([\d.]+)/.exec(entry);
    if (match) out[match[1]!] = Number(match[2]);
  }
  return out;
}

interface OurRun {
  steps: Record<string, number>;
  uploadMs: number;
  commitMs: number;
  report: { accepted: number; repaired: unknown[]; rejected: unknown[]; overlaps: unknown[]; outside_service_area: unknown[] };
  counts: Record<string, number>;
}

async function ourRun(url: string, cookie: string, zip: Buffer): Promise<OurRun> {
  const headers = { cookie, origin: url };
  const form = new FormData();
  form.set('layer', 'counties');
  form.set('mapping', JSON.stringify(MAPPING));
  form.set('file', new Blob([new Uint8Array(zip)]), 'iran-counties-utm40n.zip');
  let started = performance.now();
  const upload = await fetch(`${url}/api/boundaries/uploads`, { method: 'POST', headers, body: form });
  const body = await upload.json() as { id: number; report: OurRun['report']; message?: string };
  const uploadMs = performance.now() - started;
  if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${body.message}`);
  started = performance.now();
  // The counties of Iran overlap in places and lie outside Kerman: the commit accepts them by number.
  const confirm = { overlaps: body.report.overlaps.length, outside_service_area: body.report.outside_service_area.length };
  const commit = await fetch(`${url}/api/boundaries/uploads/${body.id}/commit`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ confirm }),
  });
  const committed = await commit.json() as { counts: Record<string, number>; message?: string };
  const commitMs = performance.now() - started;
  if (commit.status !== 200) throw new Error(`commit failed: ${commit.status} ${committed.message}`);
  const steps = { ...serverTiming(upload.headers.get('server-timing')), ...serverTiming(commit.headers.get('server-timing')) };

  // Back to the seeded counties for the next run (not timed).
  const restore = await fetch(`${url}/api/boundaries/versions/1/restore?layer=counties`, { method: 'POST', headers });
  if (restore.status !== 201) throw new Error(`restore failed: ${restore.status} ${await restore.text()}`);
  return { steps, uploadMs, commitMs, report: body.report, counts: committed.counts };
}

/** ogr2ogr's wall time and peak memory (from /proc while it runs; GNU time when present). */
async function ogrRun(zipFile: string): Promise<{ ms: number; peakKb: number }> {
  const pgTarget = (() => {
    const u = new URL(withDatabase(serverUrl, OGR_DB));
    return `PG:host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username) || 'postgres'} dbname=${OGR_DB}` +
      (u.password ? ` password=${decodeURIComponent(u.password)}` : '');
  })();
  const args = ['-f', 'PostgreSQL', pgTarget, `/vsizip/${zipFile}`, '-t_srs', 'EPSG:4326', '-nlt', 'PROMOTE_TO_MULTI', '-makevalid',
    '-nln', 'iran_counties', '-overwrite'];
  const started = performance.now();
  const child = spawn('ogr2ogr', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, memoryOf(child.pid!).peakKb);
    } catch {
      // exited between polls
    }
  }, 5);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const elapsed = performance.now() - started;
  clearInterval(poll);
  if (code !== 0) throw new Error(`ogr2ogr exited with ${code}`);
  return { ms: elapsed, peakKb };
}

/**
 * For scale: overlap checks on the table ogr2ogr loaded (the same 478 counties), as a plain
 * self-join that intersects every pair that meets, and as ours (validate.ts: && on the GiST
 * index, ST_Intersects, ST_Relate '2********', then intersect only what is left).
 */
async function overlapQueries(): Promise<{ plainMs: number; oursMs: number; pairs: number }> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, OGR_DB) });
  await client.connect();
  try {
    await client.query('set jit = off');
    const time = async (query: string) => {
      const runs: number[] = [];
      let rows = 0;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        rows = (await client.query(query)).rowCount ?? 0;
        runs.push(performance.now() - started);
      }
      return { ms: median(runs), rows };
    };
    const plain = await time(`select a.ogc_fid, b.ogc_fid, ST_Area(ST_Intersection(a.wkb_geometry, b.wkb_geometry)::geography) as area
      from iran_counties a join iran_counties b on a.ogc_fid < b.ogc_fid and ST_Intersects(a.wkb_geometry, b.wkb_geometry)`);
    const ours = await time(`select a.ogc_fid, b.ogc_fid, ST_Area(ST_Intersection(a.wkb_geometry, b.wkb_geometry)::geography) as area
      from iran_counties a join iran_counties b on a.wkb_geometry && b.wkb_geometry and a.ogc_fid < b.ogc_fid
      where ST_Intersects(a.wkb_geometry, b.wkb_geometry) and ST_Relate(a.wkb_geometry, b.wkb_geometry, '2********')`);
    return { plainMs: plain.ms, oursMs: ours.ms, pairs: plain.rows };
  } finally {
    await client.end();
  }
}

/**
 * One polygon of 10^6 vertices: a circle of radius 0.1° in the desert north-west of Kerman,
 * each vertex nudged so no two edges are collinear, coordinates at full double precision as
 * GIS exports write them: a 41 MB GeoJSON file.
 */
function hugePolygonFile(): Buffer {
  const n = 1_000_000;
  const ring: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = 0.1 * (1 + 0.001 * Math.sin(i * 7.3));
    ring.push(`[${56.0 + r * Math.cos(a) + 1e-13},${30.8 + r * Math.sin(a) + 1e-13}]`);
  }
  ring.push(ring[0]!);
  return Buffer.from(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"MEM-1","name_fa":"چندضلعی بزرگ"},` +
    `"geometry":{"type":"Polygon","coordinates":[[${ring.join(',')}]]}}]}`);
}

/**
 * Memory under a huge upload (issue 13.8), on the embedded database (PGlite in the server
 * process, where the memory is the server's own): resident memory idle, its peak while the
 * 10^6-vertex polygon is uploaded and committed (VmRSS sampled every 20 ms, and VmHWM), and
 * what stays once it is done and the server has been idle for 10 s.
 */
async function memoryRun(): Promise<void> {
  const file = hugePolygonFile();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-bench-memory-'));
  log(`memory: ${(file.length / 1024 / 1024).toFixed(1)} MB polygon of 10^6 vertices; starting a server on an embedded database …`);
  const server = await startOurServer({ dataDir });
  try {
    const pid = server.child.pid!;
    const cookie = await signIn(server.url);
    await sleep(3000);
    const idle = memoryOf(pid);
    let sampledPeakKb = idle.rssKb;
    const poll = setInterval(() => {
      sampledPeakKb = Math.max(sampledPeakKb, memoryOf(pid).rssKb);
    }, 20);
    const headers = { cookie, origin: server.url };
    const form = new FormData();
    form.set('layer', 'neighbourhoods');
    form.set('file', new Blob([new Uint8Array(file)]), 'huge-polygon.geojson');
    const started = performance.now();
    const upload = await fetch(`${server.url}/api/boundaries/uploads`, { method: 'POST', headers, body: form });
    const body = await upload.json() as { id: number; report: OurRun['report']; message?: string };
    if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${body.message}`);
    const uploadMs = performance.now() - started;
    const afterUpload = memoryOf(pid);
    const commit = await fetch(`${server.url}/api/boundaries/uploads/${body.id}/commit`, { method: 'POST', headers });
    if (commit.status !== 200) throw new Error(`commit failed: ${commit.status} ${await commit.text()}`);
    const totalMs = performance.now() - started;
    clearInterval(poll);
    const done = memoryOf(pid);
    await sleep(10_000);
    const rested = memoryOf(pid);
    console.log('');
    console.log(`Memory under a huge upload: one polygon of 10^6 vertices, ${(file.length / 1024 / 1024).toFixed(1)} MB GeoJSON, embedded database`);
    console.log(`  accepted ${body.report.accepted} of 1; upload ${ms(uploadMs)}, upload + commit ${ms(totalMs)}`);
    console.log(`  server resident memory: idle ${mb(idle.rssKb)}, peak ${mb(sampledPeakKb)} (VmHWM since start ${mb(done.peakKb)}),` +
      ` after the upload ${mb(afterUpload.rssKb)}, after the commit ${mb(done.rssKb)}, 10 s later ${mb(rested.rssKb)}`);
    console.log(`  growth over idle: peak +${mb(sampledPeakKb - idle.rssKb)}, kept +${mb(rested.rssKb - idle.rssKb)}`);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.env.BENCH_UPLOAD_ONLY === 'memory') {
    await memoryRun();
    return;
  }
  ensureOgr2ogr();
  log('making the UTM 40N shapefile zip with gdal3.js …');
  const zipFile = await makeShapefileZip();
  const zip = fs.readFileSync(zipFile);

  log(`fresh databases ${OUR_DB} and ${OGR_DB} on ${new URL(serverUrl).host} …`);
  for (const name of [OUR_DB, OGR_DB]) {
    await admin(`drop database if exists ${name}`);
    await admin(`create database ${name}`);
  }
  const ogrClient = new pg.Client({ connectionString: withDatabase(serverUrl, OGR_DB) });
  await ogrClient.connect();
  await ogrClient.query('create extension postgis');
  await ogrClient.end();

  log('starting our server (migrate, seed) …');
  const server = await startOurServer();
  const ours: OurRun[] = [];
  const ogr: { ms: number; peakKb: number }[] = [];
  let idleRssKb = 0;
  let serverMemory = { peakKb: 0, rssKb: 0 };
  try {
    const cookie = await signIn(server.url);
    idleRssKb = memoryOf(server.child.pid!).rssKb;
    log('warm-up …');
    await ourRun(server.url, cookie, zip);
    await ogrRun(zipFile);
    for (let i = 0; i < RUNS; i++) {
      log(`run ${i + 1}/${RUNS} …`);
      ours.push(await ourRun(server.url, cookie, zip));
      ogr.push(await ogrRun(zipFile));
    }
  } finally {
    serverMemory = memoryOf(server.child.pid!);
    await server.stop();
  }

  const overlaps = await overlapQueries();

  const step = (name: string) => median(ours.map((r) => r.steps[name] ?? 0));
  const readWrite = median(ours.map((r) => (r.steps.receive ?? 0) + (r.steps.read ?? 0) + (r.steps.stage ?? 0) + (r.steps.commit ?? 0)));
  const checks = median(ours.map((r) => (r.steps.validate ?? 0) + (r.steps.diff ?? 0)));
  const total = median(ours.map((r) => r.uploadMs + r.commitMs));
  const ogrMs = median(ogr.map((r) => r.ms));
  const ratio = readWrite / ogrMs;
  const last = ours.at(-1)!;

  console.log(`Boundary upload benchmark: ${path.basename(zipFile)} (${(zip.length / 1024 / 1024).toFixed(1)} MB, 478 counties of Iran, UTM 40N), PostGIS ${new URL(serverUrl).host}`);
  console.log(`runs: ${RUNS} after one warm-up, medians; our layer restored to version 1 between runs`);
  console.log(`diff of each upload: ${JSON.stringify(last.counts)}`);
  console.log(`report of each upload: accepted ${last.report.accepted}, repaired ${last.report.repaired.length}, rejected ${last.report.rejected.length}, ` +
    `overlaps ${last.report.overlaps.length}, outside the service area ${last.report.outside_service_area.length}`);
  console.log('');
  console.log('ours (server steps, from Server-Timing)');
  console.log(`  receive (multipart)        ${ms(step('receive'))}`);
  console.log(`  read (GDAL, worker thread) ${ms(step('read'))}`);
  console.log(`  stage (normalise, insert)  ${ms(step('stage'))}`);
  console.log(`  commit (layer + history)   ${ms(step('commit'))}`);
  console.log(`  = reading + writing        ${ms(readWrite)}`);
  console.log(`  validate                   ${ms(step('validate'))}` +
    ` (overlaps ${ms(step('check-overlaps'))}, service area ${ms(step('check-area'))}, gaps ${ms(step('check-gaps'))})`);
  console.log(`  diff                       ${ms(step('diff'))}`);
  console.log(`  = validation + diff        ${ms(checks)}`);
  console.log(`  (overlaps for scale, on ogr2ogr's table: a plain self-join intersecting all ${overlaps.pairs} pairs that meet ` +
    `${ms(overlaps.plainMs)}; ours ${ms(overlaps.oursMs)})`);
  console.log(`  wall time, upload + commit ${ms(total)}`);
  console.log(`  server memory: peak ${mb(serverMemory.peakKb)} (idle after start ${mb(idleRssKb)}, at the end ${mb(serverMemory.rssKb)})`);
  console.log('ogr2ogr -t_srs EPSG:4326 -nlt PROMOTE_TO_MULTI -makevalid → PostGIS');
  console.log(`  wall time                  ${ms(ogrMs)}`);
  console.log(`  memory: peak ${mb(median(ogr.map((r) => r.peakKb)))}`);
  console.log('');
  console.log(`ratio, reading + writing / ogr2ogr: ${ratio.toFixed(2)} (target ≤ 2.0: ${ratio <= 2 ? 'met' : 'MISSED'})`);

  fs.rmSync(workDir, { recursive: true, force: true });
  for (const name of [OUR_DB, OGR_DB]) await admin(`drop database if exists ${name}`);

  await memoryRun();
}

await main();
