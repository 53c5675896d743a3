import net from 'node:net';
import os from 'node:os';
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
  /** Proxies whose X-Forwarded-* headers are believed (TRUST_PROXY): addresses and CIDR ranges, or true for any. */
  trustProxy: boolean | string[];
  /** Said once at start (a setting that works but is unsafe). */
  warnings: string[];
  /** Where boundary uploads are expected (see server/boundaries/service-area.ts). */
  serviceArea: string | undefined;
  /** Largest boundary upload in bytes; MAHALLENAMA_UPLOAD_LIMIT_MB in the environment. */
  uploadLimitBytes: number | undefined;
  /** Server processes on the port (MAHALLENAMA_WORKERS: a number, or `auto` for one per CPU). */
  workers: number;
  /** Other origins the map may load a basemap from (see basemapOrigins). */
  basemapOrigins: string[];
  /** A vector MBTiles or PMTiles file served as the offline basemap (MAHALLENAMA_BASEMAP). */
  basemapFile: string | undefined;
  /** Automatic backups of the embedded database: MAHALLENAMA_BACKUP_HOURS (24; 0 turns them off), MAHALLENAMA_BACKUP_KEEP (7). */
  backup: { intervalMs: number; keep: number };
  /** MAHALLENAMA_PREVIEW_HOURS: an upload preview not committed or discarded by then expires (24). */
  previewMaxAgeSeconds: number;
}

/** Reads the environment once; everything else receives a Config. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  const trustProxy = trustedProxies(env.TRUST_PROXY);
  const warnings: string[] = [];
  if (trustProxy === true) {
    warnings.push(
      'TRUST_PROXY=1 believes X-Forwarded-For from anyone who can reach this port, so a client can claim any address ' +
        'and slip past the sign-in throttle; list the proxy instead, e.g. TRUST_PROXY=127.0.0.1 or TRUST_PROXY=10.0.0.0/24',
    );
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.MAHALLENAMA_DATA_DIR ?? 'data'),
    clientDir: path.resolve('dist/client'),
    adminPassword: env.MAHALLENAMA_ADMIN_PASSWORD || undefined,
    trustProxy,
    warnings,
    serviceArea: env.MAHALLENAMA_SERVICE_AREA || undefined,
    uploadLimitBytes: uploadLimit(env.MAHALLENAMA_UPLOAD_LIMIT_MB),
    workers: workerCount(env.MAHALLENAMA_WORKERS),
    basemapOrigins: basemapOrigins(env.VITE_BASEMAP_STYLE_URL, env.MAHALLENAMA_BASEMAP_ORIGINS),
    basemapFile: env.MAHALLENAMA_BASEMAP ? path.resolve(env.MAHALLENAMA_BASEMAP) : undefined,
    backup: {
      intervalMs: hours('MAHALLENAMA_BACKUP_HOURS', env.MAHALLENAMA_BACKUP_HOURS, 24, true) * 3600_000,
      keep: backupKeep(env.MAHALLENAMA_BACKUP_KEEP),
    },
    previewMaxAgeSeconds: hours('MAHALLENAMA_PREVIEW_HOURS', env.MAHALLENAMA_PREVIEW_HOURS, 24, false) * 3600,
  };
}

/** A number of hours (fractions allowed, so a test can ask for seconds); zero only where it means "off". */
function hours(name: string, value: string | undefined, fallback: number, zeroAllowed: boolean): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    throw new Error(`${name} must be a number of hours${zeroAllowed ? ' (0 turns it off)' : ' above 0'}, got "${value}"`);
  }
  return n;
}

function backupKeep(value: string | undefined): number {
  if (value === undefined || value === '') return 7;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`MAHALLENAMA_BACKUP_KEEP must be a whole number from 1 to 1000, got "${value}"`);
  return n;
}

/** Names proxy-addr (Fastify's trustProxy) knows for common ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: unset, 0 or false trusts no proxy; a comma-separated list of addresses, CIDR
 * ranges or loopback/linklocal/uniquelocal trusts those (Fastify then takes the client to be
 * the rightmost address in X-Forwarded-For that is not a trusted proxy); 1 or true trusts
 * anyone, which configFromEnv warns about.
 */
export function trustedProxies(value: string | undefined): boolean | string[] {
  const text = (value ?? '').trim();
  if (text === '' || text === '0' || text === 'false') return false;
  if (text === '1' || text === 'true') return true;
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.includes(entry) && !isAddressOrRange(entry)) {
      throw new Error(`TRUST_PROXY must list the proxies' addresses or CIDR ranges, comma separated (e.g. 127.0.0.1,10.0.0.0/24); "${entry}" is neither`);
    }
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

function uploadLimit(megabytes: string | undefined): number | undefined {
  if (!megabytes) return undefined;
  const value = Number(megabytes);
  if (!(value > 0)) throw new Error(`MAHALLENAMA_UPLOAD_LIMIT_MB must be a positive number, got "${megabytes}"`);
  return Math.round(value * 1024 * 1024);
}

function workerCount(value: string | undefined): number {
  if (!value) return 1;
  if (value === 'auto') return os.availableParallelism();
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new Error(`MAHALLENAMA_WORKERS must be a whole number from 1 to 256, or auto; got "${value}"`);
  }
  return count;
}

/**
 * The origins a basemap loads from, for the Content-Security-Policy: that of the style the
 * client was built with (VITE_BASEMAP_STYLE_URL, which `npm start` sees too), and any
 * others its tiles, glyphs or sprites come from (MAHALLENAMA_BASEMAP_ORIGINS, comma
 * separated), e.g. a tile server elsewhere on the intranet.
 */
export function basemapOrigins(styleUrl: string | undefined, extra: string | undefined): string[] {
  const origins = new Set<string>();
  if (styleUrl && /^https?:\/\//.test(styleUrl)) origins.add(new URL(styleUrl).origin);
  for (const entry of (extra ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (!origin) throw new Error(`MAHALLENAMA_BASEMAP_ORIGINS must list http(s) origins such as https://tiles.example.ir, got "${entry}"`);
    origins.add(origin);
  }
  return [...origins];
}
