import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type AppOptions } from '../../server/app.js';
import { E2E_ADMIN } from './e2e-admin.js';
import { adminQuery, withDatabase } from '../api/global-setup.js';

export interface RunningServer {
  /** Origin of the app, e.g. http://127.0.0.1:40123 */
  url: string;
  close(): Promise<void>;
}

/**
 * The whole app — API and the built client from dist/client (run `vite build` first) — on a random
 * port, with a fresh embedded database in a temporary folder that is removed on close.
 * MAHALLENAMA_GEODATA_DIR points the seed at another copy of geodata/; `options` adds to buildApp's
 * (by hand: MAHALLENAMA_BASEMAP serves a basemap file).
 */
export async function startServer(options: Partial<AppOptions> = {}): Promise<RunningServer> {
  const clientDir = path.resolve('dist/client');
  if (!fs.existsSync(path.join(clientDir, 'index.html'))) {
    throw new Error('dist/client/index.html is missing: run `npm run build` (or `npm run test:e2e`) first');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-e2e-'));
  const app = await buildApp({
    dataDir,
    clientDir,
    geodataDir: path.resolve(process.env.MAHALLENAMA_GEODATA_DIR ?? 'geodata'),
    adminPassword: E2E_ADMIN.password,
    logger: false,
    basemapFile: process.env.MAHALLENAMA_BASEMAP || undefined,
    ...options,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not report a TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The same as startServer, on a fresh database of a PostGIS server (dropped on close). */
export async function startServerOnPostgis(databaseUrl: string): Promise<RunningServer> {
  const name = `mahallenama_e2e_${process.pid}_${Date.now() % 100_000}`;
  const admin = (statement: string) => adminQuery(databaseUrl, statement);
  await admin(`drop database if exists ${name}`);
  await admin(`create database ${name}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-e2e-pg-'));
  const app = await buildApp({
    databaseUrl: withDatabase(databaseUrl, name),
    dataDir,
    clientDir: path.resolve('dist/client'),
    geodataDir: path.resolve('geodata'),
    adminPassword: E2E_ADMIN.password,
    logger: false,
    afterClose: () => admin(`drop database if exists ${name}`),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The embedded database always, and a PostGIS server too when DATABASE_URL is set. */
export function e2eBackends(): { name: string; start(): Promise<RunningServer> }[] {
  const databaseUrl = process.env.DATABASE_URL;
  return [
    { name: 'embedded', start: startServer },
    ...(databaseUrl ? [{ name: 'postgis', start: () => startServerOnPostgis(databaseUrl) }] : []),
  ];
}

// `npx tsx tests/e2e/server.ts` runs the same server by hand, for screenshots and poking around.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startServer();
  console.log(`ready ${server.url} (sign in as ${E2E_ADMIN.username} / ${E2E_ADMIN.password})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}
