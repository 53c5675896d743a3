import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../server/app.js';
import { ADMIN_PASSWORD } from './clients.js';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplateDir: string;
    postgisTemplateDb: string | null;
  }
}

/**
 * Migrates and seeds each backend once; every test file then starts from a copy:
 * a copied data folder for the embedded database, `CREATE DATABASE … TEMPLATE` on
 * the PostGIS server. Copies take a second or two instead of a full seed each.
 */
export default async function setup(project: TestProject) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-tests-'));
  const embeddedTemplateDir = path.join(root, 'embedded-template');
  const embedded = await buildApp({ dataDir: embeddedTemplateDir, adminPassword: ADMIN_PASSWORD });
  await embedded.close();
  project.provide('embeddedTemplateDir', embeddedTemplateDir);

  let postgisTemplateDb: string | null = null;
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    postgisTemplateDb = `mahallenama_test_template_${process.pid}`;
    await adminQuery(databaseUrl, `drop database if exists ${postgisTemplateDb}`);
    await adminQuery(databaseUrl, `create database ${postgisTemplateDb}`);
    const server = await buildApp({ databaseUrl: withDatabase(databaseUrl, postgisTemplateDb), dataDir: root, adminPassword: ADMIN_PASSWORD });
    await server.close();
  }
  project.provide('postgisTemplateDb', postgisTemplateDb);

  return async () => {
    if (databaseUrl && postgisTemplateDb) await adminQuery(databaseUrl, `drop database if exists ${postgisTemplateDb}`);
    fs.rmSync(root, { recursive: true, force: true });
  };
}

export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(databaseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
