/**
 * Whether a request's Accept-Encoding lets us send gzip (RFC 9110 §12.5.3): `gzip` or its
 * alias `x-gzip` with a q-value above 0, or `*` when gzip is not named. A header we cannot
 * read is no reason to fail the request: anything unreadable means identity.
 *
 * The tile paths need only this one question answered, many thousand times a second, so
 * it is a small hand parser rather than full negotiation (which @fastify/compress does for
 * every other answer).
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  // The common browser and GDAL headers, without splitting anything.
  if (text === 'gzip, deflate, br, zstd' || text === 'gzip, deflate, br' || text === 'gzip, deflate' || text === 'gzip') return true;
  let named: boolean | undefined;
  let star = false;
  for (const part of text.toLowerCase().split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim());
    const q = qualityOf(params);
    if (coding === 'gzip' || coding === 'x-gzip') named = (named ?? false) || q > 0;
    else if (coding === '*') star = q > 0;
  }
  return named ?? star;
}

/** The q parameter as a number; 1 when absent, 0 when it is not a valid q-value. */
function qualityOf(params: string[]): number {
  const q = params.find((p) => p.startsWith('q='));
  if (q === undefined) return 1;
  const value = q.slice(2);
  return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
}
