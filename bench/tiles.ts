/**
 * Vector tile benchmark (issue 4): `npm run bench:tiles`.
 *
 * Needs a PostgreSQL + PostGIS server (BENCH_DATABASE_URL or DATABASE_URL, any database
 * on it; default postgres://postgres@127.0.0.1:5432/postgres), where it creates and
 * loads the database mahallenama_bench_tiles (tiles-data.ts; reused on later runs, or
 * rebuilt with --fresh). Installs nginx-light and wrk with apt-get when missing.
 *
 * Prints, over a fixed list of about 270 tiles from zoom 6 to 15 (fixedTiles):
 *   1. uncached, one request at a time: the tile SQL straight through pg (the floor),
 *      the same SQL as a prepared statement (as the server runs it: it plans once per
 *      connection) and our HTTP endpoint, interleaved tile by tile in turning order so all see the same machine;
 *      median and p95 of the per-tile medians of ROUNDS runs, and their ratios;
 *   2. the embedded database's endpoint on the same rows, uncached;
 *   3. warm caches under load: wrk, 64 connections on loopback, against our endpoint (with a
 *      session cookie, as the browser asks, and with an API token, as QGIS and GDAL ask) and
 *      against nginx serving the very same tile bytes from disk; requests per second,
 *      p99 and errors, median of LOAD_RUNS alternating runs, and the ratios.
 * `--skip=uncached,embedded,load` leaves parts out while working on one of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../server/db/schema.js';
import { findTileLayer } from '../server/tiles/layers.js';
import { mvtTileQuery } from '../server/tiles/queries.js';
import { ensureTools, request, runWrk, signIn, startNginx, startServer, type LoadResult, type Running } from './http-load.js';
import {
  ADMIN_PASSWORD, BENCH_DATABASE, fixedTiles, prepareEmbedded, preparePostgis, withDatabase, type BenchTile,
} from './tiles-data.js';

/** A multiple of 3, so the order of the three uncached measurements turns fully (measureUncached). */
const ROUNDS = 6;
const LOAD_RUNS = 3;
const LOAD_SECONDS = 10;
const CONNECTIONS = 64;
const WRK_THREADS = 2;
/** nginx's worker_processes auto: one per CPU. */
const NGINX_WORKERS = os.cpus().length;

const args = new Set(process.argv.slice(2));
const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const repo = path.resolve(import.meta.dirname, '..');
const geodataDir = path.join(repo, 'geodata');
const sharedGeodataDir = path.resolve(repo, '../shared/geodata');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-bench-tiles-'));
const embeddedDir = path.join(os.tmpdir(), 'mahallenama-bench-tiles-embedded');

const median = (xs: readonly number[]) => quantile(xs, 0.5);
function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.ceil(at)]! - sorted[lo]!) * (at - lo);
}
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const tilePath = (t: BenchTile) => `/tiles/${t.layer}/${t.z}/${t.x}/${t.y}.mvt`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

interface Uncached {
  floor: number[];
  /** The same SQL as a named prepared statement, planned once per connection, as our server runs it. */
  floorPrepared: number[];
  endpoint: number[];
  bytes: number;
}

/** Floor and endpoint, tile by tile in turn, so that both see the same moment of the machine. */
async function measureUncached(databaseUrl: string, db: Kysely<Database>, tiles: BenchTile[]): Promise<Uncached> {
  log(`uncached: ${tiles.length} tiles × ${ROUNDS} rounds, floor and endpoint interleaved …`);
  const floorClient = new pg.Client({ connectionString: databaseUrl });
  await floorClient.connect();
  const server = await startServer({ BENCH_DATABASE_URL: databaseUrl, BENCH_TILE_CACHE_BYTES: '0', BENCH_GEODATA_DIR: geodataDir });
  const floor: number[][] = tiles.map(() => []);
  const floorPrepared: number[][] = tiles.map(() => []);
  const endpoint: number[][] = tiles.map(() => []);
  let bytes = 0;
  try {
    const cookie = await signIn(server.url, ADMIN_PASSWORD);
    const queries = tiles.map((t) => mvtTileQuery(findTileLayer(t.layer)!, t.z, t.x, t.y).compile(db));
    for (let round = -1; round < ROUNDS; round++) {
      for (const [i, t] of tiles.entries()) {
        const query = queries[i]!;
        let floorTile: Buffer | undefined;
        let res: Awaited<ReturnType<typeof request>> | undefined;
        const times = { floor: 0, prepared: 0, endpoint: 0 };
        const steps = {
          floor: async () => {
            const started = performance.now();
            floorTile = (await floorClient.query<{ tile: Buffer }>({ text: query.sql, values: [...query.parameters] })).rows[0]!.tile;
            times.floor = performance.now() - started;
          },
          prepared: async () => {
            const started = performance.now();
            await floorClient.query({ name: `floor-${t.layer}`, text: query.sql, values: [...query.parameters] });
            times.prepared = performance.now() - started;
          },
          endpoint: async () => {
            res = await request(`${server.url}${tilePath(t)}`, { headers: { cookie } });
            times.endpoint = res.ms;
          },
        };
        // Whoever runs right after another has the tile's rows warm in the CPU caches: the
        // order turns with every round, so each comes first, second and third alike.
        const order = (['floor', 'prepared', 'endpoint'] as const).map((_, k, all) => all[(k + round + 3) % 3]!);
        for (const step of order) await steps[step]();
        if (res!.status !== 200) throw new Error(`${tilePath(t)} answered ${res!.status}: ${res!.body.toString()}`);
        if (res!.headers['x-tile-cache'] !== 'miss') throw new Error(`${tilePath(t)} came from the cache`);
        if (!res!.body.equals(floorTile!)) throw new Error(`${tilePath(t)}: the endpoint and the floor SQL gave different bytes`);
        // The first pass warms PostgreSQL's and the system's caches and is not counted.
        if (round < 0) {
          bytes += res!.body.length;
          continue;
        }
        floor[i]!.push(times.floor);
        floorPrepared[i]!.push(times.prepared);
        endpoint[i]!.push(times.endpoint);
      }
    }
  } finally {
    await server.stop();
    await floorClient.end();
  }
  return { floor: floor.map(median), floorPrepared: floorPrepared.map(median), endpoint: endpoint.map(median), bytes };
}

/** The embedded database on the same rows, uncached: one warm-up pass, one timed pass. */
async function measureEmbedded(databaseUrl: string, tiles: BenchTile[]): Promise<number[]> {
  log(`embedded: preparing ${embeddedDir} …`);
  await prepareEmbedded(embeddedDir, databaseUrl, geodataDir);
  const server = await startServer({ BENCH_DATA_DIR: embeddedDir, BENCH_TILE_CACHE_BYTES: '0', BENCH_GEODATA_DIR: geodataDir });
  try {
    const cookie = await signIn(server.url, ADMIN_PASSWORD);
    log(`embedded: ${tiles.length} tiles, one warm-up pass and one timed pass …`);
    const times: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const t of tiles) {
        const res = await request(`${server.url}${tilePath(t)}`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`embedded ${tilePath(t)} answered ${res.status}`);
        if (round === 1) times.push(res.ms);
      }
    }
    return times;
  } finally {
    await server.stop();
  }
}

interface Load {
  nginx: LoadResult[];
  /** Our endpoint with a session cookie, by number of server processes. */
  ours: Map<number, LoadResult[]>;
  /** Our endpoint with an API token (Authorization: Bearer), by number of server processes. */
  token: Map<number, LoadResult[]>;
}

/** An API token of the signed-in user (POST /api/tokens, from our own origin as the app sends it). */
async function createToken(baseUrl: string, cookie: string): Promise<string> {
  const res = await request(`${baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { cookie, origin: baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench:tiles' }),
  });
  if (res.status !== 201) throw new Error(`creating a token failed: ${res.status} ${res.body.toString()}`);
  return (JSON.parse(res.body.toString()) as { token: string }).token;
}

/**
 * What MapLibre and GDAL send besides their credentials: they take gzip, and our server
 * keeps tiles gzipped (nginx, with no gzip_static, sends its files as they are).
 */
const ACCEPT = { 'accept-encoding': 'gzip' };

/**
 * nginx with the tile bytes on disk, and our endpoint with a warm cache — one process, as
 * server/main.ts runs by default, then as many processes as nginx has workers
 * (MAHALLENAMA_WORKERS, server/serve.ts) — under the same wrk load, alternating runs.
 */
async function measureLoad(databaseUrl: string, tiles: BenchTile[]): Promise<Load> {
  const root = path.join(workDir, 'www');
  const paths = tiles.map(tilePath);
  const load = { connections: CONNECTIONS, threads: WRK_THREADS, seconds: LOAD_SECONDS, workDir };
  const result: Load = { nginx: [], ours: new Map(), token: new Map() };
  let nginx: Running | undefined;
  try {
    for (const workers of new Set([1, NGINX_WORKERS])) {
      log(`load: our server with ${workers} process${workers > 1 ? 'es' : ''}, warming its cache …`);
      const server = await startServer({
        BENCH_DATABASE_URL: databaseUrl, BENCH_TILE_CACHE_BYTES: String(256 * 1024 * 1024), BENCH_GEODATA_DIR: geodataDir,
        BENCH_WORKERS: String(workers), BENCH_PORT: String(17000 + (process.pid % 1000)),
      });
      try {
        const cookie = await signIn(server.url, ADMIN_PASSWORD);
        const bearer = { authorization: `Bearer ${await createToken(server.url, cookie)}`, ...ACCEPT };
        const session = { cookie, ...ACCEPT };
        if (!nginx) {
          for (const t of tiles) {
            const res = await request(`${server.url}${tilePath(t)}`, { headers: { cookie } });
            const file = path.join(root, tilePath(t));
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, res.body);
          }
          nginx = await startNginx(workDir, root, 18000 + (process.pid % 1000), NGINX_WORKERS);
          const check = await request(`${nginx.url}${tilePath(tiles[0]!)}`);
          if (check.status !== 200 || check.headers['content-type'] !== 'application/vnd.mapbox-vector-tile') {
            throw new Error(`nginx serves ${tilePath(tiles[0]!)} as ${check.status} ${check.headers['content-type']}`);
          }
          runWrk(nginx.url, paths, session, { ...load, seconds: 3 });
        }
        // Each process has its own cache. node:cluster hands new connections to the processes
        // in turn, so as many requests on new connections as there are processes reach them
        // all: once to fill the caches, once more to check that every answer is a hit.
        for (const pass of ['fill', 'check'] as const) {
          for (const t of tiles) {
            for (let i = 0; i < workers; i++) {
              const res = await request(`${server.url}${tilePath(t)}`, { headers: { cookie }, newConnection: true });
              if (pass === 'check' && res.headers['x-tile-cache'] !== 'hit') throw new Error(`${tilePath(t)} is not in every cache after warming`);
            }
          }
        }
        runWrk(server.url, paths, session, { ...load, seconds: 3 });
        runWrk(server.url, paths, bearer, { ...load, seconds: 3 });
        const runs: LoadResult[] = [];
        const tokenRuns: LoadResult[] = [];
        for (let run = 0; run < LOAD_RUNS; run++) {
          log(`load: ${workers} process${workers > 1 ? 'es' : ''}, run ${run + 1} of ${LOAD_RUNS} …`);
          runs.push(runWrk(server.url, paths, session, load));
          tokenRuns.push(runWrk(server.url, paths, bearer, load));
          result.nginx.push(runWrk(nginx.url, paths, session, load));
        }
        result.ours.set(workers, runs);
        result.token.set(workers, tokenRuns);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await nginx?.stop();
  }
  return result;
}

async function main() {
  const tools = ensureTools();
  const skip = new Set((process.argv.find((a) => a.startsWith('--skip='))?.slice(7) ?? '').split(',').filter(Boolean));
  const databaseUrl = withDatabase(serverUrl, BENCH_DATABASE);
  log(`preparing ${BENCH_DATABASE} on ${new URL(serverUrl).host} …`);
  const data = await preparePostgis(serverUrl, geodataDir, sharedGeodataDir, args.has('--fresh'));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const loadBefore = os.loadavg()[0]!;
  let uncached: Uncached | undefined;
  let embedded: number[] | undefined;
  let load: Load | undefined;
  let version = '?';
  let tiles: BenchTile[] = [];
  try {
    tiles = await fixedTiles(db);
    version = (await pool.query<{ version: string }>('select postgis_lib_version() as version')).rows[0]!.version;
    if (!skip.has('uncached')) uncached = await measureUncached(databaseUrl, db, tiles);
    if (!skip.has('embedded')) embedded = await measureEmbedded(databaseUrl, tiles);
    if (!skip.has('load')) load = await measureLoad(databaseUrl, tiles);
  } finally {
    await db.destroy();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  console.log(report({ data, tiles, version, tools, loadAverages: [loadBefore, os.loadavg()[0]!], uncached, embedded, load }));
}

function report(r: {
  data: Awaited<ReturnType<typeof preparePostgis>>;
  tiles: BenchTile[];
  version: string;
  tools: { nginx: string; wrk: string };
  loadAverages: [number, number];
  uncached: Uncached | undefined;
  embedded: number[] | undefined;
  load: Load | undefined;
}): string {
  const pad = (s: string, n = 44) => s.padEnd(n);
  const num = (x: number) => Math.round(x).toLocaleString('en-US');
  const count = (layer: string) => r.tiles.filter((t) => t.layer === layer).length;
  const zooms = [...new Set(r.tiles.map((t) => t.z))].sort((a, b) => a - b);
  const lines: string[] = [
    'Vector tile benchmark (bench/tiles.ts)',
    `  PostGIS ${r.version} at ${new URL(serverUrl).host}, database ${BENCH_DATABASE} (${r.data.reused ? 'reused' : 'built this run'}):`,
    `  ${num(r.data.counties)} counties, ${num(r.data.neighbourhoods)} neighbourhoods (${num(r.data.generated)} generated)`,
    `  ${r.tiles.length} fixed tiles: ${count('neighbourhoods')} neighbourhoods + ${count('counties')} counties, zoom ${zooms[0]}–${zooms.at(-1)}` +
      (r.uncached ? `; ${(r.uncached.bytes / 1e6).toFixed(1)} MB in all` : ''),
    `  ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${r.tools.nginx}, ${r.tools.wrk}`,
    `  load average (1 min) before and after: ${r.loadAverages.map((l) => l.toFixed(1)).join(' and ')} — other work on the machine slows both sides`,
    '',
  ];
  const targets: string[] = [];
  if (r.uncached) {
    const { floor, floorPrepared, endpoint } = r.uncached;
    const [fm, fp, em, ep] = [median(floor), quantile(floor, 0.95), median(endpoint), quantile(endpoint, 0.95)];
    const [pm, pp] = [median(floorPrepared), quantile(floorPrepared, 0.95)];
    lines.push(
      `Uncached, one request at a time: median and p95 over the tiles of each tile's median of ${ROUNDS} runs`,
      `  ${pad('')}${pad('median', 12)}p95`,
      `  ${pad('floor: the tile SQL through pg')}${pad(ms(fm), 12)}${ms(fp)}`,
      `  ${pad('floor, as a prepared statement')}${pad(ms(pm), 12)}${ms(pp)}   (planned once per connection, as our server runs it)`,
      `  ${pad('our endpoint, PostGIS, no cache')}${pad(ms(em), 12)}${ms(ep)}`,
    );
    if (r.embedded) {
      const [bm, bp] = [median(r.embedded), quantile(r.embedded, 0.95)];
      lines.push(`  ${pad('our endpoint, embedded, no cache')}${pad(ms(bm), 12)}${ms(bp)}   (${(bm / em).toFixed(1)}× PostGIS at the median, ${(bp / ep).toFixed(1)}× at p95; one timed run)`);
    }
    lines.push('');
    targets.push(
      `  ${pad('uncached endpoint / floor, median')}${pad((em / fm).toFixed(2), 8)}target ≤ 1.3   ${verdict(em / fm <= 1.3)}`,
      `  ${pad('uncached endpoint / floor, p95')}${pad((ep / fp).toFixed(2), 8)}target ≤ 1.3   ${verdict(ep / fp <= 1.3)}`,
      `  ${pad('uncached endpoint / prepared floor, median')}${pad((em / pm).toFixed(2), 8)}(the HTTP, auth and cache work alone)`,
      `  ${pad('uncached endpoint / prepared floor, p95')}${pad((ep / pp).toFixed(2), 8)}`,
    );
  } else if (r.embedded) {
    lines.push(`Uncached, embedded database: median ${ms(median(r.embedded))}, p95 ${ms(quantile(r.embedded, 0.95))}`, '');
  }
  if (r.load) {
    const med = (runs: LoadResult[], key: 'rps' | 'p99Ms') => median(runs.map((x) => x[key]));
    const errors = (runs: LoadResult[]) => runs.reduce((sum, x) => sum + x.errors, 0);
    const runs = (list: LoadResult[]) => list.map((x) => `${num(x.rps)} req/s p99 ${ms(x.p99Ms)}`).join(' | ');
    const [nr, np] = [med(r.load.nginx, 'rps'), med(r.load.nginx, 'p99Ms')];
    lines.push(
      `Warm cache under load: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${LOAD_SECONDS}s on loopback, cycling the same tiles with the same headers; median of the runs`,
      `  ${pad('')}${pad('req/s', 12)}${pad('p99', 12)}errors`,
      `  ${pad(`nginx, ${NGINX_WORKERS} workers, the same bytes from disk`)}${pad(num(nr), 12)}${pad(ms(np), 12)}${errors(r.load.nginx)}`,
    );
    for (const [workers, list] of r.load.ours) {
      lines.push(`  ${pad(`our endpoint, MAHALLENAMA_WORKERS=${workers}, cookie`)}${pad(num(med(list, 'rps')), 12)}${pad(ms(med(list, 'p99Ms')), 12)}${errors(list)}`);
      const tokens = r.load.token.get(workers)!;
      lines.push(`  ${pad(`our endpoint, MAHALLENAMA_WORKERS=${workers}, token`)}${pad(num(med(tokens, 'rps')), 12)}${pad(ms(med(tokens, 'p99Ms')), 12)}${errors(tokens)}`);
    }
    lines.push(`  runs, nginx: ${runs(r.load.nginx)}`);
    for (const [workers, list] of r.load.ours) lines.push(`  runs, ours ×${workers}, cookie: ${runs(list)}`);
    for (const [workers, list] of r.load.token) lines.push(`  runs, ours ×${workers}, token: ${runs(list)}`);
    lines.push('');
    for (const [workers, list] of r.load.token) {
      const ratio = med(list, 'rps') / med(r.load.ours.get(workers)!, 'rps');
      targets.push(
        `  ${pad(`warm req/s, token / cookie, ours ×${workers}`)}${pad(ratio.toFixed(2), 8)}target ≥ 0.8   ${verdict(ratio >= 0.8)}`,
        `  ${pad(`errors under load, ours ×${workers}, token`)}${pad(String(errors(list)), 8)}target 0       ${verdict(errors(list) === 0)}`,
      );
    }
    for (const [workers, list] of r.load.ours) {
      const [or, op] = [med(list, 'rps'), med(list, 'p99Ms')];
      const who = `ours ×${workers} / nginx ×${NGINX_WORKERS}`;
      // The target compares like with like: as many processes as nginx has workers. One
      // process on a machine of several CPUs is shown beside it for reference.
      const judged = workers === NGINX_WORKERS;
      targets.push(
        `  ${pad(`warm req/s, ${who}`)}${pad((or / nr).toFixed(2), 8)}` +
          (judged ? `target ≥ 0.5   ${verdict(or / nr >= 0.5)}` : `(one process against ${NGINX_WORKERS} workers, for reference)`),
        `  ${pad(`warm p99, ${who}`)}${pad((op / np).toFixed(2), 8)}(lower is better)`,
        `  ${pad(`errors under load, ours ×${workers}`)}${pad(String(errors(list)), 8)}target 0       ${verdict(errors(list) === 0)}`,
      );
    }
  }
  if (targets.length > 0) lines.push('Ratios against their targets', ...targets);
  return lines.join('\n');
}

await main();
