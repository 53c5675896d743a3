import { describe, expect, it } from 'vitest';
import { niceCeiling, polylinePoints } from '../../client/brief/brief-series.js';
import { briefSearch, parseBriefState } from '../../client/brief/brief-url.js';
import { MAP_FRAME, PRINT_DPI, frameCssPixels, printPixelRatio } from '../../client/brief/brief-frame.js';

describe('the chart axis and lines', () => {
  it('rounds the axis top up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(7)).toBe(10);
    expect(niceCeiling(180_000)).toBe(200_000);
    expect(niceCeiling(230_001)).toBe(250_000);
    expect(niceCeiling(500)).toBe(500);
  });
  it('places days along x by date and values up y', () => {
    const points = [
      { at: '2026-01-01', covered: 0, leftOut: 100 },
      { at: '2026-01-03', covered: 50, leftOut: 50 },
      { at: '2026-01-11', covered: 100, leftOut: 0 },
    ];
    expect(polylinePoints(points, (p) => p.covered, 100, { width: 100, height: 50 })).toBe('0.0,50.0 20.0,25.0 100.0,0.0');
    expect(polylinePoints([], (p) => p.covered, 100, { width: 100, height: 50 })).toBe('');
  });
});

describe('the brief URL', () => {
  it('reads back what it writes', () => {
    const state = { programme: 'progress_councils', at: '2025-03-01', county: 7, orient: 'portrait' as const, print: true };
    expect(briefSearch(state)).toBe('?brief=1&programme=progress_councils&at=2025-03-01&county=7&orient=portrait&print=1');
    expect(parseBriefState(briefSearch(state))).toEqual(state);
  });
  it('falls back to the province, landscape, today and the Karamat plan on anything else', () => {
    expect(parseBriefState('?brief=1&programme=DROP%20TABLE&at=2025-02-30&county=-3&orient=sideways')).toEqual({
      programme: 'karamat',
      orient: 'landscape',
      print: false,
    });
  });
});

describe('the map frame at print resolution', () => {
  it('gives each orientation at least 200 dots per inch across and down, and barely more', () => {
    for (const frame of Object.values(MAP_FRAME)) {
      const ratio = printPixelRatio(frame);
      const css = frameCssPixels(frame);
      // MapLibre's canvas: the CSS size times the ratio, rounded.
      const dpi = (pixels: number, mm: number) => pixels / (mm / 25.4);
      const across = dpi(Math.round(ratio * css.width), frame.width);
      const down = dpi(Math.round(ratio * css.height), frame.height);
      expect(Math.min(across, down)).toBeGreaterThanOrEqual(PRINT_DPI);
      expect(Math.max(across, down)).toBeLessThan(PRINT_DPI + 1);
    }
  });
});
