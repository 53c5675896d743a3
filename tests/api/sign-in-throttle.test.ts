import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { ADMIN_PASSWORD, send, signIn, type Client } from './clients.js';

// Issue 13 part 6: failed sign-ins slow down the (username, address) pair that made them,
// so an attacker cannot lock the real user out, and a forged X-Forwarded-For moves the
// attacker to another address only when it comes through a trusted proxy.

const LIMITS = { freeFailures: 3, firstDelaySeconds: 600, maxDelaySeconds: 900, perAddress: 8 };
const ATTACKER = '203.0.113.9';
const OFFICE = '198.51.100.7';
const PROXY = '10.0.0.1';

describe.each(backends)('sign-in throttling on $name', (backend) => {
  let app: FastifyInstance;
  let proxied: FastifyInstance;
  let admin: Client;

  beforeAll(async () => {
    const copy = await backend.copy();
    app = await copy.start({ loginLimits: LIMITS });
    // A second server on another copy, behind a proxy at PROXY (TRUST_PROXY=10.0.0.1).
    proxied = await (await backend.copy()).start({ loginLimits: LIMITS, trustProxy: [PROXY] });
    admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await proxied?.close();
  });

  async function newUser(server: FastifyInstance) {
    const username = `planner-${Math.random().toString(36).slice(2, 8)}`;
    const password = 'the-right-password';
    const client = server === app ? admin : await signIn(server, 'admin', ADMIN_PASSWORD);
    expect((await client.post('/api/users', { username, password, role: 'planner' })).status).toBe(201);
    return { username, password };
  }

  function login(server: FastifyInstance, username: string, password: string, remoteAddress: string, forwardedFor?: string) {
    return send(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress,
      ...(forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {}),
    });
  }

  it('lets the real user sign in from another address while an attacker is throttled', async () => {
    const { username, password } = await newUser(app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(app, username, `guess-${i}-wrong`, ATTACKER)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    const refused = await login(app, username, password, ATTACKER);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/wait 10 minutes/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);

    const office = await login(app, username, password, OFFICE);
    expect(office.status).toBe(200);
    expect(office.body.username).toBe(username);
  });

  it('waits longer after each further failure', async () => {
    const { username } = await newUser(app);
    const address = '203.0.113.10';
    for (let i = 0; i < 3; i++) expect((await login(app, username, 'wrong-wrong', address)).status).toBe(401);
    // Pretend the wait passed: the fourth failure is allowed, and the one after it waits twice as long.
    await sql`update login_failures set at = at - interval '11 minutes' where username = ${username}`.execute(app.database.db);
    expect((await login(app, username, 'wrong-wrong', address)).status).toBe(401);
    const next = await login(app, username, 'wrong-wrong', address);
    expect(next.status).toBe(429);
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(600);
    expect(Number(next.headers['retry-after'])).toBeLessThanOrEqual(900);
  });

  it('does not believe X-Forwarded-For without a trusted proxy', async () => {
    const { username, password } = await newUser(app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login(app, username, 'still-wrong', '203.0.113.11', `192.0.2.${i + 1}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    expect((await login(app, username, password, '203.0.113.11', OFFICE)).status).toBe(429);
  });

  it('caps failures per address whatever the usernames, without touching other addresses', async () => {
    const address = '203.0.113.12';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(app, `someone-${i}`, 'a-guess', address)).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    expect((await login(app, 'admin', ADMIN_PASSWORD, '203.0.113.13')).status).toBe(200);
  });

  it('behind a trusted proxy, takes the rightmost address the proxy did not add', async () => {
    const { username, password } = await newUser(proxied);
    // The attacker writes addresses of their own choosing in front; the proxy appends the one it saw.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await login(proxied, username, 'wrong-again', PROXY, `192.0.2.${i + 1}, ${ATTACKER}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // The same user through the same proxy from the office is another pair.
    expect((await login(proxied, username, password, PROXY, OFFICE)).status).toBe(200);
    // A client that is not the proxy cannot claim to be the office.
    const direct = await login(proxied, username, 'wrong-again', ATTACKER, OFFICE);
    expect(direct.status).toBe(429);

    const { rows } = await sql<{ action: string; address: string }>`
      select action, address from audit_log where username = ${username} and entity = 'session' order by id`.execute(proxied.database.db);
    expect(rows.filter((r) => r.action === 'login_failed').map((r) => r.address)).toEqual([ATTACKER, ATTACKER, ATTACKER]);
    expect(rows.filter((r) => r.action === 'login')).toEqual([{ action: 'login', address: OFFICE }]);
  });

  it('keeps the history of failures when the user then signs in', async () => {
    const { username, password } = await newUser(app);
    for (let i = 0; i < 2; i++) expect((await login(app, username, 'typo-typo', OFFICE)).status).toBe(401);
    expect((await login(app, username, password, OFFICE)).status).toBe(200);
    const { rows } = await sql<{ n: number; settled: number }>`
      select count(*)::int as n, count(settled_at)::int as settled from login_failures where username = ${username}`.execute(app.database.db);
    expect(rows[0]).toEqual({ n: 2, settled: 2 });
    // Settled failures no longer count: three more typos are free again.
    for (let i = 0; i < 3; i++) expect((await login(app, username, 'typo-typo', OFFICE)).status).toBe(401);
    expect((await login(app, username, password, OFFICE)).status).toBe(429);
  });
});
