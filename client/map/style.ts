import type { StyleSpecification } from 'maplibre-gl';
import type { Lang } from '../i18n';
import { fontFaces } from './fonts';
import { baseLayers, dataLayers } from './layers';
import { dataSources } from './sources';

/**
 * The default map: our background, counties and neighbourhoods, and nothing else. No `glyphs`
 * and no `sprite`: labels come from the `font-faces` files the app serves, so the map draws with
 * no connection to anywhere but this origin.
 */
export function offlineStyle(lang: Lang, selected?: number): StyleSpecification {
  return {
    version: 8,
    name: 'Mahallenama offline',
    'font-faces': fontFaces(),
    sources: dataSources(),
    layers: [...baseLayers(), ...dataLayers(lang, selected)],
  };
}

/**
 * An optional basemap style, set at build time (`VITE_BASEMAP_STYLE_URL=… npm run build`): an
 * online style, or one over a PMTiles archive the server hosts. The data layers go on top of it.
 */
export const BASEMAP_STYLE_URL: string | undefined = import.meta.env.VITE_BASEMAP_STYLE_URL || undefined;

/**
 * Puts our sources, layers and fonts on top of whatever style is loaded, for the basemap case.
 * MapLibre's `transformStyle` hook does this as part of `setStyle`, so the result is one style.
 */
export function withDataLayers(lang: Lang, selected?: number) {
  return (_previous: StyleSpecification | undefined, next: StyleSpecification): StyleSpecification => ({
    ...next,
    'font-faces': { ...next['font-faces'], ...fontFaces() },
    sources: { ...next.sources, ...dataSources() },
    layers: [...next.layers, ...dataLayers(lang, selected)],
  });
}
