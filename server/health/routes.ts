import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { Health } from '../../shared/schemas.js';
import type { DatabaseHandle } from '../db/connect.js';

export const healthRoutes: FastifyPluginAsync<{ database: DatabaseHandle }> = async (app, { database }) => {
  app.get('/api/health', {
    config: { public: true },
    schema: { response: { 200: Health } },
    handler: async () => {
      // A real round trip, so a dead database shows here and not only in the logs.
      await sql`select 1`.execute(database.db);
      return { status: 'ok' as const, database: { kind: database.kind, postgis: database.postgisVersion } };
    },
  });
};
