import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { boundaryChecksum, geojsonFile, multipart, square, upload } from './boundaries-helpers.js';
import { makeBoundaryFixtures, makeZip, type BoundaryFixtures } from '../fixtures/boundaries/make-fixtures.js';

// Hostile and broken files. Every refusal must leave the boundary tables, the uploads and
// the layer revisions exactly as they were (a checksum of them before and after), and the
// server must answer the next request. The upload limit is set to 256 KiB here, so the
// oversize file stays small; the zips are written byte by byte (makeZip), as no zip tool
// would make them.

const LIMIT = 256 * 1024;
const SUPPORTED = expect.arrayContaining([expect.stringContaining('GeoPackage')]);

describe.each(backends)('hostile boundary uploads on $name', (backend) => {
  let app: FastifyInstance;
  let gis: Client;
  let fixtures: BoundaryFixtures;

  beforeAll(async () => {
    [app, fixtures] = await Promise.all([backend.start({ uploadLimitBytes: LIMIT }), makeBoundaryFixtures()]);
    gis = await signedInAs(app, 'gis');
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Sends a hostile request, checks the answer, and that nothing changed and the server still serves. */
  async function refused(send: () => Promise<{ status: number; body: { error?: string; message?: string; supported?: string[] } }>, status: number) {
    const before = await boundaryChecksum(app);
    const answer = await send();
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(typeof answer.body.message).toBe('string');
    expect(await boundaryChecksum(app)).toBe(before);
    expect((await gis.get('/api/health')).status).toBe(200);
    const listed = await gis.get('/api/neighbourhoods?q=KRM-C-001');
    expect(JSON.parse(listed.text).features).toHaveLength(1);
    return answer;
  }

  it('refuses a file over the size limit with 413', async () => {
    const big = randomBytes(LIMIT + 1024);
    const answer = await refused(() => upload(gis, 'huge.geojson', big), 413);
    expect(answer.body.error).toBe('payload_too_large');
    expect(answer.body.message).toContain('MB limit');
    // A Content-Length far over the limit is refused before the body is read.
    const body = multipart({}, { name: 'huge.geojson', data: randomBytes(LIMIT * 6) });
    await refused(() => gis.request({ method: 'POST', url: '/api/boundaries/uploads', payload: body.payload, headers: { 'content-type': body.contentType } }), 413);
  });

  it('refuses a zip bomb before inflating it', async () => {
    // A shapefile whose .shp claims 3 GiB: refused from the central directory alone.
    const claimsHuge = makeZip([{ name: 'bomb.shp', data: Buffer.alloc(1000), declaredSize: 3 * 1024 ** 3 - 1 }]);
    expect(claimsHuge.length).toBeLessThan(LIMIT);
    await refused(() => upload(gis, 'bomb.zip', claimsHuge), 413);
    // One that lies, claiming 1 kB for 50 MB of zeros: stopped at the lie.
    const lies = makeZip([{ name: 'lies.geojson', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 1000 }]);
    expect(lies.length).toBeLessThan(LIMIT);
    await refused(() => upload(gis, 'lies.zip', lies), 413);
    // Too many entries.
    const many = makeZip(Array.from({ length: 1200 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x'), store: true })));
    await refused(() => upload(gis, 'many.zip', many), 413);
  });

  it('refuses zip entries that would escape the work folder', async () => {
    const geojson = fixtures['mahalleh.geojson']!;
    for (const name of ['../evil.geojson', '../../etc/passwd.geojson', '/tmp/abs.geojson', 'a/../../b.geojson', 'C:\\x\\..\\..\\y.geojson']) {
      const answer = await refused(() => upload(gis, 'escape.zip', makeZip([{ name, data: geojson }])), 422);
      expect(answer.body.message).toMatch(/outside|absolute|\.\./);
    }
    await refused(() => upload(gis, 'link.zip', makeZip([{ name: 'link.geojson', data: Buffer.from('/etc/passwd'), symlink: true }])), 422);
  });

  it('refuses unsupported and unreadable files, listing the formats it reads', async () => {
    let answer = await refused(() => upload(gis, 'boundaries.docx', Buffer.from('PK not really')), 415);
    expect(answer.body.supported).toEqual(SUPPORTED);
    answer = await refused(() => upload(gis, 'mahalleh.shp', Buffer.from('shape')), 415);
    expect(answer.body.message).toContain('.zip');
    answer = await refused(() => upload(gis, 'noise.gpkg', randomBytes(4096)), 415);
    expect(answer.body.supported).toEqual(SUPPORTED);
    await refused(() => upload(gis, 'readme.zip', makeZip([{ name: 'readme.txt', data: Buffer.from('hello') }])), 415);
    const whole = fixtures['mahalleh-utm40n-cp1256.zip']!;
    await refused(() => upload(gis, 'truncated.zip', whole.subarray(0, Math.floor(whole.length / 2))), 422);
    await refused(() => upload(gis, 'broken.geojson', Buffer.from('{"type": "FeatureCollection", "features": [{"type": ')), 422);
    await refused(() => upload(gis, 'empty.geojson', geojsonFile([])), 422);
    answer = await refused(() => upload(gis, 'mahalleh-utm40n-noprj.zip', fixtures['mahalleh-utm40n-noprj.zip']!), 422);
    expect(answer.body.message).toContain('source_srs');
    expect((answer.body as { field?: string }).field).toBe('source_srs');
    await refused(() => upload(gis, 'x.geojson', fixtures['mahalleh.geojson']!, { source_srs: '/etc/passwd' }), 400);
    await refused(() => upload(gis, 'x.geojson', fixtures['mahalleh.geojson']!, { layer: 'rivers' as 'counties' }), 400);
    await refused(() => upload(gis, 'x.geojson', fixtures['mahalleh.geojson']!, { mapping: { code: 'nope' } }), 400);
  });

  it('refuses requests that are not one multipart file', async () => {
    await refused(() => gis.post('/api/boundaries/uploads', { file: 'not multipart' }), 415);
    const fieldsOnly = multipart({ layer: 'neighbourhoods' });
    await refused(() => gis.request({ method: 'POST', url: '/api/boundaries/uploads', payload: fieldsOnly.payload, headers: { 'content-type': fieldsOnly.contentType } }), 400);
  });

  it('refuses a stale commit with 409 and changes nothing', async () => {
    const file = (code: string) => geojsonFile([{ properties: { code, name: 'کهنه' }, geometry: square(57.3, 30.02, 0.002) }]);
    const first = await upload(gis, 'first.geojson', file('S-001'));
    const second = await upload(gis, 'second.geojson', file('S-002'));
    expect((await gis.post(`/api/boundaries/uploads/${second.body.id}/commit`)).status).toBe(200);
    const answer = await refused(() => gis.post(`/api/boundaries/uploads/${first.body.id}/commit`), 409);
    expect(answer.body.message).toContain('upload the file again');
    // Its preview is still there to look at, or to discard.
    expect((await gis.get(`/api/boundaries/uploads/${first.body.id}`)).body.status).toBe('preview');
    expect((await gis.post(`/api/boundaries/uploads/${first.body.id}/discard`)).status).toBe(200);
  });
});
