import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse } from '../../shared/schemas.js';
import { Programme, ProgrammeList, SlugParams } from '../../shared/coverage-schemas.js';
import { notFound } from '../errors.js';
import { findProgrammeBySlug, listProgrammes } from './queries.js';

export const programmeRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api/programmes', {
    config: { resource: 'programmes' },
    schema: { response: { 200: ProgrammeList } },
    handler: async () => ({ items: await listProgrammes(db) }),
  });

  app.get<{ Params: SlugParams }>('/api/programmes/:slug', {
    config: { resource: 'programmes' },
    schema: { params: SlugParams, response: { 200: Programme, 404: ErrorResponse } },
    handler: async (request) => {
      const programme = await findProgrammeBySlug(db, request.params.slug);
      if (!programme) throw notFound('programme', request.params.slug);
      return programme;
    },
  });
};
