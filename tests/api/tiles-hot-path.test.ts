import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import { backends } from './backends.js';
import { OUR_ORIGIN, signedInAs } from './clients.js';
import { decode, plannerCookie } from './tile-helpers.js';

/** Kerman city centre (GeoNames 128234), where most seed neighbourhoods are. */
const KERMAN = { lon: 57.07879, lat: 30.28321 };

/** Headers that belong to the connection, not to the answer. */
const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const answerHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !CONNECTION_HEADERS.has(name)).map(([name, value]) => [name, String(value)]));

// The server answers cached tiles to signed-in users before Fastify (server/tiles/hot-path.ts).
// These tests go over real HTTP, where that path is, and watch which requests reach Fastify.
describe.each(backends)('tiles from the hot path on $name', (backend) => {
  let app: FastifyInstance;
  let base: string;
  let cookie: string;
  /** URLs of the requests that reached Fastify. */
  const reachedFastify: string[] = [];

  beforeAll(async () => {
    app = await backend.start();
    // onSend: it runs for every answer Fastify sends, errors from earlier hooks too.
    app.addHook('onSend', (request, _reply, payload, done) => {
      reachedFastify.push(request.url);
      done(null, payload);
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    cookie = await plannerCookie(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const tileUrl = (z: number) => {
    const t = lonLatToTile(KERMAN.lon, KERMAN.lat, z);
    return `/tiles/neighbourhoods/${t.z}/${t.x}/${t.y}.mvt`;
  };
  const get = async (url: string, headers: Record<string, string> = { cookie }, method = 'GET') => {
    const before = reachedFastify.length;
    const res = await fetch(`${base}${url}`, { method, headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: Object.fromEntries(res.headers), bytes, reachedFastify: reachedFastify.length > before };
  };

  it('answers a cached tile without Fastify, with the bytes and headers the route sends', async () => {
    const url = tileUrl(12);
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.headers['x-tile-cache']).toBe('miss');
    expect(first.reachedFastify).toBe(true);

    const hot = await get(url);
    expect(hot.status).toBe(200);
    expect(hot.reachedFastify).toBe(false);
    expect(hot.headers['x-tile-cache']).toBe('hit');
    expect(hot.bytes.equals(first.bytes)).toBe(true);
    expect(decode(hot.bytes).neighbourhoods!.length).toBeGreaterThan(0);

    // The route's own answer for the same cached tile (inject never takes the hot path),
    // gzipped as fetch() asks for it and then inflates.
    const route = await app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(route.headers['x-tile-cache']).toBe('hit');
    expect(route.headers['content-encoding']).toBe('gzip');
    expect(answerHeaders(hot.headers)).toEqual(answerHeaders(route.headers));
    expect(hot.bytes.equals(gunzipSync(route.rawPayload))).toBe(true);
  });

  it('answers If-None-Match with 304 on the hot path, and 200 for another ETag', async () => {
    const url = tileUrl(13);
    const first = await get(url);
    const etag = first.headers.etag!;
    const revalidated = await get(url, { cookie, 'if-none-match': `W/${etag}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.bytes.length).toBe(0);
    expect(revalidated.headers.etag).toBe(etag);
    expect(revalidated.reachedFastify).toBe(false);
    const route = await app.inject({ method: 'GET', url, headers: { cookie, 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    expect(answerHeaders(revalidated.headers)).toEqual(answerHeaders(route.headers));

    const other = await get(url, { cookie, 'if-none-match': '"not-this-one"' });
    expect(other.status).toBe(200);
    expect(other.reachedFastify).toBe(false);
    expect(other.bytes.equals(first.bytes)).toBe(true);
  });

  it('never serves a cached tile after its data changed: the route renders it again', async () => {
    const url = tileUrl(14);
    const before = await get(url);
    expect((await get(url)).reachedFastify).toBe(false);
    const feature = decode(before.bytes).neighbourhoods![0]!;
    const renamed = `${feature.properties.name_en} (hot path ${Date.now()})`;
    // Straight SQL, as psql or another server process would: this server is not told.
    await sql`update neighbourhoods set name_en = ${renamed} where id = ${feature.id}`.execute(app.database.db);

    const after = await get(url, { cookie, 'if-none-match': before.headers.etag! });
    expect(after.status).toBe(200);
    expect(after.reachedFastify).toBe(true);
    expect(after.headers['x-tile-cache']).toBe('miss');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(decode(after.bytes).neighbourhoods!.find((f) => f.id === feature.id)!.properties.name_en).toBe(renamed);
    expect((await get(url)).reachedFastify).toBe(false);
  });

  it('answers bearer tokens too, and leaves HEAD, bad addresses and no session to the route and its errors', async () => {
    const url = tileUrl(12);
    await get(url);
    const planner = await signedInAs(app, 'planner');
    const token = (await planner.post<{ token: string }>('/api/tokens', { name: 'QGIS' })).body.token;
    const withToken = await get(url, { authorization: `Bearer ${token}` });
    expect(withToken).toMatchObject({ status: 200, reachedFastify: false });
    expect(withToken.headers['x-tile-cache']).toBe('hit');
    expect(await get(url, { authorization: 'Bearer mn_not-a-token' })).toMatchObject({ status: 401, reachedFastify: true });
    expect(await get(url, { cookie }, 'HEAD')).toMatchObject({ status: 200, reachedFastify: true });
    expect(await get(url, {})).toMatchObject({ status: 401, reachedFastify: true });
    expect(await get(url, { cookie: 'mn_session=not-a-session' })).toMatchObject({ status: 401, reachedFastify: true });
    expect(await get('/tiles/nowhere/12/0/0.mvt')).toMatchObject({ status: 404, reachedFastify: true });
    expect(await get('/tiles/neighbourhoods/3/8/0.mvt')).toMatchObject({ status: 400, reachedFastify: true });
  });

  it('stops answering a session the moment it ends', async () => {
    const url = tileUrl(13);
    const ending = await plannerCookie(app);
    await get(url, { cookie: ending });
    expect(await get(url, { cookie: ending })).toMatchObject({ status: 200, reachedFastify: false });
    const logout = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: ending, origin: OUR_ORIGIN } });
    expect(logout.statusCode).toBeLessThan(300);
    const after = await get(url, { cookie: ending });
    expect(after).toMatchObject({ status: 401, reachedFastify: true });
    expect(JSON.parse(after.bytes.toString())).toMatchObject({ error: 'unauthorized' });
  });
});
