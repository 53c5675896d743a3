import { formatNumber, strings, type Lang } from '../i18n';
import { DEPRIVATION_COLOURS, DEPRIVATION_LEVELS } from '../map/palette';

export function Legend({ lang }: { lang: Lang }) {
  const t = strings[lang];
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h2 class="legend__title" id="legend-title">
        {t.legendTitle}
      </h2>
      <ol class="legend__scale">
        {DEPRIVATION_LEVELS.map((level) => (
          <li key={level} class="legend__row">
            <span class="swatch swatch--legend" style={{ background: DEPRIVATION_COLOURS[level] }} />
            <span class="legend__level">{formatNumber(level, lang)}</span>
            <span class="legend__label">{t.legendLevels[level - 1]}</span>
          </li>
        ))}
      </ol>
      <div class="legend__row legend__county">
        <span class="legend__line" aria-hidden="true" />
        <span>{t.legendCounty}</span>
      </div>
      <p class="legend__note">{t.legendIllustrative}</p>
    </section>
  );
}
