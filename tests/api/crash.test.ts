import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { backends } from './backends.js';
import { geojsonFile, multipart, square } from './boundaries-helpers.js';
import { adminToken, exited, request, startMain } from './processes.js';

const CRASH_TIMEOUT = 900_000;

async function until(condition: () => boolean, what: string, seconds = 300): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits until another connection holds an open transaction that has written, such as a commit under way. */
async function commitUnderWay(databaseUrl: string, finished: () => boolean): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null
           and query not ilike '%sessions%' and query not ilike '%api_tokens%'`,
      );
      if (rows[0]!.n > 0) return 'in the middle of its transaction';
      if (finished()) return 'after it had answered';
      await sleep(5);
    }
  } finally {
    await client.end();
  }
}

/**
 * kill -9 of the real server (server/main.ts) in the middle of writes, then a restart on
 * the same data: what was acknowledged is there, nothing is half written. On the embedded
 * database this is also the test that a killed holder does not leave the folder locked.
 */
describe.each(backends)('kill -9 of the server on $name', (backend) => {
  it('keeps every write that got a 2xx, each with its audit entry, after a restart', async () => {
    const copy = await backend.copy();
    const main = startMain(copy.env);
    const url = await main.url;

    if (backend.name === 'embedded') {
      // A second server on the same folder refuses at once, naming the holder.
      const second = startMain(copy.env);
      await expect(second.url).rejects.toThrow(new RegExp(`in use by process ${main.child.pid} \\(server/main.ts`));
      expect(await exited(second.child)).toBe(1);
    }

    const headers = { authorization: `Bearer ${await adminToken(url)}`, 'content-type': 'application/json' };
    const stages = (await request(`${url}/api/stages`, { headers })).json<{ items: { neighbourhood_id: number }[] }>().items;
    const neighbourhood_id = stages[0]!.neighbourhood_id;
    const acknowledged = new Set<number>();
    let refused = '';
    const writer = async (w: number) => {
      for (let i = 0; ; i++) {
        const body = JSON.stringify({ neighbourhood_id, category: 'social', title: `crash ${w}-${i}`, severity: 3 });
        let answer;
        try {
          answer = await request(`${url}/api/problems`, { method: 'POST', headers, body });
        } catch {
          return; // the server is gone
        }
        if (answer.status === 201) acknowledged.add(answer.json<{ id: number }>().id);
        else refused ||= `${answer.status} ${answer.body.toString()}`;
      }
    };
    // Three writers keep writes in flight at the moment of the kill.
    const writers = [0, 1, 2].map(writer);
    await until(() => acknowledged.size >= 30 || refused !== '', '30 acknowledged writes');
    main.child.kill('SIGKILL');
    await Promise.all(writers);
    await exited(main.child);
    expect(refused).toBe('');

    // Restart on the same data (on the embedded database, past the dead holder's lock).
    const app = await copy.start();
    try {
      const { rows: problems } = await sql<{ id: number }>`select id from problems where title like 'crash %'`.execute(app.database.db);
      const { rows: audited } = await sql<{ id: number }>`
        select entity_id::int as id from audit_log where entity = 'problems' and action = 'create' and after->>'title' like 'crash %'`.execute(app.database.db);
      const stored = new Set(problems.map((r) => r.id));
      for (const id of acknowledged) expect(stored.has(id), `acknowledged problem ${id}`).toBe(true);
      // At most the three writes in flight were done without their answer arriving.
      expect(stored.size - acknowledged.size).toBeLessThanOrEqual(3);
      // Each problem with its audit entry, no entry without its problem.
      expect(new Set(audited.map((r) => r.id))).toEqual(stored);
    } finally {
      await app.close();
    }
  }, CRASH_TIMEOUT);

  it('commits a boundary upload whole or not at all when killed during the commit', async () => {
    const copy = await backend.copy();
    const main = startMain(copy.env);
    const url = await main.url;
    const authorization = `Bearer ${await adminToken(url)}`;
    const count = 300;
    const features = Array.from({ length: count }, (_, i) => ({
      properties: { code: `CRASH-${i}`, name: `محله ${i}` },
      geometry: square(56.5 + (i % 20) * 0.004, 29.5 + Math.floor(i / 20) * 0.004, 0.003),
    }));
    const form = multipart({}, { name: 'crash.geojson', data: geojsonFile(features) });
    const previewed = await request(`${url}/api/boundaries/uploads`, {
      method: 'POST',
      headers: { authorization, 'content-type': form.contentType },
      body: form.payload,
    });
    expect(previewed.status, previewed.body.toString()).toBe(201);
    const upload = previewed.json<{ id: number; base_version: number }>();

    let answered: number | undefined;
    const commit = request(`${url}/api/boundaries/uploads/${upload.id}/commit`, { method: 'POST', headers: { authorization } })
      .then((a) => (answered = a.status), () => undefined);
    // On a PostGIS server the kill waits until the commit's transaction has written (it has
    // a transaction id) and is still open; the embedded database cannot be watched from
    // outside, so there it comes 300 ms after the request.
    const when = backend.name === 'postgis' ? await commitUnderWay(copy.env.DATABASE_URL!, () => answered !== undefined) : 'after 300 ms';
    if (backend.name !== 'postgis') await sleep(300);
    main.child.kill('SIGKILL');
    await commit;
    await exited(main.child);

    const app = await copy.start();
    try {
      const db = app.database.db;
      const { rows: [state] } = await sql<{ current: number; written: number; history: number; status: string }>`
        select (select max(version) from boundary_versions where layer = 'neighbourhoods')::int as current,
          (select count(*) from neighbourhoods where code like 'CRASH-%')::int as written,
          (select count(*) from neighbourhood_versions where code like 'CRASH-%')::int as history,
          (select status from boundary_uploads where id = ${upload.id}) as status`.execute(db);
      const committed = state!.current === upload.base_version + 1;
      console.log(`upload commit killed ${when}: ${committed ? 'it had committed' : 'it had not committed'} (answer ${answered ?? 'none'})`);
      if (answered === 200) expect(committed).toBe(true);
      expect(state).toEqual(
        committed
          ? { current: upload.base_version + 1, written: count, history: count, status: 'committed' }
          : { current: upload.base_version, written: 0, history: 0, status: 'preview' },
      );
    } finally {
      await app.close();
    }
  }, CRASH_TIMEOUT);
});
