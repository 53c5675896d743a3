import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PreparingClient } from './prepared.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';

export type DatabaseKind = 'postgis' | 'embedded';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Whether ST_AsMVT works here (it does not in the embedded PostGIS, built without protobuf). */
  hasMvt: boolean;
  postgisVersion: string;
  /** The embedded data folder's lock, held until close(); its socket is the admin channel. */
  lock?: DataDirLock;
  /** The embedded data folder (absent on a PostGIS server). */
  dataDir?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
}

/** PostgreSQL + PostGIS when a URL is given, otherwise the embedded PGlite + PostGIS. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return describe(openServerDatabase(options.databaseUrl), 'postgis');
  // Two processes on one PGlite folder corrupt it for good: every opener takes the lock first.
  const lock = await lockDataDir(options.dataDir);
  try {
    const db = await openEmbeddedDatabase(options.dataDir);
    return await describe(db, 'embedded', { lock, dataDir: options.dataDir });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function describe(
  db: Kysely<Database>,
  kind: DatabaseKind,
  embedded?: { lock: DataDirLock; dataDir: string },
): Promise<DatabaseHandle> {
  try {
    await sql`create extension if not exists postgis`.execute(db);
    const { rows } = await sql<{ version: string }>`select postgis_lib_version() as version`.execute(db);
    const postgisVersion = rows[0]!.version;
    const hasMvt = await detectMvt(db);
    const close = async () => {
      try {
        await db.destroy();
      } finally {
        await embedded?.lock.release();
      }
    };
    return { db, kind, hasMvt, postgisVersion, ...embedded, close };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

function openServerDatabase(databaseUrl: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, Client: PreparingClient });
  // An idle connection dropped by the server (restart, failover) must not end the process;
  // the pool opens a new one on the next query.
  pool.on('error', (error) => console.error(`database connection lost: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

async function openEmbeddedDatabase(dataDir: string): Promise<Kysely<Database>> {
  // Imported lazily: the WebAssembly PostgreSQL is large and a server deployment never needs it.
  const [{ PGlite }, { postgis }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: { postgis, pg_trgm } });
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
}

async function detectMvt(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select ST_AsMVT(t) from (select 1 as id, ST_AsMVTGeom(ST_Point(0, 0, 3857), ST_TileEnvelope(0, 0, 0)) as geom) t`.execute(db);
    return true;
  } catch {
    // "compiled without protobuf-c support": the JavaScript encoder takes over.
    return false;
  }
}
