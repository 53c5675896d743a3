import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { backends } from './backends.js';
import { send, signedInAs, type Client } from './clients.js';
import { isDocumented } from '../../server/openapi/routes.js';

type Operation = { parameters?: { name: string; in: string; schema: Record<string, unknown> }[]; requestBody?: unknown; security?: unknown[]; responses: Record<string, unknown> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

// /api/openapi.json is generated from the routes' own schemas by @fastify/swagger; this
// keeps it true: it must name exactly the routes the server has, and be valid OpenAPI.
describe.each(backends)('the OpenAPI document of the REST API on $name', (backend) => {
  let app: FastifyInstance;
  let client: Client;
  let document: Document;

  beforeAll(async () => {
    app = await backend.start();
    client = await signedInAs(app, 'commander');
    document = (await client.get<Document>('/api/openapi.json')).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is for signed-in users only', async () => {
    expect((await send(app, { method: 'GET', url: '/api/openapi.json' })).status).toBe(401);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('names every route of /api, /tiles and /ogc with its method, and nothing else', () => {
    const served = new Set(app.routeList.filter((r) => isDocumented(r.url))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`));
    const documented = new Set(Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
    expect(served.size).toBeGreaterThan(50);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('carries the schemas the routes validate with', () => {
    const problems = document.paths['/api/problems']!;
    const status = problems.get!.parameters!.find((p) => p.name === 'status' && p.in === 'query');
    expect(JSON.stringify(status?.schema)).toContain('in_progress');
    expect(problems.post!.requestBody).toBeDefined();
    expect(Object.keys(problems.post!.responses)).toEqual(expect.arrayContaining(['201', '400']));
    expect(document.paths['/api/problems/{id}']!.patch!.parameters!.some((p) => p.name === 'id' && p.in === 'path')).toBe(true);
    // Sign-in and health need no credentials; everything else does.
    expect(document.paths['/api/auth/login']!.post!.security).toEqual([]);
    expect(document.paths['/api/problems']!.get!.security).toBeUndefined();
  });
});
