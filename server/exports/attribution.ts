/**
 * What every export of the method's data says about where its geometry and names come
 * from (geodata/README.md): neighbourhood polygons are illustrative and cut inside the
 * county boundaries, which are OpenStreetMap data under ODbL — so the attribution travels
 * with every file that contains or derives from them.
 */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

export const EXPORT_ATTRIBUTION =
  `${OSM_ATTRIBUTION} (ODbL 1.0: county boundaries and names). Neighbourhood polygons and names are ` +
  'ILLUSTRATIVE (CC0, geodata/make-neighbourhoods.ts), not surveyed boundaries.';

export const EXPORT_LICENSE = 'ODbL-1.0 for data derived from OpenStreetMap; the rest CC0-1.0 or as entered by users';
