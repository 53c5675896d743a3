/**
 * The coordinate reference systems of OGC API – Features Part 2 that we serve, and how
 * their axes are ordered. Pure: no database.
 *
 * Axis order follows each CRS's definition, as Part 2 requires: CRS84 is lon/lat (the
 * default, and GeoJSON's own), EPSG:4326 is lat/lon, EPSG:3857 and the UTM zones are
 * easting/northing. The storage is EPSG:4326 in PostGIS's x = lon order, so only
 * EPSG:4326 swaps axes on the way in and out.
 */
export interface Crs {
  uri: string;
  srid: number;
  /** Whether coordinates are written latitude first. */
  latFirst: boolean;
  /** Whether coordinates are degrees (a box may cross the antimeridian). */
  geographic: boolean;
}

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG = 'http://www.opengis.net/def/crs/EPSG/0/';

export const SUPPORTED_CRS: readonly Crs[] = [
  { uri: CRS84, srid: 4326, latFirst: false, geographic: true },
  { uri: `${EPSG}4326`, srid: 4326, latFirst: true, geographic: true },
  { uri: `${EPSG}3857`, srid: 3857, latFirst: false, geographic: false },
  // UTM zones 39N, 40N and 41N cover Iran; Kerman lies in 40N.
  { uri: `${EPSG}32639`, srid: 32639, latFirst: false, geographic: false },
  { uri: `${EPSG}32640`, srid: 32640, latFirst: false, geographic: false },
  { uri: `${EPSG}32641`, srid: 32641, latFirst: false, geographic: false },
];

export const DEFAULT_CRS: Crs = SUPPORTED_CRS[0]!;

/**
 * The CRS a parameter names: the OGC URI (as the standard writes it), or the short forms
 * clients also send — EPSG:3857, [EPSG:3857] (a safe CURIE), OGC:CRS84, CRS84. Returns
 * undefined for anything else; the caller answers 400 listing SUPPORTED_CRS.
 */
export function parseCrs(text: string): Crs | undefined {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1');
  const uri = trimmed.replace(/^https:/, 'http:');
  const exact = SUPPORTED_CRS.find((c) => c.uri === uri);
  if (exact) return exact;
  if (/^(OGC:)?CRS84$/i.test(trimmed)) return DEFAULT_CRS;
  const epsg = /^EPSG:(?:0:)?(\d+)$/i.exec(trimmed);
  if (epsg) return SUPPORTED_CRS.find((c) => c.uri === `${EPSG}${epsg[1]}`);
  return undefined;
}

export function unsupportedCrsMessage(parameter: string, value: string): string {
  return `${parameter} ${JSON.stringify(value)} is not supported; use one of ${SUPPORTED_CRS.map((c) => c.uri).join(', ')}`;
}

/** A bbox as given, in the order of its CRS: four numbers, or six with heights (ignored). */
export type BboxNumbers = readonly number[];

/**
 * A bbox parameter in the CRS `crs`, as one or two boxes in that CRS's x/y order (PostGIS's
 * order: lon/lat for EPSG:4326). A geographic box whose west edge lies east of its east edge
 * crosses the antimeridian, as the standard allows; it becomes two boxes, one each side.
 */
export function parseOgcBbox(text: string, crs: Crs): { boxes: [number, number, number, number][] } | { problem: string } {
  const numbers = text.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if ((numbers.length !== 4 && numbers.length !== 6) || numbers.some((n) => !Number.isFinite(n))) {
    return { problem: `bbox must be four numbers (or six with heights) in ${crs.uri}, e.g. 56.9,30.2,57.2,30.4 for CRS84` };
  }
  // With six numbers the heights are the 3rd and 6th.
  const [a, b, c, d] = numbers.length === 6 ? [numbers[0]!, numbers[1]!, numbers[3]!, numbers[4]!] : (numbers as [number, number, number, number]);
  // In lat/lon order the box is minLat,minLon,maxLat,maxLon.
  const [minX, minY, maxX, maxY] = crs.latFirst ? [b, a, d, c] : [a, b, c, d];
  if (minY > maxY) return { problem: `bbox: the southern edge ${minY} lies north of the northern edge ${maxY}` };
  if (crs.geographic) {
    if (minY < -90 || maxY > 90) return { problem: 'bbox latitudes must lie within -90..90' };
    if (minX < -180 || minX > 180 || maxX < -180 || maxX > 180) return { problem: 'bbox longitudes must lie within -180..180' };
    if (minX > maxX) return { boxes: [[minX, minY, 180, maxY], [-180, minY, maxX, maxY]] };
  } else if (minX > maxX) {
    return { problem: `bbox: the western edge ${minX} lies east of the eastern edge ${maxX}` };
  }
  return { boxes: [[minX, minY, maxX, maxY]] };
}
