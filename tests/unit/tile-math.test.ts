import { describe, expect, it } from 'vitest';
import type { Bbox } from '../../shared/bbox.js';
import {
  isValidTile,
  lonLatToTile,
  tileBounds3857,
  tileBounds4326,
  tilesCoveringBbox,
  WEB_MERCATOR_HALF_WORLD as H,
  WEB_MERCATOR_MAX_LAT as MAX_LAT,
} from '../../server/tiles/tile-math.js';

const KERMAN = { lon: 57.0788, lat: 30.2839 };
// Kerman province's extent, rounded outwards by hand.
const KERMAN_PROVINCE: Bbox = [54.3, 26.5, 59.6, 32.0];

/** Spherical Web Mercator, written out independently of the module under test. */
function toMercator(lon: number, lat: number): [number, number] {
  const radius = 6378137;
  return [(lon * Math.PI * radius) / 180, radius * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
}

function expectClose(actual: number[], expected: number[], digits: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], digits));
}

describe('isValidTile', () => {
  it('accepts tiles inside the grid of their zoom', () => {
    expect(isValidTile(0, 0, 0)).toBe(true);
    expect(isValidTile(14, 16383, 16383)).toBe(true);
    expect(isValidTile(22, 0, 0)).toBe(true);
  });

  it('rejects negative, fractional, out-of-range and over-zoomed tiles', () => {
    expect(isValidTile(0, 1, 0)).toBe(false);
    expect(isValidTile(1, 0, 2)).toBe(false);
    expect(isValidTile(2, -1, 0)).toBe(false);
    expect(isValidTile(2, 1.5, 0)).toBe(false);
    expect(isValidTile(-1, 0, 0)).toBe(false);
    expect(isValidTile(Number.NaN, 0, 0)).toBe(false);
    expect(isValidTile(23, 0, 0)).toBe(false);
    expect(isValidTile(23, 0, 0, 24)).toBe(true);
    expect(isValidTile(15, 0, 0, 14)).toBe(false);
  });
});

describe('tileBounds3857', () => {
  it('splits the Web Mercator square', () => {
    expect(tileBounds3857(0, 0, 0)).toStrictEqual([-H, -H, H, H]);
    expect(tileBounds3857(1, 0, 0)).toStrictEqual([-H, 0, 0, H]);
    expect(tileBounds3857(1, 1, 1)).toStrictEqual([0, -H, H, 0]);
  });

  it('agrees with the 4326 bounds projected to Web Mercator', () => {
    const { z, x, y } = lonLatToTile(KERMAN.lon, KERMAN.lat, 14);
    const [w, s, e, n] = tileBounds4326(z, x, y);
    expectClose(tileBounds3857(z, x, y), [...toMercator(w, s), ...toMercator(e, n)], 4);
  });
});

describe('tileBounds4326', () => {
  it('covers the world at zoom 0 and splits at the equator and prime meridian at zoom 1', () => {
    expectClose(tileBounds4326(0, 0, 0), [-180, -MAX_LAT, 180, MAX_LAT], 10);
    expectClose(tileBounds4326(1, 1, 0), [0, 0, 180, MAX_LAT], 10);
  });
});

describe('lonLatToTile', () => {
  it('finds the tile whose bounds hold the point', () => {
    for (const z of [0, 5, 10, 14, 18, 22]) {
      const tile = lonLatToTile(KERMAN.lon, KERMAN.lat, z);
      const [w, s, e, n] = tileBounds4326(tile.z, tile.x, tile.y);
      expect(tile.z).toBe(z);
      expect(KERMAN.lon).toBeGreaterThanOrEqual(w);
      expect(KERMAN.lon).toBeLessThan(e);
      expect(KERMAN.lat).toBeGreaterThan(s);
      expect(KERMAN.lat).toBeLessThanOrEqual(n);
    }
  });

  it('puts a point on a tile edge in the tile to its south-east', () => {
    expect(lonLatToTile(0, 0, 1)).toStrictEqual({ z: 1, x: 1, y: 1 });
  });

  it('clamps the poles and the antimeridian into the grid', () => {
    expect(lonLatToTile(-180, 90, 3)).toStrictEqual({ z: 3, x: 0, y: 0 });
    expect(lonLatToTile(180, -90, 3)).toStrictEqual({ z: 3, x: 7, y: 7 });
  });
});

describe('tilesCoveringBbox', () => {
  it('lists the whole grid for the world, row by row', () => {
    expect(tilesCoveringBbox([-180, -90, 180, 90], 1)).toStrictEqual([
      { z: 1, x: 0, y: 0 },
      { z: 1, x: 1, y: 0 },
      { z: 1, x: 0, y: 1 },
      { z: 1, x: 1, y: 1 },
    ]);
  });

  it('covers exactly the tiles that overlap Kerman province', () => {
    const z = 8;
    const tiles = tilesCoveringBbox(KERMAN_PROVINCE, z);
    const [west, south, east, north] = KERMAN_PROVINCE;
    const nw = lonLatToTile(west, north, z);
    const se = lonLatToTile(east, south, z);

    expect(tiles).toHaveLength((se.x - nw.x + 1) * (se.y - nw.y + 1));
    expect(tiles[0]).toStrictEqual(nw);
    expect(tiles.at(-1)).toStrictEqual(se);
    for (const { x, y } of tiles) {
      const [w, s, e, n] = tileBounds4326(z, x, y);
      expect(w < east && e > west && s < north && n > south).toBe(true);
    }
  });

  it('gives a tile its own bounds and nothing beyond, despite rounding', () => {
    // Edges and interior rows of the grid, where degrees to tile rows and back is
    // rarely exact.
    for (const z of [2, 3, 8, 12, 17, 22]) {
      const n = 2 ** z;
      for (const f of [0, 0.1, 0.3, 0.5, 0.77, 0.99, 1]) {
        const tile = { z, x: Math.round(f * (n - 1)), y: Math.round((1 - f) * (n - 1)) };
        expect(tilesCoveringBbox(tileBounds4326(tile.z, tile.x, tile.y), z)).toStrictEqual([tile]);
      }
    }
  });

  it('gives a point its one tile', () => {
    const { lon, lat } = KERMAN;
    expect(tilesCoveringBbox([lon, lat, lon, lat], 14)).toStrictEqual([lonLatToTile(lon, lat, 14)]);
  });

  it('rejects a box whose minimum is above its maximum', () => {
    expect(() => tilesCoveringBbox([10, 0, 5, 1], 3)).toThrow(RangeError);
  });
});
