import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { SESSION_COOKIE } from '../auth/guard.js';

/** The addresses the OpenAPI document describes: the API, the tiles and OGC API – Features. */
export function isDocumented(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/tiles/') || url === '/ogc' || url.startsWith('/ogc/');
}

/**
 * Collects every route's TypeBox schemas into one OpenAPI document (@fastify/swagger).
 * Registered before the routes, so that it sees each one as it is added. OpenAPI 3.1,
 * because its schemas are JSON Schema, as TypeBox's are (a nullable field is
 * `anyOf: [T, null]`, which 3.0 cannot say). The built client's files are left out.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mahallenama · محله‌نما',
        version: '1.0.0',
        description: 'The map of the neighbourhood programme of Kerman province. Sign in with POST /api/auth/login (a session cookie), or send an API token (POST /api/tokens) as Authorization: Bearer <token>.',
      },
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'an API token from POST /api/tokens' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the session cookie set by POST /api/auth/login' },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
    transform: ({ schema, url, route }) => {
      const config = (route.config ?? {}) as { public?: boolean };
      const documented = { ...schema, ...(config.public ? { security: [] } : {}) };
      return { schema: isDocumented(url) ? documented : { ...schema, hide: true }, url };
    },
  });
}

export const openApiRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/openapi.json', {
    config: { resource: 'session' },
    handler: async () => app.swagger(),
  });
};
