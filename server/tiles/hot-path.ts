import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowedRoles } from '../auth/permissions.js';
import type { SessionLookup } from '../auth/session-batch.js';
import type { AuthUser } from '../auth/sessions.js';
import { parseAuthorization, rememberCheck, userOfCredentials, type PriorCheck } from '../auth/credentials.js';
import { MAX_TILE_ZOOM } from '../../shared/tiles-schemas.js';
import { tileHeaders, type TileAnswers } from './answers.js';
import { findTileLayer } from './layers.js';
import { isValidTile } from './tile-math.js';
import { acceptsGzip } from '../http/accept-encoding.js';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Takes the request and answers it, or hands it to `fallback` (Fastify) untouched. False
 * when it does not take it at all.
 */
export type HotTilePath = (request: IncomingMessage, response: ServerResponse, fallback: RequestHandler) => boolean;

export interface HotTilePathOptions {
  answers: TileAnswers;
  sessions: SessionLookup;
  sessionCookie: string;
  /** Fastify's cookie parser, so that both paths read the same session from a header. */
  parseCookie: (header: string) => Record<string, string | undefined>;
}

const TILE_PATH = /^\/tiles\/([a-z_]{1,40})\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.mvt$/;

/**
 * The one answer the map asks for thousands of times a second: a cached tile, current,
 * to a signed-in user (session cookie) or a desktop GIS (API token, Bearer or Basic). Fastify's routing, hooks and reply cost as much per request as
 * the whole of this (bench/tiles.ts measured half the throughput through Fastify), so it
 * is answered here, straight on node:http, with the very checks the guard and the tile
 * route make: the same session lookup and permission table, the same TileAnswers.
 *
 * Anything else goes to Fastify unanswered, which then does the whole work itself: a
 * tile to render, no or an ended session, a wrong token, a role without tiles, an invalid
 * address, HEAD, a failed database read. So every error and every edge case has one
 * implementation, the route's. When this path has already looked the credentials up, it
 * leaves the outcome on the request for the guard (auth/credentials.ts), so a wrong token
 * costs one lookup, not two.
 *
 * What these answers lack: they are not in Fastify's request log.
 */
export function hotTilePath(options: HotTilePathOptions): HotTilePath {
  const { answers, sessions } = options;
  const readers = new Set(allowedRoles('tiles', 'read'));

  return (request, response, fallback) => {
    if (request.method !== 'GET') return false;
    const match = TILE_PATH.exec(request.url!);
    if (!match) return false;
    const layer = findTileLayer(match[1]!);
    const tile = { z: Number(match[2]), x: Number(match[3]), y: Number(match[4]) };
    if (!layer || !isValidTile(tile.z, tile.x, tile.y, MAX_TILE_ZOOM) || !answers.holds(layer, tile)) return false;
    const check = checkCredentials(request);
    if (!check) return false;

    const arrivedAt = performance.now();
    // The credential check also reads the layer revisions (app.ts), so the answer that
    // follows it needs no query of its own. Nothing is sent before the session or token
    // is known to be valid and allowed to read tiles.
    check
      .then(async (prior) => {
        // Should Fastify have to answer after all, its guard takes this check as its own.
        rememberCheck(request, prior);
        const user = prior.user;
        if (!user || !readers.has(user.role)) return fallback(request, response);
        const answer = await answers.answer(layer, tile, request.headers['if-none-match'], arrivedAt, false, acceptsGzip(request.headers['accept-encoding']));
        if (!answer) return fallback(request, response);
        response.writeHead(answer.status, tileHeaders(answer));
        response.end(answer.status === 200 ? answer.bytes : undefined);
      })
      // Fastify tries again and answers the error its own way.
      .catch(() => fallback(request, response));
    return true;
  };

  /** The guard's check of this request's credentials, or undefined to leave it to the guard. */
  function checkCredentials(request: IncomingMessage): Promise<PriorCheck> | undefined {
    const header = request.headers.authorization;
    // As the guard: an Authorization header is the credential, whatever cookie comes along.
    if (header) {
      const credentials = parseAuthorization(header);
      if (credentials.kind === 'unreadable') return undefined;
      return sessions.userOfToken(credentials.token).then((owner): PriorCheck => ({
        authenticatedBy: 'token',
        user: userOfCredentials(credentials, owner),
      }));
    }
    const cookieHeader = request.headers.cookie;
    const secret = cookieHeader ? options.parseCookie(cookieHeader)[options.sessionCookie] : undefined;
    if (!secret) return undefined;
    return sessions.userOf(secret).then((user: AuthUser | undefined): PriorCheck => ({ authenticatedBy: 'session', user }));
  }
}
