import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { boundaryChecksum, geojsonFile, multipart, square, upload } from './boundaries-helpers.js';

// The upload safety net (issues 13.5, 15.3, 15.7): a NaN or infinite coordinate is a
// rejection with its reason; every rejection and refusal carries a stable code and its
// values; county names in near spellings match with a confirmation; the service area
// (the province outline) applies to the county layer too; overlaps, features outside and
// spelling matches must be confirmed by number on commit, and the audit log keeps that.
// The GeoJSON files are written here; the counties come from geodata/kerman-counties.geojson.

type Counties = FeatureCollection<MultiPolygon, { name_fa: string; name_en: string | null; osm_id: string }>;
const counties = JSON.parse(fs.readFileSync(path.resolve('geodata/kerman-counties.geojson'), 'utf8')) as Counties;

/** A MultiPolygon moved by dx degrees of longitude. */
const shifted = (geometry: MultiPolygon, dx: number): MultiPolygon =>
  ({ type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(([x, y]) => [x! + dx, y!]))) });

describe.each(backends)('boundary upload safety net on $name', (backend) => {
  let app: FastifyInstance;
  let gis: Client;

  beforeAll(async () => {
    app = await backend.start();
    gis = await signedInAs(app, 'gis');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('rejects a feature with a NaN or infinite coordinate, with its reason', async () => {
    // JSON has no NaN; GIS tools write it anyway, and GDAL reads it. 1e999 reads as infinity.
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'NAN-1', name_fa: 'ناعدد' }, geometry: square(57.25, 29.95, 0.01) },
        { type: 'Feature', properties: { code: 'NAN-2', name_fa: 'بی‌نهایت' }, geometry: square(57.27, 29.95, 0.01) },
        { type: 'Feature', properties: { code: 'NAN-3', name_fa: 'درست' }, geometry: square(57.29, 29.95, 0.01) },
      ],
    }).replace('[57.26,29.95]', '[NaN,29.95]').replace('[57.28,29.95]', '[1e999,29.95]');
    expect(text).toContain('NaN');
    expect(text).toContain('1e999');
    const res = await upload(gis, 'nan.geojson', Buffer.from(text));
    expect(res.status, res.text).toBe(201);
    const { report } = res.body;
    expect(report.features).toBe(3);
    expect(report.accepted).toBe(1);
    expect(report.rejected).toEqual([
      expect.objectContaining({ index: 0, code: 'NAN-1', reason: 'non_finite', values: { value: 'NaN' } }),
      expect.objectContaining({ index: 1, code: 'NAN-2', reason: 'non_finite', values: { value: 'Infinity' } }),
    ]);
    expect(report.rejected[0]!.message).toContain('NaN');
    expect(res.body.diff.added.map((a) => a.code)).toEqual(['NAN-3']);
    expect((await gis.post(`/api/boundaries/uploads/${res.body.id}/discard`)).status).toBe(200);
  });

  it('gives every rejection a reason code and its values', async () => {
    const file = geojsonFile([
      { properties: { kod: null, nam: 'بی‌کد' }, geometry: square(57.25, 29.95, 0.002) },
      { properties: { kod: 'C-2', nam: 'جمعیت بد', jam: 'بسیار' }, geometry: square(57.26, 29.95, 0.002) },
      { properties: { kod: 'C-3', nam: 'نقطه' }, geometry: { type: 'Point', coordinates: [57.27, 29.95] } },
      { properties: { kod: 'C-4', nam: 'تکرار' }, geometry: square(57.28, 29.95, 0.002) },
      { properties: { kod: 'C-4', nam: 'تکرار دو' }, geometry: square(57.29, 29.95, 0.002) },
    ]);
    const res = await upload(gis, 'codes.geojson', file, { mapping: { code: 'kod', name_fa: 'nam', population: 'jam' } });
    expect(res.status, res.text).toBe(201);
    const byIndex = Object.fromEntries(res.body.report.rejected.map((r) => [r.index, { reason: r.reason, values: r.values }]));
    expect(byIndex).toEqual({
      0: { reason: 'missing_code', values: { target: 'code', field: 'kod' } },
      1: { reason: 'bad_value', values: { target: 'population', field: 'jam', value: 'بسیار', min: 0, max: 2147483647 } },
      2: { reason: 'not_polygon', values: { geometry_type: 'POINT' } },
      3: { reason: 'duplicate_code', values: { value: 'C-4', indexes: [3, 4] } },
      4: { reason: 'duplicate_code', values: { value: 'C-4', indexes: [3, 4] } },
    });
    await gis.post(`/api/boundaries/uploads/${res.body.id}/discard`);

    // Nothing mapped to the code: the field is null, so the client can say so.
    const unmapped = await upload(gis, 'unmapped.geojson', geojsonFile([
      { properties: { x: 'a' }, geometry: square(57.25, 29.95, 0.002) },
    ]));
    expect(unmapped.body.report.rejected[0]).toMatchObject({ reason: 'missing_code', values: { target: 'code', field: null } });
    await gis.post(`/api/boundaries/uploads/${unmapped.body.id}/discard`);
  });

  it('gives every refusal a reason code and its values, and changes nothing', async () => {
    const refusals: [() => ReturnType<typeof upload>, number, Record<string, unknown>][] = [
      [() => upload(gis, 'notes.docx', Buffer.from('hello')), 415, { code: 'unsupported_format', values: { file: 'notes.docx' } }],
      [() => upload(gis, 'parts.shp', Buffer.from('x')), 415, { code: 'shapefile_parts' }],
      [() => upload(gis, 'empty.geojson', Buffer.alloc(0)), 400, { code: 'empty_file', values: { file: 'empty.geojson' } }],
      [() => upload(gis, 'a.zip', Buffer.from('not a zip')), 422, { code: 'not_zip', values: { file: 'a.zip' } }],
      [() => upload(gis, 'a.geojson', Buffer.from('{"type": "Feature')), 415, { code: 'wrong_format', values: { file: 'a.geojson' } }],
      [() => upload(gis, 'utm.csv', Buffer.from('code,WKT\nU,"POLYGON((500000 3300000,500100 3300000,500100 3300100,500000 3300000))"\n')),
        422, { code: 'missing_crs', field: 'source_srs', values: { file: 'utm.csv' } }],
      [() => upload(gis, 'a.geojson', geojsonFile([{ properties: { code: 'U' }, geometry: square(57, 30, 0.01) }]), { source_srs: 'EPSG:99999999' }),
        400, { code: 'unknown_crs', field: 'source_srs', values: { value: 'EPSG:99999999' } }],
      [() => upload(gis, 'a.geojson', geojsonFile([{ properties: { code: 'U' }, geometry: square(57, 30, 0.01) }]), { mapping: { code: 'kod' } }),
        400, { code: 'mapping_unknown_field', field: 'mapping', values: { target: 'code', value: 'kod', fields: 'code' } }],
      [() => upload(gis, 'a.geojson', geojsonFile([{ properties: { code: 'U' }, geometry: square(57, 30, 0.01) }]), { layer: 'districts' as 'counties' }),
        400, { code: 'invalid_option', field: 'layer', values: { value: 'districts', allowed: 'neighbourhoods, counties' } }],
    ];
    for (const [send, status, expected] of refusals) {
      const before = await boundaryChecksum(app);
      const answer = await send();
      expect(answer.status, answer.text).toBe(status);
      expect(answer.body, answer.text).toMatchObject(expected);
      expect(typeof answer.body.message).toBe('string');
      expect(await boundaryChecksum(app)).toBe(before);
    }
    const notMultipart = await gis.post('/api/boundaries/uploads', { file: 'x' });
    expect(notMultipart.body).toMatchObject({ error: 'unsupported_media_type', code: 'not_multipart' });
    const fieldsOnly = multipart({ layer: 'counties' });
    const noFile = await gis.request({ method: 'POST', url: '/api/boundaries/uploads', payload: fieldsOnly.payload, headers: { 'content-type': fieldsOnly.contentType } });
    expect(noFile.status).toBe(400);
    expect(noFile.body).toMatchObject({ code: 'one_file' });

    // A discarded preview cannot be committed: the refusal says so by code.
    const previewed = await upload(gis, 'gone.geojson', geojsonFile([{ properties: { code: 'G-1', name_fa: 'رفته' }, geometry: square(57.25, 29.95, 0.002) }]));
    await gis.post(`/api/boundaries/uploads/${previewed.body.id}/discard`);
    const late = await gis.post(`/api/boundaries/uploads/${previewed.body.id}/commit`);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'not_preview', values: { upload: previewed.body.id, status: 'discarded' } });
    const badBody = await gis.post(`/api/boundaries/uploads/${previewed.body.id}/commit`, { confirm: { overlaps: -1 } });
    expect(badBody.status).toBe(400);
    expect(badBody.body).toMatchObject({ error: 'invalid_request', field: 'confirm' });
  });

  it('matches counties written in near spellings, and asks for a confirmation of them', async () => {
    const file = geojsonFile([
      { properties: { code: 'SP-1', name_fa: 'محله ارزوییه', shahr: 'ارزوییه' }, geometry: square(56.45, 28.55, 0.005) },
      { properties: { code: 'SP-2', name_fa: 'محله رودبار', shahr: 'رودبار' }, geometry: square(58.0, 27.85, 0.005) },
      { properties: { code: 'SP-3', name_fa: 'محله کرمان', shahr: 'كرمان' }, geometry: square(57.25, 29.95, 0.005) },
      { properties: { code: 'SP-4', name_fa: 'محله ناپیدا', shahr: 'آتلانتیس' }, geometry: square(57.26, 29.95, 0.005) },
    ]);
    const res = await upload(gis, 'spelling.geojson', file, { mapping: { code: 'code', name_fa: 'name_fa', county: 'shahr' } });
    expect(res.status, res.text).toBe(201);
    const { report } = res.body;
    expect(report.county_matches).toEqual([
      expect.objectContaining({ index: 0, code: 'SP-1', field: 'shahr', value: 'ارزوییه', county_fa: 'ارزوئیه', county_en: 'Arzuiyeh' }),
      expect.objectContaining({ index: 1, code: 'SP-2', field: 'shahr', value: 'رودبار', county_fa: 'رودبار جنوب' }),
    ]);
    expect(report.rejected).toEqual([
      expect.objectContaining({ index: 3, reason: 'unknown_county', values: { target: 'county', field: 'shahr', value: 'آتلانتیس' } }),
    ]);
    expect(report.accepted).toBe(3);

    const unconfirmed = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body).toMatchObject({ code: 'confirmation_required', values: { county_matches: 2, overlaps: 0, outside_service_area: 0 } });
    const committed = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, { confirm: { county_matches: 2 } });
    expect(committed.status, committed.text).toBe(200);
    const counties = JSON.parse((await gis.get('/api/counties')).text).features as { id: number; properties: { name_fa: string } }[];
    const countyOf = async (code: string) => {
      const listed = JSON.parse((await gis.get(`/api/neighbourhoods?q=${code}`)).text).features as { properties: { code: string; county_id: number } }[];
      const id = listed.find((f) => f.properties.code === code)!.properties.county_id;
      return counties.find((c) => (c.id ?? (c.properties as { id?: number }).id) === id)?.properties.name_fa;
    };
    expect(await countyOf('SP-1')).toBe('ارزوئیه');
    expect(await countyOf('SP-2')).toBe('رودبار جنوب');
    expect((await gis.post(`/api/boundaries/versions/${res.body.base_version}/restore`)).status).toBe(201);
  });

  it('checks county uploads against the province outline, and a commit with features outside or overlaps needs their number', async () => {
    // The 25 counties as they are, ten of them again 6° further west (in Fars and Yazd,
    // outside the province) under new codes, and one county stretched into its neighbour.
    const features = counties.features.map((f) => ({ properties: { code: f.properties.osm_id, name_fa: f.properties.name_fa }, geometry: f.geometry }));
    for (const f of counties.features.slice(0, 10)) {
      features.push({ properties: { code: `${f.properties.osm_id}-west`, name_fa: `${f.properties.name_fa} غربی` }, geometry: shifted(f.geometry, -6) });
    }
    features.push({ properties: { code: 'wide', name_fa: 'پهن' }, geometry: { type: 'MultiPolygon', coordinates: [square(57.0, 30.2, 0.2).coordinates] } });
    const before = await boundaryChecksum(app);
    const res = await upload(gis, 'counties.geojson', geojsonFile(features), { layer: 'counties' });
    expect(res.status, res.text).toBe(201);
    const { report } = res.body;
    expect(report.service_area).toBe('counties');
    expect(report.outside_service_area.map((o) => o.code).sort()).toEqual(
      counties.features.slice(0, 10).map((f) => `${f.properties.osm_id}-west`).sort());
    expect(report.outside_service_area.every((o) => o.outside_pct > 99)).toBe(true);
    expect(report.overlaps.length).toBeGreaterThan(0);
    expect(report.overlaps.every((o) => o.a.code === 'wide' || o.b.code === 'wide')).toBe(true);

    const refused = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'conflict', code: 'confirmation_required',
      values: { overlaps: report.overlaps.length, outside_service_area: 10, county_matches: 0 },
    });
    expect(refused.body.message).toContain('10 features outside the service area');
    expect((await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, { confirm: { outside_service_area: 10 } })).status).toBe(409);
    expect(await boundaryChecksum(app)).not.toBe(before); // the preview itself was stored…
    const afterPreview = await boundaryChecksum(app);
    expect((await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, { confirm: { overlaps: 0, outside_service_area: 10 } })).status).toBe(409);
    expect(await boundaryChecksum(app)).toBe(afterPreview); // …and the refusals changed nothing

    const confirm = { overlaps: report.overlaps.length, outside_service_area: 10 };
    const committed = await gis.post(`/api/boundaries/uploads/${res.body.id}/commit`, { confirm });
    expect(committed.status, committed.text).toBe(200);
    expect(committed.body.counts).toMatchObject({ added: 11 });
    const audit = await app.database.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'after', 'username'])
      .where('action', '=', 'commit').where('entity', '=', 'boundaries').where('entity_id', '=', String(res.body.id)).execute();
    expect(audit).toHaveLength(1);
    const after = (typeof audit[0]!.after === 'string' ? JSON.parse(audit[0]!.after) : audit[0]!.after) as { confirmed: unknown };
    expect(after.confirmed).toEqual({ ...confirm, county_matches: 0 });
    expect((await gis.post(`/api/boundaries/versions/${res.body.base_version}/restore?layer=counties`)).status).toBe(201);
  });
});
