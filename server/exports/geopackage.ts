import { withGdal } from '../boundaries/gdal.js';
import { EXPORT_ATTRIBUTION, EXPORT_LICENSE } from './attribution.js';

/**
 * GeoJSON exports as GeoPackages, written by GDAL (gdal3.js, the same runtime as the
 * boundary uploads). A GeoPackage layer holds one geometry type, and GIS programs drop
 * or mangle features of another (a Shapefile kept 2 of 8 interventions), so features
 * are split by kind of geometry into layers `<name>_points`, `<name>_lines` and
 * `<name>_areas` — or one layer `<name>` when they are all of one kind. GDAL gives the
 * fields their types from the GeoJSON (integers, reals, booleans, dates) and keeps the
 * Persian text as UTF-8; the attribution and licence go into the GeoPackage's metadata
 * (gpkg_metadata, through ogr2ogr -mo) and each layer's description (gpkg_contents).
 */

export const GEOPACKAGE_TYPE = 'application/geopackage+sqlite3';

interface FeatureLike {
  geometry: { type: string } | null;
}

const KIND_OF: Record<string, 'points' | 'lines' | 'areas'> = {
  Point: 'points', MultiPoint: 'points',
  LineString: 'lines', MultiLineString: 'lines',
  Polygon: 'areas', MultiPolygon: 'areas',
};

/** The features of a FeatureCollection grouped by kind of geometry, as FeatureCollection texts by layer name. */
export function layersByGeometry(featureCollection: string, name: string): Map<string, string> {
  const parsed = JSON.parse(featureCollection) as { features: FeatureLike[] };
  const groups = new Map<string, FeatureLike[]>();
  for (const feature of parsed.features) {
    const kind = (feature.geometry && KIND_OF[feature.geometry.type]) ?? 'other';
    groups.set(kind, [...(groups.get(kind) ?? []), feature]);
  }
  const layers = new Map<string, string>();
  if (groups.size <= 1) {
    layers.set(name, featureCollection);
    return layers;
  }
  for (const [kind, features] of groups) layers.set(`${name}_${kind}`, JSON.stringify({ type: 'FeatureCollection', features }));
  return layers;
}

/** A GeoPackage with one layer per entry (layer name → GeoJSON FeatureCollection text). */
export async function geoJsonToGeoPackage(layers: Map<string, string>, description: string): Promise<Uint8Array> {
  return withGdal(async (session) => {
    // An OGR VRT gathers the GeoJSON files as the layers of one dataset, so that one
    // ogr2ogr writes them all into one file.
    const vrtLayers = [...layers.entries()].map(([name, geojson], i) => {
      const file = session.writeFile(`layer-${i}.geojson`, new TextEncoder().encode(geojson));
      // The GeoJSON driver names a file's one layer after the file.
      return `<OGRVRTLayer name="${xmlText(name)}"><SrcDataSource>${xmlText(file)}</SrcDataSource><SrcLayer>layer-${i}</SrcLayer></OGRVRTLayer>`;
    });
    const vrt = session.writeFile('layers.vrt', new TextEncoder().encode(`<OGRVRTDataSource>${vrtLayers.join('')}</OGRVRTDataSource>`));
    const dataset = await session.open(vrt, { drivers: ['OGR_VRT', 'GeoJSON'] });
    const files = await dataset.translate([
      '-f', 'GPKG',
      '-mo', `ATTRIBUTION=${EXPORT_ATTRIBUTION}`,
      '-mo', `LICENSE=${EXPORT_LICENSE}`,
      '-mo', `DESCRIPTION=${description}`,
      '-lco', `DESCRIPTION=${description}. ${EXPORT_ATTRIBUTION} Licence: ${EXPORT_LICENSE}`,
      '-lco', 'SPATIAL_INDEX=YES',
    ], 'export');
    const gpkg = files.get('export.gpkg');
    if (!gpkg) throw new Error(`ogr2ogr wrote no GeoPackage (it wrote ${[...files.keys()].join(', ') || 'nothing'})`);
    return gpkg;
  });
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
