import { addDays, daysBetween } from '../panels/commander-dates';

/**
 * Coverage over time, for the brief's chart: the coverage answer at evenly spaced days from the
 * programme's start to the brief's day (there is no series endpoint; a dozen answers of the same
 * API are as true and cost well under a second).
 */
export interface SeriesPoint {
  at: string;
  covered: number;
  leftOut: number;
}

/** `count` days from start to end inclusive, evenly spaced, without repeats (fewer when the span is short). */
export function sampleDays(start: string, end: string, count: number): string[] {
  const span = Math.max(0, daysBetween(start, end));
  const days = Array.from({ length: count }, (_, i) => addDays(start, Math.round((span * i) / Math.max(1, count - 1))));
  return [...new Set(days)];
}

/** The smallest round number (1, 2, 2.5 or 5 × 10^k) at or above value, for an axis top. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((top) => top >= value)!;
}

export interface ChartBox {
  width: number;
  height: number;
}

/** SVG polyline points for one series: days along x (left to right in time), value up y over 0 … top. */
export function polylinePoints(points: readonly SeriesPoint[], value: (p: SeriesPoint) => number, top: number, box: ChartBox): string {
  if (points.length === 0) return '';
  const first = points[0]!.at;
  const span = Math.max(1, daysBetween(first, points[points.length - 1]!.at));
  return points
    .map((p) => {
      const x = (daysBetween(first, p.at) / span) * box.width;
      const y = box.height - (value(p) / top) * box.height;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
