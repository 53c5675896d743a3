export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/**
 * Parses "minLon,minLat,maxLon,maxLat". Returns the box, or a sentence saying what is
 * wrong with it, so callers can answer a 400 that names the parameter.
 */
export function parseBbox(text: string): { bbox: Bbox } | { problem: string } {
  const parts = text.split(',');
  const numbers = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 4 || numbers.some((n) => !Number.isFinite(n))) {
    return { problem: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' };
  }
  const [minLon, minLat, maxLon, maxLat] = numbers as Bbox;
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    return { problem: 'bbox must lie within -180..180 longitude and -90..90 latitude' };
  }
  if (minLon > maxLon || minLat > maxLat) {
    return { problem: 'bbox must be minLon,minLat,maxLon,maxLat with each minimum not above its maximum' };
  }
  return { bbox: [minLon, minLat, maxLon, maxLat] };
}
