import { constants } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyCompress from '@fastify/compress';

/**
 * Brotli 4 compresses a big GeoJSON about as well as gzip 9 at a fraction of brotli 11's
 * time (Cloudflare measured the same); answers are made per request, so speed wins. The
 * built client is compressed once, at build time, at the highest settings
 * (build/precompress.ts).
 */
const DYNAMIC_BROTLI_QUALITY = 4;

/**
 * Compresses every text answer (JSON, GeoJSON, CSV, HTML, TileJSON) with brotli or gzip,
 * as the client accepts; a client that accepts neither, or sends an Accept-Encoding we
 * cannot read, gets the identity body. Tiles skip it: they are kept gzipped (tiles/answers.ts).
 * Registered before the routes, whose onSend hooks it adds to.
 */
export async function installCompression(app: FastifyInstance): Promise<void> {
  // Every answer that could have been compressed varies by Accept-Encoding, the identity
  // ones too (a small body, a client that took none): a shared cache must not hand one
  // client's representation to another.
  app.addHook('onSend', (_request, reply, payload, done) => {
    varyOnAcceptEncoding(reply);
    done(null, payload);
  });
  await app.register(fastifyCompress, {
    global: true,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY } },
    threshold: 1024,
  });
}

function varyOnAcceptEncoding(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) {
    reply.header('vary', 'accept-encoding');
    return;
  }
  const values = [vary].flat().map(String);
  if (!values.some((v) => /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(v))) reply.header('vary', [...values, 'accept-encoding'].join(', '));
}
