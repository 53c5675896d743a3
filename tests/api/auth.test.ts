import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { ADMIN_PASSWORD, OUR_ORIGIN, send, sessionClient, signIn, signedInAs, type Client } from './clients.js';
import type { AuditList, UserList } from '../../shared/auth-schemas.js';

describe.each(backends)('accounts, sessions and tokens on $name', (backend) => {
  let app: FastifyInstance;
  let admin: Client;
  beforeAll(async () => {
    app = await backend.start({ loginLimits: { freeFailures: 3, firstDelaySeconds: 600, perAddress: 1000 } });
    admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function newUser(role: 'planner' | 'commander' | 'gis', password = 'a-long-password-1') {
    const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
    const created = await admin.post('/api/users', { username, password, role });
    expect(created.status).toBe(201);
    return { username, password, id: created.body.id as number };
  }

  it('signs in with an HttpOnly, SameSite=Strict cookie and knows who you are', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies[0]!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.secure).toBeFalsy();
    const me = await admin.get('/api/auth/me');
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const { username } = await newUser('planner');
    const wrong = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username, password: 'not-the-password' } });
    const unknown = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'whatever-it-is' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toEqual({ error: 'unauthorized', message: 'username or password is wrong' });
  });

  it('makes an unknown user pay for a full password check, as a known one does', async () => {
    const { username } = await newUser('gis');
    const login = (name: string) => async () => {
      const started = performance.now();
      await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: name, password: 'wrong-password-x' }, remoteAddress: '10.9.9.9' });
      return performance.now() - started;
    };
    // Interleaved, and the fastest of each: load on the machine only ever adds time.
    let known = Infinity;
    let unknown = Infinity;
    for (let i = 0; i < 3; i++) {
      known = Math.min(known, await login(username)());
      unknown = Math.min(unknown, await login('no-such-user-at-all')());
    }
    // Both pay for one scrypt check (tens of milliseconds). Without the dummy hash an
    // unknown user would answer in a millisecond or two, a few per cent of a known one.
    expect(unknown).toBeGreaterThan(known * 0.3);
    expect(known).toBeGreaterThan(10);
  });

  it('refuses requests without a session, and ends the session on logout', async () => {
    expect((await send(app, { method: 'GET', url: '/api/neighbourhoods' })).status).toBe(401);
    const { username, password } = await newUser('commander');
    const client = await signIn(app, username, password);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    const after = await client.get('/api/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('unauthorized');
  });

  it('stops a disabled user at once, session and token alike', async () => {
    const { username, password, id } = await newUser('planner');
    const client = await signIn(app, username, password);
    const token = (await client.post('/api/tokens', { name: 'script' })).body.token as string;
    expect((await client.get('/api/counties')).status).toBe(200);
    expect((await admin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await client.get('/api/counties')).status).toBe(401);
    expect((await send(app, { method: 'GET', url: '/api/counties', headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const again = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(again.status).toBe(401);
  });

  it('ends open sessions when the password changes', async () => {
    const { username, password, id } = await newUser('gis');
    const client = await signIn(app, username, password);
    expect((await admin.patch(`/api/users/${id}`, { password: 'a-new-password-2' })).status).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await signIn(app, username, 'a-new-password-2')).username).toBe(username);
  });

  it('lists users in the agreed shape and refuses a taken username or an unknown role', async () => {
    const list = await admin.get<UserList>('/api/users');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: expect.any(Number), username: 'admin', role: 'admin', disabled: false });
    expect((await admin.post('/api/users', { username: 'admin', password: 'long-enough-pw', role: 'planner' })).status).toBe(409);
    const badRole = await admin.post('/api/users', { username: 'someone', password: 'long-enough-pw', role: 'king' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.message).toMatch(/role/);
    const shortPassword = await admin.post('/api/users', { username: 'someone', password: 'short', role: 'planner' });
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.message).toMatch(/password/);
  });

  it('issues tokens that act with the owner role, shows them once, and revokes them', async () => {
    const { username, password } = await newUser('gis');
    const client = await signIn(app, username, password);
    const created = await client.post('/api/tokens', { name: 'QGIS on the GIS office PC' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), name: 'QGIS on the GIS office PC', token: expect.stringMatching(/^mn_/) });
    const bearer = { authorization: `Bearer ${created.body.token}` };
    const me = await send(app, { method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(me.body).toMatchObject({ username, role: 'gis' });
    const list = await client.get('/api/tokens');
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect((await send(app, { method: 'GET', url: '/api/users', headers: bearer })).status).toBe(403);
    expect((await client.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    expect((await send(app, { method: 'GET', url: '/api/auth/me', headers: bearer })).status).toBe(401);
    expect((await send(app, { method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer mn_made_up' } })).status).toBe(401);
  });

  it('answers 403 naming the needed role', async () => {
    const planner = await signedInAs(app, 'planner');
    const res = await planner.get('/api/users');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden', message: 'reading users needs the role admin; you are planner' });
  });

  it('slows failed sign-ins of a user from one address, then refuses even the right password', async () => {
    const { username, password } = await newUser('planner');
    for (let i = 0; i < 3; i++) {
      expect((await send(app, { method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong-wrong-wrong' } })).status).toBe(401);
    }
    const limited = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('too_many_requests');
  });

  it('refuses cookie-authenticated writes from another origin, or with no origin', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    const cookie = `mn_session=${res.cookies[0]!.value}`;
    const body = { name: 'from elsewhere' };
    const foreign = await send(app, { method: 'POST', url: '/api/tokens', payload: body, headers: { cookie, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/must come from this site/);
    const none = await send(app, { method: 'POST', url: '/api/tokens', payload: body, headers: { cookie } });
    expect(none.status).toBe(403);
    const ours = sessionClient(app, cookie, 'admin', 'admin');
    expect((await ours.post('/api/tokens', body)).status).toBe(201);
    // Reads need no origin: a link opened from elsewhere still shows the map.
    expect((await send(app, { method: 'GET', url: '/api/counties', headers: { cookie, origin: 'http://evil.example' } })).status).toBe(200);
  });

  it('records every write in the audit log, filterable by entity, user and date', async () => {
    const { username, id } = await newUser('commander');
    await admin.patch(`/api/users/${id}`, { role: 'gis' });
    const today = new Date().toISOString().slice(0, 10);
    const log = await admin.get<AuditList>(`/api/audit?entity=users&user=admin&from=${today}&to=${today}`);
    expect(log.status).toBe(200);
    const update = log.body.items.find((e) => e.action === 'update' && e.entity_id === String(id))!;
    expect(update.user).toBe('admin');
    expect(update.before).toMatchObject({ username, role: 'commander' });
    expect(update.after).toMatchObject({ username, role: 'gis' });
    expect(log.body.items.every((e) => e.entity === 'users' && e.user === 'admin')).toBe(true);
    const yesterday = await admin.get<AuditList>('/api/audit?entity=users&to=2000-01-01');
    expect(yesterday.body.items).toEqual([]);
    expect((await admin.get('/api/audit?from=yesterday')).status).toBe(400);
  });

  it('sends a content security policy that lets MapLibre workers run and nothing else in', async () => {
    const res = await send(app, { method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(directives(csp)['connect-src']).toBe("'self'");
  });

  it('lets the map fetch a basemap from the origins it is configured with, and no others', async () => {
    const other = await backend.start({ basemapOrigins: ['https://tiles.kerman.example'] });
    try {
      const csp = String((await send(other, { method: 'GET', url: '/api/health' })).headers['content-security-policy']);
      expect(directives(csp)['connect-src']).toBe("'self' https://tiles.kerman.example");
      expect(directives(csp)['img-src']).toBe("'self' data: blob: https://tiles.kerman.example");
    } finally {
      await other.close();
    }
  });

  it('answers malformed JSON with a 400 and no stack trace', async () => {
    const res = await send(app, { method: 'POST', url: '/api/auth/login', payload: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await send(app, { method: 'POST', url: '/api/auth/login', payload: { username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }, headers: { origin: OUR_ORIGIN } });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
  });
});

describe.each(backends)('session expiry on $name', (backend) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await backend.start({ sessionIdleSeconds: 1 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ends a session after the idle time', async () => {
    const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await admin.get('/api/auth/me')).status).toBe(401);
  });
});

/** A Content-Security-Policy header as directive → its sources. */
function directives(csp: string): Record<string, string> {
  return Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name!, sources.join(' ')];
  }));
}
