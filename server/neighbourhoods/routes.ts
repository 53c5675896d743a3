import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  ErrorResponse, IdParams, NeighbourhoodCollection, NeighbourhoodDetail, NeighbourhoodsQuery,
} from '../../shared/schemas.js';
import { parseBbox } from '../../shared/bbox.js';
import { AppError, notFound } from '../errors.js';
import { findNeighbourhood, neighbourhoodsGeoJson, type NeighbourhoodFilter } from './queries.js';
import { sendGeoPackage } from '../exports/reply.js';

export const neighbourhoodRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get<{ Querystring: NeighbourhoodsQuery }>('/api/neighbourhoods', {
    config: { resource: 'neighbourhoods' },
    schema: {
      querystring: NeighbourhoodsQuery,
      response: { 200: NeighbourhoodCollection, 400: ErrorResponse },
    },
    handler: async (request, reply) => {
      const body = await neighbourhoodsGeoJson(db, filterOf(request.query));
      // Sent as the text PostGIS built; the schema above documents it.
      return reply.type('application/geo+json; charset=utf-8').send(body);
    },
  });

  app.get<{ Querystring: NeighbourhoodsQuery }>('/api/neighbourhoods.gpkg', {
    config: { resource: 'neighbourhoods' },
    schema: { querystring: NeighbourhoodsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = await neighbourhoodsGeoJson(db, filterOf(request.query));
      return sendGeoPackage(reply, 'neighbourhoods.gpkg', body, 'neighbourhoods', 'Target neighbourhoods of the programme (illustrative polygons)');
    },
  });

  app.get<{ Params: IdParams }>('/api/neighbourhoods/:id', {
    config: { resource: 'neighbourhoods' },
    schema: { params: IdParams, response: { 200: NeighbourhoodDetail, 404: ErrorResponse } },
    handler: async (request) => {
      const feature = await findNeighbourhood(db, request.params.id);
      if (!feature) throw notFound('neighbourhood', request.params.id);
      return feature;
    },
  });
};

function filterOf(query: NeighbourhoodsQuery): NeighbourhoodFilter {
  const { bbox: bboxText, county, q } = query;
  let bbox;
  if (bboxText !== undefined) {
    const parsed = parseBbox(bboxText);
    if ('problem' in parsed) throw new AppError('invalid_bbox', parsed.problem);
    bbox = parsed.bbox;
  }
  return { bbox, countyId: county, q };
}
