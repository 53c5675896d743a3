import type { ErrorEvent, Map as MapLibreMap } from 'maplibre-gl';
import type { Lang } from '../i18n';
import { CoverageLayers } from '../map/coverage-layers';
import { metresPerPixel } from '../map/coverage-brief';
import { LAYER } from '../map/layers';
import { maplibregl } from '../map/maplibre';
import { COUNTIES, COUNTY_SOURCE_LAYER, NEIGHBOURHOODS } from '../map/sources';
import { BASEMAP_STYLE_URL, offlineStyle, withDataLayers } from '../map/style';
import { frameCssPixels, printPixelRatio, type FrameMm } from './brief-frame';
import { BriefError } from './brief-strings';
import { timed } from './brief-timing';

/**
 * The brief's map: a MapLibre map of its own, off screen, whose CSS size is the frame's printed
 * size (1 CSS px = 1/96 in). It is framed on the box, drawn with the coverage layers, read out as a
 * PNG once every tile is drawn, and removed: the page holds an <img>, so printing never waits on WebGL.
 *
 * Without a GPU (headless chromium, most office PCs) WebGL is software, and its cost is pixels ×
 * frames: MapLibre redraws once per tile that arrives, a dozen frames or more, each of which the
 * software rasteriser works through before the canvas can be read (at 240 dpi that was 4–8 s of the
 * brief's 4–14 s). So the map loads at a pixel ratio of LOADING_PIXEL_RATIO, where those frames cost
 * next to nothing, and draws one frame at print resolution once everything is in; and print
 * resolution is PRINT_DPI (brief-frame.ts) exactly, the brief's promise, not more.
 */
const LOADING_PIXEL_RATIO = 0.25;
/** Beyond this the brief says the map did not load in time rather than wait on. */
const MAP_TIMEOUT_MS = 25_000;
const HIGHLIGHT_LAYER = 'brief-county';
const VITAL_SOURCES = new Set([NEIGHBOURHOODS, COUNTIES, 'coverage']);

export interface PrintMapRequest {
  lang: Lang;
  programme: string;
  at: string;
  /** minLon, minLat, maxLon, maxLat */
  bounds: readonly number[];
  /** The county to outline, when the brief is about one. */
  county?: number;
  /** The printed frame. */
  frame: FrameMm;
}

export interface PrintedMap {
  /** A PNG of the frame at PRINT_DPI (or a few dots more). */
  src: string;
  /** Ground metres per CSS pixel at the map's centre, for the scale bar. */
  metresPerPixel: number;
}

export async function renderPrintMap(request: PrintMapRequest, signal: AbortSignal): Promise<PrintedMap> {
  const { width, height } = frameCssPixels(request.frame);
  const container = document.createElement('div');
  // Laid out (MapLibre reads its size) but out of sight and out of print.
  container.style.cssText = `position:fixed;inset-inline-start:-20000px;top:0;width:${width}px;height:${height}px;`;
  container.setAttribute('aria-hidden', 'true');
  document.body.append(container);
  const [minLon, minLat, maxLon, maxLat] = request.bounds as [number, number, number, number];
  const map = new maplibregl.Map({
    container,
    style: BASEMAP_STYLE_URL ?? offlineStyle(request.lang),
    transformStyle: BASEMAP_STYLE_URL ? withDataLayers(request.lang) : undefined,
    bounds: [[minLon, minLat], [maxLon, maxLat]],
    fitBoundsOptions: { padding: Math.round(width * 0.03) },
    pixelRatio: LOADING_PIXEL_RATIO,
    interactive: false,
    attributionControl: false,
    fadeDuration: 0,
    // toDataURL reads the buffer after the frame was shown.
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
  });
  try {
    await timed('map loaded', () => loaded(map, request, signal));
    await timed('map drawn at print resolution', () => {
      // The same tiles and labels (they are placed in CSS pixels), one frame on a bigger canvas.
      map.setPixelRatio(printPixelRatio(request.frame));
      map.triggerRepaint();
      return map.once('idle');
    });
    // Reading the canvas waits for the software rasteriser to finish that frame: most of the time is here.
    const src = await timed('map read out', async () => map.getCanvas().toDataURL('image/png'));
    return {
      src,
      metresPerPixel: metresPerPixel(map.getZoom(), map.getCenter().lat),
    };
  } finally {
    map.remove();
    container.remove();
  }
}

/** Settles when the map has drawn every tile with the coverage layers, or fails saying why. */
function loaded(map: MapLibreMap, request: PrintMapRequest, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Not kept: map.remove() takes its layers along once the frame has been read.
    new CoverageLayers(map, { programme: request.programme, at: request.at, mode: 'choropleth', onZoomBand: () => {} });
    const timer = setTimeout(() => finish(new BriefError('map-timeout')), MAP_TIMEOUT_MS);
    const onError = (event: ErrorEvent & { sourceId?: string }) => {
      // Without the areas there is no map to print; a missing town name or basemap tile is only logged.
      if (event.sourceId && VITAL_SOURCES.has(event.sourceId)) finish(new BriefError('map', { cause: event.error }));
      else console.error(event.error);
    };
    const onAbort = () => finish(new DOMException('the brief was closed', 'AbortError'));
    const onIdle = () => {
      // `idle` can come between the style and the coverage tiles; only a frame with them counts.
      if (map.getLayer('coverage-fill') && map.areTilesLoaded()) finish();
    };
    const finish = (error?: Error) => {
      clearTimeout(timer);
      map.off('error', onError);
      map.off('idle', onIdle);
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    map.on('error', onError);
    map.on('idle', onIdle);
    signal.addEventListener('abort', onAbort, { once: true });
    if (request.county !== undefined) {
      const county = request.county;
      map.once('load', () => {
        map.addLayer({
          id: HIGHLIGHT_LAYER,
          type: 'line',
          source: COUNTIES,
          'source-layer': COUNTY_SOURCE_LAYER,
          filter: ['==', ['get', 'id'], county],
          paint: { 'line-color': '#3d3156', 'line-width': 2.5 },
        }, map.getLayer(LAYER.countyLabel) ? LAYER.countyLabel : undefined);
      });
    }
  });
}
