import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { IdParams } from '../../shared/schemas.js';
import { Value } from '@sinclair/typebox/value';
import {
  BoundaryLayer, BoundaryVersionList, CommitBody, CommitResult, DiscardResult, LayerQuery, RestoreResult, Upload,
  UploadErrorResponse, VersionParams, type UploadMode,
} from '../../shared/boundaries-schemas.js';
import { createUploadReader, type UploadReader } from './upload-reader.js';
import { createPreview, type Timings } from './preview.js';
import { commitUpload, discardUpload, restoreVersion } from './commit.js';
import { currentVersion } from './history.js';
import { findUploadRow, listVersions, previewGeoJson, referenceCounter, uploadView } from './queries.js';
import type { ServiceArea } from './service-area.js';
import { DEFAULT_THRESHOLDS, type CheckThresholds } from './validate.js';
import { reason, SUPPORTED_FORMATS } from './read-upload.js';
import { readForm, tooLarge } from './upload-form.js';

export interface BoundaryRouteOptions {
  db: Kysely<Database>;
  serviceArea: ServiceArea;
  /** Largest file accepted, in bytes (200 MB by default); larger ones get 413. */
  uploadLimitBytes?: number;
  thresholds?: Partial<CheckThresholds>;
  /** Hand in a reader (tests); by default one worker thread per server. */
  reader?: UploadReader;
}

export const DEFAULT_UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024;

/** Form fields besides the file: small, and few. */
const FIELD_LIMITS = { fields: 10, fieldSize: 256 * 1024, files: 1, parts: 12 };

export const boundaryRoutes: FastifyPluginAsync<BoundaryRouteOptions> = async (app, options) => {
  const { db } = options;
  const limit = options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES;
  const reader = options.reader ?? createUploadReader();
  const references = referenceCounter();
  const context = {
    db,
    reader,
    serviceArea: options.serviceArea,
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    references,
  };
  app.addHook('onClose', async () => {
    if (!options.reader) await reader.close();
  });

  // Registered here, so only this plugin's routes accept multipart bodies. The multipart
  // parser streams and does not use bodyLimit (1 MB for the rest of the API): the file
  // limit is its fileSize, and a Content-Length over the limit is refused before reading.
  await app.register(fastifyMultipart, { limits: { ...FIELD_LIMITS, fileSize: limit } });

  app.post('/api/boundaries/uploads', {
    config: { resource: 'boundaries' },
    bodyLimit: limit + 1024 * 1024,
    schema: { response: { 201: Upload, '4xx': UploadErrorResponse } },
    handler: async (request, reply) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit + 1024 * 1024) throw tooLarge(limit);
      if (!request.isMultipart()) {
        throw new AppError('unsupported_media_type',
          'send multipart/form-data with the file in a part named "file" (and optional layer, mode, mapping, source_srs, encoding)',
          reason('not_multipart', {}, { supported: SUPPORTED_FORMATS }));
      }
      const started = performance.now();
      const form = await readForm(request, limit, app.multipartErrors.RequestFileTooLargeError);
      const timings: Timings = { receive: performance.now() - started };
      const layer = oneOf(form.fields.layer, ['neighbourhoods', 'counties'] as const, 'layer', 'neighbourhoods');
      const mode = oneOf(form.fields.mode, ['merge', 'replace'] as const, 'mode', 'merge') satisfies UploadMode;
      const id = await createPreview(context, {
        layer,
        mode,
        file: form.file,
        user: request.user ? { id: request.user.id, username: request.user.username } : null,
        ...(form.fields.mapping !== undefined && { mapping: form.fields.mapping }),
        ...(form.fields.source_srs !== undefined && form.fields.source_srs !== '' && { sourceSrs: form.fields.source_srs }),
        ...(form.fields.encoding !== undefined && form.fields.encoding !== '' && { encoding: form.fields.encoding }),
      }, timings);
      serverTiming(reply, timings);
      const row = await findUploadRow(db, id);
      return reply.code(201).send(uploadView(row!));
    },
  });

  app.get<{ Params: IdParams }>('/api/boundaries/uploads/:id', {
    config: { resource: 'boundaries' },
    schema: { params: IdParams, response: { 200: Upload, '4xx': UploadErrorResponse } },
    handler: async (request) => {
      const row = await findUploadRow(db, request.params.id);
      if (!row) throw notFound('upload', request.params.id);
      return uploadView(row);
    },
  });

  app.get<{ Params: IdParams }>('/api/boundaries/uploads/:id/preview', {
    config: { resource: 'boundaries' },
    schema: { params: IdParams, response: { '4xx': UploadErrorResponse } },
    handler: async (request, reply) => {
      const row = await findUploadRow(db, request.params.id);
      if (!row) throw notFound('upload', request.params.id);
      if (row.status !== 'preview') {
        throw new AppError('conflict', `upload ${row.id} is ${row.status}; its preview is no longer kept (see GET /api/boundaries/versions)`,
          reason('not_preview', { upload: row.id, status: row.status }));
      }
      const view = uploadView(row);
      const body = await previewGeoJson(db, { id: row.id, layer: row.layer, diff: view.diff });
      return reply.type('application/geo+json; charset=utf-8').send(body);
    },
  });

  // The body ({"confirm": {...}}) is optional — a commit without overlaps or features outside
  // the service area needs none — so it is checked by hand rather than declared.
  app.post<{ Params: IdParams }>('/api/boundaries/uploads/:id/commit', {
    config: { resource: 'boundaries' },
    schema: { params: IdParams, response: { 200: CommitResult, '4xx': UploadErrorResponse } },
    handler: async (request, reply) => {
      const started = performance.now();
      const body = request.body ?? {};
      if (!Value.Check(CommitBody, body)) {
        throw new AppError('invalid_request',
          'the body is optional; when given it is {"confirm": {"overlaps": n, "outside_service_area": n, "county_matches": n}} with the numbers the report shows',
          reason('invalid_option', {}, { field: 'confirm' }));
      }
      try {
        const result = await commitUpload(db, references, request.params.id, request.user ?? null, body.confirm);
        serverTiming(reply, { commit: performance.now() - started });
        return result;
      } catch (error) {
        // An unexpected failure (not a refusal) is kept on the upload for whoever looks next.
        if (!(error instanceof AppError)) {
          await db.updateTable('boundary_uploads')
            .set({ status: 'failed', failure: error instanceof Error ? error.message : String(error), decided_at: new Date() })
            .where('id', '=', request.params.id).where('status', '=', 'preview')
            .execute();
        }
        throw error;
      }
    },
  });

  app.post<{ Params: IdParams }>('/api/boundaries/uploads/:id/discard', {
    config: { resource: 'boundaries' },
    schema: { params: IdParams, response: { 200: DiscardResult, '4xx': UploadErrorResponse } },
    handler: async (request) => {
      await discardUpload(db, request.params.id, request.user ?? null);
      return { id: request.params.id, status: 'discarded' as const };
    },
  });

  app.get<{ Querystring: LayerQuery }>('/api/boundaries/versions', {
    config: { resource: 'boundaries' },
    schema: { querystring: LayerQuery, response: { 200: BoundaryVersionList, '4xx': UploadErrorResponse } },
    handler: async (request) => {
      const layer = request.query.layer ?? 'neighbourhoods';
      return { layer, current: await currentVersion(db, layer), items: await listVersions(db, layer) };
    },
  });

  // The layer comes in the query string or in a JSON body ({"layer": "counties"}); a body is
  // optional, so it is read by hand rather than declared.
  app.post<{ Params: VersionParams; Querystring: LayerQuery }>('/api/boundaries/versions/:version/restore', {
    config: { resource: 'boundaries' },
    schema: { params: VersionParams, querystring: LayerQuery, response: { 201: RestoreResult, '4xx': UploadErrorResponse } },
    handler: async (request, reply) => {
      const body = request.body as { layer?: unknown } | null | undefined;
      const layer = oneOf(
        request.query.layer ?? (body && typeof body === 'object' ? body.layer : undefined),
        BoundaryLayer.anyOf.map((s) => s.const),
        'layer',
        'neighbourhoods',
      );
      const result = await restoreVersion(db, references, layer, request.params.version, request.user ?? null);
      return reply.code(201).send(result);
    },
  });
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError('invalid_request', `${field} (body) must be one of: ${allowed.join(', ')}`,
    reason('invalid_option', { value: String(value), allowed: allowed.join(', ') }, { field }));
}

/** Server-Timing: the steps' durations, for browsers' developer tools and the benchmark. */
function serverTiming(reply: FastifyReply, timings: Timings): void {
  reply.header('server-timing', Object.entries(timings).map(([step, ms]) => `${step};dur=${ms.toFixed(1)}`).join(', '));
}
