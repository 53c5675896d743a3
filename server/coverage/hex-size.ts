import { HEX_SIZE_MAX, HEX_SIZE_MIN } from '../../shared/coverage-schemas.js';

/** Web-mercator metres per CSS pixel at a MapLibre zoom (512-pixel world at zoom 0), at the equator. */
export function metresPerPixel(zoom: number): number {
  return 40_075_016.686 / (512 * 2 ** zoom);
}

/** The hexagon edge, in pixels on screen, that the map aims for. */
export const HEX_EDGE_PIXELS = 28;

/**
 * The hexagon edge in metres for a map zoom: about HEX_EDGE_PIXELS on screen, rounded
 * down to 1, 2, 2.5 or 5 × 10^k metres so that every zoom in a band asks for the same
 * grid (and hits the same cached answer), within the sizes the API accepts.
 */
export function hexSizeForZoom(zoom: number): number {
  const target = HEX_EDGE_PIXELS * metresPerPixel(zoom);
  const power = 10 ** Math.floor(Math.log10(target));
  const nice = [5, 2.5, 2, 1].map((m) => m * power).find((size) => size <= target) ?? power;
  return Math.min(HEX_SIZE_MAX, Math.max(HEX_SIZE_MIN, nice));
}
