import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { send, signedInAs } from './clients.js';
import { PERMISSIONS, ROLES, actionOf, type Resource } from '../../server/auth/permissions.js';
import type { Role } from '../../shared/auth-schemas.js';

// Path parameters filled so that a permitted request reaches its handler and fails
// there harmlessly (unknown id → 404, missing body → 400) instead of changing data.
const SAMPLE_PARAMS: Record<string, string> = { layer: 'neighbourhoods', z: '0', x: '0', y: '0' };

function concreteUrl(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? '999999');
}

describe.each(backends)('permissions on $name', (backend) => {
  let app: FastifyInstance;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    app = await backend.start();
    // Bearer tokens, not cookies: walking POST /api/auth/logout must not end the walk.
    for (const role of ROLES) {
      const client = await signedInAs(app, role);
      const created = await client.post<{ token: string }>('/api/tokens', { name: `walk ${role}` });
      tokens.set(role, created.body.token);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  const guarded = () => app.routeList.filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/tiles/') || r.url === '/ogc' || r.url.startsWith('/ogc/'));

  it('has a resource or an explicit public mark on every API and tile route', () => {
    const unmarked = guarded().filter((r) => !r.config.public && !r.config.resource);
    expect(unmarked).toEqual([]);
    for (const route of guarded()) {
      if (route.config.resource) expect(Object.keys(PERMISSIONS)).toContain(route.config.resource);
    }
  });

  it('keeps health and login open, and everything else shut to strangers', async () => {
    for (const route of guarded()) {
      const answer = await send(app, { method: route.method as 'GET', url: concreteUrl(route.url) });
      if (route.config.public) expect(answer.status, `${route.method} ${route.url}`).not.toBe(401);
      else expect(answer.status, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('lets each role do exactly what the permission table says, on every route', async () => {
    const walked: string[] = [];
    for (const route of guarded().filter((r) => r.config.resource)) {
      const resource = route.config.resource as Resource;
      const action = (route.config.action as 'read' | 'write' | undefined) ?? actionOf(route.method);
      for (const role of ROLES) {
        const answer = await send<{ error: string; message: string }>(app, {
          method: route.method as 'GET',
          url: concreteUrl(route.url),
          headers: { authorization: `Bearer ${tokens.get(role)}` },
        });
        const label = `${role} ${route.method} ${route.url}`;
        if (PERMISSIONS[resource][action].includes(role)) {
          expect([401, 403], label).not.toContain(answer.status);
        } else {
          expect(answer.status, label).toBe(403);
          expect(answer.body.error).toBe('forbidden');
          expect(answer.body.message).toContain(PERMISSIONS[resource][action][0]);
        }
        walked.push(label);
      }
    }
    expect(walked.length).toBeGreaterThanOrEqual(ROLES.length * 10);
  });
});
