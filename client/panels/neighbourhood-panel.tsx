import type { ComponentChildren } from 'preact';
import type { NeighbourhoodDetail, NeighbourhoodProperties } from '../api';
import { formatDate, formatNumber, strings, type Lang } from '../i18n';
import { DEPRIVATION_LEVELS, deprivationColour } from '../map/palette';
import type { LoadStatus } from '../use-neighbourhood';
import { useEscapeToClose } from './use-escape';

type Detail = NeighbourhoodDetail['properties'];

interface Props {
  lang: Lang;
  /** What the map or the search already knew, shown at once while the full record loads. */
  summary: NeighbourhoodProperties | null;
  detail: Detail | null;
  status: LoadStatus;
  onClose(): void;
  /** More about the neighbourhood from other areas of the app (the programme's method). */
  children?: ComponentChildren;
}

export function NeighbourhoodPanel({ lang, summary, detail, status, onClose, children }: Props) {
  const t = strings[lang];
  const p: NeighbourhoodProperties | null = detail ?? summary;
  useEscapeToClose(true, onClose);

  return (
    <aside class="panel" aria-labelledby="panel-title" aria-busy={status === 'loading'}>
      <header class="panel__header" style={{ borderColor: p ? deprivationColour(p.deprivation) : undefined }}>
        <div class="panel__titles">
          <h2 class="panel__title" id="panel-title">
            {p ? (lang === 'fa' ? p.name_fa : p.name_en) : t.loading}
          </h2>
          {p && (
            <p class="panel__subtitle" lang={lang === 'fa' ? 'en' : 'fa'} dir={lang === 'fa' ? 'ltr' : 'rtl'}>
              {lang === 'fa' ? p.name_en : p.name_fa}
            </p>
          )}
        </div>
        <button type="button" class="panel__close" aria-label={t.close} title={t.close} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </header>

      {p && (
        <div class="panel__body">
          <div class="deprivation">
            <span class="deprivation__label">{t.deprivation}</span>
            <span class="deprivation__meter" aria-hidden="true">
              {DEPRIVATION_LEVELS.map((level) => (
                <span
                  key={level}
                  class="deprivation__step"
                  style={{ background: level <= p.deprivation ? deprivationColour(level) : undefined }}
                />
              ))}
            </span>
            <span class="deprivation__value">
              {t.deprivationOf(formatNumber(p.deprivation, lang))} · {t.legendLevels[p.deprivation - 1]}
            </span>
          </div>

          <dl class="facts">
            <Fact label={t.county}>{lang === 'fa' ? p.county_fa : (p.county_en ?? p.county_fa)}</Fact>
            <Fact label={t.population}>{formatNumber(p.population, lang)}</Fact>
            <Fact label={t.households}>{formatNumber(p.households, lang)}</Fact>
            <Fact label={t.informal}>{p.informal ? t.yes : t.no}</Fact>
            <Fact label={t.margin}>{p.margin ? t.yes : t.no}</Fact>
            {detail && (
              <Fact label={t.area}>
                {formatNumber(detail.area_km2, lang, 2)} {t.areaUnit}
              </Fact>
            )}
            <Fact label={t.code}>
              {/* An identifier people copy and type: Latin digits in both languages. */}
              <bdi dir="ltr">{p.code}</bdi>
            </Fact>
            {detail && (
              <Fact label={t.boundaryVersion}>
                {t.boundaryVersionValue(formatNumber(detail.boundary_version, lang), formatDate(detail.updated_at, lang))}
              </Fact>
            )}
          </dl>

          {children}
          {status === 'error' && <p class="panel__error">{t.loadFailed}</p>}
          <p class="panel__source" title={p.source}>
            {t.source}: {isIllustrative(p.source) ? t.illustrativeSource : <bdi>{p.source}</bdi>}
          </p>
        </div>
      )}
    </aside>
  );
}

/**
 * The seed's polygons say in their `source` that they are illustrative (in English); the panel
 * says so in the reader's language and keeps the original text in the tooltip.
 */
function isIllustrative(source: string): boolean {
  return /^illustrative\b/i.test(source);
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
