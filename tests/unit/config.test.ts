import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { basemapOrigins, configFromEnv } from '../../server/config.js';

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
