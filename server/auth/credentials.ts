import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AuthUser } from './sessions.js';

/**
 * What an Authorization header claims. Scripts send `Bearer <token>`; QGIS and GDAL
 * (`GDAL_HTTP_AUTH=BASIC GDAL_HTTP_USERPWD=user:token`) send HTTP Basic with the username
 * and an API token as the password. Account passwords are never accepted here: they are
 * for the sign-in form, which throttles guesses.
 */
export type Credentials =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; token: string }
  | { kind: 'unreadable' };

export function parseAuthorization(header: string): Credentials {
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (space <= 0 || value === '' || /\s/.test(value)) return { kind: 'unreadable' };
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'unreadable' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // RFC 7617: the user-id cannot contain a colon; the password can.
  if (colon <= 0 || colon === decoded.length - 1) return { kind: 'unreadable' };
  return { kind: 'basic', username: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

/** The token's owner, when these credentials may act as them (Basic must name the owner). */
export function userOfCredentials(credentials: Credentials, owner: AuthUser | undefined): AuthUser | undefined {
  if (credentials.kind === 'unreadable' || !owner) return undefined;
  if (credentials.kind === 'basic' && credentials.username !== owner.username) return undefined;
  return owner;
}

const REALM = 'realm="Mahallenama"';

/**
 * WWW-Authenticate for a 401 (RFC 9110 §11.6.1). A browser that sees a Basic challenge
 * answers a fetch() — the app's own, or MapLibre's for a tile — with its own password
 * dialog, over the app's sign-in form. So browsers are offered Bearer only: they say
 * "Mozilla/" in User-Agent, and send Sec-Fetch-Mode where the origin is secure (over plain
 * http on the intranet they do not). GDAL, curl and scripts are offered both. QGIS calls
 * itself Mozilla too, but sends Basic without waiting to be asked, as GDAL does.
 */
export function authenticateChallenge(headers: IncomingHttpHeaders): string {
  const browser = headers['sec-fetch-mode'] !== undefined || headers['user-agent']?.startsWith('Mozilla/');
  return browser ? `Bearer ${REALM}` : `Bearer ${REALM}, Basic ${REALM}, charset="UTF-8"`;
}

/**
 * The outcome of a check already made for a request, by the hot tile path, which then
 * handed the request to Fastify: the guard uses it rather than asking the database again.
 * A wrong or revoked token thus costs one lookup, whichever path answers the 401.
 */
export interface PriorCheck {
  authenticatedBy: 'session' | 'token';
  user: AuthUser | undefined;
}

const priorChecks = new WeakMap<IncomingMessage, PriorCheck>();

export function rememberCheck(request: IncomingMessage, check: PriorCheck): void {
  priorChecks.set(request, check);
}

export function priorCheckOf(request: IncomingMessage): PriorCheck | undefined {
  return priorChecks.get(request);
}
