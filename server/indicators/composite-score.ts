/**
 * A composite's score per neighbourhood, from its parts' values. Each part is min-max
 * normalised over the neighbourhoods that have a value for it, turned round when its weight
 * is negative (a higher value is worse), and the weighted mean of the parts is scaled to
 * 0–100:
 *
 *   n = (v - min) / (max - min)      (0 when max = min)
 *   n' = n, or 1 - n when w < 0
 *   score = 100 · Σ |w|·n' / Σ |w|
 *
 * Only neighbourhoods with a value for every part get a score: a missing figure is not a
 * zero. Nothing is rounded; the map and the ranking round for display.
 */

export interface NeighbourhoodValue {
  neighbourhood_id: number;
  value: number;
}

export interface WeightedPart {
  weight: number;
  items: readonly NeighbourhoodValue[];
}

export function compositeScores(parts: readonly WeightedPart[]): NeighbourhoodValue[] {
  if (parts.length === 0) return [];
  const totalWeight = parts.reduce((sum, p) => sum + Math.abs(p.weight), 0);
  const normalised = parts.map((part) => {
    let min = Infinity;
    let max = -Infinity;
    for (const { value } of part.items) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const range = max - min;
    return new Map(part.items.map(({ neighbourhood_id, value }) => {
      const n = range > 0 ? (value - min) / range : 0;
      return [neighbourhood_id, part.weight < 0 ? 1 - n : n];
    }));
  });
  const [first, ...rest] = normalised;
  const scores: NeighbourhoodValue[] = [];
  for (const id of first!.keys()) {
    if (!rest.every((m) => m.has(id))) continue;
    const sum = normalised.reduce((acc, m, i) => acc + Math.abs(parts[i]!.weight) * m.get(id)!, 0);
    scores.push({ neighbourhood_id: id, value: (100 * sum) / totalWeight });
  }
  return scores.sort((a, b) => a.neighbourhood_id - b.neighbourhood_id);
}
