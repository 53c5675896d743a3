import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import { Agency, AgencyList, AgencySummary, CreateAgencyBody } from '../../shared/method-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { agencySummary, findAgency, insertAgency, listAgencies, slugOf, slugTaken } from './queries.js';

export const agencyRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api/agencies', {
    config: { resource: 'agencies' },
    schema: { response: { 200: AgencyList } },
    handler: async () => ({ items: await listAgencies(db) }),
  });

  app.post<{ Body: CreateAgencyBody }>('/api/agencies', {
    config: { resource: 'agencies' },
    schema: { body: CreateAgencyBody, response: { 201: Agency, 400: ErrorResponse, 409: ErrorResponse } },
    handler: async (request, reply) => {
      const name_fa = request.body.name_fa.trim();
      const name_en = request.body.name_en.trim();
      if (!name_fa) throw new AppError('invalid_request', 'name_fa (body) must not be blank');
      if (!name_en) throw new AppError('invalid_request', 'name_en (body) must not be blank');
      const slug = request.body.slug ?? slugOf(name_en);
      if (slug.length < 2) throw new AppError('invalid_request', 'slug (body) is needed: name_en has too few Latin letters to make one');
      const agency = await db.transaction().execute(async (trx) => {
        if (await slugTaken(trx, slug)) throw new AppError('conflict', `an agency with the slug ${slug} exists; choose another slug`);
        const created = await insertAgency(trx, { slug, name_fa, name_en });
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'agencies', entityId: created.id, after: created });
        return created;
      });
      return reply.code(201).send(agency);
    },
  });

  app.get<{ Params: IdParams }>('/api/agencies/:id/summary', {
    config: { resource: 'agencies' },
    schema: { params: IdParams, response: { 200: AgencySummary, 404: ErrorResponse } },
    handler: async (request) => {
      const agency = await findAgency(db, request.params.id);
      if (!agency) throw notFound('agency', request.params.id);
      return agencySummary(db, agency);
    },
  });
};
