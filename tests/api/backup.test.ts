import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { backends } from './backends.js';
import { geojsonFile, square, uploadAndCommit } from './boundaries-helpers.js';
import { ADMIN_PASSWORD, signIn } from './clients.js';
import { adminQuery, withDatabase } from './global-setup.js';
import { runCli } from './processes.js';

const TIMEOUT = 900_000;
const TABLES = ['problems', 'users', 'audit_log', 'boundary_versions', 'neighbourhood_versions', 'neighbourhoods', 'api_tokens'];

/** Row counts and a checksum of every table that matters, straight from the database. */
async function fingerprint(app: FastifyInstance): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await sql<{ sum: string }>`
      select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum from ${sql.table(table)} t`.execute(app.database.db);
    result[table] = rows[0]!.sum;
  }
  return result;
}

/** An empty place to restore into, the environment that points the tools at it, and a server on it. */
async function emptyTarget(backend: 'embedded' | 'postgis'): Promise<{ env: Record<string, string>; start(): Promise<FastifyInstance>; remove(): Promise<void> }> {
  if (backend === 'embedded') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-restore-'));
    return {
      env: { MAHALLENAMA_DATA_DIR: dataDir, DATABASE_URL: '' },
      start: () => buildApp({ dataDir }),
      remove: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const server = process.env.DATABASE_URL!;
  const name = `mahallenama_restore_${process.pid}_${Date.now()}`;
  await adminQuery(server, `create database ${name}`);
  const databaseUrl = withDatabase(server, name);
  return {
    env: { DATABASE_URL: databaseUrl },
    start: () => buildApp({ databaseUrl, dataDir: os.tmpdir() }),
    remove: () => adminQuery(server, `drop database if exists ${name}`),
  };
}

describe.each(backends)('backup and restore on $name', (backend) => {
  it('backs up while the server serves, restores into an empty target only, and the server starts with every row', async () => {
    const copy = await backend.copy();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-backup-'));
    const file = path.join(scratch, 'backup.file');
    const app = await copy.start();
    let before: Record<string, string>;
    try {
      const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
      expect((await admin.post('/api/users', { username: 'sara', password: 'sara-password-1', role: 'gis' })).status).toBe(201);
      await uploadAndCommit(admin, 'v2.geojson', geojsonFile([{ properties: { code: 'B-NEW', name: 'پشتیبان' }, geometry: square(57.3, 30.02, 0.002) }]));
      await admin.post('/api/tokens', { name: 'qgis' });
      before = await fingerprint(app);

      // While the backup runs, the server keeps answering (on the embedded database the
      // backup itself is made by this server, through its admin socket).
      const [made, served] = await Promise.all([runCli('server/backup/cli.ts', ['backup', file], copy.env), admin.get('/api/auth/me')]);
      expect(made, made.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining(`wrote ${file}`) });
      expect(served.status).toBe(200);
      // A change after the backup is not in it.
      expect((await admin.post('/api/users', { username: 'later', password: 'later-password-1', role: 'planner' })).status).toBe(201);
    } finally {
      await app.close();
    }

    const target = await emptyTarget(backend.name);
    try {
      const restore = (...args: string[]) => runCli('server/backup/cli.ts', ['restore', ...args], target.env);
      const junk = path.join(scratch, 'junk.file');
      fs.writeFileSync(junk, 'not a backup');
      expect(await restore(junk)).toMatchObject({ code: 1, stderr: expect.stringContaining('not a') });

      expect(await restore(file)).toMatchObject({ code: 0, stdout: expect.stringContaining('restored') });
      // Not into a target that holds a database, unless told so.
      expect(await restore(file)).toMatchObject({ code: 1, stderr: expect.stringMatching(/--force/) });
      expect(await restore(file, '--force')).toMatchObject({ code: 0 });

      const restored = await target.start();
      try {
        expect(await fingerprint(restored)).toEqual(before!);
        expect((await (await signIn(restored, 'sara', 'sara-password-1')).get('/api/auth/me')).status).toBe(200);
      } finally {
        await restored.close();
      }
    } finally {
      await target.remove();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, TIMEOUT);
});

describe.runIf(backends.some((b) => b.name === 'embedded'))('automatic backups of the embedded database', () => {
  it('are made on schedule into <data dir>/backups, keeping the newest, and restore', async () => {
    const copy = await backends.find((b) => b.name === 'embedded')!.copy();
    const folder = path.join(copy.env.MAHALLENAMA_DATA_DIR!, 'backups');
    // The copy stays after close: its backups are restored below.
    const app = await copy.start({ backup: { intervalMs: 1000, keep: 2 }, afterClose: async () => {} });
    const seen = new Set<string>();
    let kept: string[] = [];
    let before: Record<string, string>;
    try {
      before = await fingerprint(app);
      const deadline = Date.now() + 600_000;
      while (seen.size < 4) {
        if (Date.now() > deadline) throw new Error(`only ${seen.size} automatic backups were made`);
        kept = fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => n.endsWith('.tar.gz')) : [];
        for (const name of kept) seen.add(name);
        // The newest is complete before the oldest goes: three for a moment, never more.
        expect(kept.length).toBeLessThanOrEqual(3);
        await sleep(100);
      }
    } finally {
      await app.close();
    }
    kept = fs.readdirSync(folder).filter((n) => n.endsWith('.tar.gz'));
    expect(kept).toHaveLength(2);
    const newest = [...seen].sort().at(-1)!;
    expect(kept).toContain(newest);
    const target = await emptyTarget('embedded');
    try {
      const restore = await runCli('server/backup/cli.ts', ['restore', path.join(folder, newest)], target.env);
      expect(restore, restore.stderr).toMatchObject({ code: 0 });
      const restored = await target.start();
      try {
        expect(await fingerprint(restored)).toEqual(before!);
      } finally {
        await restored.close();
      }
    } finally {
      await target.remove();
      fs.rmSync(copy.env.MAHALLENAMA_DATA_DIR!, { recursive: true, force: true });
    }
  }, TIMEOUT);
});
