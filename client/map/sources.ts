import type { ErrorEvent, Map as MapLibreMap, MapSourceDataEvent, SourceSpecification } from 'maplibre-gl';
import { apiUrl } from '../api';

/**
 * Where the map's data comes from: the server's vector tiles, described by TileJSON
 * (/tiles/{layer}.json), drawn by MapLibre tile by tile. Each tile holds the areas
 * (source-layer `neighbourhoods` or `counties`) and one label point per area
 * (`neighbourhoods_labels`, `counties_labels`), computed by the server from the whole
 * geometry: a symbol layer on the polygons would label every piece a tile edge cuts off.
 */
export const NEIGHBOURHOODS = 'neighbourhoods';
/** Source-layers of the label points inside the neighbourhood and county tiles. */
export const NEIGHBOURHOOD_LABELS = 'neighbourhoods_labels';
export const COUNTIES = 'counties';
export const COUNTY_SOURCE_LAYER = 'counties';
export const COUNTY_LABELS = 'counties_labels';
/** County seats and towns (server/places/): the context layer, one source-layer `places`. */
export const PLACES = 'places';

/** The source-layer inside the neighbourhood source: `undefined` for GeoJSON, a name for vector tiles. */
export const NEIGHBOURHOOD_SOURCE_LAYER: string | undefined = 'neighbourhoods';

export const OSM_ATTRIBUTION =
  '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors (ODbL)';

export const GEONAMES_ATTRIBUTION = '<a href="https://www.geonames.org/" target="_blank" rel="noopener">GeoNames</a> (CC BY 4.0)';

/** The TileJSON of a server tile layer (server/tiles/layers.ts); setting it again on a source reloads its tiles. */
export function tileJsonUrl(layer: string): string {
  return apiUrl(`/tiles/${layer}.json`);
}

export function dataSources(): Record<string, SourceSpecification> {
  return {
    // The feature id is also a property; promoting it keeps feature-state working for GeoJSON and
    // for vector tiles alike. Zoom range and bounds come from the TileJSON.
    [NEIGHBOURHOODS]: { type: 'vector', url: tileJsonUrl('neighbourhoods'), promoteId: 'id' },
    // Counties are OpenStreetMap boundaries: the attribution rides on their source.
    [COUNTIES]: { type: 'vector', url: tileJsonUrl('counties'), promoteId: 'id', attribution: OSM_ATTRIBUTION },
    // A fixed layer: its tile address and zoom range are written here (as in server/places/tile-layer.ts),
    // which saves the opening map one TileJSON request. Not a lower maxzoom for fewer tiles: below
    // the map's maxZoom - 4 MapLibre cuts each tile in view out of the maxzoom tile, fetching that
    // whole tile once per tile in view (six times at the opening view).
    [PLACES]: {
      type: 'vector',
      tiles: [`${window.location.origin}/tiles/places/{z}/{x}/{y}.mvt`],
      minzoom: 5,
      maxzoom: 12,
      attribution: GEONAMES_ATTRIBUTION,
    },
  };
}

/** `{ 'source-layer': … }` for layers on the neighbourhood source, or nothing for GeoJSON. */
export function neighbourhoodSourceLayer(): { 'source-layer'?: string } {
  return NEIGHBOURHOOD_SOURCE_LAYER ? { 'source-layer': NEIGHBOURHOOD_SOURCE_LAYER } : {};
}

/**
 * Settles when the neighbourhood tiles first arrive, or fails with the first error of the
 * neighbourhood or county tiles (a server down, a session ended), so the app can say so.
 * The tiles themselves are fetched by MapLibre, with the session cookie, as the map moves.
 */
export function loadData(map: MapLibreMap, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (event: MapSourceDataEvent) => {
      if (event.sourceId === NEIGHBOURHOODS && event.isSourceLoaded) done(resolve);
    };
    const onError = (event: ErrorEvent & { sourceId?: string }) => {
      if (event.sourceId === NEIGHBOURHOODS || event.sourceId === COUNTIES) done(() => reject(event.error));
    };
    const done = (settle: () => void) => {
      map.off('sourcedata', onData);
      map.off('error', onError);
      settle();
    };
    map.on('sourcedata', onData);
    map.on('error', onError);
    signal.addEventListener('abort', () => done(resolve), { once: true });
  });
}
