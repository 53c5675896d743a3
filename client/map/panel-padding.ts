import type { Map as MapLibreMap, PaddingOptions } from 'maplibre-gl';

/** Breathing room between a fitted feature and the map's edge or a panel. */
const MARGIN = 40;
/** At least this much of the map's width and height stays for the feature itself. */
const MIN_VIEW = 160;
const PANELS = '.panel, .map-panel';
/** What else stands over the map, at a size of its own: the pills that open the panels, the legends. */
const CONTROLS = '.pill-button--map, .commander-open, .legend, .thematic-legend';

/**
 * The padding that makes `fitBounds` land a feature in the part of the map nothing covers. Every
 * open panel over the map (the neighbourhood panel, the commander's, the method's, the upload
 * wizard) pushes in the side it stands on, or, for a sheet across a phone's width, the bottom or
 * the top. The pills that open the panels and the legend push in whichever of their side and
 * their end (top or bottom) takes the smaller share of the map: their side beside a wide map, the
 * top for the column of pills over a phone's narrow one. Not so a panel: it is measured while
 * its content may still be loading, shorter than it will be. Measured from the page, so it
 * follows the layout at any size and direction.
 */
export function panelPadding(map: MapLibreMap): Required<PaddingOptions> {
  const container = map.getContainer();
  const box = container.getBoundingClientRect();
  const byPanels = { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
  const byControls = { ...byPanels };
  const covers = container.parentElement?.querySelectorAll<HTMLElement>(`${PANELS}, ${CONTROLS}`) ?? [];
  for (const element of covers) {
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // A sheet grows with its content up to its max-height, and a neighbourhood's is still
    // loading when the map flies there: leave room for all of it.
    const height = Math.max(r.height, maxHeight(element));
    const atLeft = r.left + r.width / 2 < box.left + box.width / 2;
    const atTop = r.top + r.height / 2 < box.top + box.height / 2;
    const side = (atLeft ? r.right - box.left : box.right - r.left) / box.width;
    const end = (atTop ? r.top + height - box.top : box.bottom - (r.bottom - height)) / box.height;
    const panel = element.matches(PANELS);
    const padding = panel ? byPanels : byControls;
    if (panel ? r.width <= box.width * 0.6 : side <= end) {
      if (atLeft) padding.left = Math.max(padding.left, r.right - box.left + MARGIN / 2);
      else padding.right = Math.max(padding.right, box.right - r.left + MARGIN / 2);
    } else if (atTop) {
      padding.top = Math.max(padding.top, r.top + height - box.top + MARGIN / 2);
    } else {
      padding.bottom = Math.max(padding.bottom, box.bottom - (r.bottom - height) + MARGIN / 2);
    }
  }
  const [left, right] = fit(byPanels.left, byControls.left, byPanels.right, byControls.right, box.width);
  const [top, bottom] = fit(byPanels.top, byControls.top, byPanels.bottom, byControls.bottom, box.height);
  return { top, bottom, left, right };
}

/**
 * The padding of two opposite sides, at least MIN_VIEW left between them: on a small screen the
 * controls give way first (the map shows between the pills), then the panels, in proportion.
 */
function fit(panelA: number, controlA: number, panelB: number, controlB: number, size: number): [number, number] {
  const room = Math.max(0, size - MIN_VIEW);
  const a = Math.max(panelA, controlA);
  const b = Math.max(panelB, controlB);
  const excess = a + b - room;
  if (excess <= 0) return [a, b];
  const give = a - panelA + (b - panelB);
  if (give >= excess) {
    const keep = 1 - excess / give;
    return [Math.floor(panelA + (a - panelA) * keep), Math.floor(panelB + (b - panelB) * keep)];
  }
  const scale = room / (panelA + panelB);
  return [Math.floor(panelA * scale), Math.floor(panelB * scale)];
}

/** A panel's max-height in pixels (a percentage of its containing block's), or 0 when it has none. */
function maxHeight(panel: HTMLElement): number {
  const value = getComputedStyle(panel).maxHeight;
  if (value.endsWith('%')) return (parseFloat(value) / 100) * (panel.offsetParent?.clientHeight ?? 0);
  return parseFloat(value) || 0;
}
