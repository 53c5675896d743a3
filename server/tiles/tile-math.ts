/**
 * XYZ tile arithmetic for the Web Mercator grid (EPSG:3857), y counted down from the
 * north edge as in the /tiles/{z}/{x}/{y} URLs MapLibre requests.
 */
import type { Bbox } from '../../shared/bbox.js';

export interface TileId {
  z: number;
  x: number;
  y: number;
}

/** Half the width of the Web Mercator world in metres, the bounds ST_TileEnvelope uses. */
export const WEB_MERCATOR_HALF_WORLD = 20037508.342789244;

/** Latitude of the grid's north and south edges, where Web Mercator y reaches the half world. */
export const WEB_MERCATOR_MAX_LAT = 85.0511287798066;

export function isValidTile(z: number, x: number, y: number, maxZoom = 22): boolean {
  if (!Number.isInteger(z) || z < 0 || z > maxZoom) return false;
  const n = 2 ** z;
  return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < n && y < n;
}

/** [minX, minY, maxX, maxY] in metres, computed as ST_TileEnvelope(z, x, y) does. */
export function tileBounds3857(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * WEB_MERCATOR_HALF_WORLD) / 2 ** z;
  return [
    -WEB_MERCATOR_HALF_WORLD + size * x,
    WEB_MERCATOR_HALF_WORLD - size * (y + 1),
    -WEB_MERCATOR_HALF_WORLD + size * (x + 1),
    WEB_MERCATOR_HALF_WORLD - size * y,
  ];
}

/** [west, south, east, north] in degrees. */
export function tileBounds4326(z: number, x: number, y: number): Bbox {
  const n = 2 ** z;
  return [(x / n) * 360 - 180, tileLat(y + 1, n), ((x + 1) / n) * 360 - 180, tileLat(y, n)];
}

/** The tile at zoom z that contains the point; points on the grid's edges fall in the edge tiles. */
export function lonLatToTile(lon: number, lat: number, z: number): TileId {
  const n = 2 ** z;
  return { z, x: clampIndex(Math.floor(tileX(lon, n)), n), y: clampIndex(Math.floor(tileY(lat, n)), n) };
}

/**
 * Slack, in tiles, for box edges that sit on a tile edge but come back from the
 * projection a rounding error off it. Without it a third of all tiles' own bounds also
 * cover a neighbour; 1e-6 of a tile is about ten micrometres at zoom 22.
 */
const EDGE_EPSILON = 1e-6;

/**
 * Tiles at zoom z that overlap the box, row by row from the north-west. A box edge that
 * lies on a tile edge does not bring in the tile beyond it, so the bounds of one tile
 * are covered by that tile alone.
 */
export function tilesCoveringBbox(bbox: Bbox, z: number): TileId[] {
  const [west, south, east, north] = bbox;
  if (west > east || south > north) {
    throw new RangeError('bbox must be minLon,minLat,maxLon,maxLat with each minimum not above its maximum');
  }
  const n = 2 ** z;
  const minX = clampIndex(Math.floor(tileX(west, n) + EDGE_EPSILON), n);
  const minY = clampIndex(Math.floor(tileY(north, n) + EDGE_EPSILON), n);
  const maxX = Math.max(minX, clampIndex(Math.ceil(tileX(east, n) - EDGE_EPSILON) - 1, n));
  const maxY = Math.max(minY, clampIndex(Math.ceil(tileY(south, n) - EDGE_EPSILON) - 1, n));
  const tiles: TileId[] = [];
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) tiles.push({ z, x, y });
  }
  return tiles;
}

/** Fractional tile column of a longitude. */
function tileX(lon: number, n: number): number {
  return ((Math.min(Math.max(lon, -180), 180) + 180) / 360) * n;
}

/** Fractional tile row of a latitude, clamped to the edges of the Mercator grid. */
function tileY(lat: number, n: number): number {
  const phi = (Math.min(Math.max(lat, -WEB_MERCATOR_MAX_LAT), WEB_MERCATOR_MAX_LAT) * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n;
}

/** Latitude of the north edge of tile row y. */
function tileLat(y: number, n: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
}

function clampIndex(index: number, n: number): number {
  return Math.min(Math.max(index, 0), n - 1);
}
