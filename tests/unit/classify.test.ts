import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ckmeans, equalIntervalBreaks, jenks, quantile } from 'simple-statistics';
import { classCounts, classify, classOf, parseBreaks } from '../../shared/classify.js';

// Breaks of the thematic map against simple-statistics' own functions, on the populations of
// the seed's neighbourhoods (geodata/neighbourhoods.geojson), and natural breaks against a
// brute-force search for the least within-class squared deviation.

const seed = JSON.parse(fs.readFileSync('geodata/neighbourhoods.geojson', 'utf8')) as { features: { properties: { population: number } }[] };
const populations = seed.features.map((f) => f.properties.population);

const sse = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0);
};
const classesOf = (values: number[], breaks: number[]) => {
  const groups: number[][] = breaks.slice(1).map(() => []);
  for (const v of [...values].sort((a, b) => a - b)) groups[classOf(v, breaks)!]!.push(v);
  return groups;
};

describe('classify', () => {
  it('has real values to work on', () => {
    expect(populations.length).toBeGreaterThan(20);
    expect(new Set(populations).size).toBeGreaterThan(20);
  });

  for (const k of [3, 5, 7, 9]) {
    it(`quantiles, equal intervals and ckmeans in ${k} classes agree with simple-statistics`, () => {
      const q = classify(populations, 'quantiles', k).breaks;
      expect(q.slice(1, -1)).toEqual(Array.from({ length: k - 1 }, (_, i) => quantile(populations, (i + 1) / k)));
      expect(classify(populations, 'equal', k).breaks).toEqual(equalIntervalBreaks(populations, k));
      const natural = classify(populations, 'ckmeans', k).breaks;
      expect(natural).toHaveLength(k + 1);
      // Every ckmeans cluster is exactly one class.
      expect(classesOf(populations, natural)).toEqual(ckmeans(populations, k));
      // Jenks' breaks (the classic algorithm) give no better fit than ckmeans'.
      const total = (breaks: number[]) => classesOf(populations, breaks).filter((g) => g.length > 0).reduce((s, g) => s + sse(g), 0);
      expect(total(natural)).toBeLessThanOrEqual(total(jenks(populations, k)!) + 1e-6);
      // Quantile classes hold about the same number of values.
      const counts = classCounts(populations, q);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(populations.length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(Math.ceil(populations.length / k));
    });
  }

  it('finds the best three natural classes of a small sample, as a search of every split does', () => {
    const sample = populations.slice(0, 14);
    const sorted = [...sample].sort((a, b) => a - b);
    let best = Infinity;
    for (let i = 1; i < sorted.length - 1; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        best = Math.min(best, sse(sorted.slice(0, i)) + sse(sorted.slice(i, j)) + sse(sorted.slice(j)));
      }
    }
    const groups = classesOf(sample, classify(sample, 'ckmeans', 3).breaks);
    expect(groups.reduce((s, g) => s + sse(g), 0)).toBeCloseTo(best, 6);
  });

  it('takes manual breaks between the extremes, sorted, and says fewer classes when values are few', () => {
    expect(classify([1, 2, 3, 10, 20], 'manual', 4, [15, 2.5, 100, -4]).breaks).toEqual([1, 2.5, 15, 20]);
    expect(classify([5, 5, 6, 6], 'quantiles', 5).breaks).toEqual([5, 5.5, 6]);
    expect(classify([7, 7], 'equal', 3).breaks).toEqual([7, 7]);
    expect(classify([], 'ckmeans', 3).breaks).toEqual([]);
    expect(() => classify([1, 2, 3], 'equal', 2)).toThrow(RangeError);
    expect(() => classify([1, 2, 3], 'equal', 10)).toThrow(RangeError);
    expect(classOf(20, [1, 2.5, 15, 20])).toBe(2);
    expect(classOf(2.5, [1, 2.5, 15, 20])).toBe(1);
    expect(classOf(0, [1, 2.5, 15, 20])).toBeUndefined();
    expect(parseBreaks('۱۰٫۵، 20 ,30')).toEqual([10.5, 20, 30]);
  });
});
