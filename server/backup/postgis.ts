import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** `pg_dump -Fc` of the whole database: consistent (one snapshot) while the server keeps serving. */
export async function backupPostgis(databaseUrl: string, file: string): Promise<number> {
  const partial = `${file}.partial`;
  await tool('pg_dump', ['--format=custom', '--no-owner', '--file', partial, '--dbname', databaseUrl]);
  fs.renameSync(partial, file);
  return fs.statSync(file).size;
}

/**
 * Restores a `pg_dump -Fc` file into an empty database, or with `force` into one whose
 * public schema is dropped first. pg_restore runs as one transaction: if anything fails,
 * the database is as it was.
 */
export async function restorePostgis(databaseUrl: string, file: string, force: boolean): Promise<void> {
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== 'PGDMP') {
    throw new Error(`${file} is not a pg_dump backup (made by npm run backup with DATABASE_URL set); an embedded database's backup restores with DATABASE_URL unset`);
  }
  // A damaged file is refused here, before --force drops anything.
  await tool('pg_restore', ['--list', file]);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ tables: number }>(
      `select count(*)::int as tables from pg_tables
       where schemaname not in ('pg_catalog', 'information_schema') and tablename <> 'spatial_ref_sys'`,
    );
    if (rows[0]!.tables > 0 && !force) {
      throw new Error('the database of DATABASE_URL is not empty; restore into an empty database, or add --force to replace its public schema');
    }
    if (force) await client.query('drop schema if exists public cascade; create schema public');
  } finally {
    await client.end();
  }
  await tool('pg_restore', ['--no-owner', '--single-transaction', '--exit-on-error', '--dbname', databaseUrl, file]);
}

async function tool(name: string, args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error(`${name} is not installed: apt-get install postgresql-client (its version at least the server's)`);
    throw new Error(`${name} failed: ${failure.stderr?.trim() || failure.message}`);
  }
}
