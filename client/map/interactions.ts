import type { Map as MapLibreMap, MapGeoJSONFeature, MapLayerMouseEvent } from 'maplibre-gl';
import type { NeighbourhoodProperties } from '../api';
import type { MapView } from '../url-state';
import { LAYER } from './layers';
import { NEIGHBOURHOOD_SOURCE_LAYER, NEIGHBOURHOODS } from './sources';

export interface InteractionHandlers {
  /** A neighbourhood was clicked (its properties as drawn), or empty map was (`null`). */
  onSelect(properties: NeighbourhoodProperties | null): void;
  /** The map came to rest somewhere new. */
  onViewChange(view: MapView): void;
}

export function currentView(map: MapLibreMap): MapView {
  const { lng, lat } = map.getCenter();
  return { zoom: map.getZoom(), lat, lon: lng };
}

/** Click to select, hover highlight, and view reporting. Returns a function that unbinds them all. */
export function bindInteractions(map: MapLibreMap, handlers: InteractionHandlers): () => void {
  let hovered: string | number | undefined;

  const setHover = (id: string | number | undefined) => {
    if (id === hovered) return;
    const target = { source: NEIGHBOURHOODS, sourceLayer: NEIGHBOURHOOD_SOURCE_LAYER };
    if (hovered !== undefined) map.setFeatureState({ ...target, id: hovered }, { hover: false });
    if (id !== undefined) map.setFeatureState({ ...target, id }, { hover: true });
    hovered = id;
  };

  const onMove = (event: MapLayerMouseEvent) => {
    map.getCanvas().style.cursor = 'pointer';
    setHover(event.features?.[0]?.id);
  };
  const onLeave = () => {
    map.getCanvas().style.cursor = '';
    setHover(undefined);
  };
  // One click handler for the whole map rather than one on the layer, so a click on empty
  // ground can clear the selection.
  const onClick = (event: MapLayerMouseEvent) => {
    const [feature] = map.queryRenderedFeatures(event.point, { layers: [LAYER.fill] }) as MapGeoJSONFeature[];
    handlers.onSelect(feature ? (feature.properties as NeighbourhoodProperties) : null);
  };
  const onMoveEnd = () => handlers.onViewChange(currentView(map));

  map.on('mousemove', LAYER.fill, onMove);
  map.on('mouseleave', LAYER.fill, onLeave);
  map.on('click', onClick);
  map.on('moveend', onMoveEnd);

  return () => {
    map.off('mousemove', LAYER.fill, onMove);
    map.off('mouseleave', LAYER.fill, onLeave);
    map.off('click', onClick);
    map.off('moveend', onMoveEnd);
  };
}
