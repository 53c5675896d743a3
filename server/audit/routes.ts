import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AuditList, AuditQuery } from '../../shared/auth-schemas.js';

export const auditRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get<{ Querystring: AuditQuery }>('/api/audit', {
    config: { resource: 'audit' },
    schema: { querystring: AuditQuery, response: { 200: AuditList } },
    handler: async (request) => {
      const { entity, user, from, to, limit } = request.query;
      let query = db
        .selectFrom('audit_log')
        .select(['id', 'at', 'username', 'action', 'entity', 'entity_id', 'before', 'after', 'address'])
        .orderBy('id', 'desc')
        .limit(limit ?? 200);
      if (entity) query = query.where('entity', '=', entity);
      if (user) query = query.where('username', '=', user);
      if (from) query = query.where('at', '>=', sql<Date>`${from}::date`);
      // "to" is a whole day: everything before the next midnight.
      if (to) query = query.where('at', '<', sql<Date>`${to}::date + 1`);
      const rows = await query.execute();
      return {
        items: rows.map(({ username, at, ...row }) => ({ ...row, user: username, at: new Date(at).toISOString() })),
      };
    },
  });
};
