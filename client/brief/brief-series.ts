import { daysBetween } from '../panels/commander-dates';

/** Coverage over time, for the brief's chart: GET /api/coverage/series at evenly spaced days. */
export interface SeriesPoint {
  at: string;
  covered: number;
  leftOut: number;
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
