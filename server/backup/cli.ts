import path from 'node:path';
import { parseArgs } from 'node:util';
import { askHolder } from '../admin/channel.js';
import { configFromEnv } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { backupEmbedded, restoreEmbedded } from './embedded.js';
import { backupPostgis, restorePostgis } from './postgis.js';

const USAGE = `npm run backup -- <file>             a consistent copy, while the server keeps serving
npm run restore -- <file> [--force]  into an empty data folder or database (--force replaces one)
Uses DATABASE_URL (pg_dump/pg_restore from postgresql-client), or the embedded database in
MAHALLENAMA_DATA_DIR (default ./data).`;

/**
 * `npm run backup` and `npm run restore` (server/backup/cli.ts backup|restore …). An
 * embedded backup goes through the running server when one holds the data folder; a
 * restore refuses while one does (stop it first).
 */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
const [mode, target] = positionals;
const config = configFromEnv();
try {
  if ((mode !== 'backup' && mode !== 'restore') || !target) throw new Error(USAGE);
  const file = path.resolve(target);
  if (mode === 'backup') {
    console.log(await backup(file));
  } else {
    if (config.databaseUrl) await restorePostgis(config.databaseUrl, file, values.force);
    else await restoreEmbedded(config.dataDir, file, values.force);
    console.log(`restored ${file} into ${config.databaseUrl ? 'the database of DATABASE_URL' : config.dataDir}; start the server`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

async function backup(file: string): Promise<string> {
  const written = (bytes: number) => `wrote ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB)`;
  if (config.databaseUrl) return written(await backupPostgis(config.databaseUrl, file));
  const reply = await askHolder(config.dataDir, { command: 'backup', file });
  if (reply) {
    if (reply.exitCode !== 0) throw new Error(reply.error);
    return reply.output;
  }
  const database = await openDatabase(config);
  try {
    return written(await backupEmbedded(database, file));
  } finally {
    await database.close();
  }
}
