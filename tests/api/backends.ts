import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.js';
import { adminQuery, withDatabase } from './global-setup.js';

export interface Backend {
  name: 'embedded' | 'postgis';
  /** A server on a fresh copy of the seeded database; close() removes the copy. */
  start(options?: Partial<AppOptions>): Promise<FastifyInstance>;
}

const embedded: Backend = {
  name: 'embedded',
  async start(options = {}) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-embedded-'));
    fs.cpSync(inject('embeddedTemplateDir'), dataDir, { recursive: true });
    return buildApp({ ...options, dataDir, afterClose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) });
  },
};

let copies = 0;
const postgis: Backend = {
  name: 'postgis',
  async start(options = {}) {
    const databaseUrl = process.env.DATABASE_URL!;
    const template = inject('postgisTemplateDb')!;
    const name = `mahallenama_test_${process.pid}_${++copies}`;
    await adminQuery(databaseUrl, `create database ${name} template ${template}`);
    return buildApp({
      ...options,
      databaseUrl: withDatabase(databaseUrl, name),
      dataDir: os.tmpdir(),
      afterClose: () => adminQuery(databaseUrl, `drop database if exists ${name}`),
    });
  },
};

/** The embedded database always; a PostGIS server as well when DATABASE_URL is set. */
export const backends: Backend[] = process.env.DATABASE_URL ? [embedded, postgis] : [embedded];
