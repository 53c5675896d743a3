import type { Orientation } from './brief-url';

/** The map's printed resolution: what the brief promises, and no more (see brief-map.ts for why). */
export const PRINT_DPI = 200;
const CSS_DPI = 96;
const MM_PER_INCH = 25.4;
export const CSS_PX_PER_MM = CSS_DPI / MM_PER_INCH;

/** A frame's printed size. */
export interface FrameMm {
  width: number;
  height: number;
}

/** The map's printed frame per orientation (A4 less 10 mm margins: 277 × 190). */
export const MAP_FRAME: Record<Orientation, FrameMm> = {
  landscape: { width: 172, height: 126 },
  portrait: { width: 190, height: 140 },
};

/** The frame in whole CSS pixels (what the map's container measures; 1 CSS px = 1/96 in). */
export function frameCssPixels(frame: FrameMm): { width: number; height: number } {
  return { width: Math.round(frame.width * CSS_PX_PER_MM), height: Math.round(frame.height * CSS_PX_PER_MM) };
}

/**
 * The smallest pixel ratio whose canvas (MapLibre rounds ratio × CSS size) has at least PRINT_DPI
 * dots per inch of the frame as printed, across and down.
 */
export function printPixelRatio(frame: FrameMm): number {
  const css = frameCssPixels(frame);
  const dots = (mm: number) => Math.ceil((mm / MM_PER_INCH) * PRINT_DPI);
  return Math.max(dots(frame.width) / css.width, dots(frame.height) / css.height);
}
