import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import { CreateUserBody, UpdateUserBody, User, UserList } from '../../shared/auth-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { createUser, findUser, listUsers, updateUser, usernameTaken } from './queries.js';

export const userRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api/users', {
    config: { resource: 'users' },
    schema: { response: { 200: UserList } },
    handler: async () => ({ items: await listUsers(db) }),
  });

  app.post<{ Body: CreateUserBody }>('/api/users', {
    config: { resource: 'users' },
    schema: { body: CreateUserBody, response: { 201: User, 409: ErrorResponse } },
    handler: async (request, reply) => {
      const user = await db.transaction().execute(async (trx) => {
        if (await usernameTaken(trx, request.body.username)) {
          throw new AppError('conflict', `the username ${request.body.username} is taken`);
        }
        const created = await createUser(trx, request.body);
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'users', entityId: created.id, after: created });
        return created;
      });
      return reply.code(201).send(user);
    },
  });

  app.patch<{ Params: IdParams; Body: UpdateUserBody }>('/api/users/:id', {
    config: { resource: 'users' },
    schema: { params: IdParams, body: UpdateUserBody, response: { 200: User, 404: ErrorResponse } },
    handler: async (request) => {
      const { id } = request.params;
      return db.transaction().execute(async (trx) => {
        const before = await findUser(trx, id);
        if (!before) throw notFound('user', id);
        if (id === request.user!.id && (request.body.disabled || (request.body.role && request.body.role !== 'admin'))) {
          throw new AppError('conflict', 'you cannot disable yourself or drop your own admin role; ask another admin');
        }
        const after = (await updateUser(trx, id, request.body))!;
        const { password, ...visible } = request.body;
        await recordAudit(trx, {
          actor: request.user,
          action: 'update',
          entity: 'users',
          entityId: id,
          before,
          after: { ...after, ...(password !== undefined ? { password: 'changed' } : {}), changed: Object.keys(visible) },
        });
        return after;
      });
    },
  });
};
