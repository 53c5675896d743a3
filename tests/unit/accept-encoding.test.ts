import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../server/http/accept-encoding.js';
import { weakMatch } from '../../server/http/etag.js';

describe('acceptsGzip', () => {
  it('takes what browsers, GDAL and curl send', () => {
    for (const header of ['gzip, deflate, br, zstd', 'gzip, deflate, br', 'gzip, deflate', 'gzip', 'deflate, gzip', 'x-gzip', 'br;q=1.0, gzip;q=0.8, *;q=0.1', '*', 'GZIP']) {
      expect(acceptsGzip(header), header).toBe(true);
    }
  });

  it('refuses gzip when it is absent, refused by q=0, or the header cannot be read', () => {
    for (const header of [undefined, '', 'identity', 'br', 'deflate', 'gzip;q=0', 'gzip;q=0.000', '*;q=0', 'gzip;q=0, *', 'gzip;q=banana', 'gzip;q=2', ';;,,=']) {
      expect(acceptsGzip(header), String(header)).toBe(false);
    }
  });

  it('reads `*` only when gzip is not named, and repeated headers together', () => {
    expect(acceptsGzip('br, *')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *;q=1')).toBe(false);
    expect(acceptsGzip(['br', 'gzip;q=0.5'])).toBe(true);
  });
});

describe('weakMatch', () => {
  it('compares ETags weakly and matches *', () => {
    expect(weakMatch('W/"abc"', 'W/"abc"')).toBe(true);
    expect(weakMatch('"abc"', 'W/"abc"')).toBe(true);
    expect(weakMatch('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(weakMatch('*', 'W/"abc"')).toBe(true);
    expect(weakMatch('W/"abd"', 'W/"abc"')).toBe(false);
    expect(weakMatch('', 'W/"abc"')).toBe(false);
  });
});
