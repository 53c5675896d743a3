import { COLLECTIONS, type OgcCollection, type OgcProperty } from './collections.js';
import { SUPPORTED_CRS } from './crs.js';

/**
 * The OpenAPI 3.0 document of /ogc (what /ogc/api answers and the landing page's
 * service-desc points at), written out rather than taken from @fastify/swagger: OGC
 * clients expect the parameters the standard names (bbox, datetime, collectionId …) with
 * their standard descriptions and one path per collection's queryables.
 */
export function ogcOpenApi(serverUrl: string): Record<string, unknown> {
  const json = { 'application/json': { schema: { type: 'object' } } };
  const error = { description: 'what was wrong', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const crsEnum = SUPPORTED_CRS.map((c) => c.uri);
  const param = (name: string, description: string, schema: Record<string, unknown>, where = 'query', required = false) =>
    ({ name, in: where, description, required, schema, style: 'form', explode: false });
  const f = param('f', 'format: json (GeoJSON for features)', { type: 'string', enum: ['json', 'geojson'] });
  const collectionId = { ...param('collectionId', 'a collection', { type: 'string', enum: COLLECTIONS.map((c) => c.id) }, 'path', true), style: 'simple' };
  const featureId = { ...param('featureId', 'a feature id', { type: 'integer' }, 'path', true), style: 'simple' };
  const crs = param('crs', 'CRS of the geometries in the answer (default CRS84)', { type: 'string', format: 'uri', enum: crsEnum });
  const doc = (description: string, content: Record<string, unknown> = json) => ({ description, content });
  const itemsParameters = [
    param('limit', 'features per page (default 100; above 10,000 counts as 10,000)', { type: 'integer', minimum: 1, default: 100 }),
    param('offset', 'features to skip', { type: 'integer', minimum: 0, default: 0 }),
    param('bbox', 'minX,minY,maxX,maxY in bbox-crs (CRS84 lon/lat by default); west > east crosses the antimeridian', { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } }),
    param('bbox-crs', 'CRS of bbox', { type: 'string', format: 'uri', enum: crsEnum }),
    param('datetime', 'an instant or an interval start/end (.. for an open end), RFC 3339', { type: 'string' }),
    crs,
    param('filter', 'a CQL2 text filter, e.g. county_id = 3 AND S_INTERSECTS(geometry, BBOX(56.9,30.2,57.2,30.4))', { type: 'string' }),
    // cql-text: the draft's name, which GDAL 3.6 looks for before it sends filters to the server.
    param('filter-lang', 'cql2-text', { type: 'string', enum: ['cql2-text', 'cql-text'] }),
    param('filter-crs', 'CRS of geometries in filter', { type: 'string', format: 'uri', enum: crsEnum }),
    f,
  ];
  const get = (summary: string, operationId: string, parameters: unknown[], ok: Record<string, unknown>) =>
    ({ get: { summary, operationId, parameters, responses: { 200: ok, 400: error, 401: error, 404: error, 406: error } } });

  const itemsAnswer = doc('a page of features; links next and prev page on', { 'application/geo+json': { schema: { type: 'object' } } });

  return {
    openapi: '3.0.3',
    info: {
      title: 'Mahallenama — OGC API Features',
      version: '1.0.0',
      description: 'The neighbourhoods, counties, problems, interventions, networks and coverage of the Kerman programme. Every request needs an API token: Authorization: Bearer <token>.',
      license: { name: 'ODbL-1.0 for data derived from OpenStreetMap; the rest CC0-1.0 or as entered by users' },
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } },
        ...Object.fromEntries(COLLECTIONS.map((c) => [`${schemaName(c)}Properties`, propertiesSchema(c)])),
      },
    },
    paths: {
      '/': get('Landing page', 'getLandingPage', [f], doc('links to the API description, conformance and collections')),
      '/conformance': get('Conformance classes', 'getConformanceDeclaration', [f], doc('the conformance classes implemented')),
      '/api': get('This document', 'getApiDescription', [f], doc('OpenAPI 3.0', { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } })),
      '/collections': get('Feature collections', 'getCollections', [f], doc('the collections with their extents')),
      '/collections/{collectionId}': get('A collection', 'describeCollection', [collectionId, f], doc('the collection')),
      '/collections/{collectionId}/queryables': get('What a filter may name', 'getQueryables', [collectionId, f],
        doc('JSON Schema of the queryable properties', { 'application/schema+json': { schema: { type: 'object' } } })),
      '/collections/{collectionId}/items': get('Features', 'getFeatures', [collectionId, ...itemsParameters], itemsAnswer),
      // One path per collection as well, naming its queryables as parameters: that is
      // where GDAL's OAPIF driver looks for the properties it may filter on the server.
      ...Object.fromEntries(COLLECTIONS.map((c) => [`/collections/${c.id}/items`, get(`${c.title}`, `get${schemaName(c)}`, [
        ...itemsParameters,
        ...c.properties.map((q) => param(q.name, `features whose ${q.name} equals this`, jsonSchemaType(q))),
      ], itemsAnswer)])),
      '/collections/{collectionId}/items/{featureId}': get('One feature', 'getFeature', [collectionId, featureId, crs, f],
        doc('the feature', { 'application/geo+json': { schema: { type: 'object' } } })),
    },
  };
}

const schemaName = (collection: OgcCollection) => collection.id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase());

/** A property's JSON Schema (for queryables and the OpenAPI document). */
export function propertySchema(property: OgcProperty): Record<string, unknown> {
  const base: Record<string, unknown> = property.type === 'date' ? { type: 'string', format: 'date' }
    : property.type === 'date-time' ? { type: 'string', format: 'date-time' }
      : { type: property.type };
  if (property.values) base.enum = [...property.values];
  return { title: property.title, ...base, ...(property.nullable ? { nullable: true } : {}) };
}

function propertiesSchema(collection: OgcCollection): Record<string, unknown> {
  return { type: 'object', properties: Object.fromEntries(collection.properties.map((q) => [q.name, propertySchema(q)])) };
}

function jsonSchemaType(property: OgcProperty): Record<string, unknown> {
  const { title: _title, nullable: _nullable, ...schema } = propertySchema(property);
  return schema;
}
