import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Vite names every file under assets/ after a hash of its content: it never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets, so a browser must check it before each use. */
const REVALIDATE = 'no-cache';

/**
 * Serves the built client. Text files are sent from the .br and .gz copies made at build
 * time (build/precompress.ts) to a client that accepts them, never compressed per
 * request; the hashed assets are cached for a year, everything else is revalidated.
 */
export async function serveClientFiles(app: FastifyInstance, clientDir: string): Promise<void> {
  const root = path.resolve(clientDir);
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    // The compressed copies are sent in place of their file, not at addresses of their own.
    globIgnore: ['**/*.br', '**/*.gz'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      const relative = path.relative(root, filePath).replaceAll(path.sep, '/');
      reply.header('cache-control', relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    },
  });
}
