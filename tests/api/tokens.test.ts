import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { sql, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { decode } from './tile-helpers.js';

const run = promisify(execFile);

/** Kerman city centre (GeoNames 128234), where most seed neighbourhoods are. */
const KERMAN = { lon: 57.07879, lat: 30.28321 };
const tileUrl = (z: number) => {
  const t = lonLatToTile(KERMAN.lon, KERMAN.lat, z);
  return `/tiles/neighbourhoods/${t.z}/${t.x}/${t.y}.mvt`;
};
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

// API tokens for scripts and desktop GIS: Bearer and Basic, the hot tile path, the
// once-a-minute last_used_at, and 401s that say how to authenticate. Over real HTTP,
// where the hot path is.
describe.each(backends)('API tokens on $name', (backend) => {
  let app: FastifyInstance;
  let base: string;
  let planner: Client;
  let token: string;
  let tokenId: number;
  /** URLs of the requests that reached Fastify. */
  const reachedFastify: string[] = [];
  /** Texts of the statements that looked credentials up. */
  const lookups: string[] = [];

  beforeAll(async () => {
    app = await backend.start();
    app.addHook('onSend', (request, _reply, payload, done) => {
      reachedFastify.push(request.url);
      done(null, payload);
    });
    // Watch (not replace) the statements sent to the database, to count token lookups.
    const db = app.database.db;
    const executeQuery = db.executeQuery.bind(db);
    db.executeQuery = (<R>(query: CompiledQuery<R>) => {
      if (query.sql.includes('api_tokens')) lookups.push(query.sql);
      return executeQuery(query);
    }) as typeof db.executeQuery;
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    planner = await signedInAs(app, 'planner');
    const created = await planner.post('/api/tokens', { name: 'QGIS' });
    expect(created.status).toBe(201);
    token = created.body.token;
    tokenId = created.body.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = async (url: string, headers: Record<string, string>) => {
    const before = reachedFastify.length;
    const lookupsBefore = lookups.length;
    const res = await fetch(`${base}${url}`, { headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      bytes,
      text: bytes.toString(),
      reachedFastify: reachedFastify.length > before,
      lookups: lookups.length - lookupsBefore,
    };
  };
  const lastUsed = async () =>
    (await sql<{ last_used_at: Date | null }>`select last_used_at from api_tokens where id = ${tokenId}`.execute(app.database.db)).rows[0]!
      .last_used_at;

  it('serves cached tiles to a bearer token and to Basic (username + token) from the hot path', async () => {
    const url = tileUrl(12);
    const first = await get(url, { authorization: `Bearer ${token}` });
    expect(first.status).toBe(200);
    expect(first.headers['x-tile-cache']).toBe('miss');
    expect(first.reachedFastify).toBe(true);
    expect(decode(first.bytes).neighbourhoods!.length).toBeGreaterThan(0);

    for (const authorization of [`Bearer ${token}`, `bearer ${token}`, basic(planner.username, token)]) {
      const hot = await get(url, { authorization });
      expect(hot.status, authorization).toBe(200);
      expect(hot.headers['x-tile-cache'], authorization).toBe('hit');
      expect(hot.reachedFastify, authorization).toBe(false);
      expect(hot.bytes.equals(first.bytes), authorization).toBe(true);
    }
  });

  it('accepts Basic on every API address, and only with the token owner\'s name', async () => {
    const me = await get('/api/auth/me', { authorization: basic(planner.username, token) });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ username: planner.username, role: 'planner' });
    const other = await signedInAs(app, 'gis');
    for (const authorization of [basic(other.username, token), basic(planner.username, 'mn_wrong'), basic(planner.username, 'not-a-token-but-maybe-a-password')]) {
      const refused = await get('/api/auth/me', { authorization });
      expect(refused.status, authorization).toBe(401);
    }
  });

  it('answers a wrong, revoked or unreadable credential 401 with WWW-Authenticate, after at most one lookup', async () => {
    const doomed = await planner.post('/api/tokens', { name: 'to revoke' });
    const revokedToken = doomed.body.token as string;
    // Cache the tile, so that the hot path takes the requests below.
    expect((await get(tileUrl(13), { authorization: `Bearer ${revokedToken}` })).status).toBe(200);
    expect((await planner.delete(`/api/tokens/${doomed.body.id}`)).status).toBe(204);

    const cases: [string, string, number][] = [
      [tileUrl(13), `Bearer ${revokedToken}`, 1],
      [tileUrl(13), `Bearer mn_made_up`, 1],
      [tileUrl(13), basic('nobody', token), 1],
      ['/api/neighbourhoods', `Bearer ${revokedToken}`, 1],
      ['/api/neighbourhoods', basic(planner.username, 'mn_made_up'), 1],
      // Unreadable: no lookup at all.
      [tileUrl(13), 'Bearer', 0],
      [tileUrl(13), 'Basic !!!', 0],
      ['/api/neighbourhoods', `Basic ${Buffer.from('no-colon').toString('base64')}`, 0],
      ['/api/neighbourhoods', 'Negotiate abc', 0],
    ];
    for (const [url, authorization, expectedLookups] of cases) {
      const refused = await get(url, { authorization });
      expect(refused.status, `${url} ${authorization}`).toBe(401);
      expect(JSON.parse(refused.text)).toMatchObject({ error: 'unauthorized' });
      // fetch() sends Sec-Fetch-Mode, as a browser does: no Basic challenge (see the next test).
      expect(refused.headers['www-authenticate'], authorization).toBe('Bearer realm="Mahallenama"');
      expect(refused.lookups, `${url} ${authorization}: lookups`).toBe(expectedLookups);
    }
  });

  it('offers Basic to GDAL and scripts, but not to a browser, which would show a password dialog', async () => {
    const challengeFor = (headers: Record<string, string>) =>
      new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
        http
          .get(`${base}/api/neighbourhoods`, { headers }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, challenge: res.headers['www-authenticate'] }));
          })
          .on('error', reject);
      });
    const both = 'Bearer realm="Mahallenama", Basic realm="Mahallenama", charset="UTF-8"';
    expect(await challengeFor({})).toEqual({ status: 401, challenge: both });
    expect(await challengeFor({ 'user-agent': 'GDAL/3.6.2' })).toEqual({ status: 401, challenge: both });
    expect(await challengeFor({ 'user-agent': 'curl/7.88.1', authorization: 'Bearer mn_wrong' })).toEqual({ status: 401, challenge: both });
    const chromium = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    expect(await challengeFor({ 'user-agent': chromium })).toEqual({ status: 401, challenge: 'Bearer realm="Mahallenama"' });
    expect(await challengeFor({ 'sec-fetch-mode': 'cors' })).toEqual({ status: 401, challenge: 'Bearer realm="Mahallenama"' });
  });

  it('refuses a Basic write from another site, as a browser holding the credentials would send it', async () => {
    const authorization = basic(planner.username, token);
    const write = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'from a script' }, headers: { authorization, ...headers } });
    expect((await write({ origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await write({ referer: 'http://evil.example/page' })).statusCode).toBe(403);
    // Scripts and GIS send no Origin; a page of ours sends our own.
    expect((await write({})).statusCode).toBe(201);
    expect((await write({ origin: 'http://localhost' })).statusCode).toBe(201);
    // Bearer is never sent by a browser on its own: no origin check.
    expect((await app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'bearer' }, headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example' } })).statusCode).toBe(201);
  });

  it('writes last_used_at at most once a minute per token', async () => {
    const authorization = `Bearer ${token}`;
    await get('/api/counties', { authorization });
    const first = await lastUsed();
    expect(first).not.toBeNull();
    for (let i = 0; i < 3; i++) expect((await get('/api/counties', { authorization })).status).toBe(200);
    expect((await get(tileUrl(12), { authorization })).reachedFastify).toBe(false);
    expect(await lastUsed()).toEqual(first);

    // A minute and more later, the next use writes it again.
    await sql`update api_tokens set last_used_at = now() - interval '90 seconds' where id = ${tokenId}`.execute(app.database.db);
    const old = await lastUsed();
    expect((await get(tileUrl(12), { authorization })).reachedFastify).toBe(false);
    const touched = await lastUsed();
    expect(touched!.getTime()).toBeGreaterThan(old!.getTime() + 60_000);
  });

  it('lets GDAL read a tile with Basic authentication (GDAL_HTTP_AUTH=BASIC)', async () => {
    const url = tileUrl(12);
    const env = { ...process.env, GDAL_HTTP_AUTH: 'BASIC', GDAL_HTTP_USERPWD: `${planner.username}:${token}`, CPL_VSIL_CURL_USE_HEAD: 'NO' };
    const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', `/vsicurl/${base}${url}`], { env });
    expect(stdout).toMatch(/Layer name: neighbourhoods/);
    const count = /Feature Count: (\d+)/.exec(stdout);
    expect(Number(count?.[1])).toBeGreaterThan(0);
    // And without the credentials GDAL gets nothing.
    const denied = await run('ogrinfo', ['-ro', '-so', '-al', `/vsicurl/${base}${url}`], { env: { ...process.env, CPL_VSIL_CURL_USE_HEAD: 'NO' } }).catch((error: { stderr: string }) => error);
    expect('stderr' in denied ? denied.stderr : '').toMatch(/401|not recognized|Unable to open/i);
  });

  it('sends a token client the gzipped tile it asks for', async () => {
    const res = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      http
        .get(`${base}${tileUrl(12)}`, { headers: { authorization: basic(planner.username, token), 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ encoding: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(res.encoding).toBe('gzip');
    expect(decode(gunzipSync(res.body)).neighbourhoods!.length).toBeGreaterThan(0);
  });
});
