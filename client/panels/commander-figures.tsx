import { formatNumber, type Lang } from '../i18n';
import type { CoverageAnswer } from '../coverage-api';
import { commanderStrings } from './commander-strings';

export interface HeadlineFigure {
  key: 'neighbourhoods_covered' | 'counties_reached' | 'councils_active' | 'population_covered' | 'deprived_population_uncovered';
  value: number;
  label: string;
  /** "of 153", where a total makes the number readable. */
  detail?: string;
}

/** The five numbers a commander reads first, for the panel and for the brief. */
export function headlineFigures(summary: CoverageAnswer['summary'], counties: number, lang: Lang): HeadlineFigure[] {
  const t = commanderStrings[lang].figures;
  const n = (value: number) => formatNumber(value, lang);
  return [
    { key: 'neighbourhoods_covered', value: summary.neighbourhoods_covered, label: t.neighbourhoodsCovered, detail: t.ofTotal(n(summary.neighbourhoods_total)) },
    { key: 'counties_reached', value: summary.counties_reached, label: t.countiesReached, detail: t.ofTotal(n(counties)) },
    { key: 'councils_active', value: summary.councils_active, label: t.councilsActive },
    { key: 'population_covered', value: summary.population_covered, label: t.peopleCovered },
    { key: 'deprived_population_uncovered', value: summary.deprived_population_uncovered, label: t.deprivedLeftOut },
  ];
}

export function CommanderFigures({ figures, lang, busy }: { figures: HeadlineFigure[]; lang: Lang; busy: boolean }) {
  return (
    <dl class="commander-figures" aria-busy={busy}>
      {figures.map((f) => (
        <div key={f.key} class={`commander-figure commander-figure--${f.key}`} data-figure={f.key} data-value={f.value}>
          <dt class="commander-figure__label">{f.label}</dt>
          <dd class="commander-figure__value">
            {formatNumber(f.value, lang)}
            {f.detail && <span class="commander-figure__detail"> {f.detail}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
