import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { IdParams } from '../../shared/schemas.js';
import { CreateTokenBody, NewToken, TokenList } from '../../shared/auth-schemas.js';
import { notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { newSecret, sha256 } from '../auth/sessions.js';

/** API tokens for scripts and desktop GIS; each acts with its owner's role. */
export const tokenRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.post<{ Body: CreateTokenBody }>('/api/tokens', {
    config: { resource: 'tokens' },
    schema: { body: CreateTokenBody, response: { 201: NewToken } },
    handler: async (request, reply) => {
      const token = newSecret('mn_');
      const row = await db.transaction().execute(async (trx) => {
        const created = await trx
          .insertInto('api_tokens')
          .values({ user_id: request.user!.id, name: request.body.name, token_hash: sha256(token) })
          .returning(['id', 'name'])
          .executeTakeFirstOrThrow();
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'tokens', entityId: created.id, after: created });
        return created;
      });
      // The only time the token is shown: the database keeps its hash.
      return reply.code(201).send({ ...row, token });
    },
  });

  app.get('/api/tokens', {
    config: { resource: 'tokens' },
    schema: { response: { 200: TokenList } },
    handler: async (request) => {
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'created_at', 'last_used_at'])
        .where('user_id', '=', request.user!.id)
        .orderBy('id')
        .execute();
      return {
        items: rows.map((r) => ({
          ...r,
          created_at: new Date(r.created_at).toISOString(),
          last_used_at: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
        })),
      };
    },
  });

  app.delete<{ Params: IdParams }>('/api/tokens/:id', {
    config: { resource: 'tokens' },
    schema: { params: IdParams },
    handler: async (request, reply) => {
      const { id } = request.params;
      await db.transaction().execute(async (trx) => {
        let query = trx.deleteFrom('api_tokens').where('id', '=', id);
        // Admins may revoke anyone's token; others only their own.
        if (request.user!.role !== 'admin') query = query.where('user_id', '=', request.user!.id);
        const deleted = await query.returning(['id', 'name', 'user_id']).executeTakeFirst();
        if (!deleted) throw notFound('token', id);
        await recordAudit(trx, { actor: request.user, action: 'delete', entity: 'tokens', entityId: id, before: deleted });
      });
      return reply.code(204).send();
    },
  });
};
