import { useMemo, useState } from 'preact/hooks';
import { formatNumber, type Lang } from '../i18n';
import type { CountyCoverage } from '../coverage-api';
import { commanderStrings } from './commander-strings';

type Column = 'county' | 'covered' | 'population' | 'deprived';

const valueOf: Record<Exclude<Column, 'county'>, (c: CountyCoverage) => number> = {
  covered: (c) => c.neighbourhoods_covered,
  population: (c) => c.population_covered,
  deprived: (c) => c.deprived_population_uncovered,
};

/** Sorts counties; names in the language's alphabet order, ties by name. */
export function sortCounties(rows: readonly CountyCoverage[], column: Column, descending: boolean, lang: Lang): CountyCoverage[] {
  const name = (c: CountyCoverage) => (lang === 'fa' ? c.name_fa : c.name_en ?? c.name_fa);
  const byName = (a: CountyCoverage, b: CountyCoverage) => name(a).localeCompare(name(b), lang);
  const compare = column === 'county'
    ? byName
    : (a: CountyCoverage, b: CountyCoverage) => valueOf[column](a) - valueOf[column](b) || byName(a, b);
  const sorted = [...rows].sort(compare);
  return descending ? sorted.reverse() : sorted;
}

export function CommanderCounties({ counties, lang }: { counties: readonly CountyCoverage[]; lang: Lang }) {
  const t = commanderStrings[lang];
  // Where it hurts most first.
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'deprived', descending: true });
  const rows = useMemo(() => sortCounties(counties, sort.column, sort.descending, lang), [counties, sort, lang]);
  const n = (value: number) => formatNumber(value, lang);
  const header = (column: Column, label: string) => {
    const active = sort.column === column;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          class="commander-table__sort"
          data-column={column}
          title={t.sortBy(label)}
          onClick={() => setSort({ column, descending: active ? !sort.descending : column !== 'county' })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };
  return (
    <table class="commander-table">
      <thead>
        <tr>
          {header('county', t.countyColumns.county)}
          {header('covered', t.countyColumns.covered)}
          {header('population', t.countyColumns.population)}
          {header('deprived', t.countyColumns.deprived)}
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-county={c.id} data-covered={c.neighbourhoods_covered} data-deprived={c.deprived_population_uncovered}>
            <th scope="row">{lang === 'fa' ? c.name_fa : c.name_en ?? c.name_fa}</th>
            <td>{n(c.neighbourhoods_covered)}/{n(c.neighbourhoods_total)}</td>
            <td>{n(c.population_covered)}</td>
            <td class={c.deprived_population_uncovered > 0 ? 'commander-table__gap' : undefined}>{n(c.deprived_population_uncovered)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
