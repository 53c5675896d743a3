import type { InterventionGeometry } from '../../shared/method-schemas.js';

/**
 * Checks an intervention's GeoJSON geometry before PostGIS sees it: ST_GeomFromGeoJSON
 * fails on malformed input with an error that would abort the whole transaction, and
 * says nothing a planner can act on. Returns what is wrong, or null when it is fine.
 * Validity (self-intersections) is checked afterwards in PostGIS with ST_IsValidReason.
 */
export function geometryProblem(geometry: InterventionGeometry): string | null {
  const { type, coordinates } = geometry;
  if (type === 'Point') return positionProblem(coordinates, 'geometry.coordinates');
  if (type === 'Polygon') return polygonProblem(coordinates, 'geometry.coordinates');
  if (coordinates.length === 0) return 'geometry.coordinates (body) must hold at least one polygon';
  for (const [i, polygon] of coordinates.entries()) {
    if (!Array.isArray(polygon)) return `geometry.coordinates.${i} (body) must be a polygon: an array of rings`;
    const problem = polygonProblem(polygon, `geometry.coordinates.${i}`);
    if (problem) return problem;
  }
  return null;
}

function polygonProblem(rings: unknown[], where: string): string | null {
  if (rings.length === 0) return `${where} (body) must hold at least one ring`;
  for (const [r, ring] of rings.entries()) {
    if (!Array.isArray(ring) || ring.length < 4) {
      return `${where}.${r} (body) must be a ring of at least four positions, the last equal to the first`;
    }
    for (const [p, position] of ring.entries()) {
      const problem = positionProblem(position, `${where}.${r}.${p}`);
      if (problem) return problem;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return `${where}.${r} (body) must be closed: its last position must equal its first`;
  }
  return null;
}

function positionProblem(position: unknown, where: string): string | null {
  if (!Array.isArray(position) || position.length < 2 || position.length > 3 || !position.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return `${where} (body) must be a position [longitude, latitude]`;
  }
  const [lon, lat] = position as number[];
  if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) {
    return `${where} (body) must be [longitude, latitude] in degrees (EPSG:4326); got [${lon}, ${lat}]`;
  }
  return null;
}
