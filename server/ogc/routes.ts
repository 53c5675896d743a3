import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse } from '../../shared/schemas.js';
import {
  OgcCollection as OgcCollectionSchema, OgcCollectionParams, OgcCollections, OgcConformance, OgcCrsQuery, OgcFeatureParams,
  OgcFormatQuery, OgcItemsQuery, OgcLanding, type OgcLink,
} from '../../shared/ogc-schemas.js';
import { AppError } from '../errors.js';
import { COLLECTIONS, findCollection, type OgcCollection } from './collections.js';
import { CRS84, DEFAULT_CRS, SUPPORTED_CRS, parseCrs, parseOgcBbox, unsupportedCrsMessage, type Crs } from './crs.js';
import { Cql2Error, parseCql2, type Filter } from './cql2.js';
import { datetimeSql, filterSql, parseDatetime, propertyEqualsSql } from './filter-sql.js';
import { collectionExtent, findItem, itemsPage } from './queries.js';
import { ogcOpenApi, propertySchema } from './openapi.js';
import { EXPORT_ATTRIBUTION } from '../exports/attribution.js';

/**
 * OGC API – Features (Part 1 core with GeoJSON and OpenAPI 3.0, Part 2 CRS, Part 3
 * filtering with CQL2 text) under /ogc, for QGIS, ArcGIS, FME and GDAL. Reads only, by
 * any signed-in user (session, or an API token as a bearer header). Big answers are built
 * as text in PostGIS and sent as they are.
 */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
  'http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions',
];

const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';
const CRS_URIS = SUPPORTED_CRS.map((c) => c.uri);

/** The only format offered is JSON; f=html and anything else get a clear refusal. */
function checkFormat(f: string | undefined, allowed: readonly string[] = ['json']): void {
  if (f === undefined || allowed.includes(f)) return;
  if (f === 'html') throw new AppError('not_acceptable', 'f=html: this service answers in JSON only; leave f out or use f=json');
  throw new AppError('invalid_request', `f=${f} is not a format of this service; use ${allowed.join(' or ')}`);
}

function crsParameter(name: string, value: string | undefined): Crs {
  if (value === undefined) return DEFAULT_CRS;
  const crs = parseCrs(value);
  if (!crs) throw new AppError('invalid_request', unsupportedCrsMessage(name, value), { supported: CRS_URIS });
  return crs;
}

function requireCollection(id: string): OgcCollection {
  const collection = findCollection(id);
  if (!collection) {
    throw new AppError('not_found', `there is no collection "${id}"; the collections are ${COLLECTIONS.map((c) => c.id).join(', ')}`);
  }
  return collection;
}

/** This server's /ogc address as the client reached it. */
const baseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}/ogc`;

const NAMED_PARAMETERS = new Set(['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'crs', 'datetime', 'filter', 'filter-lang', 'filter-crs']);

export const ogcRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  const config = { resource: 'ogc' as const };

  app.get<{ Querystring: OgcFormatQuery }>('/ogc', {
    config,
    schema: { querystring: OgcFormatQuery, response: { 200: OgcLanding, 400: ErrorResponse } },
    handler: async (request) => {
      checkFormat(request.query.f);
      const base = baseOf(request);
      return {
        title: 'Mahallenama · محله‌نما',
        description: `Neighbourhoods, counties, problems, interventions, networks and programme coverage of Kerman province. ${EXPORT_ATTRIBUTION}`,
        links: [
          { href: base, rel: 'self', type: JSON_TYPE, title: 'this page' },
          { href: `${base}/api`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'the API definition' },
          { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes' },
          { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'the feature collections' },
        ],
      };
    },
  });
  // QGIS and GDAL are often given the landing page with a trailing slash.
  app.get<{ Querystring: OgcFormatQuery }>('/ogc/', {
    config,
    schema: { querystring: OgcFormatQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => reply.redirect(`/ogc${request.url.slice('/ogc/'.length) ? `?${request.url.split('?')[1] ?? ''}` : ''}`, 301),
  });

  app.get<{ Querystring: OgcFormatQuery }>('/ogc/conformance', {
    config,
    schema: { querystring: OgcFormatQuery, response: { 200: OgcConformance, 400: ErrorResponse } },
    handler: async (request) => {
      checkFormat(request.query.f);
      return { conformsTo: CONFORMANCE };
    },
  });

  app.get<{ Querystring: OgcFormatQuery }>('/ogc/api', {
    config,
    schema: { querystring: OgcFormatQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      checkFormat(request.query.f);
      // Sent as bytes, so that Fastify leaves the media type as written: GDAL's OAPIF driver
      // wants the token version=3.0, and Fastify would rewrite a string's type to version="3.0".
      return reply.header('content-type', 'application/vnd.oai.openapi+json;version=3.0')
        .send(Buffer.from(JSON.stringify(ogcOpenApi(baseOf(request)))));
    },
  });

  async function describe(request: FastifyRequest, collection: OgcCollection) {
    const base = `${baseOf(request)}/collections/${collection.id}`;
    const extent = await collectionExtent(db, collection);
    const links: OgcLink[] = [
      { href: base, rel: 'self', type: JSON_TYPE, title: 'this collection' },
      { href: `${base}/items`, rel: 'items', type: GEOJSON_TYPE, title: 'the features' },
      { href: `${base}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: 'queryables' },
      { href: `${baseOf(request)}/collections`, rel: 'parent', type: JSON_TYPE, title: 'all collections' },
    ];
    return {
      id: collection.id,
      title: collection.title,
      description: collection.description,
      itemType: 'feature' as const,
      extent: {
        spatial: { bbox: extent.bbox ? [extent.bbox] : [], crs: CRS84 },
        ...(extent.interval ? { temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
      },
      crs: CRS_URIS,
      storageCrs: CRS84,
      links,
    };
  }

  app.get<{ Querystring: OgcFormatQuery }>('/ogc/collections', {
    config,
    schema: { querystring: OgcFormatQuery, response: { 200: OgcCollections, 400: ErrorResponse } },
    handler: async (request) => {
      checkFormat(request.query.f);
      const collections = [];
      for (const collection of COLLECTIONS) collections.push(await describe(request, collection));
      return {
        links: [{ href: `${baseOf(request)}/collections`, rel: 'self', type: JSON_TYPE, title: 'this list' }],
        collections,
        crs: CRS_URIS,
      };
    },
  });

  app.get<{ Params: OgcCollectionParams; Querystring: OgcFormatQuery }>('/ogc/collections/:collectionId', {
    config,
    schema: { params: OgcCollectionParams, querystring: OgcFormatQuery, response: { 200: OgcCollectionSchema, 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request) => {
      checkFormat(request.query.f);
      return describe(request, requireCollection(request.params.collectionId));
    },
  });

  app.get<{ Params: OgcCollectionParams; Querystring: OgcFormatQuery }>('/ogc/collections/:collectionId/queryables', {
    config,
    schema: { params: OgcCollectionParams, querystring: OgcFormatQuery, response: { 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request, reply) => {
      checkFormat(request.query.f);
      const collection = requireCollection(request.params.collectionId);
      const properties: Record<string, unknown> = {
        geometry: { title: 'Geometry', format: `geometry-${collection.geometryType.toLowerCase()}` },
      };
      for (const property of collection.properties) {
        const { nullable: _nullable, ...schema } = propertySchema(property);
        properties[property.name] = property.nullable ? { ...schema, type: [schema.type, 'null'] } : schema;
      }
      return reply.type('application/schema+json').send(JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `${baseOf(request)}/collections/${collection.id}/queryables`,
        type: 'object',
        title: collection.title,
        properties,
        additionalProperties: false,
      }));
    },
  });

  app.get<{ Params: OgcCollectionParams; Querystring: OgcItemsQuery }>('/ogc/collections/:collectionId/items', {
    config,
    schema: { params: OgcCollectionParams, querystring: OgcItemsQuery, response: { 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request, reply) => {
      const query = request.query;
      checkFormat(query.f, ['json', 'geojson']);
      const collection = requireCollection(request.params.collectionId);
      const crs = crsParameter('crs', query.crs);
      const where = conditionsOf(collection, query);
      const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
      const offset = query.offset ?? 0;
      const page = await itemsPage(db, collection, where, { limit, offset }, crs);

      const self = new URL(`${baseOf(request)}/collections/${collection.id}/items`);
      for (const [name, value] of Object.entries(query)) self.searchParams.set(name, String(value));
      const pageLink = (rel: string, pageOffset: number): OgcLink => {
        const url = new URL(self);
        url.searchParams.set('limit', String(limit));
        url.searchParams.set('offset', String(pageOffset));
        return { href: url.toString(), rel, type: GEOJSON_TYPE, title: `${rel} page` };
      };
      const links: OgcLink[] = [{ href: self.toString(), rel: 'self', type: GEOJSON_TYPE, title: 'this page' }];
      if (offset + page.returned < page.matched && page.returned > 0) links.push(pageLink('next', offset + limit));
      if (offset > 0) links.push(pageLink('prev', Math.max(0, offset - limit)));
      links.push({ href: `${baseOf(request)}/collections/${collection.id}`, rel: 'collection', type: JSON_TYPE, title: collection.title });

      const head = JSON.stringify({
        type: 'FeatureCollection',
        numberMatched: page.matched,
        numberReturned: page.returned,
        timeStamp: new Date().toISOString(),
        links,
      });
      return sendFeatures(reply, crs, `${head.slice(0, -1)},"features":[${page.features}]}`);
    },
  });

  app.get<{ Params: OgcFeatureParams; Querystring: OgcCrsQuery }>('/ogc/collections/:collectionId/items/:featureId', {
    config,
    schema: { params: OgcFeatureParams, querystring: OgcCrsQuery, response: { 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request, reply) => {
      checkFormat(request.query.f, ['json', 'geojson']);
      const collection = requireCollection(request.params.collectionId);
      const crs = crsParameter('crs', request.query.crs);
      const { featureId } = request.params;
      const id = /^\d{1,9}$/.test(featureId) ? Number(featureId) : undefined;
      const feature = id === undefined ? undefined : await findItem(db, collection, id, crs);
      if (!feature) throw new AppError('not_found', `${collection.id} has no feature ${featureId}`);
      const base = `${baseOf(request)}/collections/${collection.id}`;
      const links = JSON.stringify([
        { href: `${base}/items/${id}`, rel: 'self', type: GEOJSON_TYPE },
        { href: base, rel: 'collection', type: JSON_TYPE },
      ]);
      return sendFeatures(reply, crs, `${feature.slice(0, -1)},"links":${links}}`);
    },
  });
};

function sendFeatures(reply: FastifyReply, crs: Crs, body: string): FastifyReply {
  return reply.type(`${GEOJSON_TYPE}; charset=utf-8`).header('content-crs', `<${crs.uri}>`).send(body);
}

/** The query's bbox, datetime, filter and property parameters as SQL conditions. */
function conditionsOf(collection: OgcCollection, query: OgcItemsQuery): RawBuilder<boolean>[] {
  const where: RawBuilder<boolean>[] = [];
  try {
    if (query.bbox !== undefined) {
      const bboxCrs = crsParameter('bbox-crs', query['bbox-crs']);
      const parsed = parseOgcBbox(query.bbox, bboxCrs);
      if ('problem' in parsed) throw new AppError('invalid_bbox', parsed.problem);
      // parseOgcBbox gives x/y order; filterSql takes boxes in the CRS's own axis order.
      const intersects = parsed.boxes.map((box): Filter => ({
        kind: 'spatial', op: 's_intersects', left: { kind: 'property', name: 'geometry' },
        right: { kind: 'bbox', box: bboxCrs.latFirst ? [box[1], box[0], box[3], box[2]] : box },
      }));
      where.push(filterSql(intersects.length === 1 ? intersects[0]! : { kind: 'or', args: intersects }, collection, bboxCrs));
    } else if (query['bbox-crs'] !== undefined) {
      crsParameter('bbox-crs', query['bbox-crs']);
    }
    if (query.datetime !== undefined) {
      const interval = parseDatetime(query.datetime);
      if ('problem' in interval) throw new AppError('invalid_request', interval.problem);
      where.push(datetimeSql(collection, interval));
    }
    const filterCrs = crsParameter('filter-crs', query['filter-crs']);
    // cql-text is CQL2's draft name, which GDAL 3.6 sends; what it sends is valid CQL2.
    if (query['filter-lang'] !== undefined && query['filter-lang'] !== 'cql2-text' && query['filter-lang'] !== 'cql-text') {
      throw new AppError('invalid_request', `filter-lang=${query['filter-lang']} is not supported; use cql2-text`);
    }
    if (query.filter !== undefined) where.push(filterSql(parseCql2(query.filter), collection, filterCrs));
    for (const [name, value] of Object.entries(query)) {
      if (NAMED_PARAMETERS.has(name)) continue;
      const property = collection.properties.find((q) => q.name === name);
      if (!property) {
        throw new AppError('invalid_request', `unknown parameter ${name}; items takes ${[...NAMED_PARAMETERS].join(', ')} and the queryables of ${collection.id}: ${collection.properties.map((q) => q.name).join(', ')}`);
      }
      where.push(propertyEqualsSql(property, String(value)));
    }
  } catch (error) {
    if (error instanceof Cql2Error) throw new AppError('invalid_request', error.message);
    throw error;
  }
  return where;
}
