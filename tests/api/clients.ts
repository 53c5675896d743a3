import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Role } from '../../shared/auth-schemas.js';

/** The first admin's password in every test database (see global-setup.ts). */
export const ADMIN_PASSWORD = 'test-admin-password';

/** What a browser on our own page sends: the inject host is localhost:80. */
export const OUR_ORIGIN = 'http://localhost';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  /** The body's bytes as sent (compressed ones stay compressed). */
  raw: Buffer;
}

export interface Client {
  username: string;
  role: Role;
  request<T = any>(options: InjectOptions): Promise<Answer<T>>;
  get<T = any>(url: string): Promise<Answer<T>>;
  post<T = any>(url: string, body?: unknown): Promise<Answer<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<Answer<T>>;
  delete<T = any>(url: string): Promise<Answer<T>>;
}

export async function send<T = any>(app: FastifyInstance, options: InjectOptions): Promise<Answer<T>> {
  const res = await app.inject(options);
  const type = String(res.headers['content-type'] ?? '');
  const body = type.includes('json') && res.body ? (res.json() as T) : (res.body as unknown as T);
  return { status: res.statusCode, body, headers: res.headers, text: res.body, raw: res.rawPayload };
}

/** A client that carries a session cookie and our Origin, like the app in a browser. */
export function sessionClient(app: FastifyInstance, cookie: string, username: string, role: Role): Client {
  const request = <T>(options: InjectOptions) =>
    send<T>(app, { ...options, headers: { cookie, origin: OUR_ORIGIN, ...options.headers } });
  return {
    username,
    role,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) => request({ method: 'POST', url, ...(body === undefined ? {} : { payload: body as object }) }),
    patch: (url, body) => request({ method: 'PATCH', url, payload: body as object }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

export async function signIn(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return sessionClient(app, cookie, username, (res.json() as { role: Role }).role);
}

/** A fresh user of the given role (the first admin for 'admin'), signed in. */
export async function signedInAs(app: FastifyInstance, role: Role): Promise<Client> {
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  if (role === 'admin') return admin;
  const username = `${role}-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const created = await admin.post('/api/users', { username, password, role });
  if (created.status !== 201) throw new Error(`creating ${username} failed: ${created.text}`);
  return signIn(app, username, password);
}
