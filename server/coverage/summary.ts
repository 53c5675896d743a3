import { DEPRIVED_MIN, type CountyCoverage, type CoverageSummary } from '../../shared/coverage-schemas.js';

export interface NeighbourhoodCoverageRow {
  id: number;
  county_id: number;
  population: number;
  deprivation: number;
  covered: boolean;
}

export interface CountyRow {
  id: number;
  name_fa: string;
  name_en: string | null;
}

/**
 * The figures of GET /api/coverage from one row per neighbourhood: per county (every
 * county, reached or not) and for the province. Kept apart from the SQL so the
 * arithmetic (what "deprived" and "reached" mean) is tested on its own.
 */
export function summariseCoverage(
  rows: readonly NeighbourhoodCoverageRow[],
  counties: readonly CountyRow[],
  councilsActive: number,
): { summary: CoverageSummary; counties: CountyCoverage[] } {
  const byCounty = new Map<number, CountyCoverage>(
    counties.map((c) => [c.id, {
      id: c.id, name_fa: c.name_fa, name_en: c.name_en,
      neighbourhoods_total: 0, neighbourhoods_covered: 0, population_total: 0, population_covered: 0,
      deprived_neighbourhoods_uncovered: 0, deprived_population_uncovered: 0,
    }]),
  );
  for (const row of rows) {
    const county = byCounty.get(row.county_id);
    if (!county) throw new Error(`neighbourhood ${row.id} names unknown county ${row.county_id}`);
    county.neighbourhoods_total += 1;
    county.population_total += row.population;
    if (row.covered) {
      county.neighbourhoods_covered += 1;
      county.population_covered += row.population;
    } else if (row.deprivation >= DEPRIVED_MIN) {
      county.deprived_neighbourhoods_uncovered += 1;
      county.deprived_population_uncovered += row.population;
    }
  }
  const perCounty = [...byCounty.values()];
  const sum = (key: keyof CountyCoverage) => perCounty.reduce((total, c) => total + (c[key] as number), 0);
  return {
    summary: {
      neighbourhoods_covered: sum('neighbourhoods_covered'),
      counties_reached: perCounty.filter((c) => c.neighbourhoods_covered > 0).length,
      population_covered: sum('population_covered'),
      deprived_population_uncovered: sum('deprived_population_uncovered'),
      deprived_neighbourhoods_uncovered: sum('deprived_neighbourhoods_uncovered'),
      neighbourhoods_total: sum('neighbourhoods_total'),
      population_total: sum('population_total'),
      councils_active: councilsActive,
    },
    counties: perCounty,
  };
}
