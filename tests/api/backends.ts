import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.js';
import { adminQuery, withDatabase } from './global-setup.js';

/** A fresh copy of the seeded database, which a server or a command-line tool can open. */
export interface DatabaseCopy {
  /** The environment that points server/main.ts or a CLI at this copy. */
  env: Record<string, string>;
  /** A server on this copy; closing it removes the copy unless options.afterClose says otherwise. */
  start(options?: Partial<AppOptions>): Promise<FastifyInstance>;
}

export interface Backend {
  name: 'embedded' | 'postgis';
  copy(): Promise<DatabaseCopy>;
  /** A server on a fresh copy of the seeded database; close() removes the copy. */
  start(options?: Partial<AppOptions>): Promise<FastifyInstance>;
}

const embedded: Backend = {
  name: 'embedded',
  async copy() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-embedded-'));
    fs.cpSync(inject('embeddedTemplateDir'), dataDir, { recursive: true });
    return {
      // DATABASE_URL emptied: set, it would send a CLI to the PostGIS server instead.
      env: { MAHALLENAMA_DATA_DIR: dataDir, DATABASE_URL: '' },
      start: (options = {}) =>
        buildApp({ afterClose: async () => fs.rmSync(dataDir, { recursive: true, force: true }), ...options, dataDir }),
    };
  },
  async start(options) {
    return (await this.copy()).start(options);
  },
};

let copies = 0;
const postgis: Backend = {
  name: 'postgis',
  async copy() {
    const databaseUrl = process.env.DATABASE_URL!;
    const name = `mahallenama_test_${process.pid}_${++copies}`;
    await adminQuery(databaseUrl, `create database ${name} template ${inject('postgisTemplateDb')!}`);
    const url = withDatabase(databaseUrl, name);
    return {
      env: { DATABASE_URL: url },
      start: (options = {}) =>
        buildApp({
          afterClose: () => adminQuery(databaseUrl, `drop database if exists ${name}`),
          ...options,
          databaseUrl: url,
          dataDir: os.tmpdir(),
        }),
    };
  },
  async start(options) {
    return (await this.copy()).start(options);
  },
};

/** The embedded database always; a PostGIS server as well when DATABASE_URL is set. */
export const backends: Backend[] = process.env.DATABASE_URL ? [embedded, postgis] : [embedded];
