/**
 * OGC API – Features benchmark (issue 16): `npm run bench:ogc`.
 *
 * Needs a PostgreSQL + PostGIS server (BENCH_DATABASE_URL or DATABASE_URL; default
 * postgres://postgres@127.0.0.1:5432/postgres), where it makes the tile benchmark's data
 * set (tiles-data.ts: 20,229 neighbourhoods) in a database of its own,
 * mahallenama_bench_ogc (reused on later runs; --fresh rebuilds it). Installs Debian's
 * mapserver-bin with apt-get when `mapserv` is missing.
 *
 * Reads every neighbourhood, as a GIS client does:
 *   - ours: /ogc/collections/neighbourhoods/items page by page (limit 1,000), following the
 *     next links as GDAL's OAPIF driver does, with an API token;
 *   - MapServer 8 (Debian's mapserv as a CGI behind a small node HTTP server) serving the
 *     same PostGIS table as OGC API – Features, with the same properties. Its paging
 *     ignores offset (MapServer issue #6613), so it is read in one big page — and paged
 *     once as GDAL would, to show what that gives.
 * Each read parses the answers and checks that every id arrives exactly once. One
 * warm-up, then RUNS alternating runs; prints the median times and ours ÷ MapServer.
 * Target: ≤ 1.0×.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startServer, type Running } from './http-load.js';
import { ADMIN_PASSWORD, preparePostgis, withDatabase } from './tiles-data.js';

const DATABASE = 'mahallenama_bench_ogc';
const RUNS = 3;
const PAGE = 1000;

const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const repo = path.resolve(import.meta.dirname, '..');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-bench-ogc-'));
const log = (line: string) => console.error(line);
const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The properties both servers send: the neighbourhoods collection's own. */
const PROPERTIES = ['code', 'name_fa', 'name_en', 'county_id', 'population', 'households', 'deprivation', 'informal', 'margin', 'source', 'license', 'boundary_version', 'updated_at'];

function ensureMapserv(): void {
  if (spawnSync('which', ['mapserv']).status === 0) return;
  log('installing mapserver-bin (apt-get) …');
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'mapserver-bin'], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('could not install mapserver-bin; install it with apt-get');
}

/** Debian's mapserv as a CGI program behind a node HTTP server: one mapserv process per request, as Apache's mod_cgi runs it. */
async function startMapServer(databaseUrl: string): Promise<Running> {
  const db = new URL(databaseUrl);
  const mapfile = path.join(workDir, 'bench.map');
  const config = path.join(workDir, 'mapserver.conf');
  const server = http.createServer((req, res) => {
    const [pathInfo, query = ''] = (req.url ?? '/').split('?') as [string, string?];
    const child = spawn('mapserv', [], {
      env: {
        PATH: process.env.PATH, MAPSERVER_CONFIG_FILE: config, REQUEST_METHOD: 'GET', PATH_INFO: pathInfo, QUERY_STRING: query,
        SERVER_NAME: '127.0.0.1', SERVER_PORT: String((server.address() as { port: number }).port), SCRIPT_NAME: '', HTTP_HOST: req.headers.host ?? '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n') >= 0 ? out.indexOf('\r\n\r\n') : out.indexOf('\n\n');
      const gap = out.indexOf('\r\n\r\n') >= 0 ? 4 : 2;
      const head = out.subarray(0, split).toString();
      const status = Number(/^Status:\s*(\d+)/im.exec(head)?.[1] ?? 200);
      const type = /^Content-Type:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
      res.writeHead(status, { 'content-type': type });
      res.end(out.subarray(split + gap));
    });
  });
  // One big page can take minutes on a busy machine: no request time-out.
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(config, `CONFIG\n  ENV\n    MS_MAP_PATTERN "^${workDir}/"\n  END\n  MAPS\n    bench "${mapfile}"\n  END\nEND\n`);
  fs.writeFileSync(mapfile, `MAP
  NAME "bench"
  EXTENT 44 25 64 40
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "oga_enable_request" "*"
      "oga_onlineresource" "${url}/bench/ogcapi"
      "ows_title" "bench"
      "oga_max_limit" "100000"
      "ows_srs" "EPSG:4326"
    END
  END
  LAYER
    NAME "neighbourhoods"
    TYPE POLYGON
    STATUS ON
    TEMPLATE "void"
    CONNECTIONTYPE POSTGIS
    CONNECTION "host=${db.hostname} port=${db.port || 5432} dbname=${db.pathname.slice(1)} user=${decodeURIComponent(db.username) || 'postgres'}${db.password ? ` password=${decodeURIComponent(db.password)}` : ''}"
    DATA "geom from neighbourhoods using unique id using srid=4326"
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" "neighbourhoods"
      "gml_include_items" "${PROPERTIES.join(',')}"
      "gml_featureid" "id"
      "gml_types" "auto"
    END
  END
END
`);
  return { url, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Read {
  ms: number;
  rows: number;
  distinct: number;
  requests: number;
}

/** Reads a collection from `first`, following next links, and counts the ids it got. */
async function readAll(first: string, headers: Record<string, string>, maxRequests = 100): Promise<Read> {
  const started = performance.now();
  const ids: string[] = [];
  let url: string | undefined = first;
  let requests = 0;
  while (url && requests < maxRequests) {
    const res = await fetch(url, { headers: { accept: 'application/geo+json, application/json', ...headers } });
    const body = await res.text();
    requests++;
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
    const page = JSON.parse(body) as { features: { id: string | number }[]; links?: { rel: string; href: string }[] };
    for (const feature of page.features) ids.push(String(feature.id));
    url = page.features.length > 0 ? page.links?.find((l) => l.rel === 'next')?.href : undefined;
  }
  return { ms: performance.now() - started, rows: ids.length, distinct: new Set(ids).size, requests };
}

async function main(): Promise<void> {
  ensureMapserv();
  log(`preparing ${DATABASE} on ${new URL(serverUrl).host} …`);
  const data = await preparePostgis(serverUrl, path.join(repo, 'geodata'), path.resolve(repo, '../shared/geodata'), process.argv.includes('--fresh'), DATABASE);
  const databaseUrl = withDatabase(serverUrl, DATABASE);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const expected = Number((await client.query('select count(*) as n from neighbourhoods')).rows[0].n);
  const version = (await client.query('select postgis_lib_version() as v')).rows[0].v as string;
  await client.end();

  const ours = await startServer({ BENCH_DATABASE_URL: databaseUrl, BENCH_TILE_CACHE_BYTES: '0', BENCH_GEODATA_DIR: path.join(repo, 'geodata') });
  const mapserver = await startMapServer(databaseUrl);
  try {
    // fetch throughout: one HTTP client for every request of this benchmark.
    const login = await fetch(`${ours.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const created = await fetch(`${ours.url}/api/tokens`, {
      method: 'POST', headers: { cookie, origin: ours.url, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench:ogc' }),
    });
    const token = ((await created.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };

    const readOurs = () => readAll(`${ours.url}/ogc/collections/neighbourhoods/items?limit=${PAGE}`, auth);
    const readMapServer = () => readAll(`${mapserver.url}/bench/ogcapi/collections/neighbourhoods/items?f=json&limit=${expected + 1000}`, {}, 1);
    const check = (name: string, read: Read) => {
      if (read.rows !== expected || read.distinct !== expected) {
        throw new Error(`${name} read ${read.rows} rows with ${read.distinct} distinct ids; the table has ${expected}`);
      }
    };

    log('warming up …');
    check('ours', await readOurs());
    check('MapServer', await readMapServer());
    const paged = await readAll(`${mapserver.url}/bench/ogcapi/collections/neighbourhoods/items?f=json&limit=${PAGE}`, {}, Math.ceil(expected / PAGE) + 5);

    const oursMs: number[] = [];
    const mapserverMs: number[] = [];
    let oursRequests = 0;
    for (let run = 0; run < RUNS; run++) {
      // Alternating, and turning who goes first, so both see the same machine.
      const order = run % 2 === 0 ? ['ours', 'mapserver'] : ['mapserver', 'ours'];
      for (const who of order) {
        if (who === 'ours') {
          const read = await readOurs();
          check('ours', read);
          oursMs.push(read.ms);
          oursRequests = read.requests;
        } else {
          const read = await readMapServer();
          check('MapServer', read);
          mapserverMs.push(read.ms);
        }
      }
      log(`run ${run + 1}/${RUNS}: ours ${oursMs.at(-1)!.toFixed(0)} ms, MapServer ${mapserverMs.at(-1)!.toFixed(0)} ms`);
    }
    const ratio = median(oursMs) / median(mapserverMs);
    console.log([
      `OGC API – Features: every neighbourhood read (${expected.toLocaleString('en')} features, PostGIS ${version}, database ${DATABASE}${data.reused ? ', reused' : ', built this run'}), median of ${RUNS} runs after a warm-up:`,
      `  MapServer 8 paged as GDAL reads it (limit ${PAGE}): ${paged.rows.toLocaleString('en')} rows in ${paged.requests} requests, ${paged.distinct.toLocaleString('en')} distinct ids (offset ignored, issue #6613)`,
      `  MapServer 8 (mapserv CGI), one page of ${(expected + 1000).toLocaleString('en')}: ${median(mapserverMs).toFixed(0)} ms, every id once`,
      `  ours, /ogc/collections/neighbourhoods/items, ${oursRequests} pages of ${PAGE}: ${median(oursMs).toFixed(0)} ms, every id once`,
      `  ratio ours ÷ MapServer: ${ratio.toFixed(2)}× (target ≤ 1.0×: ${ratio <= 1 ? 'met' : 'MISSED'})`,
    ].join('\n'));
  } finally {
    await ours.stop();
    await mapserver.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
