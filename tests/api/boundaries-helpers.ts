import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import type { Answer, Client } from './clients.js';
import type { Upload } from '../../shared/boundaries-schemas.js';

/** A multipart/form-data body, byte for byte, as a browser's FormData sends it. */
export function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer }): { payload: Buffer; contentType: string } {
  const boundary = `----mahallenama${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface UploadOptions {
  layer?: 'neighbourhoods' | 'counties';
  mode?: 'merge' | 'replace';
  mapping?: Record<string, string>;
  source_srs?: string;
  encoding?: string;
}

export function upload(client: Client, name: string, data: Buffer, options: UploadOptions = {}): Promise<Answer<Upload & { error?: string; message?: string }>> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) fields[key] = typeof value === 'string' ? value : JSON.stringify(value);
  const body = multipart(fields, { name, data });
  return client.request({ method: 'POST', url: '/api/boundaries/uploads', payload: body.payload, headers: { 'content-type': body.contentType } });
}

/**
 * The commit body that accepts what the preview's report shows (overlaps, features outside
 * the service area, counties matched by spelling), as an uploader who has read it would.
 */
export function confirmationOf(preview: Upload) {
  const { report } = preview;
  return {
    confirm: {
      overlaps: report.overlaps.length,
      outside_service_area: report.outside_service_area.length,
      county_matches: report.county_matches.length,
    },
  };
}

/** Upload and commit, accepting what the report shows; fails the test when either step is refused. */
export async function uploadAndCommit(client: Client, name: string, data: Buffer, options: UploadOptions = {}) {
  const previewed = await upload(client, name, data, options);
  if (previewed.status !== 201) throw new Error(`upload refused: ${previewed.status} ${previewed.text}`);
  const committed = await client.post(`/api/boundaries/uploads/${previewed.body.id}/commit`, confirmationOf(previewed.body));
  if (committed.status !== 200) throw new Error(`commit refused: ${committed.status} ${committed.text}`);
  return { preview: previewed.body, version: committed.body.version as number };
}

/** A GeoJSON file of the given features, as a GIS tool would export it. */
export function geojsonFile(features: { properties: Record<string, unknown>; geometry: Geometry | null }[]): Buffer {
  const collection: FeatureCollection = {
    type: 'FeatureCollection',
    features: features.map((f) => ({ type: 'Feature', properties: f.properties, geometry: f.geometry }) as Feature),
  };
  return Buffer.from(JSON.stringify(collection));
}

/** An axis-aligned square, [lon, lat] of its south-west corner, side in degrees. */
export function square(lon: number, lat: number, side: number): Polygon {
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]] };
}

/**
 * A fingerprint of everything a boundary upload may write: the boundary tables, their
 * history, the uploads and their staged features, the versions, the layer revisions.
 * Equal before and after a refused request means the refusal changed nothing.
 */
export async function boundaryChecksum(app: FastifyInstance): Promise<string> {
  const tables = [
    'neighbourhoods', 'counties', 'boundary_versions', 'neighbourhood_versions', 'county_versions',
    'boundary_uploads', 'boundary_upload_features', 'layer_revisions',
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ sum: string }>`
      select ${table} || ':' || count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum
      from ${sql.table(table)} t`.execute(app.database.db);
    parts.push(rows[0]!.sum);
  }
  return parts.join('\n');
}

/** The exact state of a layer's boundaries: attributes and geometry bytes, by code. */
export async function layerState(app: FastifyInstance, layer: 'neighbourhoods' | 'counties'): Promise<Map<string, string>> {
  const { rows } = layer === 'neighbourhoods'
    ? await sql<{ code: string; state: string }>`
        select code, concat_ws('|', id, name_fa, name_en, county_id, population, households, deprivation, informal, margin,
          source, license, md5(ST_AsEWKB(geom))) as state from neighbourhoods`.execute(app.database.db)
    : await sql<{ code: string; state: string }>`
        select code, concat_ws('|', id, name_fa, name_en, population, population_date, source, license,
          md5(ST_AsEWKB(geom))) as state from counties`.execute(app.database.db);
  return new Map(rows.map((r) => [r.code, r.state]));
}

/** Minimum and maximum longitude and latitude of a GeoJSON geometry. */
export function bounds(geometry: Geometry): [number, number, number, number] {
  const out: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') {
      const [x, y] = value as [number, number];
      out[0] = Math.min(out[0], x); out[1] = Math.min(out[1], y);
      out[2] = Math.max(out[2], x); out[3] = Math.max(out[3], y);
      return;
    }
    value.forEach(walk);
  };
  walk('coordinates' in geometry ? geometry.coordinates : []);
  return out;
}
