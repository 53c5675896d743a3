/**
 * Processes and HTTP for the tile benchmark: our server in a process of its own, nginx
 * serving files, a keep-alive HTTP client for one-at-a-time timings, and wrk for load.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Running {
  url: string;
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts bench/tile-server.ts with the given environment and waits for "listening <url>". */
export async function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'tile-server.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`tile server exited with ${code} before listening:\n${out}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await waitForExit(child);
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** One request on a kept-alive connection (or a new one); `ms` runs from sending to the last body byte. */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; newConnection?: boolean } = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.newConnection ? false : agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Signs in as the first admin and returns the session cookie, as the browser holds it. */
export async function signIn(baseUrl: string, password: string): Promise<string> {
  const res = await request(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.body.toString()}`);
  const cookie = [res.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).join('; ');
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie;
}

/** nginx serving `root` on `port` with `workers` worker processes, with a config written for this run only. */
export async function startNginx(workDir: string, root: string, port: number, workers: number): Promise<Running> {
  const conf = path.join(workDir, 'nginx.conf');
  const temp = path.join(workDir, 'nginx-temp');
  fs.mkdirSync(temp, { recursive: true });
  // Worker processes of a root master run as nobody: they must be able to read the tiles.
  spawnSync('chmod', ['-R', 'a+rX', workDir]);
  fs.writeFileSync(conf, `
worker_processes ${workers};
daemon off;
pid ${workDir}/nginx.pid;
error_log ${workDir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  types { application/vnd.mapbox-vector-tile mvt; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location /tiles/ { add_header Cache-Control "private, no-cache"; }
  }
}
`);
  const child = spawn('nginx', ['-c', conf, '-p', workDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await request(`${url}/`);
      break;
    } catch (error) {
      if (i > 50) throw error;
      await sleep(100);
    }
  }
  return {
    url,
    async stop() {
      child.kill('SIGQUIT');
      await waitForExit(child);
    },
  };
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors plus responses with a status of 400 or more. */
  errors: number;
}

/**
 * wrk against `baseUrl`, cycling through `paths` on every connection, with the same
 * request headers whoever answers. A Lua done() hook prints the summary as one line.
 */
export function runWrk(baseUrl: string, paths: readonly string[], headers: Record<string, string>, options: { connections: number; threads: number; seconds: number; workDir: string }): LoadResult {
  const script = path.join(options.workDir, 'tiles.lua');
  const luaString = (s: string) => JSON.stringify(s);
  fs.writeFileSync(script, `
local paths = { ${paths.map(luaString).join(',\n')} }
${Object.entries(headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`).join('\n')}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(99)))
end
`);
  const run = spawnSync('wrk', [`-t${options.threads}`, `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', script, baseUrl], { encoding: 'utf8' });
  const match = /WRK_RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(run.stdout);
  if (run.status !== 0 || !match) throw new Error(`wrk failed (${run.status}): ${run.stdout}\n${run.stderr}`);
  const [requests, durationUs, errors, p50Us, p99Us] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { requests, seconds: durationUs / 1e6, rps: requests / (durationUs / 1e6), p50Ms: p50Us / 1000, p99Ms: p99Us / 1000, errors };
}

/** nginx and wrk from Debian, installed on first use (the benchmark's own setup). */
export function ensureTools(): { nginx: string; wrk: string } {
  const missing = [['nginx', 'nginx-light'], ['wrk', 'wrk']].filter(([command]) => spawnSync('which', [command!]).status !== 0).map(([, pkg]) => pkg!);
  if (missing.length > 0) {
    console.log(`installing ${missing.join(' ')} (apt-get) …`);
    const [command, ...prefix] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync(command!, [...prefix, 'update'], { stdio: 'inherit', env });
    const install = spawnSync(command!, [...prefix, 'install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
    if (update.status !== 0 || install.status !== 0) throw new Error(`could not install ${missing.join(' ')}; install them and run again`);
  }
  const nginxVersion = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '');
  const wrkVersion = (spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '').split(' [')[0]!.trim();
  return { nginx: nginxVersion, wrk: wrkVersion };
}
