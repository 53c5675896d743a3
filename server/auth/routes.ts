import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { LoginBody, Me } from '../../shared/auth-schemas.js';
import { AppError } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { createSession, endSession } from './sessions.js';
import { SESSION_COOKIE } from './guard.js';
import { PairQueue, recordFailure, settleFailures, throttleWait, type LoginLimits } from './throttle.js';

export type { LoginLimits } from './throttle.js';

const WRONG = 'username or password is wrong';

export const authRoutes: FastifyPluginAsync<{ db: Kysely<Database>; limits: LoginLimits }> = async (app, { db, limits }) => {
  const queue = new PairQueue();
  app.post<{ Body: LoginBody }>('/api/auth/login', {
    config: { public: true },
    schema: { body: LoginBody, response: { 200: Me, 401: ErrorResponse, 429: ErrorResponse } },
    handler: async (request, reply) => {
      const { username, password } = request.body;
      // request.ip is the client as TRUST_PROXY sees it: a spoofed X-Forwarded-For counts only behind a trusted proxy.
      const address = request.ip;
      const user = await queue.run(`${username}\n${address}`, async () => {
        const refusal = await throttleWait(db, username, address, limits);
        if (refusal) {
          reply.header('retry-after', String(refusal.seconds));
          throw new AppError('too_many_requests', refusal.message);
        }
        const found = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
        // The same scrypt work whether or not the user exists, so timing does not tell.
        const ok = await verifyPassword(password, found?.password_hash ?? (await dummyPasswordHash()));
        if (!found || !ok || found.disabled) {
          await db.transaction().execute(async (trx) => {
            await recordFailure(trx, username, address);
            await recordAudit(trx, { actor: { username }, action: 'login_failed', entity: 'session', address });
          });
          throw new AppError('unauthorized', WRONG);
        }
        return found;
      });
      const secret = await db.transaction().execute(async (trx) => {
        // First: the session's times are now(), the start of this transaction.
        const created = await createSession(trx, user.id);
        await settleFailures(trx, username, address);
        await recordAudit(trx, { actor: user, action: 'login', entity: 'session', entityId: user.id, address });
        return created;
      });
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
      await db.transaction().execute(async (trx) => {
        if (secret) await endSession(trx, secret);
        await recordAudit(trx, { actor: request.user, action: 'logout', entity: 'session', entityId: request.user?.id ?? null });
      });
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
