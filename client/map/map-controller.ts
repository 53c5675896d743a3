import { bbox } from '@turf/bbox';
import type { ControlPosition, ErrorEvent, IControl, Map as MapLibreMap } from 'maplibre-gl';
import type { NeighbourhoodFeature, NeighbourhoodDetail } from '../api';
import type { Lang } from '../i18n';
import type { LayerLook, MapView } from '../url-state';
import type { ReferenceLayer } from '../../shared/layers-schemas';
import { setReferenceLabelLang, syncReferenceLayers } from './reference-layers';
import { bindInteractions, type InteractionHandlers } from './interactions';
import { LAYER, labelFields, selectedFilter } from './layers';
import { maplibregl } from './maplibre';
import { MAP_LOCALE, relabelControls } from './map-locale';
import { panelPadding } from './panel-padding';
import { loadData } from './sources';
import { addServerBasemap, setBasemapLanguage } from './basemap';
import { BASEMAP_STYLE_URL, offlineStyle, withDataLayers } from './style';

declare global {
  interface Window {
    /** The live map, for end-to-end tests and for poking at in the console. */
    __mahallenamaMap?: MapLibreMap;
  }
}

/** Kerman city centre (GeoNames 128234), where the map opens when the URL says nothing. */
export const DEFAULT_VIEW: MapView = { zoom: 11.5, lat: 30.28321, lon: 57.07879 };


export interface MapControllerOptions extends InteractionHandlers {
  container: HTMLElement;
  view: MapView;
  lang: Lang;
  selected?: number;
  /** A data source failed to load: the map is up, but without neighbourhoods or counties. */
  onDataError(message: string): void;
}

/**
 * Owns the MapLibre map: builds it, keeps its layers in step with the app's state, and reports
 * what the user does. Components call its methods; they never touch the map directly.
 */
export class MapController {
  readonly map: MapLibreMap;
  private lang: Lang;
  private navigation: IControl;
  private unbind: () => void;
  private loading = new AbortController();
  private referenceLayers: ReferenceLayer[] = [];

  constructor(options: MapControllerOptions) {
    const { container, view, lang, selected } = options;
    this.lang = lang;
    this.map = new maplibregl.Map({
      container,
      style: BASEMAP_STYLE_URL ?? offlineStyle(lang, selected),
      transformStyle: BASEMAP_STYLE_URL ? withDataLayers(lang, selected) : undefined,
      center: [view.lon, view.lat],
      zoom: view.zoom,
      minZoom: 4,
      maxZoom: 18,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      // Flying to a search result should not skip the labels of where it lands.
      fadeDuration: 150,
      locale: MAP_LOCALE[lang],
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(
      new maplibregl.AttributionControl({
        compact: false,
        customAttribution: '<a href="https://maplibre.org/" target="_blank" rel="noopener">MapLibre</a>',
      }),
      'bottom-right',
    );
    this.navigation = new maplibregl.NavigationControl({ showCompass: false });
    this.map.addControl(this.navigation, navigationPosition(lang));

    this.map.on('error', (event: ErrorEvent) => console.error(event.error));
    loadData(this.map, this.loading.signal).catch((error: unknown) => {
      if (!this.loading.signal.aborted) options.onDataError(error instanceof Error ? error.message : String(error));
    });
    // The server's own basemap (MAHALLENAMA_BASEMAP), unless the client was built with a style of its own.
    if (!BASEMAP_STYLE_URL) {
      addServerBasemap(this.map, lang, this.loading.signal).catch((error: unknown) => {
        if (!this.loading.signal.aborted) console.error(error);
      });
    }
    this.unbind = bindInteractions(this.map, options);
    window.__mahallenamaMap = this.map;
  }

  setLang(lang: Lang): void {
    if (lang === this.lang) return;
    this.lang = lang;
    // Controls sit on the side away from the panel, which swaps sides with the direction.
    this.map.removeControl(this.navigation);
    this.map.addControl(this.navigation, navigationPosition(lang));
    relabelControls(this.map.getContainer(), lang);
    this.whenStyleReady(() => {
      for (const [id, field] of labelFields(lang)) this.map.setLayoutProperty(id, 'text-field', field);
      setReferenceLabelLang(this.map, this.referenceLayers, lang);
      setBasemapLanguage(this.map, lang);
    });
  }

  /** Draws the reference layers (layer switcher) with the user's visibility and opacity. */
  setReferenceLayers(layers: ReferenceLayer[], looks: Record<string, LayerLook>): void {
    this.referenceLayers = layers;
    this.whenStyleReady(() => syncReferenceLayers(this.map, layers, looks, this.lang));
  }

  setSelected(id: number | undefined): void {
    this.whenStyleReady(() => this.map.setFilter(LAYER.selected, selectedFilter(id)));
  }

  /** Brings a neighbourhood into view beside the panel. */
  flyToFeature(feature: NeighbourhoodFeature | NeighbourhoodDetail): void {
    this.flyToBbox(bbox(feature as Parameters<typeof bbox>[0]));
  }

  /**
   * Brings a box (minLon, minLat, maxLon, maxLat) into view beside the panels: a search result.
   * The panels are measured a frame later: the click that asks for the flight (picking a search
   * result) also opens the neighbourhood's panel, which is not on the page until Preact renders.
   */
  flyToBbox([minLon, minLat, maxLon, maxLat]: readonly number[]): void {
    if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite)) return;
    requestAnimationFrame(() => {
      if (this.loading.signal.aborted) return;
      this.map.fitBounds(
        [
          [minLon!, minLat!],
          [maxLon!, maxLat!],
        ],
        { padding: panelPadding(this.map), maxZoom: 15, duration: 1200 },
      );
    });
  }

  jumpTo(view: MapView): void {
    this.map.jumpTo({ center: [view.lon, view.lat], zoom: view.zoom });
  }

  destroy(): void {
    this.loading.abort();
    this.unbind();
    if (window.__mahallenamaMap === this.map) delete window.__mahallenamaMap;
    this.map.remove();
  }

  /** Runs now if the style is loaded, or once it is (a language switch can come before that). */
  private whenStyleReady(apply: () => void): void {
    if (this.map.getLayer(LAYER.selected)) apply();
    else this.map.once('load', apply);
  }
}

function navigationPosition(lang: Lang): ControlPosition {
  return lang === 'fa' ? 'top-left' : 'top-right';
}
