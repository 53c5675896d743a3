import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { actionOf, allowedRoles, type Action, type Resource } from './permissions.js';
import type { AuthUser } from './sessions.js';
import type { SessionLookup } from './session-batch.js';
import { parseAuthorization, priorCheckOf, userOfCredentials } from './credentials.js';

export const SESSION_COOKIE = 'mn_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The resource a route reads or writes, checked against PERMISSIONS. */
    resource?: Resource;
    /** Overrides the action implied by the method (a POST that only reads). */
    action?: Action;
    /** Open to anyone: health, login. */
    public?: boolean;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    /** How the user proved who they are; cookie-authenticated writes must come from our origin. */
    authenticatedBy: 'session' | 'token' | null;
  }
}

/**
 * Authenticates every request (session cookie, bearer token, or Basic with a token as the
 * password) and enforces the
 * permission table before any route code runs — before validation too, so a stranger
 * learns nothing about a route's parameters.
 */
export function installAuthGuard(app: FastifyInstance, sessions: SessionLookup): void {
  app.decorateRequest('user', null);
  app.decorateRequest('authenticatedBy', null);

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const path = request.url.split('?')[0]!;
    const guarded = path.startsWith('/api/') || path.startsWith('/tiles/') || path === '/ogc' || path.startsWith('/ogc/');
    // Static files and public routes need no user: no session query on every asset request.
    if (config.public || !guarded) return;
    await authenticate(request, sessions);

    if (!request.user) {
      throw new AppError('unauthorized', 'sign in first (POST /api/auth/login) or send an API token: Authorization: Bearer <token>, or Basic with your username and the token as password');
    }
    const action = config.action ?? actionOf(request.method);
    if (action === 'write' && (request.authenticatedBy === 'session' || sentByBrowserWithBasic(request))) checkOrigin(request);
    // A guarded address with no resource is the not-found handler: signed-in users get its 404.
    if (!config.resource) return;
    const roles = allowedRoles(config.resource, action);
    if (!roles.includes(request.user.role)) {
      throw new AppError(
        'forbidden',
        `${action === 'read' ? 'reading' : 'changing'} ${config.resource} needs the role ${roles.join(' or ')}; you are ${request.user.role}`,
      );
    }
  });
}

async function authenticate(request: FastifyRequest, sessions: SessionLookup): Promise<void> {
  // The hot tile path may have made this very check and handed the request on (hot-path.ts).
  const prior = priorCheckOf(request.raw);
  const header = request.headers.authorization;
  if (header) {
    const user = prior?.authenticatedBy === 'token' ? prior.user : await userOfHeader(header, sessions);
    if (!user) {
      throw new AppError('unauthorized', 'the API token is not valid (or, with Basic, not the named user\'s); create one with POST /api/tokens');
    }
    request.user = user;
    request.authenticatedBy = 'token';
    return;
  }
  const secret = request.cookies[SESSION_COOKIE];
  if (!secret) return;
  const user = prior?.authenticatedBy === 'session' ? prior.user : await sessions.userOf(secret);
  if (user) {
    request.user = user;
    request.authenticatedBy = 'session';
  }
}

/** The user an Authorization header acts as (an API token's owner), if any. */
export async function userOfHeader(header: string, sessions: SessionLookup): Promise<AuthUser | undefined> {
  const credentials = parseAuthorization(header);
  // An unreadable header never reaches the database.
  if (credentials.kind === 'unreadable') return undefined;
  return userOfCredentials(credentials, await sessions.userOfToken(credentials.token));
}

/**
 * A browser that once took Basic credentials (typed into a user:token@host address) sends
 * them by itself, as it sends a cookie; it also sends Origin on every cross-site write, which
 * scripts and GIS do not. So a Basic write with an Origin or Referer must be from our site.
 */
function sentByBrowserWithBasic(request: FastifyRequest): boolean {
  const scheme = request.headers.authorization?.slice(0, 6).toLowerCase();
  return scheme === 'basic ' && (request.headers.origin !== undefined || request.headers.referer !== undefined);
}

/**
 * A cookie is sent by the browser whoever made the page, so a write authenticated by
 * one must show it comes from a page of ours: its Origin (or, failing that, Referer)
 * must be this server.
 */
function checkOrigin(request: FastifyRequest): void {
  const claimed = request.headers.origin ?? request.headers.referer;
  const ours = new URL(`${request.protocol}://${request.host}`).origin;
  let theirs: string | undefined;
  try {
    theirs = claimed ? new URL(claimed).origin : undefined;
  } catch {
    theirs = undefined;
  }
  if (theirs !== ours) {
    throw new AppError('forbidden', `writes signed in by cookie must come from this site (${ours}); the request came from ${claimed ?? 'an unknown origin'}`);
  }
}
