import type { FastifyPluginAsync } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { IdParams } from '../../shared/schemas.js';
import {
  LayerErrorResponse, LayerSlugParams, LayerVersionParams, ReferenceCommitResult, ReferenceLayerList, ReferenceUpload, ReferenceVersionList,
} from '../../shared/layers-schemas.js';
import { Type } from '@sinclair/typebox';
import { createUploadReader, type UploadReader } from '../boundaries/upload-reader.js';
import { readForm } from '../boundaries/upload-form.js';
import { SUPPORTED_FORMATS } from '../boundaries/read-upload.js';
import { DEFAULT_UPLOAD_LIMIT_BYTES } from '../boundaries/routes.js';
import { createLayerPreview } from './preview.js';
import { commitUpload, discardUpload, findUpload, listLayers, listVersions, previewGeoJson, restoreVersion } from './queries.js';

export interface LayerRouteOptions {
  db: Kysely<Database>;
  uploadLimitBytes?: number | undefined;
  /** Hand in a reader (tests); by default one worker thread, started on the first upload. */
  reader?: UploadReader;
}

const FIELD_LIMITS = { fields: 12, fieldSize: 256 * 1024, files: 1, parts: 14 };

/**
 * Reference layers (streets, facilities, land use …): upload, preview, commit or discard,
 * the list, versions and restore. Tiles are served by the tile routes (/tiles/{slug}/…).
 */
export const layerRoutes: FastifyPluginAsync<LayerRouteOptions> = async (app, options) => {
  const { db } = options;
  const limit = options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES;
  const reader = options.reader ?? createUploadReader();
  app.addHook('onClose', async () => {
    if (!options.reader) await reader.close();
  });
  await app.register(fastifyMultipart, { limits: { ...FIELD_LIMITS, fileSize: limit } });

  app.get('/api/layers', {
    config: { resource: 'layers' },
    schema: { response: { 200: ReferenceLayerList } },
    handler: async () => ({ items: await listLayers(db) }),
  });

  app.post('/api/layers/uploads', {
    config: { resource: 'layers' },
    bodyLimit: limit + 1024 * 1024,
    schema: { response: { 201: ReferenceUpload, '4xx': LayerErrorResponse } },
    handler: async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError('unsupported_media_type',
          'send multipart/form-data: the file in a part named "file", with name_fa, name_en, kind (streets, facilities, land_use, other) and optional slug, mapping, service_classes, source_srs, encoding',
          { supported: SUPPORTED_FORMATS });
      }
      const form = await readForm(request, limit, app.multipartErrors.RequestFileTooLargeError, 'layer');
      const id = await createLayerPreview(db, reader, {
        fields: form.fields,
        file: form.file,
        user: request.user ? { id: request.user.id, username: request.user.username } : null,
      });
      return reply.code(201).send(await findUpload(db, id));
    },
  });

  app.get<{ Params: IdParams }>('/api/layers/uploads/:id', {
    config: { resource: 'layers' },
    schema: { params: IdParams, response: { 200: ReferenceUpload, '4xx': LayerErrorResponse } },
    handler: async (request) => {
      const upload = await findUpload(db, request.params.id);
      if (!upload) throw notFound('layer upload', request.params.id);
      return upload;
    },
  });

  app.get<{ Params: IdParams }>('/api/layers/uploads/:id/preview', {
    config: { resource: 'layers' },
    schema: { params: IdParams, response: { '4xx': LayerErrorResponse } },
    handler: async (request, reply) => {
      const upload = await findUpload(db, request.params.id);
      if (!upload) throw notFound('layer upload', request.params.id);
      if (upload.status === 'discarded') throw new AppError('conflict', `layer upload ${upload.id} was discarded`);
      return reply.type('application/geo+json; charset=utf-8').send(await previewGeoJson(db, upload.id));
    },
  });

  app.post<{ Params: IdParams }>('/api/layers/uploads/:id/commit', {
    config: { resource: 'layers' },
    schema: { params: IdParams, response: { 200: ReferenceCommitResult, '4xx': LayerErrorResponse } },
    handler: async (request) => commitUpload(db, request.params.id, request.user ?? null),
  });

  app.post<{ Params: IdParams }>('/api/layers/uploads/:id/discard', {
    config: { resource: 'layers' },
    schema: { params: IdParams, response: { 200: Type.Object({ id: Type.Integer(), status: Type.Literal('discarded') }), '4xx': LayerErrorResponse } },
    handler: async (request) => {
      await discardUpload(db, request.params.id, request.user ?? null);
      return { id: request.params.id, status: 'discarded' as const };
    },
  });

  app.get<{ Params: LayerSlugParams }>('/api/layers/:slug/versions', {
    config: { resource: 'layers' },
    schema: { params: LayerSlugParams, response: { 200: ReferenceVersionList, '4xx': LayerErrorResponse } },
    handler: async (request) => listVersions(db, request.params.slug),
  });

  app.post<{ Params: LayerVersionParams }>('/api/layers/:slug/versions/:version/restore', {
    config: { resource: 'layers' },
    schema: {
      params: LayerVersionParams,
      response: { 201: Type.Composite([ReferenceCommitResult, Type.Object({ restored_from: Type.Integer() })]), '4xx': LayerErrorResponse },
    },
    handler: async (request, reply) => {
      const result = await restoreVersion(db, request.params.slug, request.params.version, request.user ?? null);
      return reply.code(201).send(result);
    },
  });
};
