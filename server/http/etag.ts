import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * An ETag for every GET answer made in one piece (lists, GeoJSON and CSV exports, TileJSON,
 * the signed-in user), and 304 when the client already holds it. The ETag is a hash of
 * the uncompressed body, weak because the body is sent brotli, gzip or identity and each is
 * the same content, not the same bytes. The database is still asked; what is saved is the
 * link, which is what a county office on 2 Mbit/s lacks: a 150 KB neighbourhood list
 * becomes a 304 of a few hundred bytes.
 *
 * Streams (the client's files, which @fastify/static tags itself) and answers that set an
 * ETag of their own (tiles) are left alone. Registered before compression, so it hashes
 * the body as the route made it.
 */
export function installEtags(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
    if ((typeof payload !== 'string' && !Buffer.isBuffer(payload)) || reply.hasHeader('etag')) return done(null, payload);
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag);
    // Data changes at any moment: keep it, but ask before each use (the answer is the 304).
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-cache');
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && weakMatch(ifNoneMatch, etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      reply.removeHeader('content-disposition');
      return done(null, '');
    }
    done(null, payload);
  });
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ is ignored on both sides. */
export function weakMatch(header: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((part) => {
    const candidate = part.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === bare;
  });
}
