import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { ADMIN_PASSWORD, OUR_ORIGIN, send, signIn, type Client } from './clients.js';
import type { AuditList } from '../../shared/auth-schemas.js';

// Issue 13 part 7: the audit log says who signed in, out or failed to, from which address,
// and which writes were refused; nobody can change or remove its entries, not even in SQL;
// a new password ends the user's API tokens as well as their sessions.

describe.each(backends)('the audit trail and credentials on $name', (backend) => {
  let app: FastifyInstance;
  let admin: Client;

  beforeAll(async () => {
    app = await backend.start();
    admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function newUser(role: 'planner' | 'gis') {
    const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
    const password = 'a-long-password-1';
    const created = await admin.post('/api/users', { username, password, role });
    expect(created.status).toBe(201);
    return { username, password, id: created.body.id as number };
  }

  async function entriesOf(username: string) {
    const list = await admin.get<AuditList>(`/api/audit?user=${username}`);
    expect(list.status).toBe(200);
    return list.body.items.slice().reverse();
  }

  function login(username: string, password: string, remoteAddress: string) {
    return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
  }

  it('records sign-ins, failed sign-ins and sign-outs with the client address', async () => {
    const { username, password } = await newUser('planner');
    expect((await login(username, 'not-my-password', '192.0.2.10')).statusCode).toBe(401);
    const res = await login(username, password, '192.0.2.11');
    expect(res.statusCode).toBe(200);
    const cookie = `mn_session=${res.cookies[0]!.value}`;
    const out = await send(app, { method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: OUR_ORIGIN }, remoteAddress: '192.0.2.12' });
    expect(out.status).toBe(204);
    // An unknown username is recorded as tried.
    expect((await login('nobody-by-this-name', 'whatever-it-is', '192.0.2.13')).statusCode).toBe(401);

    expect((await entriesOf(username)).map((e) => [e.action, e.entity, e.address])).toEqual([
      ['login_failed', 'session', '192.0.2.10'],
      ['login', 'session', '192.0.2.11'],
      ['logout', 'session', '192.0.2.12'],
    ]);
    expect((await entriesOf('nobody-by-this-name')).map((e) => [e.action, e.address])).toEqual([['login_failed', '192.0.2.13']]);
  });

  it('records the address of every write, and the writes it refused', async () => {
    const { username, password } = await newUser('planner');
    const planner = await signIn(app, username, password);
    const write = await planner.request({ method: 'POST', url: '/api/tokens', payload: { name: 'laptop' }, remoteAddress: '192.0.2.20' });
    expect(write.status).toBe(201);
    const refused = await planner.request({ method: 'POST', url: '/api/users', payload: { username: 'x-y', password: 'long-enough-1', role: 'admin' }, remoteAddress: '192.0.2.21' });
    expect(refused.status).toBe(403);
    // A refused read is not a write: not recorded.
    expect((await planner.request({ method: 'GET', url: '/api/users', remoteAddress: '192.0.2.22' })).status).toBe(403);

    const entries = (await entriesOf(username)).filter((e) => e.action !== 'login');
    expect(entries.map((e) => [e.action, e.entity, e.address])).toEqual([
      ['create', 'tokens', '192.0.2.20'],
      ['refused', 'users', '192.0.2.21'],
    ]);
    expect(entries[1]!.after).toMatchObject({ method: 'POST', path: '/api/users', reason: expect.stringMatching(/needs the role admin/) });
    // The refused write changed nothing.
    expect((await admin.get('/api/users')).body.items.some((u: { username: string }) => u.username === 'x-y')).toBe(false);
  });

  it('refuses to change, delete or empty audit entries, even in SQL', async () => {
    const db = app.database.db;
    const before = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
    await expect(sql`update audit_log set action = 'nothing happened'`.execute(db)).rejects.toThrow(/audit_log is append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/audit_log is append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/audit_log is append-only/);
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(after.rows[0]!.n).toBeGreaterThan(0);
  });

  it('ends API tokens, as well as sessions, when the password changes', async () => {
    const { username, password, id } = await newUser('gis');
    const gis = await signIn(app, username, password);
    const token = (await gis.post('/api/tokens', { name: 'QGIS' })).body.token as string;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await send(app, { method: 'GET', url: '/api/auth/me', headers: bearer })).status).toBe(200);

    expect((await admin.patch(`/api/users/${id}`, { password: 'a-new-password-2' })).status).toBe(200);
    expect((await send(app, { method: 'GET', url: '/api/auth/me', headers: bearer })).status).toBe(401);
    expect((await gis.get('/api/auth/me')).status).toBe(401);
    const again = await signIn(app, username, 'a-new-password-2');
    expect((await again.get('/api/tokens')).body.items).toEqual([]);
  });

  it('refuses a token made before the password changed, whoever changed it', async () => {
    const { username, password } = await newUser('gis');
    const gis = await signIn(app, username, password);
    const token = (await gis.post('/api/tokens', { name: 'script' })).body.token as string;
    // As a command-line tool or psql would: straight in the database.
    await sql`update users set password_changed_at = now() + interval '1 second' where username = ${username}`.execute(app.database.db);
    expect((await send(app, { method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
