import type { FastifyPluginAsync } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { IdParams } from '../../shared/schemas.js';
import {
  COMPOSITE_PREFIX, INDICATOR_SET_PATTERN, Indicator, IndicatorCommitResult, IndicatorComposite, IndicatorCompositeBody,
  IndicatorCompositeDeleted, IndicatorErrorResponse, IndicatorKeyParams, IndicatorList, IndicatorSetParams,
  IndicatorUpload, IndicatorValues, IndicatorValuesQuery, IndicatorVersionList,
} from '../../shared/indicators-schemas.js';
import { createUploadReader, type UploadReader } from '../boundaries/upload-reader.js';
import { readForm } from '../boundaries/upload-form.js';
import { buildReport, chooseCodeColumn, type Cell } from './table-report.js';
import {
  commitUpload, deleteComposite, discardUpload, findComposite, findUpload, indicatorValues, insertPreview, listIndicators,
  listVersions, neighbourhoodCodes, saveComposite, topNeighbourhoods, type CompositeDefinition,
} from './queries.js';

export interface IndicatorRouteOptions {
  db: Kysely<Database>;
  /** Hand in a reader (tests); by default one worker thread, started on the first upload. */
  reader?: UploadReader;
}

/** Indicator tables are a row per neighbourhood: a few hundred kilobytes even for a province. */
export const INDICATOR_UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
const FIELD_LIMITS = { fields: 10, fieldSize: 16 * 1024, files: 1, parts: 12, fileSize: INDICATOR_UPLOAD_LIMIT_BYTES };
const FORM_FIELDS = 'name_fa, name_en, unit (or unit_fa and unit_en), slug, code_column and encoding';

/**
 * Indicators to colour the map by: imported tables (upload → preview report → commit, a
 * version per commit), the built-in figures and composites of them; the values of any of
 * them per neighbourhood, and its highest neighbourhoods.
 */
export const indicatorRoutes: FastifyPluginAsync<IndicatorRouteOptions> = async (app, options) => {
  const { db } = options;
  const reader = options.reader ?? createUploadReader();
  app.addHook('onClose', async () => {
    if (!options.reader) await reader.close();
  });
  await app.register(fastifyMultipart, { limits: FIELD_LIMITS });

  app.get('/api/indicators', {
    config: { resource: 'indicators' },
    schema: { response: { 200: IndicatorList } },
    handler: async () => ({ items: await listIndicators(db) }),
  });

  app.get<{ Params: IndicatorKeyParams; Querystring: IndicatorValuesQuery }>('/api/indicators/:key/values', {
    config: { resource: 'indicators' },
    schema: { params: IndicatorKeyParams, querystring: IndicatorValuesQuery, response: { 200: IndicatorValues, '4xx': IndicatorErrorResponse } },
    handler: async (request) => {
      const values = await indicatorValues(db, request.params.key, request.query.version);
      if (request.query.top === undefined) return values;
      return { ...values, top: await topNeighbourhoods(db, values.items, request.query.top) };
    },
  });

  app.post<{ Body: IndicatorCompositeBody }>('/api/indicators/composites', {
    config: { resource: 'indicators' },
    schema: { body: IndicatorCompositeBody, response: { 200: Indicator, 201: Indicator, '4xx': IndicatorErrorResponse } },
    handler: async (request, reply) => {
      const { indicator, created } = await saveComposite(db, compositeDefinition(request.body), request.user ?? null);
      return reply.code(created ? 201 : 200).send(indicator);
    },
  });

  app.get<{ Params: IndicatorSetParams }>('/api/indicators/composites/:slug', {
    config: { resource: 'indicators' },
    schema: { params: IndicatorSetParams, response: { 200: IndicatorComposite, '4xx': IndicatorErrorResponse } },
    handler: async (request) => {
      const composite = await findComposite(db, request.params.slug);
      if (!composite) throw notFound('composite indicator', request.params.slug);
      return composite;
    },
  });

  app.delete<{ Params: IndicatorSetParams }>('/api/indicators/composites/:slug', {
    config: { resource: 'indicators' },
    schema: { params: IndicatorSetParams, response: { 200: IndicatorCompositeDeleted, '4xx': IndicatorErrorResponse } },
    handler: async (request) => {
      await deleteComposite(db, request.params.slug, request.user ?? null);
      return { slug: request.params.slug, status: 'deleted' as const };
    },
  });

  app.post('/api/indicators/uploads', {
    config: { resource: 'indicators' },
    bodyLimit: INDICATOR_UPLOAD_LIMIT_BYTES + 1024 * 1024,
    schema: { response: { 201: IndicatorUpload, '4xx': IndicatorErrorResponse } },
    handler: async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError('unsupported_media_type', `send multipart/form-data: the table (.csv or .xlsx) in a part named "file", with ${FORM_FIELDS}`);
      }
      const form = await readForm(request, INDICATOR_UPLOAD_LIMIT_BYTES, app.multipartErrors.RequestFileTooLargeError, 'indicator');
      const { fields } = form;
      const nameFa = requiredText(fields.name_fa, 'name_fa', 'the indicator\'s Persian name');
      const nameEn = optionalText(fields.name_en, 'name_en') ?? nameFa;
      const unitFa = optionalText(fields.unit_fa ?? fields.unit, 'unit') ?? '';
      const unitEn = optionalText(fields.unit_en, 'unit_en') ?? unitFa;
      const slug = (fields.slug?.trim() || slugOf(nameEn));
      if (!new RegExp(INDICATOR_SET_PATTERN).test(slug)) {
        throw new AppError('invalid_request', `slug (body) "${slug}" must be a lower-case Latin letter then letters, digits or _ (at most 40); give one, e.g. literacy_rate`);
      }
      if (slug === COMPOSITE_PREFIX) throw new AppError('invalid_request', `slug (body) "${COMPOSITE_PREFIX}" is kept for composite indicators; give another`);
      const read = await reader.read(form.file, { table: true, ...(fields.encoding ? { encoding: fields.encoding } : {}) });
      const columns = read.fields.map((f) => f.name);
      const codeColumn = chooseCodeColumn(columns, fields.code_column);
      if (!codeColumn) {
        throw new AppError('unprocessable', `code_column "${fields.code_column}" is not a column of the file; its columns are: ${columns.join(', ')}`, { field: 'code_column', columns });
      }
      if (read.features.length === 0) throw new AppError('unprocessable', 'The table has a header but no rows.', { field: 'file' });
      const { report, values } = buildReport(
        { format: read.format, encoding: read.encoding ?? null, columns, rows: read.features.map((f) => f.properties as Record<string, Cell>) },
        codeColumn,
        await neighbourhoodCodes(db),
      );
      if (report.indicators.length === 0) {
        throw new AppError('unprocessable',
          `No column of the table holds numbers (besides the code column "${codeColumn}"); its columns are: ${columns.join(', ')}.`,
          { field: 'file', columns });
      }
      const id = await insertPreview(db, {
        slug, name_fa: nameFa, name_en: nameEn, unit_fa: unitFa, unit_en: unitEn, file_name: form.file.filename, report,
        user: request.user ? { id: request.user.id, username: request.user.username } : null,
      }, values);
      return reply.code(201).send(await findUpload(db, id));
    },
  });

  app.get<{ Params: IdParams }>('/api/indicators/uploads/:id', {
    config: { resource: 'indicators' },
    schema: { params: IdParams, response: { 200: IndicatorUpload, '4xx': IndicatorErrorResponse } },
    handler: async (request) => {
      const upload = await findUpload(db, request.params.id);
      if (!upload) throw notFound('indicator upload', request.params.id);
      return upload;
    },
  });

  app.post<{ Params: IdParams }>('/api/indicators/uploads/:id/commit', {
    config: { resource: 'indicators' },
    schema: { params: IdParams, response: { 200: IndicatorCommitResult, '4xx': IndicatorErrorResponse } },
    handler: async (request) => commitUpload(db, request.params.id, request.user ?? null),
  });

  app.post<{ Params: IdParams }>('/api/indicators/uploads/:id/discard', {
    config: { resource: 'indicators' },
    schema: { params: IdParams, response: { 200: Type.Object({ id: Type.Integer(), status: Type.Literal('discarded') }), '4xx': IndicatorErrorResponse } },
    handler: async (request) => {
      await discardUpload(db, request.params.id, request.user ?? null);
      return { id: request.params.id, status: 'discarded' as const };
    },
  });

  app.get<{ Params: IndicatorSetParams }>('/api/indicators/sets/:slug/versions', {
    config: { resource: 'indicators' },
    schema: { params: IndicatorSetParams, response: { 200: IndicatorVersionList, '4xx': IndicatorErrorResponse } },
    handler: async (request) => listVersions(db, request.params.slug),
  });
};

/** The checks of a composite's parts that need no database; saveComposite does the rest. */
function compositeDefinition(body: IndicatorCompositeBody): CompositeDefinition {
  if (body.slug === COMPOSITE_PREFIX) throw new AppError('invalid_request', `slug (body) "${COMPOSITE_PREFIX}" is kept as the composites' key prefix; give another`);
  const nameFa = body.name_fa.trim();
  if (!nameFa) throw new AppError('invalid_request', 'name_fa (body) is required: the composite\'s Persian name');
  const seen = new Set<string>();
  for (const [i, part] of body.parts.entries()) {
    if (part.key.startsWith(`${COMPOSITE_PREFIX}.`)) {
      throw new AppError('invalid_request', `parts/${i}/key (body) ${part.key} is a composite; a composite's parts are built-in or imported indicators`);
    }
    if (part.weight === 0) throw new AppError('invalid_request', `parts/${i}/weight (body) must not be 0: leave the part out instead`);
    if (seen.has(part.key)) throw new AppError('invalid_request', `parts/${i}/key (body) ${part.key} is given twice; give each indicator once`);
    seen.add(part.key);
  }
  return {
    slug: body.slug, name_fa: nameFa, name_en: body.name_en?.trim() || nameFa,
    parts: body.parts.map(({ key, weight }) => ({ key, weight })),
  };
}

function requiredText(value: string | undefined, field: string, what: string): string {
  const text = optionalText(value, field);
  if (!text) throw new AppError('invalid_request', `${field} (body) is required: ${what}`);
  return text;
}

function optionalText(value: string | undefined, field: string): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.length > 200) throw new AppError('invalid_request', `${field} (body) must be at most 200 characters`);
  if (/[\u0000\uD800-\uDFFF]/.test(text)) throw new AppError('invalid_request', `${field} (body) must not contain U+0000 or unpaired UTF-16 surrogates`);
  return text;
}

/** A set's URL name from its English name; a Persian-only name gets no guess and must give slug. */
function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^[0-9_]+/, '').slice(0, 40);
}
