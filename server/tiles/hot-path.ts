import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowedRoles } from '../auth/permissions.js';
import type { SessionLookup } from '../auth/session-batch.js';
import { MAX_TILE_ZOOM } from '../../shared/tiles-schemas.js';
import { tileHeaders, type TileAnswers } from './answers.js';
import { findTileLayer } from './layers.js';
import { isValidTile } from './tile-math.js';

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
 * to a signed-in user. Fastify's routing, hooks and reply cost as much per request as
 * the whole of this (bench/tiles.ts measured half the throughput through Fastify), so it
 * is answered here, straight on node:http, with the very checks the guard and the tile
 * route make: the same session lookup and permission table, the same TileAnswers.
 *
 * Anything else goes to Fastify unanswered, which then does the whole work itself: a
 * tile to render, a bearer token, no or an ended session, a role without tiles, an
 * invalid address, HEAD, a failed database read. So every error and every edge case has
 * one implementation, the route's.
 *
 * What these answers lack: they are not in Fastify's request log.
 */
export function hotTilePath(options: HotTilePathOptions): HotTilePath {
  const { answers, sessions } = options;
  const readers = new Set(allowedRoles('tiles', 'read'));

  return (request, response, fallback) => {
    if (request.method !== 'GET' || request.headers.authorization) return false;
    const match = TILE_PATH.exec(request.url!);
    if (!match) return false;
    const layer = findTileLayer(match[1]!);
    const tile = { z: Number(match[2]), x: Number(match[3]), y: Number(match[4]) };
    if (!layer || !isValidTile(tile.z, tile.x, tile.y, MAX_TILE_ZOOM) || !answers.holds(layer, tile)) return false;
    const cookieHeader = request.headers.cookie;
    const secret = cookieHeader ? options.parseCookie(cookieHeader)[options.sessionCookie] : undefined;
    if (!secret) return false;

    const arrivedAt = performance.now();
    // The session check also reads the layer revisions (app.ts), so the answer that
    // follows it needs no query of its own. Nothing is sent before the session is known
    // to be live and allowed to read tiles.
    sessions
      .userOf(secret)
      .then(async (user) => {
        if (!user || !readers.has(user.role)) return fallback(request, response);
        const answer = await answers.answer(layer, tile, request.headers['if-none-match'], arrivedAt, false);
        if (!answer) return fallback(request, response);
        response.writeHead(answer.status, tileHeaders(answer));
        response.end(answer.status === 200 ? answer.bytes : undefined);
      })
      // Fastify tries again and answers the error its own way.
      .catch(() => fallback(request, response));
    return true;
  };
}
