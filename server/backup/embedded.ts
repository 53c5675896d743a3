import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import { LOCK_FILES, lockDataDir } from '../db/data-dir-lock.js';

const run = promisify(execFile);

/** Where the embedded server keeps its automatic backups, inside the data folder. */
export const BACKUP_FOLDER = 'backups';
/** Entries of the data folder that are not the database. */
const NOT_DATA = new Set([...LOCK_FILES, BACKUP_FOLDER]);

/**
 * A consistent copy of the embedded database as a gzipped tar of its data folder. PGlite
 * is one connection: holding it, no query runs, and after CHECKPOINT every committed
 * change is in the files, so the folder on disk is the database at that instant. Other
 * requests wait the few seconds it takes. Written to a temporary name and renamed, so a
 * crash never leaves a half file under the backup's name.
 */
export async function backupEmbedded(database: DatabaseHandle, file: string): Promise<number> {
  if (!database.dataDir) throw new Error('backupEmbedded needs the embedded database');
  const dataDir = database.dataDir;
  const partial = `${file}.partial`;
  await database.db.connection().execute(async (connection) => {
    await sql`checkpoint`.execute(connection);
    await tar(['--create', '--gzip', '--file', partial, '--directory', dataDir, ...[...NOT_DATA].map((n) => `--exclude=./${n}`), '.']);
  });
  fs.renameSync(partial, file);
  return fs.statSync(file).size;
}

/** Whether a data folder holds no database (only our lock files and backups, or nothing). */
export function isEmptyDataDir(dataDir: string): boolean {
  if (!fs.existsSync(dataDir)) return true;
  return fs.readdirSync(dataDir).every((name) => NOT_DATA.has(name));
}

/**
 * Unpacks a backup into the data folder, holding its lock: into an empty folder, or with
 * `force` over an existing database (its files removed first; the automatic backups in it
 * stay). Throws DataDirBusyError while a server runs on the folder.
 */
export async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<void> {
  const lock = await lockDataDir(dataDir);
  try {
    await checkTarball(file);
    if (!isEmptyDataDir(dataDir)) {
      if (!force) {
        throw new Error(`${dataDir} already holds a database; restore into an empty folder (set MAHALLENAMA_DATA_DIR), or add --force to replace it`);
      }
      for (const name of fs.readdirSync(dataDir)) {
        if (!NOT_DATA.has(name)) fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
      }
    }
    await tar(['--extract', '--gzip', '--file', file, '--directory', dataDir, ...[...NOT_DATA].map((n) => `--exclude=./${n}`)]);
  } finally {
    await lock.release();
  }
}

/** Refuses a file that is not a backup of an embedded database, before anything is touched. */
async function checkTarball(file: string): Promise<void> {
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') {
    throw new Error(`${file} is a backup of a PostGIS server (pg_dump); restore it with DATABASE_URL set to an empty database`);
  }
  const { stdout } = await tar(['--list', '--gzip', '--file', file]).catch(() => ({ stdout: '' }));
  if (!stdout.split('\n').includes('./PG_VERSION')) {
    throw new Error(`${file} is not a backup of the embedded database (made by npm run backup); nothing was changed`);
  }
}

async function tar(args: string[]): Promise<{ stdout: string }> {
  try {
    return await run('tar', args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('tar is not installed (apt-get install tar)');
    throw new Error(`tar failed: ${failure.stderr?.trim() || failure.message}`);
  }
}
