import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import { CreateNetworkBody, Network, NetworkList, NetworksQuery, UpdateNetworkBody } from '../../shared/method-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { requireIds } from '../db/references.js';
import { findNetwork, insertNetwork, listNetworks, updateNetwork } from './queries.js';

/** Stage 3: local "networks of hope" of teenagers, teachers, shopkeepers, women, elders and others. */
export const networkRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get<{ Querystring: NetworksQuery }>('/api/networks', {
    config: { resource: 'networks' },
    schema: { querystring: NetworksQuery, response: { 200: NetworkList, 400: ErrorResponse } },
    handler: async (request) => {
      const { neighbourhood, kind, active } = request.query;
      if (neighbourhood !== undefined) await requireIds(db, 'neighbourhoods', [neighbourhood], 'neighbourhood (querystring)');
      return { items: await listNetworks(db, { neighbourhoodId: neighbourhood, kind, active }) };
    },
  });

  app.get<{ Params: IdParams }>('/api/networks/:id', {
    config: { resource: 'networks' },
    schema: { params: IdParams, response: { 200: Network, 404: ErrorResponse } },
    handler: async (request) => {
      const network = await findNetwork(db, request.params.id);
      if (!network) throw notFound('network', request.params.id);
      return network;
    },
  });

  app.post<{ Body: CreateNetworkBody }>('/api/networks', {
    config: { resource: 'networks' },
    schema: { body: CreateNetworkBody, response: { 201: Network, 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = request.body;
      const name = body.name.trim();
      if (!name) throw new AppError('invalid_request', 'name (body) must not be blank');
      const created = await db.transaction().execute(async (trx) => {
        await requireIds(trx, 'neighbourhoods', [body.neighbourhood_id], 'neighbourhood_id (body)');
        const id = await insertNetwork(trx, {
          neighbourhood_id: body.neighbourhood_id,
          kind: body.kind,
          name,
          members: body.members,
          since: body.since ?? null,
          active: body.active ?? true,
        });
        const after = (await findNetwork(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'networks', entityId: id, after });
        return after;
      });
      return reply.code(201).send(created);
    },
  });

  app.patch<{ Params: IdParams; Body: UpdateNetworkBody }>('/api/networks/:id', {
    config: { resource: 'networks' },
    schema: { params: IdParams, body: UpdateNetworkBody, response: { 200: Network, 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request) => {
      const { id } = request.params;
      const changes = { ...request.body, ...(request.body.name !== undefined ? { name: request.body.name.trim() } : {}) };
      if (changes.name === '') throw new AppError('invalid_request', 'name (body) must not be blank');
      return db.transaction().execute(async (trx) => {
        const before = await findNetwork(trx, id, true);
        if (!before) throw notFound('network', id);
        await updateNetwork(trx, id, changes);
        const after = (await findNetwork(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: 'update', entity: 'networks', entityId: id, before, after });
        return after;
      });
    },
  });

  // For a network entered by mistake; the audit log keeps it as it was.
  app.delete<{ Params: IdParams }>('/api/networks/:id', {
    config: { resource: 'networks' },
    schema: { params: IdParams, response: { 404: ErrorResponse } },
    handler: async (request, reply) => {
      const { id } = request.params;
      await db.transaction().execute(async (trx) => {
        const before = await findNetwork(trx, id, true);
        if (!before) throw notFound('network', id);
        await trx.deleteFrom('networks').where('id', '=', id).execute();
        await recordAudit(trx, { actor: request.user, action: 'delete', entity: 'networks', entityId: id, before });
      });
      return reply.code(204).send();
    },
  });
};
