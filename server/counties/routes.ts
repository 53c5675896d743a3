import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { CountyCollection } from '../../shared/schemas.js';
import { countiesGeoJson } from './queries.js';
import { sendGeoPackage } from '../exports/reply.js';

export const countyRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api/counties', {
    config: { resource: 'counties' },
    schema: { response: { 200: CountyCollection } },
    handler: async (_request, reply) => {
      return reply.type('application/geo+json; charset=utf-8').send(await countiesGeoJson(db));
    },
  });

  app.get('/api/counties.gpkg', {
    config: { resource: 'counties' },
    handler: async (_request, reply) =>
      sendGeoPackage(reply, 'counties.gpkg', await countiesGeoJson(db), 'counties', 'Counties of Kerman province'),
  });
};
