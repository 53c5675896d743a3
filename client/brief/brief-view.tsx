import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatNumber, type Lang } from '../i18n';
import { isoDateInZone } from '../../shared/coverage';
import { scaleBar } from '../map/coverage-brief';
import { formatDay } from '../panels/commander-dates';
import { sortCounties } from '../panels/commander-counties';
import { gapLine } from '../panels/commander-gaps';
import { headlineFigures, type HeadlineFigure } from '../panels/commander-figures';
import { CommanderLegend, coverageLegend, formatDistance } from '../panels/commander-legend';
import { commanderStrings } from '../panels/commander-strings';
import { BriefChart } from './brief-chart';
import { loadBriefFigures, loadBriefFrame, type BriefData, type BriefFigures, type BriefFrame } from './brief-data';
import { CSS_PX_PER_MM, MAP_FRAME } from './brief-frame';
import { renderPrintMap, type PrintedMap } from './brief-map';
import { BriefError, briefStrings } from './brief-strings';
import { timed } from './brief-timing';
import { briefSearch, parseBriefState, type BriefState, type Orientation } from './brief-url';
import './brief.css';

const GAPS_SHOWN = 10;
const SCALE_BAR_MAX_MM = 30;

type Failure = { code: BriefError['code'] };

function failureOf(error: unknown): Failure | null {
  if (error instanceof DOMException && error.name === 'AbortError') return null;
  console.error(error);
  return { code: error instanceof BriefError ? error.code : 'coverage' };
}

/**
 * The commander's brief as a printable document: HTML laid out for an A4 page, so every word
 * is text in the PDF the browser prints (Vazirmatn embedded, Persian selectable), with the map
 * as a print-resolution image. `data-brief-ready` marks the moment it can be printed;
 * `data-brief-error` says why it cannot.
 */
export function BriefView({ lang }: { lang: Lang }) {
  const t = briefStrings[lang];
  const c = commanderStrings[lang];
  const today = useMemo(() => isoDateInZone(new Date()), []);
  const [state, setState] = useState<BriefState>(() => parseBriefState(window.location.search));
  const [frame, setFrame] = useState<BriefFrame | null>(null);
  const [figures, setFigures] = useState<BriefFigures | null>(null);
  const data = useMemo<BriefData | null>(() => (frame && figures ? { ...frame, ...figures } : null), [frame, figures]);
  const [map, setMap] = useState<PrintedMap | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [ready, setReady] = useState<number | null>(null);
  const mapFrame = MAP_FRAME[state.orient];
  const fail = (error: unknown) => setFailure(failureOf(error));

  useEffect(() => {
    const { pathname, hash } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${briefSearch({ ...state, print: false })}${hash}`);
  }, [state]);

  useEffect(() => {
    const abort = new AbortController();
    setFrame(null);
    setFigures(null);
    setFailure(null);
    loadBriefFrame(state, today, abort.signal).then(setFrame, fail);
    return () => abort.abort();
  }, [state.programme, state.at, state.county]);

  // The figures and the map at once: the map takes longest, and needs only the frame.
  useEffect(() => {
    if (!frame) return;
    const abort = new AbortController();
    loadBriefFigures(frame, abort.signal).then(setFigures, fail);
    return () => abort.abort();
  }, [frame]);

  useEffect(() => {
    if (!frame) return;
    const abort = new AbortController();
    setMap(null);
    const request = {
      lang,
      programme: frame.programme.slug,
      at: frame.at,
      bounds: frame.bounds,
      ...(frame.countyId !== undefined ? { county: frame.countyId } : {}),
      frame: mapFrame,
    };
    timed('map', () => renderPrintMap(request, abort.signal))
      .then(async (printed) => {
        // Decoded, so that the print dialog (or a PDF) never catches it half drawn.
        const image = new Image();
        image.src = printed.src;
        await timed('image decoded', () => image.decode());
        if (!abort.signal.aborted) setMap(printed);
      })
      .catch(fail);
    return () => abort.abort();
  }, [frame, state.orient, lang]);

  // Ready once the map and the figures are in, and the fonts of their text.
  useEffect(() => {
    setReady(null);
    if (!map || !data) return;
    let live = true;
    timed('fonts', () => document.fonts.ready).then(() => live && setReady(Math.round(performance.now())), fail);
    return () => {
      live = false;
    };
  }, [map, data]);

  useEffect(() => {
    if (ready === null || !state.print) return;
    setState({ ...state, print: false });
    window.print();
  }, [ready]);

  const programmeName = data ? (lang === 'fa' ? data.programme.name_fa : data.programme.name_en) : '';
  const countyName = (county: { name_fa: string; name_en: string | null }) => (lang === 'fa' ? county.name_fa : county.name_en ?? county.name_fa);
  const area = data?.county ? countyName(data.county) : t.province;

  // The print dialog offers the title as the PDF's file name.
  useEffect(() => {
    if (data) document.title = `${c.briefTitle(programmeName)} · ${area} · ${data.at}`;
  }, [data, lang]);

  return (
    <div
      class={`brief brief--${state.orient}`}
      data-brief-ready={ready !== null ? 'true' : undefined}
      data-brief-ms={ready ?? undefined}
      data-brief-error={failure?.code}
      aria-busy={ready === null && !failure}
    >
      <style>{`@page { size: A4 ${state.orient}; margin: 10mm; }`}</style>
      <div class="brief-toolbar">
        <button type="button" class="brief-toolbar__print" disabled={ready === null} onClick={() => window.print()}>{t.print}</button>
        <label>
          <span>{t.orientation}</span>
          <select name="orient" value={state.orient} onChange={(e) => setState({ ...state, orient: (e.target as HTMLSelectElement).value as Orientation })}>
            <option value="landscape">{t.landscape}</option>
            <option value="portrait">{t.portrait}</option>
          </select>
        </label>
        <label>
          <span>{t.area}</span>
          <select
            name="county"
            value={state.county ?? ''}
            onChange={(e) => {
              const value = Number((e.target as HTMLSelectElement).value);
              const { county: _dropped, ...rest } = state;
              setState(value ? { ...rest, county: value } : rest);
            }}
          >
            <option value="">{t.province}</option>
            {sortCounties(data?.coverage.counties ?? [], 'county', false, lang).map((county) => (
              <option key={county.id} value={county.id}>{countyName(county)}</option>
            ))}
          </select>
        </label>
        {!data && !failure && <span class="brief-toolbar__status">{t.preparing}</span>}
      </div>

      {failure && (
        <p class="brief-error" role="alert">
          <strong>{t.failed}:</strong> {t.errors[failure.code]}
        </p>
      )}

      {data && (
        <article class="brief-sheet">
          <section class="brief-page">
            <header class="brief-head">
              <div>
                <h1 class="brief-title">{c.briefTitle(programmeName)}</h1>
                <p class="brief-area">{area}</p>
              </div>
              <p class="brief-date">{c.briefDate(formatDay(data.at, lang))}</p>
            </header>
            <BriefFigures figures={briefFigures(data, lang)} lang={lang} />
            <div class="brief-body">
              <figure class="brief-map" style={{ width: `${mapFrame.width}mm` }}>
                <div class="brief-map__frame" style={{ height: `${mapFrame.height}mm` }}>
                  {map && <img class="brief-map__image" src={map.src} alt={t.mapAlt(area)} style={{ width: `${mapFrame.width}mm`, height: `${mapFrame.height}mm` }} />}
                </div>
                <figcaption class="brief-map__foot">
                  {map && <ScaleBar metresPerPixel={map.metresPerPixel} lang={lang} />}
                  <NorthArrow label={t.north} />
                  <span class="brief-map__attribution">{t.attribution}</span>
                </figcaption>
              </figure>
              <aside class="brief-side">
                <CommanderLegend spec={coverageLegend({ lang, mode: 'choropleth', metric: 'uncovered_deprived_population', programmeName, max: null, hexSize: null })} />
                <section>
                  <h2 class="brief-heading">{t.overTime}</h2>
                  <BriefChart points={data.series} area={data.county && area} lang={lang} />
                </section>
              </aside>
            </div>
          </section>
          <section class="brief-page brief-page--tables">
            <section class="brief-counties">
              <h2 class="brief-heading">{t.countyTable}</h2>
              <BriefCountyTable data={data} lang={lang} />
            </section>
            <section class="brief-gaps">
              <h2 class="brief-heading">{t.topGaps}</h2>
              <BriefGaps data={data} lang={lang} />
            </section>
            <footer class="brief-foot">{t.made(formatDay(today, lang))} · {c.briefFooter}</footer>
          </section>
        </article>
      )}
    </div>
  );
}

/** The province's five headline figures, or a county's own three when the brief is about one. */
function briefFigures(data: BriefData, lang: Lang): HeadlineFigure[] {
  if (!data.county) return headlineFigures(data.coverage.summary, data.coverage.counties.length, lang);
  const t = commanderStrings[lang].figures;
  const county = data.county;
  return [
    { key: 'neighbourhoods_covered', value: county.neighbourhoods_covered, label: t.neighbourhoodsCovered, detail: t.ofTotal(formatNumber(county.neighbourhoods_total, lang)) },
    { key: 'population_covered', value: county.population_covered, label: t.peopleCovered },
    { key: 'deprived_population_uncovered', value: county.deprived_population_uncovered, label: t.deprivedLeftOut },
  ];
}

function BriefFigures({ figures, lang }: { figures: HeadlineFigure[]; lang: Lang }) {
  return (
    <dl class="brief-figures">
      {figures.map((f) => (
        <div key={f.key} class="brief-figure" data-figure={f.key} data-value={f.value}>
          <dd class="brief-figure__value">{formatNumber(f.value, lang)}{f.detail && <span class="brief-figure__detail"> {f.detail}</span>}</dd>
          <dt class="brief-figure__label">{f.label}</dt>
        </div>
      ))}
    </dl>
  );
}

function BriefCountyTable({ data, lang }: { data: BriefData; lang: Lang }) {
  const t = commanderStrings[lang];
  const n = (value: number) => formatNumber(value, lang);
  return (
    <table class="brief-table">
      <thead>
        <tr>
          <th scope="col">{t.countyColumns.county}</th>
          <th scope="col">{t.countyColumns.covered}</th>
          <th scope="col">{t.countyColumns.population}</th>
          <th scope="col">{t.countyColumns.deprived}</th>
        </tr>
      </thead>
      <tbody>
        {sortCounties(data.coverage.counties, 'deprived', true, lang).map((county) => (
          <tr key={county.id} data-county={county.id} class={county.id === data.county?.id ? 'brief-table__chosen' : undefined}>
            <th scope="row">{lang === 'fa' ? county.name_fa : county.name_en ?? county.name_fa}</th>
            <td>{n(county.neighbourhoods_covered)} / {n(county.neighbourhoods_total)}</td>
            <td>{n(county.population_covered)}</td>
            <td>{n(county.deprived_population_uncovered)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BriefGaps({ data, lang }: { data: BriefData; lang: Lang }) {
  const t = commanderStrings[lang];
  if (data.gaps.length === 0) return <p>{t.gapsNone}</p>;
  return (
    <ol class="brief-gap-list">
      {data.gaps.slice(0, GAPS_SHOWN).map((gap) => (
        <li key={gap.id} data-neighbourhood={gap.id}>
          <strong>{lang === 'fa' ? gap.name_fa : gap.name_en}</strong>
          {' · '}
          {gapLine(gap, lang)}
        </li>
      ))}
    </ol>
  );
}

/** A round distance whose bar is at most SCALE_BAR_MAX_MM long on paper. */
function ScaleBar({ metresPerPixel, lang }: { metresPerPixel: number; lang: Lang }) {
  const { metres, pixels } = scaleBar(metresPerPixel, SCALE_BAR_MAX_MM * CSS_PX_PER_MM);
  return (
    <span class="brief-scale" data-metres={metres}>
      <span class="brief-scale__bar" style={{ width: `${pixels.toFixed(1)}px` }} />
      <span class="brief-scale__label">{formatDistance(metres, lang)}</span>
    </span>
  );
}

/** The map is never rotated: north is up. */
function NorthArrow({ label }: { label: string }) {
  return (
    <svg class="brief-north" viewBox="0 0 24 34" role="img" aria-label={label}>
      <path d="M12 2 20 24 12 19 4 24z" fill="#1c1917" />
      <text x="12" y="33" text-anchor="middle">{label}</text>
    </svg>
  );
}
