import type { MultiPolygon } from 'geojson';
import { ApiError, apiUrl, request, signedInAgain } from './api';
import type {
  BoundaryLayer, BoundaryVersionList, CommitConfirmation, CommitResult, DiscardResult, FieldMapping, RestoreResult, Upload, UploadMode,
} from '../shared/boundaries-schemas';

// The boundary upload API (server/boundaries/routes.ts) for the wizard.

export type { BoundaryLayer, BoundaryVersionList, FieldMapping, Upload, UploadMode };

export interface UploadRequest {
  file: File;
  layer: BoundaryLayer;
  mode: UploadMode;
  mapping?: FieldMapping;
  sourceSrs?: string;
  encoding?: string;
}

/** A changed feature carries its old shape in `before` (a GeoJSON foreign member). */
export interface PreviewFeature {
  type: 'Feature';
  id: number | null;
  geometry: MultiPolygon;
  before?: MultiPolygon | null;
  properties: {
    index: number | null;
    code: string;
    name_fa: string;
    name_en: string | null;
    change: 'added' | 'changed' | 'removed' | 'unchanged';
    geometry_change_pct: number | null;
    repaired: boolean;
    blocked: boolean;
  };
}
export interface PreviewCollection {
  type: 'FeatureCollection';
  features: PreviewFeature[];
}

/** Multipart, so not through request(): the browser sets the boundary of the body itself. */
export async function createUpload(upload: UploadRequest): Promise<Upload> {
  const form = new FormData();
  form.set('layer', upload.layer);
  form.set('mode', upload.mode);
  if (upload.mapping) form.set('mapping', JSON.stringify(upload.mapping));
  if (upload.sourceSrs) form.set('source_srs', upload.sourceSrs);
  if (upload.encoding) form.set('encoding', upload.encoding);
  form.set('file', upload.file, upload.file.name);
  const url = apiUrl('/api/boundaries/uploads');
  const response = await fetch(url, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as Upload & { error?: string; message?: string };
  if (!response.ok) {
    const refusal = new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText, body as unknown as Record<string, unknown>);
    if (await signedInAgain(url, refusal)) return createUpload(upload);
    throw refusal;
  }
  return body;
}

export function fetchPreview(id: number): Promise<PreviewCollection> {
  return request(apiUrl(`/api/boundaries/uploads/${id}/preview`));
}

/** confirm: the numbers of overlaps, features outside and spelling matches the uploader accepted. */
export function commitUpload(id: number, confirm?: CommitConfirmation): Promise<CommitResult> {
  return request(apiUrl(`/api/boundaries/uploads/${id}/commit`), {
    method: 'POST',
    ...(confirm && { body: JSON.stringify({ confirm }), headers: { 'content-type': 'application/json' } }),
  });
}

export function discardUpload(id: number): Promise<DiscardResult> {
  return request(apiUrl(`/api/boundaries/uploads/${id}/discard`), { method: 'POST' });
}

export function fetchVersions(layer: BoundaryLayer): Promise<BoundaryVersionList> {
  return request(apiUrl('/api/boundaries/versions', { layer }));
}

export function restoreVersion(layer: BoundaryLayer, version: number): Promise<RestoreResult> {
  return request(apiUrl(`/api/boundaries/versions/${version}/restore`, { layer }), { method: 'POST' });
}
