import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where boundaries are expected: an upload's features outside it get a warning in the
 * report (a UTM zone mix-up or swapped axes puts a file hundreds of kilometres away).
 *
 *   counties          Kerman province's outline, geodata/kerman-province.geojson, which the
 *                     seeded counties tile (default). A fixed outline rather than the counties
 *                     table: checked against the table, a county layer of all Iran, once
 *                     committed, would be its own service area and nothing would ever be outside.
 *                     The check applies to every layer, counties included.
 *   iran              the box around Iran, lon 43.5–64, lat 24.5–40 (for a country-wide layer)
 *   none              no check
 *   bbox:W,S,E,N      a lon/lat box
 *   <file>.geojson    the union of the (Multi)Polygons in a GeoJSON file
 *
 * Set with the buildApp option `serviceArea` or the environment's MAHALLENAMA_SERVICE_AREA.
 */
export type ServiceArea =
  | { kind: 'none'; label: string }
  /** GeoJSON geometry text, EPSG:4326. */
  | { kind: 'geometry'; label: string; geojson: string };

const IRAN_BOX: [number, number, number, number] = [43.5, 24.5, 64, 40];

export function parseServiceArea(setting: string | undefined): ServiceArea {
  const value = (setting ?? '').trim();
  if (value === '' || value === 'counties') {
    return { kind: 'geometry', label: 'counties', geojson: polygonsOf(fileURLToPath(PROVINCE_OUTLINE)) };
  }
  if (value === 'none') return { kind: 'none', label: 'none' };
  if (value === 'iran') return { kind: 'geometry', label: 'iran', geojson: JSON.stringify(boxPolygon(IRAN_BOX)) };
  if (value.startsWith('bbox:')) {
    const numbers = value.slice(5).split(',').map(Number);
    const [w, s, e, n] = numbers;
    if (numbers.length !== 4 || numbers.some((x) => !Number.isFinite(x)) || w! >= e! || s! >= n! || Math.abs(s!) > 90 || Math.abs(n!) > 90) {
      throw new Error(`service area "${value}": give bbox:minLon,minLat,maxLon,maxLat`);
    }
    return { kind: 'geometry', label: value, geojson: JSON.stringify(boxPolygon([w!, s!, e!, n!])) };
  }
  if (/\.(geo)?json$/i.test(value)) return { kind: 'geometry', label: value, geojson: polygonsOf(value) };
  throw new Error(`service area "${value}" is not one of: counties, iran, none, bbox:W,S,E,N, a .geojson file`);
}

const PROVINCE_OUTLINE = new URL('../../geodata/kerman-province.geojson', import.meta.url);

/** The union of the (Multi)Polygons in a GeoJSON file, as MultiPolygon GeoJSON text. */
function polygonsOf(file: string): string {
  const polygons = collectPolygons(JSON.parse(fs.readFileSync(file, 'utf8')) as GeoJsonInput);
  if (polygons.length === 0) throw new Error(`service area file ${file} holds no polygons`);
  return JSON.stringify({ type: 'MultiPolygon', coordinates: polygons });
}

type GeoJsonInput = {
  type: string;
  features?: GeoJsonInput[];
  geometry?: GeoJsonInput | null;
  geometries?: GeoJsonInput[];
  coordinates?: unknown;
};

function collectPolygons(node: GeoJsonInput | null | undefined): unknown[] {
  if (!node) return [];
  switch (node.type) {
    case 'FeatureCollection': return (node.features ?? []).flatMap(collectPolygons);
    case 'Feature': return collectPolygons(node.geometry);
    case 'GeometryCollection': return (node.geometries ?? []).flatMap(collectPolygons);
    case 'Polygon': return [node.coordinates];
    case 'MultiPolygon': return node.coordinates as unknown[];
    default: return [];
  }
}

function boxPolygon([w, s, e, n]: [number, number, number, number]) {
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}
