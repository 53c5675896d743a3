import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** A PostgreSQL + PostGIS server; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database. */
  dataDir: string;
  /** Folder of the built client that @fastify/static serves. */
  clientDir: string;
  adminPassword: string | undefined;
  trustProxy: boolean;
}

/** Reads the environment once; everything else receives a Config. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.MAHALLENAMA_DATA_DIR ?? 'data'),
    clientDir: path.resolve('dist/client'),
    adminPassword: env.MAHALLENAMA_ADMIN_PASSWORD || undefined,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
  };
}
