import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { LoginBody, Me } from '../../shared/auth-schemas.js';
import { AppError } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { createSession, endSession } from './sessions.js';
import { SESSION_COOKIE } from './guard.js';

export interface LoginLimits {
  /** Failed logins allowed per username, and per client address, within the window. */
  perUser: number;
  perAddress: number;
  windowSeconds: number;
}

const WRONG = 'username or password is wrong';

export const authRoutes: FastifyPluginAsync<{ db: Kysely<Database>; limits: LoginLimits }> = async (app, { db, limits }) => {
  app.post<{ Body: LoginBody }>('/api/auth/login', {
    config: { public: true },
    schema: { body: LoginBody, response: { 200: Me, 401: ErrorResponse, 429: ErrorResponse } },
    handler: async (request, reply) => {
      const { username, password } = request.body;
      const address = request.ip;
      await refuseIfTooManyFailures(db, username, address, limits);

      const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      // The same scrypt work whether or not the user exists, so timing does not tell.
      const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !ok || user.disabled) {
        await db.insertInto('login_failures').values({ username, address }).execute();
        throw new AppError('unauthorized', WRONG);
      }
      await db.deleteFrom('login_failures').where('username', '=', username).execute();
      const secret = await createSession(db, user.id);
      await recordAudit(db, { actor: user, action: 'login', entity: 'session', entityId: user.id });
      reply.setCookie(SESSION_COOKIE, secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
      });
      return { id: user.id, username: user.username, role: user.role };
    },
  });

  app.post('/api/auth/logout', {
    config: { resource: 'session' },
    schema: { response: { 204: { type: 'null' } } },
    handler: async (request, reply) => {
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) await endSession(db, secret);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  app.get('/api/auth/me', {
    config: { resource: 'session' },
    schema: { response: { 200: Me } },
    handler: async (request) => request.user!,
  });
};

async function refuseIfTooManyFailures(db: Kysely<Database>, username: string, address: string, limits: LoginLimits) {
  const since = sql<Date>`now() - make_interval(secs => ${limits.windowSeconds})`;
  const row = await db
    .selectFrom('login_failures')
    .select([
      sql<number>`count(*) filter (where username = ${username})::int`.as('by_user'),
      sql<number>`count(*) filter (where address = ${address})::int`.as('by_address'),
    ])
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (row.by_user >= limits.perUser || row.by_address >= limits.perAddress) {
    throw new AppError('too_many_requests', `too many failed sign-ins; wait ${Math.ceil(limits.windowSeconds / 60)} minutes and try again`);
  }
}
