import { isLang, type Lang } from './i18n';

/**
 * What a user would share lives in the URL fragment, e.g. `#map=12/30.28321/57.07879&n=17&lang=fa`
 * (zoom/lat/lon, the order OpenStreetMap and MapLibre's `hash` option use). The fragment is never
 * sent to the server, and replacing it does not reload the page.
 */
export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

/** A reference layer's look in the layer switcher: shown or not, and its opacity in percent. */
export interface LayerLook {
  visible: boolean;
  opacity: number;
}

export interface UrlState {
  view?: MapView;
  neighbourhood?: number;
  lang?: Lang;
  /** Reference layers the user changed, by slug: `layers=streets:60,-schools:100` (a leading '-' hides it). */
  layers?: Record<string, LayerLook>;
}

export function parseUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: UrlState = {};

  const map = params.get('map')?.split('/').map(Number);
  if (map && map.length === 3 && map.every(Number.isFinite)) {
    const [zoom, lat, lon] = map as [number, number, number];
    if (zoom >= 0 && zoom <= 24 && Math.abs(lat) <= 85.06 && Math.abs(lon) <= 180) {
      state.view = { zoom, lat, lon };
    }
  }

  const n = Number(params.get('n'));
  if (Number.isInteger(n) && n > 0) state.neighbourhood = n;

  const lang = params.get('lang');
  if (isLang(lang)) state.lang = lang;

  const layers = parseLayerLooks(params.get('layers'));
  if (layers) state.layers = layers;

  return state;
}

export function formatUrlState(state: UrlState): string {
  // Built by hand rather than with URLSearchParams, which would escape the slashes in `map`.
  const parts: string[] = [];
  if (state.view) {
    const { zoom, lat, lon } = state.view;
    parts.push(`map=${round(zoom, 2)}/${round(lat, 5)}/${round(lon, 5)}`);
  }
  if (state.neighbourhood !== undefined) parts.push(`n=${state.neighbourhood}`);
  if (state.lang) parts.push(`lang=${state.lang}`);
  const layers = formatLayerLooks(state.layers);
  if (layers) parts.push(`layers=${layers}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

function parseLayerLooks(text: string | null): Record<string, LayerLook> | undefined {
  if (!text) return undefined;
  const looks: Record<string, LayerLook> = {};
  for (const part of text.split(',')) {
    const match = /^(-?)([a-z][a-z_]{0,39}):(\d{1,3})$/.exec(part);
    if (!match) continue;
    looks[match[2]!] = { visible: match[1] !== '-', opacity: Math.min(100, Number(match[3])) };
  }
  return Object.keys(looks).length ? looks : undefined;
}

function formatLayerLooks(looks: Record<string, LayerLook> | undefined): string {
  return Object.entries(looks ?? {})
    .map(([slug, look]) => `${look.visible ? '' : '-'}${slug}:${Math.round(look.opacity)}`)
    .join(',');
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

export function readUrlState(): UrlState {
  return parseUrlState(window.location.hash);
}

/**
 * Merges a change into the fragment. `replaceState` rather than assigning `location.hash`, so that
 * panning does not fill the history and no `hashchange` event echoes back to us.
 */
export function updateUrlState(change: Partial<UrlState>): void {
  const next: UrlState = { ...readUrlState(), ...change };
  for (const key of Object.keys(change) as (keyof UrlState)[]) {
    if (change[key] === undefined) delete next[key];
  }
  const hash = formatUrlState(next);
  if (hash !== window.location.hash) {
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
  }
}
