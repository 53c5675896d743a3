import { area, booleanPointInPolygon, centroid, pointOnFeature, polygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

/**
 * One label point per area, inside it.
 *
 * A symbol layer on a polygon source labels every piece the tiler cut the polygon into, so a
 * neighbourhood that straddles a tile edge gets its name twice. Points computed once from the
 * whole geometry avoid that. The point is the centroid of the largest part (the parts here are
 * convex or nearly so), or a point on the surface when the centroid falls outside.
 */
export function labelPoints<P>(collection: FeatureCollection<Polygon | MultiPolygon, P>): FeatureCollection<Point, P> {
  const features: Feature<Point, P>[] = [];
  for (const feature of collection.features) {
    const part = largestPart(feature.geometry);
    if (!part) continue;
    let point = centroid(part).geometry;
    if (!booleanPointInPolygon(point, part)) point = pointOnFeature(part).geometry;
    features.push({ type: 'Feature', id: feature.id, geometry: point, properties: feature.properties });
  }
  return { type: 'FeatureCollection', features };
}

function largestPart(geometry: Polygon | MultiPolygon | null | undefined): Feature<Polygon> | null {
  if (!geometry) return null;
  const rings: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best: Feature<Polygon> | null = null;
  let bestArea = -1;
  for (const coordinates of rings) {
    if (!coordinates[0] || coordinates[0].length < 4) continue;
    const part = polygon(coordinates);
    const size = area(part);
    if (size > bestArea) {
      best = part;
      bestArea = size;
    }
  }
  return best;
}
