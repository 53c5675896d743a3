import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatabaseSync } from 'node:sqlite';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { backends } from './backends.js';
import { signedInAs, type Client } from './clients.js';
import { makeMbtiles, mbtilesToPmtiles } from '../fixtures/basemap/make-basemap.js';
import type { TileJson } from '../../shared/tiles-schemas.js';

// The tile of Kerman city centre (57.0788, 30.2832) at zoom 10.
const KERMAN = { z: 10, x: 674, y: 421 };
const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'mahallenama-basemap-'));
const mbtiles = makeMbtiles(fixtures);
const pmtiles = mbtilesToPmtiles(mbtiles, path.join(fixtures, 'basemap.pmtiles'));
afterAll(() => fs.rmSync(fixtures, { recursive: true, force: true }));

function layersOf(bytes: Buffer): Record<string, Array<Record<string, unknown>>> {
  const tile = new VectorTile(new PbfReader(bytes));
  return Object.fromEntries(Object.entries(tile.layers).map(([name, layer]) =>
    [name, Array.from({ length: layer.length }, (_, i) => ({ ...layer.feature(i).properties }))]));
}

describe.each(backends)('offline basemap on $name', (backend) => {
  for (const [format, file] of [['MBTiles', mbtiles], ['PMTiles', pmtiles]] as const) {
    describe(format, () => {
      let app: FastifyInstance;
      let planner: Client;
      beforeAll(async () => {
        app = await backend.start({ basemapFile: file });
        planner = await signedInAs(app, 'planner');
      });
      afterAll(async () => {
        await app?.close();
      });

      it('describes itself in a TileJSON with the file\'s own layers', async () => {
        const res = await planner.get<TileJson>('/tiles/basemap.json');
        expect(res.status).toBe(200);
        expect(res.body.tiles).toEqual([expect.stringMatching(/^http:\/\/localhost(:80)?\/tiles\/basemap\/\{z\}\/\{x\}\/\{y\}\.mvt$/)]);
        expect(res.body.vector_layers.map((l) => l.id).sort()).toEqual(['building', 'landuse', 'place', 'transportation', 'transportation_name', 'water']);
        expect(res.body.maxzoom).toBe(14);
        const [w, s, e, n] = res.body.bounds;
        expect([w, s, e, n]).toEqual([57, 30.22, 57.16, 30.34]);
      });

      it('serves tiles gzip-compressed as stored, with streets and Persian place names', async () => {
        const res = await planner.request({ method: 'GET', url: `/tiles/basemap/${KERMAN.z}/${KERMAN.x}/${KERMAN.y}.mvt`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe('gzip');
        expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
        const raw = res.raw;
        const layers = layersOf(gunzipSync(raw));
        expect(layers.transportation!.map((f) => f.class).sort()).toEqual(['minor', 'primary', 'secondary']);
        expect(layers.place).toContainEqual(expect.objectContaining({ 'name:fa': 'کرمان', class: 'city' }));
        // The very bytes of the file: nothing is re-encoded on the way.
        if (format === 'MBTiles') {
          const db = new DatabaseSync(mbtiles, { readOnly: true });
          const stored = db.prepare('select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?').get(KERMAN.z, KERMAN.x, 2 ** KERMAN.z - 1 - KERMAN.y) as { tile_data: Uint8Array };
          db.close();
          expect(Buffer.from(stored.tile_data).equals(raw)).toBe(true);
        }
      });

      it('sends plain bytes to a client that accepts no gzip, and 304 for a known ETag', async () => {
        const url = `/tiles/basemap/${KERMAN.z}/${KERMAN.x}/${KERMAN.y}.mvt`;
        const plain = await planner.request({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(Object.keys(layersOf(plain.raw))).toContain('place');
        const etag = String(plain.headers.etag);
        expect(etag).toMatch(/^"basemap-/);
        const again = await planner.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
        expect(again.status).toBe(304);
        expect(again.text).toBe('');
      });

      it('answers an empty tile outside the file and refuses impossible addresses', async () => {
        const empty = await planner.get('/tiles/basemap/10/0/0.mvt');
        expect(empty.status).toBe(200);
        expect(empty.text).toBe('');
        expect((await planner.get('/tiles/basemap/3/8/0.mvt')).status).toBe(400);
        expect((await planner.get('/tiles/basemap/30/0/0.mvt')).status).toBe(400);
      });

      it('needs a sign-in like every other layer', async () => {
        expect((await app.inject({ method: 'GET', url: '/tiles/basemap.json' })).statusCode).toBe(401);
        expect((await app.inject({ method: 'GET', url: `/tiles/basemap/${KERMAN.z}/${KERMAN.x}/${KERMAN.y}.mvt` })).statusCode).toBe(401);
      });
    });
  }

  it('says there is no basemap when none is configured', async () => {
    const app = await backend.start();
    try {
      const planner = await signedInAs(app, 'planner');
      const res = await planner.get('/tiles/basemap.json');
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/MAHALLENAMA_BASEMAP/);
    } finally {
      await app.close();
    }
  });
});

describe('a basemap file that cannot be served stops the start, saying why', () => {
  const raster = path.join(fixtures, 'raster.mbtiles');
  beforeAll(() => {
    // What `gdal_translate -of MBTiles` makes of an image: format png.
    const db = new DatabaseSync(raster);
    db.exec("create table metadata (name text, value text); create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob); insert into metadata values ('format', 'png'), ('name', 'satellite')");
    db.close();
    fs.writeFileSync(path.join(fixtures, 'notes.txt'), 'not tiles at all');
  });

  it.each([
    ['missing', 'no-such-file.mbtiles', /no such file/],
    ['not a tile file', 'notes.txt', /neither MBTiles .* nor PMTiles/],
    ['raster', 'raster.mbtiles', /png tiles, not vector tiles/],
  ])('%s', async (_what, name, message) => {
    await expect(buildApp({ dataDir: fixtures, basemapFile: path.join(fixtures, name) })).rejects.toThrow(message);
  });

  it('as the server process: exit code 1 and the reason on stderr', () => {
    const started = spawnSync(path.resolve('node_modules/.bin/tsx'), ['server/main.ts'], {
      env: { ...process.env, DATABASE_URL: '', MAHALLENAMA_DATA_DIR: path.join(fixtures, 'data'), PORT: '0', MAHALLENAMA_BASEMAP: path.join(fixtures, 'notes.txt') },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/MAHALLENAMA_BASEMAP=.*notes\.txt: is neither MBTiles/);
    // Nothing was opened: the data folder was never created.
    expect(fs.existsSync(path.join(fixtures, 'data'))).toBe(false);
  });
});
