/**
 * Coverage endpoints on both databases, in process (app.inject: the handler and the
 * database, no network; the tile cache off, so every tile is rendered). Each endpoint:
 * 2 warm-up calls, 9 timed, the median printed, and last the ratio embedded / PostGIS.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/coverage.ts
 *
 * Without DATABASE_URL only the embedded database runs. Each backend gets a fresh,
 * freshly seeded database that is removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';

const AT = '2026-11-26';
const ENDPOINTS = [
  `/api/coverage?programme=karamat&at=${AT}`,
  `/api/coverage/gaps?programme=karamat&at=${AT}`,
  `/api/coverage/heat?programme=karamat&at=${AT}&metric=uncovered_deprived_population`,
  `/api/coverage/heat?programme=karamat&at=${AT}&metric=interventions`,
  `/api/coverage/hex?programme=karamat&at=${AT}&metric=covered_population&zoom=7`,
  `/api/coverage/hex?programme=karamat&at=${AT}&metric=covered_population&zoom=11`,
  `/api/coverage/hex?programme=karamat&at=${AT}&metric=covered_population&size=250`,
  '/tiles/coverage/10/674/421.mvt',
];
const PASSWORD = 'bench-admin-password';

async function timeEndpoints(app: FastifyInstance): Promise<Map<string, number>> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const medians = new Map<string, number>();
  for (const url of ENDPOINTS) {
    const times: number[] = [];
    for (let run = 0; run < 11; run++) {
      const start = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      if (run >= 2) times.push(ms);
    }
    times.sort((a, b) => a - b);
    medians.set(url, times[Math.floor(times.length / 2)]!);
  }
  return medians;
}

async function embedded(): Promise<Map<string, number>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-coverage-'));
  const app = await buildApp({ dataDir, adminPassword: PASSWORD, tileCacheBytes: 0 });
  try {
    return await timeEndpoints(app);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgis(databaseUrl: string): Promise<Map<string, number>> {
  const name = `bench_coverage_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const app = await buildApp({ databaseUrl: url.toString(), dataDir: os.tmpdir(), adminPassword: PASSWORD, tileCacheBytes: 0 });
  try {
    return await timeEndpoints(app);
  } finally {
    await app.close();
    await admin(`drop database if exists ${name}`);
  }
}

const results: [string, Map<string, number>][] = [['embedded', await embedded()]];
if (process.env.DATABASE_URL) results.push(['postgis', await postgis(process.env.DATABASE_URL)]);

const pad = (text: string, width: number) => text.padEnd(width);
console.log(`${pad('endpoint (median of 9, ms)', 100)}${results.map(([name]) => name.padStart(10)).join('')}${results.length === 2 ? '     ratio' : ''}`);
for (const url of ENDPOINTS) {
  const values = results.map(([, m]) => m.get(url)!);
  const ratio = values.length === 2 ? `${(values[0]! / values[1]!).toFixed(2).padStart(10)}` : '';
  console.log(`${pad(url, 100)}${values.map((v) => v.toFixed(1).padStart(10)).join('')}${ratio}`);
}
