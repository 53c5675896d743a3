import { formatNumber, type Lang } from '../i18n';
import type { Gap } from '../coverage-api';
import { UNCOVERED_COLOURS } from '../map/coverage-layers';
import { commanderStrings } from './commander-strings';

export function CommanderGaps({ gaps, lang, onPick }: { gaps: readonly Gap[]; lang: Lang; onPick(gap: Gap): void }) {
  const t = commanderStrings[lang];
  if (gaps.length === 0) return <p class="commander-empty">{t.gapsNone}</p>;
  return (
    <ol class="commander-gaps">
      {gaps.map((gap) => (
        <li key={gap.id}>
          <button type="button" class="commander-gap" data-neighbourhood={gap.id} onClick={() => onPick(gap)}>
            <span class="commander-gap__swatch" style={{ background: UNCOVERED_COLOURS[gap.deprivation - 1] }} aria-hidden="true" />
            <span class="commander-gap__name">{lang === 'fa' ? gap.name_fa : gap.name_en}</span>
            <span class="commander-gap__line">{gapLine(gap, lang)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/** A gap's county, deprived population and deprivation, in a line: in the panel and in the printed brief. */
export function gapLine(gap: Gap, lang: Lang): string {
  return commanderStrings[lang].gapLine(
    lang === 'fa' ? gap.county.name_fa : gap.county.name_en ?? gap.county.name_fa,
    formatNumber(gap.population, lang),
    formatNumber(gap.deprivation, lang),
  );
}
