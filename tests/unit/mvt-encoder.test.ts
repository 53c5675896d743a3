import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyRings, VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeMvt, encodeMvtLayer, type TileFeature, type TileGeometry } from '../../server/tiles/mvt-encoder.js';
import { lonLatToTile, tileBounds3857 } from '../../server/tiles/tile-math.js';

const point = (x: number, y: number): TileGeometry => ({ type: 'Point', coordinates: [x, y] });

function decode(bytes: Uint8Array) {
  return new VectorTile(new PbfReader(bytes)).layers;
}

function features(bytes: Uint8Array, layer: string): VectorTileFeature[] {
  const decoded = decode(bytes)[layer];
  return Array.from({ length: decoded.length }, (_, i) => decoded.feature(i));
}

function coords(feature: VectorTileFeature): number[][][] {
  return feature.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y]));
}

/** Twice the signed area; positive means clockwise with y down, the MVT exterior ring. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return sum;
}

/** The layer's keys and values tables as stored, with each value's protobuf field number. */
function rawTables(bytes: Uint8Array): { keys: string[]; values: { field: number; value: unknown }[] } {
  const keys: string[] = [];
  const values: { field: number; value: unknown }[] = [];
  const pbf = new PbfReader(bytes);
  pbf.readFields((tileField) => {
    if (tileField !== 3) return;
    pbf.readMessage((layerField) => {
      if (layerField === 3) keys.push(pbf.readString());
      if (layerField !== 4) return;
      pbf.readMessage((field) => {
        const read: Record<number, () => unknown> = {
          1: () => pbf.readString(),
          3: () => pbf.readDouble(),
          5: () => pbf.readVarint(),
          6: () => pbf.readSVarint(),
          7: () => pbf.readBoolean(),
        };
        values.push({ field, value: read[field]() });
      }, undefined);
    }, undefined);
  }, undefined);
  return { keys, values };
}

describe('encodeMvtLayer: byte for byte as PostGIS ST_AsMVT', () => {
  // Expected tiles are PostGIS's own: the queries are in regress/core/mvt.sql of
  // postgis/postgis and the base64 results in regress/core/mvt_expected (psql's line
  // breaks removed). The rows here are what ST_AsMVTGeom hands ST_AsMVT in each query.
  // For TG6 and TG7 they are the input polygons only flipped to y down, with their
  // rings the wrong way round, so the encoder must orient them as ST_AsMVTGeom does.
  const flip = (ring: number[][]) => ring.map(([x, y]) => [x, 4096 - y]);
  const lorem =
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Phasellus sed nulla augue. Pellentesque ut vulputate ex. Nunc et odio placerat, lacinia lectus sed, fermentum sapien. Sed massa velit, ullamcorper et est quis, congue rhoncus orci. Suspendisse in ante varius, convallis enim ut, fermentum amet.';
  const cases: { name: string; layer?: string; features: TileFeature[]; expected: string }[] = [
    {
      name: 'TG1 point',
      features: [{ properties: { c1: 1 }, geometry: point(25, 4079) }],
      expected: 'GiEKBHRlc3QSDBICAAAYASIECTLePxoCYzEiAigBKIAgeAI=',
    },
    {
      name: 'TG2 multipoint',
      features: [{ properties: { c1: 1 }, geometry: { type: 'MultiPoint', coordinates: [[25, 4079], [26, 4078]] } }],
      expected: 'GiMKBHRlc3QSDhICAAAYASIGETLePwIBGgJjMSICKAEogCB4Ag==',
    },
    {
      name: 'TG3 linestring',
      features: [{ properties: { c1: 1 }, geometry: { type: 'LineString', coordinates: [[0, 4096], [1000, 3096]] } }],
      expected: 'GiYKBHRlc3QSERICAAAYAiIJCQCAQArQD88PGgJjMSICKAEogCB4Ag==',
    },
    {
      name: 'TG5 multilinestring',
      features: [
        {
          properties: { c1: 1 },
          geometry: { type: 'MultiLineString', coordinates: [[[1, 4095], [1001, 3095]], [[2, 4094], [1002, 3094]]] },
        },
      ],
      expected: 'GjAKBHRlc3QSGxICAAAYAiITCQL+PwrQD88PCc0Pzg8K0A/PDxoCYzEiAigBKIAgeAI=',
    },
    {
      name: 'TG6 polygon with a hole, both rings reversed',
      features: [
        {
          properties: { c1: 1 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              flip([[45, 45], [15, 40], [10, 20], [35, 10], [45, 45]]),
              flip([[35, 35], [30, 20], [20, 30], [35, 35]]),
            ],
          },
        },
      ],
      expected: 'GjIKBHRlc3QSHRICAAAYAyIVCVqmPxoTRjETCicPCSgKEh0KFBQPGgJjMSICKAEogCB4Ag==',
    },
    {
      name: 'TG7 multipolygon, all rings reversed',
      features: [
        {
          properties: { c1: 1 },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                flip([[20, 35], [10, 30], [10, 10], [30, 5], [45, 20], [20, 35]]),
                flip([[20, 25], [30, 20], [20, 15], [20, 25]]),
              ],
              [flip([[20, 45], [45, 30], [40, 40], [20, 45]])],
            ],
          },
        },
      ],
      expected: 'Gj0KBHRlc3QSKBICAAAYAyIgCSi6PyIyHh0eJwkAJw8JFAoSABQUCQ8JEzESKAoKFA8aAmMxIgIoASiAIHgC',
    },
    {
      name: 'TG9 multipoint with a negative coordinate',
      features: [{ properties: { c1: 1 }, geometry: { type: 'MultiPoint', coordinates: [[-26, 4114], [25, 4079]] } }],
      expected: 'GiMKBHRlc3QSDhICAAAYASIGETOkQGZFGgJjMSICKAEogCB4Ag==',
    },
    {
      name: 'TA1 integer and text',
      features: [{ properties: { c1: 1, c2: 'abcd' }, geometry: point(25, 4079) }],
      expected: 'Gi8KBHRlc3QSDhIEAAABARgBIgQJMt4/GgJjMRoCYzIiAigBIgYKBGFiY2QogCB4Ag==',
    },
    {
      name: 'TA2 double',
      features: [{ properties: { c1: 1.1 }, geometry: point(25, 4079) }],
      expected: 'GigKBHRlc3QSDBICAAAYASIECTLePxoCYzEiCRmamZmZmZnxPyiAIHgC',
    },
    {
      name: 'TA3 null keeps its key but no tag',
      features: [{ properties: { c1: null }, geometry: point(25, 4079) }],
      expected: 'GhkKBHRlc3QSCBgBIgQJMt4/GgJjMSiAIHgC',
    },
    {
      name: 'TA4 two features',
      features: [
        { properties: { c1: 1 }, geometry: point(25, 4079) },
        { properties: { c1: 2 }, geometry: point(25, 4079) },
      ],
      expected: 'GjMKBHRlc3QSDBICAAAYASIECTLePxIMEgIAARgBIgQJMt4/GgJjMSICKAEiAigCKIAgeAI=',
    },
    {
      name: 'TA6 negative integer as sint',
      features: [{ properties: { c1: 1, c2: -1 }, geometry: point(25, 4079) }],
      expected: 'GisKBHRlc3QSDhIEAAABARgBIgQJMt4/GgJjMRoCYzIiAigBIgIwASiAIHgC',
    },
    {
      name: 'TA7 shared string values',
      features: [
        { properties: { c1: 'test', c2: 1 }, geometry: point(25, 4079) },
        { properties: { c1: 'test', c2: 2 }, geometry: point(26, 4078) },
        { properties: { c1: 'othertest', c2: 3 }, geometry: point(26, 4078) },
      ],
      expected:
        'GmQKBHRlc3QSDhIEAAABARgBIgQJMt4/Eg4SBAAAAQIYASIECTTcPxIOEgQAAwEEGAEiBAk03D8aAmMxGgJjMiIGCgR0ZXN0IgIoASICKAIiCwoJb3RoZXJ0ZXN0IgIoAyiAIHgC',
    },
    {
      name: 'TA8 shared integer values across columns',
      features: [
        { properties: { c1: 1, c2: 1 }, geometry: point(25, 4079) },
        { properties: { c1: 1, c2: 2 }, geometry: point(26, 4078) },
        { properties: { c1: 2, c2: 3 }, geometry: point(26, 4078) },
      ],
      expected:
        'Gk8KBHRlc3QSDhIEAAABABgBIgQJMt4/Eg4SBAAAAQEYASIECTTcPxIOEgQAAQECGAEiBAk03D8aAmMxGgJjMiICKAEiAigCIgIoAyiAIHgC',
    },
    {
      name: 'TA11 a value longer than 127 bytes',
      features: [{ properties: { cstring: 'AbcDfg', ctext: lorem }, geometry: point(25, 4079) }],
      expected:
        'GucCCgR0ZXN0Eg4SBAAAAQEYASIECTLePxoHY3N0cmluZxoFY3RleHQiCAoGQWJjRGZnIq8CCqwCTG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxpdC4gUGhhc2VsbHVzIHNlZCBudWxsYSBhdWd1ZS4gUGVsbGVudGVzcXVlIHV0IHZ1bHB1dGF0ZSBleC4gTnVuYyBldCBvZGlvIHBsYWNlcmF0LCBsYWNpbmlhIGxlY3R1cyBzZWQsIGZlcm1lbnR1bSBzYXBpZW4uIFNlZCBtYXNzYSB2ZWxpdCwgdWxsYW1jb3JwZXIgZXQgZXN0IHF1aXMsIGNvbmd1ZSByaG9uY3VzIG9yY2kuIFN1c3BlbmRpc3NlIGluIGFudGUgdmFyaXVzLCBjb252YWxsaXMgZW5pbSB1dCwgZmVybWVudHVtIGFtZXQuKIAgeAI=',
    },
    {
      name: 'TA13 a row without geometry is skipped',
      features: [
        { properties: { c1: 1, c2: null }, geometry: point(25, 4079) },
        { properties: { c1: 5, c2: 2.5 }, geometry: null },
      ],
      expected: 'GiUKBHRlc3QSDBICAAAYASIECTLePxoCYzEaAmMyIgIoASiAIHgC',
    },
    {
      name: 'FI1 feature id',
      features: [{ id: 1, properties: { c2: 'abcd' }, geometry: point(25, 4079) }],
      expected: 'GicKBHRlc3QSDggBEgIAABgBIgQJMt4/GgJjMiIGCgRhYmNkKIAgeAI=',
    },
    {
      name: 'FI7 a negative id is left out',
      features: [{ id: -5, properties: { c2: 'abcd' }, geometry: point(25, 4079) }],
      expected: 'GiUKBHRlc3QSDBICAAAYASIECTLePxoCYzIiBgoEYWJjZCiAIHgC',
    },
    {
      name: 'D4 layer name',
      layer: 'default',
      features: [{ properties: { c1: 1, c2: 'abcd' }, geometry: point(25, 4079) }],
      expected: 'GjIKB2RlZmF1bHQSDhIEAAABARgBIgQJMt4/GgJjMRoCYzIiAigBIgYKBGFiY2QogCB4Ag==',
    },
  ];

  it.each(cases)('$name', ({ layer, features: rows, expected }) => {
    const bytes = encodeMvtLayer({ name: layer ?? 'test', extent: 4096, features: rows });
    expect(Buffer.from(bytes).toString('base64')).toBe(expected);
  });
});

describe('encodeMvtLayer: decoded by @mapbox/vector-tile', () => {
  it('writes a version 2 layer with the extent asked for, 4096 by default', () => {
    const rows = [{ properties: {}, geometry: point(1, 2) }];
    expect(decode(encodeMvtLayer({ name: 'a', features: rows })).a).toMatchObject({ version: 2, extent: 4096, length: 1 });
    expect(decode(encodeMvtLayer({ name: 'a', extent: 512, features: rows })).a.extent).toBe(512);
  });

  it('round-trips ids, property values and their protobuf types', () => {
    const bytes = encodeMvtLayer({
      name: 'neighbourhoods',
      features: [
        {
          id: 42,
          properties: { title: 'Shahrak', households: 1200, change: -35, share: 0.375, deprived: true, note: null },
          geometry: point(10, 20),
        },
        {
          id: 2 ** 40,
          properties: { title: 'Shahrak', households: 2 ** 40, change: -(2 ** 40), share: 2 ** 60, deprived: false },
          geometry: point(30, 40),
        },
        { properties: { households: 1200 }, geometry: point(50, 60) },
      ],
    });

    const [first, second, third] = features(bytes, 'neighbourhoods');
    expect(first.id).toBe(42);
    expect(first.properties).toEqual({ title: 'Shahrak', households: 1200, change: -35, share: 0.375, deprived: true });
    expect(Object.keys(first.properties)).not.toContain('note');
    expect(second.id).toBe(2 ** 40);
    expect(second.properties).toEqual({
      title: 'Shahrak',
      households: 2 ** 40,
      change: -(2 ** 40),
      share: 2 ** 60,
      deprived: false,
    });
    expect(third.id).toBeUndefined();
    expect(third.properties).toEqual({ households: 1200 });

    // Integers as ST_AsMVT writes int columns: uint (5) when >= 0, sint (6) when
    // negative; other numbers as double (3); 2 ** 60 is past the safe integers.
    expect(rawTables(bytes)).toStrictEqual({
      keys: ['title', 'households', 'change', 'share', 'deprived', 'note'],
      values: [
        { field: 1, value: 'Shahrak' },
        { field: 5, value: 1200 },
        { field: 6, value: -35 },
        { field: 3, value: 0.375 },
        { field: 7, value: true },
        { field: 5, value: 2 ** 40 },
        { field: 6, value: -(2 ** 40) },
        { field: 3, value: 2 ** 60 },
        { field: 7, value: false },
      ],
    });
  });

  it('keeps Persian keys and values byte for byte, zero-width non-joiner included', () => {
    const name = 'شهرک الله\u200cآباد';
    const bytes = encodeMvtLayer({ name: 'محله‌ها', features: [{ properties: { 'نام': name }, geometry: point(1, 1) }] });

    const [feature] = features(bytes, 'محله‌ها');
    expect(feature.properties['نام']).toBe(name);
    expect(Buffer.from(bytes).includes(Buffer.from(name, 'utf8'))).toBe(true);
    expect(Buffer.from(name, 'utf8').includes(Buffer.from([0xe2, 0x80, 0x8c]))).toBe(true);
  });

  it('round-trips every geometry type', () => {
    const geometries: TileGeometry[] = [
      point(100, 200),
      { type: 'MultiPoint', coordinates: [[1, 2], [-3, 4100]] },
      { type: 'LineString', coordinates: [[0, 0], [10, 0], [10, 10]] },
      { type: 'MultiLineString', coordinates: [[[0, 0], [5, 5]], [[-64, 4160], [4160, -64]]] },
      { type: 'Polygon', coordinates: [[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[10, 10], [10, 90], [90, 90], [90, 10], [10, 10]]] },
      {
        type: 'MultiPolygon',
        coordinates: [[[[0, 0], [10, 0], [10, 10], [0, 0]]], [[[20, 20], [30, 20], [30, 30], [20, 20]]]],
      },
    ];
    const bytes = encodeMvtLayer({ name: 'g', features: geometries.map((geometry) => ({ properties: {}, geometry })) });

    expect(features(bytes, 'g').map((f) => [f.type, coords(f)])).toStrictEqual([
      [1, [[[100, 200]]]],
      [1, [[[1, 2]], [[-3, 4100]]]],
      [2, [[[0, 0], [10, 0], [10, 10]]]],
      [2, [[[0, 0], [5, 5]], [[-64, 4160], [4160, -64]]]],
      [3, [[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[10, 10], [10, 90], [90, 90], [90, 10], [10, 10]]]],
      [3, [[[0, 0], [10, 0], [10, 10], [0, 0]], [[20, 20], [30, 20], [30, 30], [20, 20]]]],
    ]);
  });

  it('turns exterior rings clockwise and holes counter-clockwise (y down), keeping each start point', () => {
    const counterClockwise = [[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]];
    const clockwiseHole = [[10, 10], [90, 10], [90, 90], [10, 90], [10, 10]];
    const bytes = encodeMvtLayer({
      name: 'w',
      features: [
        { properties: {}, geometry: { type: 'Polygon', coordinates: [counterClockwise, clockwiseHole] } },
        { properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[counterClockwise], [clockwiseHole]] } },
      ],
    });

    const [polygon, multi] = features(bytes, 'w');
    const [exterior, hole] = coords(polygon);
    expect(signedArea(exterior)).toBeGreaterThan(0);
    expect(signedArea(hole)).toBeLessThan(0);
    expect(exterior).toStrictEqual([[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]]);
    expect(hole).toStrictEqual([[10, 10], [10, 90], [90, 90], [90, 10], [10, 10]]);
    expect(classifyRings(polygon.loadGeometry())).toHaveLength(1);
    expect(coords(multi).map(signedArea).every((area) => area > 0)).toBe(true);
    expect(classifyRings(multi.loadGeometry())).toHaveLength(2);
  });

  it('drops repeated points, and rings and lines that have no area or length', () => {
    const bytes = encodeMvtLayer({
      name: 'd',
      features: [
        {
          id: 1,
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [[0, 0], [10, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                [[2, 2], [4, 4], [6, 6], [2, 2]], // collinear hole
              ],
              [[[20, 20], [30, 30], [40, 40], [20, 20]]], // collinear exterior
              [[[50, 50], [50, 50], [50, 50], [50, 50]]],
            ],
          },
        },
        { id: 2, properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[5, 5], [5, 5]], [[0, 0], [0, 0], [3, 4]]] } },
        { id: 3, properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [5, 0], [9, 0], [0, 0]]] } },
        { id: 4, properties: {}, geometry: { type: 'LineString', coordinates: [[7, 7], [7, 7]] } },
      ],
    });

    const decoded = features(bytes, 'd');
    expect(decoded.map((f) => f.id)).toStrictEqual([1, 2]);
    expect(coords(decoded[0])).toStrictEqual([[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]);
    expect(coords(decoded[1])).toStrictEqual([[[0, 0], [3, 4]]]);
  });

  it('writes an empty layer as zero bytes, which is a valid tile without layers', () => {
    const empty = encodeMvtLayer({ name: 'empty', features: [] });
    expect(empty).toHaveLength(0);
    expect(Object.keys(decode(empty))).toStrictEqual([]);
    expect(encodeMvtLayer({ name: 'clipped', features: [{ properties: { a: 1 }, geometry: null }] })).toHaveLength(0);
  });

  it('grows past its first buffer with long geometries and many features', () => {
    const ring = Array.from({ length: 2000 }, (_, i) => {
      const angle = (-2 * Math.PI * i) / 2000;
      return [Math.round(2048 + 2000 * Math.cos(angle)), Math.round(2048 + 2000 * Math.sin(angle))];
    });
    const circle: TileGeometry = { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, properties: { i }, geometry: circle }));

    const decoded = features(encodeMvtLayer({ name: 'big', features: rows }), 'big');
    expect(decoded).toHaveLength(300);
    expect(decoded[299].properties).toEqual({ i: 299 });
    const [decodedRing] = coords(decoded[299]);
    expect(signedArea(decodedRing)).toBeGreaterThan(0);
    expect(new Set(decodedRing.map(String))).toStrictEqual(new Set(ring.map(String)));
  });

  it('rejects what ST_AsMVT would reject', () => {
    const geometry = point(1, 1);
    expect(() => encodeMvtLayer({ name: 'x', extent: 0, features: [] })).toThrow(RangeError);
    expect(() => encodeMvtLayer({ name: 'x', features: [{ id: 1.5, properties: {}, geometry }] })).toThrow(TypeError);
    const collection = { type: 'GeometryCollection', geometries: [] } as unknown as TileGeometry;
    expect(() => encodeMvtLayer({ name: 'x', features: [{ properties: {}, geometry: collection }] })).toThrow(TypeError);
  });
});

describe('encodeMvt', () => {
  it('concatenates layers, an empty one adding nothing', () => {
    const a = { name: 'a', features: [{ properties: { k: 'v' }, geometry: point(1, 1) }] };
    const b = { name: 'b', features: [{ properties: { k: 2 }, geometry: point(2, 2) }] };
    const bytes = encodeMvt([a, { name: 'none', features: [] }, b]);

    expect(Buffer.from(bytes)).toStrictEqual(Buffer.concat([encodeMvtLayer(a), encodeMvtLayer(b)]));
    expect(Object.keys(decode(bytes))).toStrictEqual(['a', 'b']);
    expect(features(bytes, 'b')[0].properties).toEqual({ k: 2 });
  });
});

const hasOgr = spawnSync('ogr2ogr', ['--version']).status === 0;

describe('encodeMvtLayer: read by GDAL', () => {
  it.skipIf(!hasOgr)('gives GDAL the features, attributes and tile position', () => {
    // Kerman's old city centre; the polygon covers its whole tile.
    const { z, x, y } = lonLatToTile(57.0788, 30.2839, 14);
    const name = 'شهرک الله\u200cآباد';
    const tile = encodeMvtLayer({
      name: 'neighbourhoods',
      features: [
        {
          id: 7,
          properties: { name, households: 1200, share: 0.25, deprived: true, note: null },
          geometry: { type: 'Polygon', coordinates: [[[0, 0], [4096, 0], [4096, 4096], [0, 4096], [0, 0]]] },
        },
        { id: 8, properties: { name: 'راه', households: -3 }, geometry: { type: 'LineString', coordinates: [[0, 0], [2048, 2048]] } },
      ],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvt-'));
    const file = path.join(dir, 'tile.mvt');
    fs.writeFileSync(file, tile);

    try {
      const out = execFileSync(
        'ogr2ogr',
        ['-f', 'GeoJSON', '/vsistdout/', file, '-oo', `Z=${z}`, '-oo', `X=${x}`, '-oo', `Y=${y}`],
        { encoding: 'utf8' },
      );
      const collection = JSON.parse(out) as {
        name: string;
        features: { properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][][] } }[];
      };

      expect(collection.name).toBe('neighbourhoods');
      expect(collection.features.map((f) => f.properties)).toStrictEqual([
        { mvt_id: 7, name, households: 1200, share: 0.25, deprived: true },
        { mvt_id: 8, name: 'راه', households: -3 },
      ]);
      const [minX, minY, maxX, maxY] = tileBounds3857(z, x, y);
      const corners = collection.features[0].geometry.coordinates[0];
      expect(Math.min(...corners.map((c) => c[0]))).toBeCloseTo(minX, 3);
      expect(Math.max(...corners.map((c) => c[0]))).toBeCloseTo(maxX, 3);
      expect(Math.min(...corners.map((c) => c[1]))).toBeCloseTo(minY, 3);
      expect(Math.max(...corners.map((c) => c[1]))).toBeCloseTo(maxY, 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
