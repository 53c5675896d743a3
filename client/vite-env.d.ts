/// <reference types="vite/client" />

interface ImportMetaEnv {
  /**
   * A MapLibre style URL to draw under the neighbourhood layers (an online basemap, or a
   * style over a PMTiles archive served by the app). Unset: the offline style alone.
   */
  readonly VITE_BASEMAP_STYLE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
