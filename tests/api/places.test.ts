import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends } from './backends.js';
import { decode, plannerCookie } from './tile-helpers.js';
import { lonLatToTile } from '../../server/tiles/tile-math.js';
import { TILE_EXTENT } from '../../server/tiles/queries.js';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { checkSlug } from '../../server/layers/mapping.js';

// The context layer: county seats and towns from geodata/, served as the `places` tile layer.

const geodata = (file: string) =>
  JSON.parse(fs.readFileSync(path.resolve('geodata', file), 'utf8')) as {
    features: Array<{ properties: { name_fa: string | null; name_en: string | null }; geometry: { coordinates: [number, number] } }>;
  };
const seats = geodata('kerman-county-seats.geojson').features;
const towns = geodata('kerman-towns.geojson').features;
const KERMAN_CITY = [57.07879, 30.28321] as const;

describe.each(backends)('context layer of places on $name', (backend) => {
  let app: FastifyInstance;
  let cookie: string;
  beforeAll(async () => {
    app = await backend.start();
    cookie = await plannerCookie(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const tile = async (z: number, x: number, y: number, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/tiles/places/${z}/${x}/${y}.mvt`, headers: { cookie, ...headers } });

  it('holds every county seat and town of geodata/, with their names', async () => {
    const rows = await sql<{ kind: string; n: number; named_fa: number }>`select kind, count(*)::int as n,
        count(name_fa)::int as named_fa from places group by kind order by kind`.execute(app.database.db);
    expect(rows.rows).toEqual([
      { kind: 'county_seat', n: seats.length, named_fa: seats.length },
      { kind: 'town', n: towns.length, named_fa: towns.filter((t) => t.properties.name_fa).length },
    ]);
    expect(seats.length).toBe(25);
    expect(towns.length).toBeGreaterThan(20);
  });

  it('describes the layer in TileJSON with the GeoNames attribution', async () => {
    const res = await app.inject({ method: 'GET', url: '/tiles/places.json', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const tileJson = res.json();
    expect(tileJson.attribution).toContain('GeoNames');
    expect(tileJson.minzoom).toBe(5);
    expect(tileJson.maxzoom).toBe(12);
    expect(tileJson.vector_layers).toEqual([
      expect.objectContaining({ id: 'places', fields: { id: 'Number', kind: 'String', name_fa: 'String', name_en: 'String' } }),
    ]);
  });

  it('puts Kerman and the towns around it in the tile of the city at province scale', async () => {
    const { z, x, y } = lonLatToTile(KERMAN_CITY[0], KERMAN_CITY[1], 7);
    const res = await tile(z, x, y);
    expect(res.statusCode).toBe(200);
    const features = decode(res.rawPayload).places ?? [];
    const seat = features.find((f) => f.properties.name_fa === 'کرمان');
    expect(seat?.properties.kind).toBe('county_seat');
    const names = new Set(features.map((f) => f.properties.name_en));
    // Māhān and Zangīābād lie within 30 km of the city, so in the same zoom-7 tile.
    for (const town of ['Māhān', 'Zangīābād']) {
      expect(towns.some((t) => t.properties.name_en === town)).toBe(true);
      expect(names.has(town)).toBe(true);
    }
    // Every point of the files that falls in the tile is in it (the tile's buffer holds a few
    // more from its neighbours, drawn outside 0…extent).
    const drawnInside = features.filter((f) => f.rings[0]!.every(([px, py]) => px! >= 0 && px! < TILE_EXTENT && py! >= 0 && py! < TILE_EXTENT));
    const inTile = [...seats, ...towns].filter((f) => {
      const t = lonLatToTile(f.geometry.coordinates[0], f.geometry.coordinates[1], z);
      return t.x === x && t.y === y;
    });
    expect(drawnInside.length).toBe(inTile.length);
  });

  it('sends nothing below its zoom range, and gzip to clients that take it', async () => {
    const { z, x, y } = lonLatToTile(KERMAN_CITY[0], KERMAN_CITY[1], 4);
    const empty = await tile(z, x, y);
    expect(empty.statusCode).toBe(200);
    expect(decode(empty.rawPayload).places ?? []).toEqual([]);

    const at = lonLatToTile(KERMAN_CITY[0], KERMAN_CITY[1], 8);
    const zipped = await tile(8, at.x, at.y, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(decode(gunzipSync(zipped.rawPayload)).places!.length).toBeGreaterThan(0);
  });

  it('is for signed-in users only', async () => {
    const res = await app.inject({ method: 'GET', url: '/tiles/places/7/84/52.mvt' });
    expect(res.statusCode).toBe(401);
  });

  it('keeps its name from reference layers, as every tile layer of ours does', () => {
    for (const layer of TILE_LAYERS) expect(() => checkSlug(layer.name)).toThrow(/taken/);
  });
});

describe.each(backends)('places on a database seeded before they existed, on $name', (backend) => {
  it('are loaded at the next start', async () => {
    const copy = await backend.copy();
    let app = await copy.start({ afterClose: async () => {} });
    try {
      await sql`delete from places`.execute(app.database.db);
    } finally {
      await app.close();
    }
    app = await copy.start();
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from places`.execute(app.database.db);
      expect(rows[0]!.n).toBe(seats.length + towns.length);
    } finally {
      await app.close();
    }
  });

  it('get the towns\' Persian names on a database seeded with the Latin ones only (migration 0022)', async () => {
    const copy = await backend.copy();
    let app = await copy.start({ afterClose: async () => {} });
    try {
      // As a database seeded before the towns had Persian names, and before migration 0022.
      await sql`update places set name_fa = null where kind = 'town'`.execute(app.database.db);
      await sql`delete from kysely_migration where name = '0022-places-persian-names'`.execute(app.database.db);
    } finally {
      await app.close();
    }
    app = await copy.start();
    try {
      const { rows } = await sql<{ named: number }>`select count(name_fa)::int as named from places where kind = 'town'`.execute(app.database.db);
      expect(rows[0]!.named).toBe(towns.filter((t) => t.properties.name_fa).length);
      expect(rows[0]!.named).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
