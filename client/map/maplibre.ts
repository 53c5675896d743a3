import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

// MapLibre's ES module looks for its worker next to itself (import.meta.url). Once bundled it is no
// longer next to itself, so Vite copies the worker as an asset and we say where it went.
maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };
