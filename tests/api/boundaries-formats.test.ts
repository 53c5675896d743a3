import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Geometry } from 'geojson';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { bounds, confirmationOf, upload, type UploadOptions } from './boundaries-helpers.js';
import { NEIGHBOURHOODS, makeBoundaryFixtures, type BoundaryFixtures } from '../fixtures/boundaries/make-fixtures.js';

// Every format a GIS office sends, made fresh by the project's gdal3.js from the three
// illustrative neighbourhoods in tests/fixtures/boundaries/make-fixtures.ts (to look at them:
// `npx tsx tests/fixtures/boundaries/make-fixtures.ts /tmp/boundary-fixtures`), goes through
// upload → preview → commit and comes out of GET /api/neighbourhoods with its Persian names
// and its position. Each case then restores the version before it, so the next starts clean.

const FORMATS: [file: string, format: string, crs: string, options: UploadOptions][] = [
  ['mahalleh-utm40n-cp1256.zip', 'ESRI Shapefile', 'EPSG:32640', {}],
  ['mahalleh-utm40n-ldid87.zip', 'ESRI Shapefile', 'EPSG:32640', { encoding: 'CP1256' }],
  ['mahalleh-utm40n-noprj.zip', 'ESRI Shapefile', 'EPSG:32640', { source_srs: 'EPSG:32640' }],
  ['mahalleh-3857.gpkg', 'GPKG', 'EPSG:3857', {}],
  ['mahalleh-utm39n.fgb', 'FlatGeobuf', 'EPSG:32639', {}],
  ['mahalleh.geojson', 'GeoJSON', 'EPSG:4326', {}],
  ['mahalleh.gml', 'GML', 'EPSG:4326', {}],
  ['mahalleh.kml', 'KML', 'EPSG:4326', {}],
  ['mahalleh.kmz', 'KML', 'EPSG:4326', {}],
  ['mahalleh-wkt.csv', 'CSV', 'EPSG:4326', {}],
  ['mahalleh-wkt-cp1256.csv', 'CSV', 'EPSG:4326', {}],
];

/** Surveyed to six decimals; the API rounds to six: a round trip through UTM stays within 2e-6°. */
const TOLERANCE = 2e-6;

describe.each(backends)('boundary upload formats on $name', (backend) => {
  let app: FastifyInstance;
  let gis: Client;
  let fixtures: BoundaryFixtures;

  beforeAll(async () => {
    [app, fixtures] = await Promise.all([backend.start(), makeBoundaryFixtures()]);
    gis = await signedInAs(app, 'gis');
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(FORMATS)('%s: upload, preview, commit, and the map shows it', async (file, format, crs, options) => {
    const before = (await gis.get('/api/boundaries/versions')).body.current as number;

    const previewed = await upload(gis, file, fixtures[file]!, options);
    expect(previewed.status, previewed.text).toBe(201);
    expect(previewed.body).toMatchObject({ status: 'preview', layer: 'neighbourhoods', mode: 'merge', format, feature_count: 3, base_version: before });
    expect(previewed.body.crs).toBe(crs);
    expect(previewed.body.mapping.code).toBeDefined();
    expect(previewed.body.mapping.name_fa).toBeDefined();
    expect(previewed.body.report.rejected).toEqual([]);
    expect(previewed.body.diff.counts).toMatchObject({ added: 3, changed: 0, removed: 0 });
    expect(previewed.body.diff.added.map((a) => a.name_fa).sort()).toEqual(NEIGHBOURHOODS.map((n) => n.name_fa).sort());

    const preview = await gis.get(`/api/boundaries/uploads/${previewed.body.id}/preview`);
    expect(preview.status).toBe(200);
    expect(String(preview.headers['content-type'])).toContain('application/geo+json');
    const previewFeatures = JSON.parse(preview.text).features as { properties: { code: string; change: string } }[];
    expect(previewFeatures.map((f) => [f.properties.code, f.properties.change]).sort()).toEqual([
      ['K-001', 'added'], ['K-002', 'added'], ['K-003', 'added'],
    ]);

    // The fixtures overlap seeded neighbourhoods: the commit accepts the overlaps by number.
    const committed = await gis.post(`/api/boundaries/uploads/${previewed.body.id}/commit`, confirmationOf(previewed.body));
    expect(committed.status, committed.text).toBe(200);
    expect(committed.body).toMatchObject({ status: 'committed', version: before + 1, counts: { added: 3 } });

    const listed = await gis.get('/api/neighbourhoods?q=K-00');
    const features = JSON.parse(listed.text).features as { geometry: Geometry; properties: { code: string; name_fa: string; name_en: string; county_fa: string } }[];
    expect(features).toHaveLength(3);
    for (const expected of NEIGHBOURHOODS) {
      const got = features.find((f) => f.properties.code === expected.code)!;
      expect(got.properties.name_fa).toBe(expected.name_fa);
      expect(got.properties.county_fa).toBe('کرمان');
      const [w, s, e, n] = bounds(got.geometry);
      const [ew, es, ee, en] = bounds(expected.geometry);
      for (const [a, b] of [[w, ew], [s, es], [e, ee], [n, en]] as const) expect(Math.abs(a - b)).toBeLessThan(TOLERANCE);
      expect(got.geometry.type).toBe('MultiPolygon');
    }
    // Allah-Abad keeps its zero-width non-joiner.
    expect(features.find((f) => f.properties.code === 'K-001')!.properties.name_fa).toContain('\u200c');

    const restored = await gis.post(`/api/boundaries/versions/${before}/restore`);
    expect(restored.status, restored.text).toBe(201);
    expect(restored.body.counts.removed).toBe(3);
    expect(JSON.parse((await gis.get('/api/neighbourhoods?q=K-00')).text).features).toHaveLength(0);
  });

  it('reads the longitude/latitude CSV and rejects its points as not areas', async () => {
    const previewed = await upload(gis, 'mahalleh-points.csv', fixtures['mahalleh-points.csv']!);
    expect(previewed.status, previewed.text).toBe(201);
    expect(previewed.body.report.accepted).toBe(0);
    expect(previewed.body.report.rejected.map((r) => r.reason)).toEqual(['not_polygon', 'not_polygon', 'not_polygon']);
    expect(previewed.body.report.rejected[0]!.message).toContain('POINT');
    expect(previewed.body.diff.counts.added).toBe(0);
  });
});
