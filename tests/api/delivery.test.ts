import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { precompressFolder } from '../../build/precompress.js';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import { backends } from './backends.js';
import { decode, plannerCookie } from './tile-helpers.js';

/** Kerman city centre (GeoNames 128234), where most seed neighbourhoods are. */
const KERMAN = { lon: 57.07879, lat: 30.28321 };

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they came over the wire. */
  raw: Buffer;
  /** The body after undoing Content-Encoding. */
  body: Buffer;
}

/**
 * A request over real HTTP that keeps the bytes on the wire (fetch would inflate them
 * and hide what the server sent).
 */
function rawGet(base: string, url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${url}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const body = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
          resolve({ status: res.statusCode!, headers: res.headers, raw, body });
        });
      })
      .on('error', reject);
  });
}

const varies = (a: RawAnswer) => String(a.headers.vary ?? '').toLowerCase().split(/\s*,\s*/).includes('accept-encoding');

// A built client in miniature: real files, pre-compressed by the build's own code.
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-client-'));
const SCRIPT = `console.log(${JSON.stringify('محله‌نما '.repeat(400))});\n`;
const INDEX = `<!doctype html><html lang="fa" dir="rtl"><head><script type="module" src="/assets/app-Ab12Cd34.js"></script></head><body>${'<p>محله‌نما</p>'.repeat(100)}</body></html>`;
fs.mkdirSync(path.join(clientDir, 'assets'));
fs.writeFileSync(path.join(clientDir, 'assets/app-Ab12Cd34.js'), SCRIPT);
fs.writeFileSync(path.join(clientDir, 'index.html'), INDEX);

describe.each(backends)('compressed and cached delivery on $name', (backend) => {
  let app: FastifyInstance;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    expect((await precompressFolder(clientDir)).length).toBe(2);
    app = await backend.start({ clientDir });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    cookie = await plannerCookie(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends the neighbourhood list brotli, gzip or identity, each decoding to the same bytes', async () => {
    const identity = await rawGet(base, '/api/neighbourhoods', { cookie });
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(varies(identity)).toBe(true);
    expect(JSON.parse(identity.body.toString()).features.length).toBeGreaterThan(0);

    const br = await rawGet(base, '/api/neighbourhoods', { cookie, 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(varies(br)).toBe(true);
    expect(br.body.equals(identity.body)).toBe(true);
    expect(br.raw.length).toBeLessThan(identity.raw.length / 4);

    const gzip = await rawGet(base, '/api/neighbourhoods', { cookie, 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.equals(identity.body)).toBe(true);
    expect(gzip.raw.length).toBeLessThan(identity.raw.length / 3);
  });

  it('ignores an Accept-Encoding it cannot read, or one that refuses everything we have', async () => {
    for (const header of ['gzip;q=banana', ';;,,=', 'compress, identity;q=0', 'br;q=0, gzip;q=0', '\u00e9\u00e9']) {
      const answer = await rawGet(base, '/api/neighbourhoods', { cookie, 'accept-encoding': header });
      expect(answer.status, header).toBe(200);
      expect(JSON.parse(answer.body.toString()).features.length, header).toBeGreaterThan(0);
    }
    const refused = await rawGet(base, '/api/neighbourhoods', { cookie, 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('tags lists and exports with ETags and answers 304 for the one the client holds', async () => {
    for (const url of ['/api/neighbourhoods', '/api/problems.geojson', '/api/problems.csv', '/api/interventions.geojson', '/api/counties']) {
      const first = await rawGet(base, url, { cookie, 'accept-encoding': 'br' });
      expect(first.status, url).toBe(200);
      const etag = first.headers.etag!;
      expect(etag, url).toMatch(/^W\/"[\w-]+"$/);
      // The same content whatever the encoding: the same (weak) ETag.
      expect((await rawGet(base, url, { cookie })).headers.etag, url).toBe(etag);

      const again = await rawGet(base, url, { cookie, 'accept-encoding': 'br', 'if-none-match': etag });
      expect(again.status, url).toBe(304);
      expect(again.raw.length, url).toBe(0);
      expect(again.headers.etag, url).toBe(etag);

      const other = await rawGet(base, url, { cookie, 'if-none-match': 'W/"something-else"' });
      expect(other.status, url).toBe(200);
      expect(other.body.equals(first.body), url).toBe(true);
    }
  });

  it('changes the ETag when the data changes', async () => {
    const before = await rawGet(base, '/api/problems.geojson', { cookie });
    const admin = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'test-admin-password' } });
    const adminCookie = admin.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const neighbourhood = JSON.parse((await rawGet(base, '/api/neighbourhoods', { cookie })).body.toString()).features[0].id as number;
    const created = await app.inject({
      method: 'POST',
      url: '/api/problems',
      headers: { cookie: adminCookie, origin: 'http://localhost' },
      payload: { neighbourhood_id: neighbourhood, category: 'social', title: 'آب قطع است', severity: 2 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const after = await rawGet(base, '/api/problems.geojson', { cookie, 'if-none-match': before.headers.etag! });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('sends tiles gzipped from the cache to clients that accept gzip, on both paths, and identity to others', async () => {
    const t = lonLatToTile(KERMAN.lon, KERMAN.lat, 12);
    const url = `/tiles/neighbourhoods/${t.z}/${t.x}/${t.y}.mvt`;
    const rendered = await rawGet(base, url, { cookie, 'accept-encoding': 'gzip, deflate, br' });
    expect(rendered.status).toBe(200);
    expect(rendered.headers['x-tile-cache']).toBe('miss');
    expect(rendered.headers['content-encoding']).toBe('gzip');
    expect(Number(rendered.headers['content-length'])).toBe(rendered.raw.length);
    expect(varies(rendered)).toBe(true);
    expect(decode(rendered.body).neighbourhoods!.length).toBeGreaterThan(0);

    // Cached now: the hot path answers a browser; the route answers a client with no cookie
    // path of its own (inject) — both gzip.
    const hot = await rawGet(base, url, { cookie, 'accept-encoding': 'gzip, deflate, br' });
    expect(hot.headers['x-tile-cache']).toBe('hit');
    expect(hot.headers['content-encoding']).toBe('gzip');
    expect(hot.raw.equals(rendered.raw)).toBe(true);
    const route = await app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(route.headers['content-encoding']).toBe('gzip');
    expect(route.rawPayload.equals(rendered.raw)).toBe(true);

    const identity = await rawGet(base, url, { cookie });
    expect(identity.headers['x-tile-cache']).toBe('hit');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.raw.equals(rendered.body)).toBe(true);
    expect(identity.raw.length).toBeGreaterThan(rendered.raw.length);
    expect(varies(identity)).toBe(true);

    // Two representations, two strong ETags; either one the client holds is current.
    expect(identity.headers.etag).not.toBe(rendered.headers.etag);
    for (const held of [identity.headers.etag!, rendered.headers.etag!]) {
      const revalidated = await rawGet(base, url, { cookie, 'accept-encoding': 'gzip', 'if-none-match': held });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.etag).toBe(rendered.headers.etag);
    }
  });

  it('sends the built client pre-compressed: hashed assets cached for a year, index.html revalidated', async () => {
    const script = await rawGet(base, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(script.status).toBe(200);
    expect(script.headers['content-encoding']).toBe('br');
    expect(script.raw.equals(fs.readFileSync(path.join(clientDir, 'assets/app-Ab12Cd34.js.br')))).toBe(true);
    expect(script.body.toString()).toBe(SCRIPT);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(varies(script)).toBe(true);

    const gz = await rawGet(base, '/assets/app-Ab12Cd34.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.toString()).toBe(SCRIPT);

    const plain = await rawGet(base, '/assets/app-Ab12Cd34.js', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.raw.toString()).toBe(SCRIPT);
    expect(varies(plain)).toBe(true);

    for (const url of ['/', '/index.html']) {
      const page = await rawGet(base, url, { 'accept-encoding': 'br' });
      expect(page.status, url).toBe(200);
      expect(page.headers['content-encoding'], url).toBe('br');
      expect(page.body.toString(), url).toBe(INDEX);
      expect(page.headers['cache-control'], url).toBe('no-cache');
    }
    // The copies are not addresses of their own.
    expect((await rawGet(base, '/assets/app-Ab12Cd34.js.br', { cookie })).status).toBe(404);
  });
});

afterAll(() => fs.rmSync(clientDir, { recursive: true, force: true }));
