import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { basemapOrigins, configFromEnv, trustedProxies } from '../../server/config.js';

describe('configFromEnv', () => {
  it('runs one process unless told, one per CPU for auto, and refuses nonsense', () => {
    expect(configFromEnv({}).workers).toBe(1);
    expect(configFromEnv({ MAHALLENAMA_WORKERS: '3' }).workers).toBe(3);
    expect(configFromEnv({ MAHALLENAMA_WORKERS: 'auto' }).workers).toBe(os.availableParallelism());
    for (const bad of ['0', '-2', '1.5', 'two']) {
      expect(() => configFromEnv({ MAHALLENAMA_WORKERS: bad }), bad).toThrow(/MAHALLENAMA_WORKERS must be a whole number/);
    }
  });

  it('allows no other origin for the basemap unless configured', () => {
    expect(configFromEnv({}).basemapOrigins).toEqual([]);
  });
});

describe('trustedProxies (TRUST_PROXY)', () => {
  it('trusts no proxy unless told, and lists addresses and CIDR ranges as given', () => {
    for (const off of [undefined, '', '0', 'false']) expect(trustedProxies(off)).toBe(false);
    expect(trustedProxies('127.0.0.1, 10.0.0.0/24,::1,fd00::/8,loopback')).toEqual(['127.0.0.1', '10.0.0.0/24', '::1', 'fd00::/8', 'loopback']);
    expect(configFromEnv({ TRUST_PROXY: '10.0.0.1' })).toMatchObject({ trustProxy: ['10.0.0.1'], warnings: [] });
  });

  it('still takes 1 or true, with a warning at start', () => {
    const config = configFromEnv({ TRUST_PROXY: '1' });
    expect(config.trustProxy).toBe(true);
    expect(config.warnings.join()).toMatch(/TRUST_PROXY=1 believes X-Forwarded-For from anyone/);
    expect(configFromEnv({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('refuses what is neither an address nor a range', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0', '::1/129', '10.0.0.1/8/8', 'proxy.local']) {
      expect(() => trustedProxies(bad), bad).toThrow(/TRUST_PROXY must list the proxies' addresses or CIDR ranges/);
    }
  });
});

describe('basemapOrigins', () => {
  it('takes the origin of the style URL the client was built with, and the listed ones', () => {
    expect(basemapOrigins('https://maps.kerman.example/styles/base.json', 'http://10.0.0.7:8081, https://glyphs.kerman.example/'))
      .toEqual(['https://maps.kerman.example', 'http://10.0.0.7:8081', 'https://glyphs.kerman.example']);
  });

  it('needs no other origin for a style the server hosts itself', () => {
    expect(basemapOrigins('/basemap/style.json', undefined)).toEqual([]);
  });

  it('refuses what is not an http(s) origin, saying what it wants', () => {
    for (const bad of ['tiles.kerman.example', 'ftp://tiles.kerman.example', '*']) {
      expect(() => basemapOrigins(undefined, bad), bad).toThrow(/MAHALLENAMA_BASEMAP_ORIGINS must list http\(s\) origins/);
    }
  });
});
