import { useEffect, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Map as MapLibreMap } from 'maplibre-gl';

/**
 * The map instance once the base app has made it. Child effects run before the parent's,
 * so on a panel's first render the controller may not exist yet: look again each frame.
 */
export function useMapOf(controller: RefObject<{ map: MapLibreMap } | null>): MapLibreMap | null {
  const [map, setMap] = useState<MapLibreMap | null>(controller.current?.map ?? null);
  useEffect(() => {
    if (map) return;
    let frame = requestAnimationFrame(function check() {
      if (controller.current) setMap(controller.current.map);
      else frame = requestAnimationFrame(check);
    });
    return () => cancelAnimationFrame(frame);
  }, [map]);
  return map;
}
