import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { openDatabase, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { seedIfEmpty } from './db/seed.js';
import { AppError, ERROR_STATUS, type ErrorCode } from './errors.js';
import { PATTERN_MEANINGS } from '../shared/primitives.js';
import { healthRoutes } from './health/routes.js';
import { neighbourhoodRoutes } from './neighbourhoods/routes.js';
import { countyRoutes } from './counties/routes.js';
import { tileRoutes } from './tiles/routes.js';
import { recordArrivals } from './tiles/revisions.js';
import { installAuthGuard, SESSION_COOKIE } from './auth/guard.js';
import { authenticateChallenge } from './auth/credentials.js';
import { lookUpSessions, SessionLookup } from './auth/session-batch.js';
import { TileAnswers } from './tiles/answers.js';
import { hotTilePath, type HotTilePath } from './tiles/hot-path.js';
import { authRoutes } from './auth/routes.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './auth/throttle.js';
import { userRoutes } from './users/routes.js';
import { ensureFirstAdmin } from './users/queries.js';
import { tokenRoutes } from './tokens/routes.js';
import { auditRoutes } from './audit/routes.js';
import { installAuditHooks } from './audit/record.js';
import { programmeRoutes } from './programmes/routes.js';
import { coverageRoutes } from './coverage/routes.js';
import { agencyRoutes } from './agencies/routes.js';
import { problemRoutes } from './problems/routes.js';
import { interventionRoutes } from './interventions/routes.js';
import { networkRoutes } from './networks/routes.js';
import { stageRoutes } from './stages/routes.js';
import { boundaryRoutes } from './boundaries/routes.js';
import { parseServiceArea } from './boundaries/service-area.js';
import { searchRoutes } from './search/routes.js';
import { ogcRoutes } from './ogc/routes.js';
import { openApiRoutes, registerOpenApi } from './openapi/routes.js';
import { installCompression } from './http/compression.js';
import { installEtags } from './http/etag.js';
import { serveClientFiles } from './http/client-files.js';
import { basemapRoutes } from './basemap/routes.js';
import { openBasemap } from './basemap/archive.js';
import { sweepPreviews } from './boundaries/expiry.js';
import { serveAdminChannel } from './admin/channel.js';
import { runAdminRequest } from './admin/commands.js';
import { scheduleBackups, type BackupSchedule } from './backup/schedule.js';
import { layerRoutes } from './layers/routes.js';
import { indicatorRoutes } from './indicators/routes.js';

export interface AppOptions {
  /** PostgreSQL + PostGIS server; without it the embedded database in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Built client to serve; skipped when the folder does not exist. */
  clientDir?: string;
  /** Seed data loaded into an empty database. */
  geodataDir?: string;
  logger?: boolean;
  /** Password of the first admin, created when there are no users (random and printed when absent). */
  adminPassword?: string | undefined;
  /** A session ends after this long without a request. */
  sessionIdleSeconds?: number;
  loginLimits?: Partial<LoginLimits>;
  /**
   * Behind a reverse proxy: the proxies whose X-Forwarded-* headers to trust (addresses or
   * CIDR ranges; the client is the rightmost address not in the list), or true for any.
   */
  trustProxy?: boolean | string[];
  /** Memory for hot vector tiles, in bytes (64 MiB when absent; 0 turns the tile cache off). */
  tileCacheBytes?: number;
  /** Where boundary uploads are expected: counties (default), iran, none, bbox:W,S,E,N or a .geojson file. */
  serviceArea?: string | undefined;
  /** Largest boundary upload, in bytes (200 MB when absent). */
  uploadLimitBytes?: number | undefined;
  /** Origins besides ours that the map may load its basemap from (style, tiles, glyphs, sprites). */
  basemapOrigins?: string[];
  /** An MBTiles or PMTiles file of vector tiles to serve as the basemap (MAHALLENAMA_BASEMAP). */
  basemapFile?: string | undefined;
  /** Automatic backups of the embedded database (none when absent; main.ts sets a daily one). */
  backup?: BackupSchedule | undefined;
  /** A boundary upload preview not committed or discarded within this long expires (a day when absent). */
  previewMaxAgeSeconds?: number | undefined;
  /** Runs after the database is closed (tests drop their copy here). */
  afterClose?: () => Promise<void>;
}

export interface RouteSummary {
  method: string;
  url: string;
  config: { resource?: string; action?: string; public?: boolean };
  /** The route's request schemas, so a test can make requests that come close to valid. */
  schema: { params?: unknown; querystring?: unknown; body?: unknown };
}

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
    /** Every route, for the permission walk in the tests and for operators. */
    routeList: RouteSummary[];
  }
}

/**
 * Builds the whole server: database (migrated and seeded), error handling, routes and
 * the static client. main.ts listens; tests call app.inject().
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // A wrong basemap file stops the start before anything else is opened, saying what is wrong.
  const basemap = options.basemapFile ? await openBasemap(options.basemapFile) : undefined;
  const database = await openDatabase(options);
  try {
    await prepareDatabase(database, options);
  } catch (error) {
    await database.close();
    throw error;
  }

  // Cached tiles are answered before Fastify (tiles/hot-path.ts), set up once the cookie
  // parser is registered; every other request goes to Fastify as usual.
  let hotTiles: HotTilePath | undefined;
  const app = Fastify({
    serverFactory: (handler, fastifyOptions) => {
      const server = http.createServer((request, response) => {
        if (!hotTiles?.(request, response, handler)) handler(request, response);
      });
      // What Fastify sets on a server it makes itself (its defaults are filled in by now).
      server.keepAliveTimeout = Number(fastifyOptions.keepAliveTimeout);
      server.requestTimeout = Number(fastifyOptions.requestTimeout);
      server.setTimeout(Number(fastifyOptions.connectionTimeout));
      return server;
    },
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Query strings like ?county=3 arrive as strings; the schemas coerce them.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  });
  app.decorate('database', database);
  const routeList: RouteSummary[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const { params, querystring, body } = route.schema ?? {};
      routeList.push({ method, url: route.url, config: (route.config ?? {}) as RouteSummary['config'], schema: { params, querystring, body } });
    }
  });
  const log = (message: string) => app.log.info(message);
  // The embedded folder's lock socket takes `npm run user` and `npm run backup` meanwhile.
  if (database.lock) serveAdminChannel(database.lock, (request) => runAdminRequest(database, request));
  const stopBackups = options.backup ? scheduleBackups(database, options.backup, log) : async () => {};
  const previewMaxAge = options.previewMaxAgeSeconds ?? 24 * 3600;
  const previews = sweepPreviews(database.db, previewMaxAge, Math.min(previewMaxAge * 1000, 3600_000), log);
  await previews.first;
  app.addHook('onClose', async () => {
    basemap?.close();
    previews.stop();
    await stopBackups();
    await database.close();
    await options.afterClose?.();
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `no such address: ${request.method} ${request.url.split('?')[0]}` });
  });

  await app.register(fastifyCookie);
  const basemapOrigins = options.basemapOrigins ?? [];
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // MapLibre runs its workers from a same-origin script and hands them blob: URLs.
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', ...basemapOrigins],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        // Nothing else may be fetched: the app works offline, and a basemap elsewhere on the
        // intranet is allowed only when configured.
        connectSrc: ["'self'", ...basemapOrigins],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Intranet installations often serve plain http: do not force https.
        upgradeInsecureRequests: null,
      },
    },
  });
  recordArrivals(app);
  // Before the routes: both work through hooks added to each route as it is registered.
  installEtags(app);
  await installCompression(app);
  const sessionIdleSeconds = options.sessionIdleSeconds ?? 8 * 3600;
  const tileAnswers = new TileAnswers(database, options.tileCacheBytes ?? 64 * 1024 * 1024);
  const sessions = new SessionLookup((hashes) => {
    // The session check reads the layer revisions in the same query: a tile request then
    // finds a revision read sent after it arrived and sends none of its own.
    const sentAt = performance.now();
    const check = lookUpSessions(database.db, hashes, sessionIdleSeconds);
    tileAnswers.offerRevisions(sentAt, check.then((c) => c.revisions));
    return check.then((c) => c.users);
  });
  installAuthGuard(app, sessions);
  installAuditHooks(app, database.db);
  hotTiles = hotTilePath({ answers: tileAnswers, sessions, sessionCookie: SESSION_COOKIE, parseCookie: app.parseCookie });

  const db = database.db;
  await registerOpenApi(app);
  await app.register(openApiRoutes);
  await app.register(healthRoutes, { database });
  await app.register(authRoutes, {
    db,
    limits: { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits },
  });
  await app.register(userRoutes, { db });
  await app.register(tokenRoutes, { db });
  await app.register(auditRoutes, { db });
  await app.register(neighbourhoodRoutes, { db });
  await app.register(countyRoutes, { db });
  await app.register(searchRoutes, { db });
  await app.register(basemapRoutes, { basemap });
  await app.register(tileRoutes, { database, answers: tileAnswers });
  await app.register(programmeRoutes, { db });
  await app.register(coverageRoutes, { db });
  await app.register(agencyRoutes, { db });
  await app.register(problemRoutes, { db });
  await app.register(interventionRoutes, { db });
  await app.register(networkRoutes, { db });
  await app.register(stageRoutes, { db });
  await app.register(boundaryRoutes, { db, serviceArea: parseServiceArea(options.serviceArea), uploadLimitBytes: options.uploadLimitBytes });
  await app.register(ogcRoutes, { db });
  await app.register(layerRoutes, { db, uploadLimitBytes: options.uploadLimitBytes });
  await app.register(indicatorRoutes, { db });

  if (options.clientDir && fs.existsSync(options.clientDir)) {
    await serveClientFiles(app, options.clientDir);
  }
  return app;
}

/**
 * Brings the database up to date: migrations, seed data when it is empty, the first
 * admin when there are no users. buildApp runs it; so does serve() once, before it starts
 * several server processes, so that they never race to do it.
 */
export async function prepareDatabase(database: DatabaseHandle, options: Pick<AppOptions, 'geodataDir' | 'adminPassword'>): Promise<void> {
  await migrateToLatest(database.db);
  await seedIfEmpty(database.db, options.geodataDir ?? path.resolve('geodata'));
  const admin = await ensureFirstAdmin(database.db, options.adminPassword);
  if (admin.generatedPassword) {
    console.log(`First start: created the user "admin" with the password ${admin.generatedPassword} — sign in and change it.`);
  }
}

function errorHandler(this: FastifyInstance, error: FastifyError | AppError, request: FastifyRequest, reply: import('fastify').FastifyReply) {
  // Every 401 says how to authenticate (RFC 9110 §15.5.2).
  if (error.statusCode === 401) reply.header('www-authenticate', authenticateChallenge(request.headers));
  if (error instanceof AppError) {
    return reply.code(error.statusCode).send({ error: error.code, message: error.message, ...error.details });
  }
  if (error.validation) {
    const issue = error.validation[0];
    const field = issue?.instancePath.replace(/^\//, '').replaceAll('/', '.') ||
      (issue?.params as { missingProperty?: string; additionalProperty?: string } | undefined)?.missingProperty ||
      (issue?.params as { additionalProperty?: string } | undefined)?.additionalProperty || '';
    const where = error.validationContext ?? 'request';
    // An enum names its allowed values, so the message says what would have been accepted.
    const allowed = (issue?.params as { allowedValues?: unknown[] } | undefined)?.allowedValues;
    // Our own patterns (shared/primitives.ts) say what they mean rather than show a regular expression.
    const meaning = PATTERN_MEANINGS[(issue?.params as { pattern?: string } | undefined)?.pattern ?? ''];
    const detail = meaning ?? `${issue?.message ?? 'is invalid'}${allowed ? `: ${allowed.join(', ')}` : ''}`;
    const message = field ? `${field} (${where}) ${detail}` : `${where} ${detail}`;
    return reply.code(400).send({ error: 'invalid_request', message });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? 'invalid_request') as ErrorCode;
    return reply.code(status).send({ error: code, message: error.message });
  }
  // Never leak a stack trace or SQL to the client; the log keeps the details.
  request.log.error(error);
  return reply.code(500).send({ error: 'internal', message: 'internal error; the server log has the details' });
}
