import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { SearchQuery, SearchResults } from '../../shared/search-schemas.js';
import { search } from './queries.js';

export const searchRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get<{ Querystring: SearchQuery }>('/api/search', {
    config: { resource: 'neighbourhoods' },
    schema: { querystring: SearchQuery, response: { 200: SearchResults, 400: ErrorResponse } },
    handler: async (request) => ({ items: await search(db, request.query.q, request.query.limit ?? 10) }),
  });
};
