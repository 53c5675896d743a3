import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import { NeighbourhoodStage, StageReviewBody, StageTable, StagesQuery } from '../../shared/method-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { requireIds } from '../db/references.js';
import { clearReview, markReviewed, neighbourhoodStage, stageTable } from './queries.js';

/**
 * The three stages of the method, tracked per neighbourhood: the province table, and the
 * planner's mark that a neighbourhood's problem identification is reviewed (stage 1 done).
 */
export const stageRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get<{ Querystring: StagesQuery }>('/api/stages', {
    config: { resource: 'stages' },
    schema: { querystring: StagesQuery, response: { 200: StageTable, 400: ErrorResponse } },
    handler: async (request) => {
      const { county, stage } = request.query;
      if (county !== undefined) await requireIds(db, 'counties', [county], 'county (querystring)');
      return stageTable(db, { countyId: county, stage });
    },
  });

  app.get<{ Params: IdParams }>('/api/stages/:id', {
    config: { resource: 'stages' },
    schema: { params: IdParams, response: { 200: NeighbourhoodStage, 404: ErrorResponse } },
    handler: async (request) => {
      const stage = await neighbourhoodStage(db, request.params.id);
      if (!stage) throw notFound('neighbourhood', request.params.id);
      return stage;
    },
  });

  // PUT: the mark is set or cleared as a whole; repeating the request changes nothing more.
  app.put<{ Params: IdParams; Body: StageReviewBody }>('/api/stages/:id/review', {
    config: { resource: 'stages' },
    schema: { params: IdParams, body: StageReviewBody, response: { 200: NeighbourhoodStage, 404: ErrorResponse, 409: ErrorResponse } },
    handler: async (request) => {
      const { id } = request.params;
      return db.transaction().execute(async (trx) => {
        const before = await neighbourhoodStage(trx, id);
        if (!before) throw notFound('neighbourhood', id);
        if (request.body.reviewed) {
          if (before.stage1.problems === 0) {
            throw new AppError('conflict', 'stage 1 is reviewed once problems are identified: record the neighbourhood\'s problems first');
          }
          await markReviewed(trx, id, request.user?.username ?? null, request.body.note?.trim() || null);
        } else {
          await clearReview(trx, id);
        }
        const after = (await neighbourhoodStage(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: request.body.reviewed ? 'review' : 'unreview', entity: 'stages', entityId: id, before, after });
        return after;
      });
    },
  });
};
