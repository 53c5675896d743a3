import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import { backends } from './backends.js';
import { ADMIN_PASSWORD } from './clients.js';
import { adminQuery } from './global-setup.js';
import { decode } from './tile-helpers.js';
import { alive, exited, request, startMain } from './processes.js';

describe('MAHALLENAMA_WORKERS', () => {
  it('refuses more than one process on the embedded database, saying why', async () => {
    const main = startMain({ DATABASE_URL: '', MAHALLENAMA_WORKERS: '2' });
    await expect(main.url).rejects.toThrow(/embedded database serves one process only/);
    expect(await exited(main.child)).not.toBe(0);
  });
});

const postgis = backends.find((b) => b.name === 'postgis');

describe.runIf(postgis)('two server processes on one PostGIS database', () => {
  let main: ReturnType<typeof startMain>;
  let url: string;
  let databaseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    const copy = await postgis!.copy();
    databaseUrl = copy.env.DATABASE_URL!;
    main = startMain({ ...copy.env, MAHALLENAMA_WORKERS: '2', MAHALLENAMA_ADMIN_PASSWORD: ADMIN_PASSWORD });
    url = await main.url;
    const login = await request(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    cookie = [login.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).join('; ');
  }, 300_000);
  afterAll(async () => {
    if (main) {
      main.child.kill('SIGTERM');
      expect(await exited(main.child)).toBe(0);
    }
    if (databaseUrl) await adminQuery(process.env.DATABASE_URL!, `drop database if exists ${new URL(databaseUrl).pathname.slice(1)}`);
  });

  it('serves from both, each with its own tile cache, and both see a change at once', async () => {
    const t = lonLatToTile(57.07879, 30.28321, 13);
    const tile = () => request(`${url}/tiles/neighbourhoods/${t.z}/${t.x}/${t.y}.mvt`, { headers: { cookie } });
    // Connections go to the processes in turn: the first two each render the tile, the
    // next two find it in their own cache.
    const answers = [await tile(), await tile(), await tile(), await tile()];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.headers['x-tile-cache'])).toEqual(['miss', 'miss', 'hit', 'hit']);
    expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(1);

    const target = decode(answers[0]!.body).neighbourhoods![0]!;
    const psql = new pg.Client({ connectionString: databaseUrl });
    await psql.connect();
    try {
      await psql.query('update neighbourhoods set population = population + 7 where id = $1', [target.id]);
    } finally {
      await psql.end();
    }
    for (const after of [await tile(), await tile()]) {
      expect(after.headers['x-tile-cache']).toBe('miss');
      expect(after.headers.etag).not.toBe(answers[0]!.headers.etag);
      const changed = decode(after.body).neighbourhoods!.find((f) => f.id === target.id)!;
      expect(changed.properties.population).toBe((target.properties.population as number) + 7);
    }
  });
});

describe.runIf(postgis)('the primary of several server processes killed', () => {
  it('takes its workers with it, so nothing is left holding the port', async () => {
    const copy = await postgis!.copy();
    const main = startMain({ ...copy.env, MAHALLENAMA_WORKERS: '2' });
    try {
      const url = await main.url;
      const workers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(main.child.pid)], { encoding: 'utf8' })
        .split('\n').map((l) => Number(l.trim())).filter((pid) => pid > 0);
      expect(workers).toHaveLength(2);
      main.child.kill('SIGKILL');
      await exited(main.child);
      const deadline = Date.now() + 30_000;
      while (workers.some(alive)) {
        if (Date.now() > deadline) throw new Error(`workers ${workers.filter(alive).join(', ')} outlived their primary`);
        await sleep(100);
      }
      await expect(request(`${url}/api/health`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      main.child.kill('SIGKILL');
      await adminQuery(process.env.DATABASE_URL!, `drop database if exists ${new URL(copy.env.DATABASE_URL!).pathname.slice(1)}`);
    }
  }, 300_000);
});
