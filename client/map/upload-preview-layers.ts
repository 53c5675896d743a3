import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, LngLatBoundsLike, Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import type { PreviewCollection } from '../boundaries-api';
import { panelPadding } from './panel-padding';
import { COUNTIES, NEIGHBOURHOODS, tileJsonUrl } from './sources';

/**
 * An upload's preview on the map: each feature of the file coloured by what a commit would
 * do to it, removed boundaries in their own colour, and for a changed shape its old outline
 * (dashed) under the new one (solid), so before and after can be compared in place.
 */

export const CHANGE_COLOURS = {
  added: '#1a9850',
  changed: '#e08214',
  removed: '#d7301f',
  unchanged: '#8c8c8c',
} as const;

const SOURCE = { after: 'upload-preview', before: 'upload-preview-before' } as const;
export const UPLOAD_PREVIEW_LAYERS = {
  fill: 'upload-preview-fill',
  line: 'upload-preview-line',
  before: 'upload-preview-before-line',
} as const;

const byChange: ExpressionSpecification = ['match', ['get', 'change'],
  'added', CHANGE_COLOURS.added,
  'changed', CHANGE_COLOURS.changed,
  'removed', CHANGE_COLOURS.removed,
  CHANGE_COLOURS.unchanged];

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

function layerSpecs(): LayerSpecification[] {
  return [
    {
      id: UPLOAD_PREVIEW_LAYERS.fill,
      type: 'fill',
      source: SOURCE.after,
      paint: {
        'fill-color': byChange,
        'fill-opacity': ['match', ['get', 'change'], 'unchanged', 0.12, 'removed', 0.28, 0.35],
      },
    },
    {
      id: UPLOAD_PREVIEW_LAYERS.before,
      type: 'line',
      source: SOURCE.before,
      paint: { 'line-color': '#5a3a00', 'line-width': 2, 'line-dasharray': [2, 2] },
    },
    {
      id: UPLOAD_PREVIEW_LAYERS.line,
      type: 'line',
      source: SOURCE.after,
      paint: {
        'line-color': byChange,
        'line-width': ['match', ['get', 'change'], 'unchanged', 1, 2.5],
        'line-dasharray': ['match', ['get', 'change'], 'removed', ['literal', [3, 2]], ['literal', [1, 0]]],
      },
    },
  ];
}

export class UploadPreviewLayers {
  private destroyed = false;
  private pending: PreviewCollection | null = null;

  constructor(private readonly map: MapLibreMap) {
    const add = () => {
      if (this.destroyed) return;
      if (!map.getSource(SOURCE.after)) map.addSource(SOURCE.after, { type: 'geojson', data: empty });
      if (!map.getSource(SOURCE.before)) map.addSource(SOURCE.before, { type: 'geojson', data: empty });
      for (const layer of layerSpecs()) if (!map.getLayer(layer.id)) map.addLayer(layer);
      if (this.pending) this.show(this.pending);
    };
    if (map.isStyleLoaded()) add();
    else map.once('load', add);
  }

  /** Draws the preview and brings it into view. */
  show(preview: PreviewCollection): void {
    const after = this.map.getSource<GeoJSONSource>(SOURCE.after);
    const before = this.map.getSource<GeoJSONSource>(SOURCE.before);
    if (!after || !before) {
      this.pending = preview;
      return;
    }
    this.pending = null;
    after.setData({ type: 'FeatureCollection', features: preview.features.map(({ before: _old, ...feature }) => feature as Feature) });
    before.setData({
      type: 'FeatureCollection',
      features: preview.features
        .filter((f) => f.before)
        .map((f) => ({ type: 'Feature', properties: { code: f.properties.code }, geometry: f.before as MultiPolygon })),
    });
    const bounds = boundsOf(preview);
    if (bounds) this.map.fitBounds(bounds, { padding: panelPadding(this.map), maxZoom: 15, duration: 600 });
  }

  clear(): void {
    this.pending = null;
    this.map.getSource<GeoJSONSource>(SOURCE.after)?.setData(empty);
    this.map.getSource<GeoJSONSource>(SOURCE.before)?.setData(empty);
  }

  destroy(): void {
    this.destroyed = true;
    for (const id of Object.values(UPLOAD_PREVIEW_LAYERS)) if (this.map.getLayer(id)) this.map.removeLayer(id);
    for (const id of Object.values(SOURCE)) if (this.map.getSource(id)) this.map.removeSource(id);
  }
}

/**
 * After a commit or a restore: the base map's vector tiles are fetched again (setting the
 * TileJSON URL reloads the source), and the server answers with the new layer revision.
 */
export function reloadBoundaryTiles(map: MapLibreMap): void {
  for (const id of [NEIGHBOURHOODS, COUNTIES]) {
    map.getSource<VectorTileSource>(id)?.setUrl(tileJsonUrl(id));
  }
}

function boundsOf(preview: PreviewCollection): LngLatBoundsLike | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') {
      const [x, y] = value as [number, number];
      w = Math.min(w, x); s = Math.min(s, y); e = Math.max(e, x); n = Math.max(n, y);
      return;
    }
    value.forEach(walk);
  };
  for (const f of preview.features) if (f.properties.change !== 'unchanged') walk(f.geometry?.coordinates);
  if (w === Infinity) for (const f of preview.features) walk(f.geometry?.coordinates);
  return w === Infinity ? null : [[w, s], [e, n]];
}
