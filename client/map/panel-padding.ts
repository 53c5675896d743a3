import type { Map as MapLibreMap, PaddingOptions } from 'maplibre-gl';

/** Breathing room between a fitted feature and the map's edge or a panel. */
const MARGIN = 40;
/** At least this much of the map's width and height stays for the feature itself. */
const MIN_VIEW = 160;

/**
 * The padding that makes `fitBounds` land a feature in the part of the map no panel covers:
 * every open panel over the map (the neighbourhood panel, the commander's, the method's, the
 * upload wizard) pushes in the side it stands on — or, for a sheet across a phone's width, the
 * bottom or the top. Measured from the page, so it follows the layout at any size and direction.
 */
export function panelPadding(map: MapLibreMap): Required<PaddingOptions> {
  const container = map.getContainer();
  const box = container.getBoundingClientRect();
  const padding = { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
  const panels = container.parentElement?.querySelectorAll<HTMLElement>('.panel, .map-panel') ?? [];
  for (const panel of panels) {
    const r = panel.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.width > box.width * 0.6) {
      if (r.top - box.top > box.bottom - r.bottom) padding.bottom = Math.max(padding.bottom, box.bottom - r.top + MARGIN / 2);
      else padding.top = Math.max(padding.top, r.bottom - box.top + MARGIN / 2);
    } else if (r.left + r.width / 2 < box.left + box.width / 2) {
      padding.left = Math.max(padding.left, r.right - box.left + MARGIN / 2);
    } else {
      padding.right = Math.max(padding.right, box.right - r.left + MARGIN / 2);
    }
  }
  // Panels on both sides of a small window: shrink the padding rather than fail to fit.
  const shrink = (a: number, b: number, size: number): [number, number] => {
    const room = size - MIN_VIEW;
    if (a + b <= room) return [a, b];
    const scale = Math.max(0, room) / (a + b);
    return [Math.floor(a * scale), Math.floor(b * scale)];
  };
  [padding.left, padding.right] = shrink(padding.left, padding.right, box.width);
  [padding.top, padding.bottom] = shrink(padding.top, padding.bottom, box.height);
  return padding;
}
