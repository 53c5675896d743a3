import { ckmeans, equalIntervalBreaks, quantileSorted } from 'simple-statistics';
import { toLatinDigits } from './persian-text.js';

/**
 * Classes for a thematic map: the values of an indicator cut into 3–9 classes by quantiles
 * (equal counts), equal intervals, natural breaks (ckmeans: the optimal 1-D k-means, which
 * is what Jenks approximates) or breaks the user gives. Statistics come from
 * simple-statistics rather than from code of ours, so the breaks are those any analyst
 * gets from the same library.
 *
 * Breaks are the class bounds, lowest first: [min, b1, …, max] for k classes; a value v is
 * in class i when breaks[i] <= v < breaks[i + 1], and the maximum in the last class.
 */

export const CLASS_METHODS = ['quantiles', 'equal', 'ckmeans', 'manual'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];
export const MIN_CLASSES = 3;
export const MAX_CLASSES = 9;

export interface Classification {
  method: ClassMethod;
  /** k + 1 bounds; fewer classes than asked when the values have fewer distinct numbers. */
  breaks: number[];
}

export function classify(values: readonly number[], method: ClassMethod, classes: number, manual: readonly number[] = []): Classification {
  if (!Number.isInteger(classes) || classes < MIN_CLASSES || classes > MAX_CLASSES) {
    throw new RangeError(`classes must be a whole number from ${MIN_CLASSES} to ${MAX_CLASSES}`);
  }
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { method, breaks: [] };
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const distinct = new Set(sorted).size;
  if (distinct === 1) return { method, breaks: [min, max] };
  const k = Math.min(classes, distinct);
  let inner: number[];
  switch (method) {
    case 'quantiles':
      inner = range(1, k).map((i) => quantileSorted(sorted, i / k));
      break;
    case 'equal':
      inner = equalIntervalBreaks(sorted, k).slice(1, -1);
      break;
    case 'ckmeans':
      // Each cluster starts where the one before it ends: its lowest value is the bound.
      inner = ckmeans(sorted, k).slice(1).map((cluster) => cluster[0]!);
      break;
    case 'manual':
      inner = manual.filter((b) => Number.isFinite(b) && b > min && b < max);
      break;
  }
  const breaks = [min, ...[...new Set(inner)].sort((a, b) => a - b).filter((b) => b > min && b < max), max];
  return { method, breaks };
}

/** The class (0 …) of a value; undefined for a value outside the bounds. */
export function classOf(value: number, breaks: readonly number[]): number | undefined {
  if (breaks.length < 2 || value < breaks[0]! || value > breaks[breaks.length - 1]!) return undefined;
  for (let i = breaks.length - 2; i >= 0; i--) if (value >= breaks[i]!) return i;
  return undefined;
}

/** Values per class, for a histogram or a legend. */
export function classCounts(values: readonly number[], breaks: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(breaks.length - 1, 0)).fill(0);
  for (const v of values) {
    const c = classOf(v, breaks);
    if (c !== undefined) counts[c]! += 1;
  }
  return counts;
}

/** Manual breaks as typed: numbers separated by commas or spaces (Persian digits and ٫ too). */
export function parseBreaks(text: string): number[] {
  const latin = toLatinDigits(text).replace(/٫/g, '.');
  return latin.split(/[\s,،؛;]+/).filter(Boolean).map(Number).filter(Number.isFinite);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
