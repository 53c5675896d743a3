import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Indicator, IndicatorList, IndicatorValues } from '../../shared/indicators-schemas';
import { CLASS_METHODS, MAX_CLASSES, MIN_CLASSES, classCounts, classOf, classify, parseBreaks, type ClassMethod } from '../../shared/classify';
import { apiUrl, request } from '../api';
import { formatNumber, type Lang } from '../i18n';
import { ThematicLayer, thematicColours, NO_VALUE_COLOUR } from '../map/thematic-layer';
import { thematicStrings } from './thematic-strings';
import { parseThematicState, writeThematicState } from './thematic-url';
import { CompositeForm } from './thematic-composite';
import { ImportForm } from './thematic-import';
import { Histogram } from './thematic-histogram';
import { useMapOf } from './use-map-of';
import { useEscapeToClose } from './use-escape';
import './panel-common.css';
import './thematic.css';

interface Props {
  lang: Lang;
  controller: RefObject<{ map: MapLibreMap } | null>;
  /** Opens a neighbourhood in the base app's panel (picked in the ranked list). */
  onOpenNeighbourhood(id: number): void;
  /** Planners, GIS staff and admins may define composite indices. */
  canWrite: boolean;
  startOpen?: boolean;
}

type Values = IndicatorValues & {
  top?: { neighbourhood_id: number; name_fa: string; name_en: string; county_fa: string | null; value: number }[];
};

const TOP = 10;

/**
 * The thematic map: any indicator (the programme's own figures, imported tables, composite
 * indices) as the neighbourhoods' colour, classified by quantiles, equal intervals, natural
 * breaks or manual breaks into 3–9 classes, with a legend that names the indicator, the
 * method and the unit, a histogram of the values and the neighbourhoods ranked highest.
 */
export function ThematicView({ lang, controller, onOpenNeighbourhood, canWrite, startOpen = false }: Props) {
  const t = thematicStrings[lang];
  const initial = useMemo(() => parseThematicState(window.location.search), []);
  const [open, setOpen] = useState(startOpen || initial.key !== undefined);
  useEscapeToClose(open, () => setOpen(false));
  const [indicators, setIndicators] = useState<Indicator[]>([]);
  const [key, setKey] = useState<string | undefined>(initial.key);
  const [method, setMethod] = useState<ClassMethod>(initial.method);
  const [classes, setClasses] = useState(initial.classes);
  const [breaksText, setBreaksText] = useState(initial.breaks.join(lang === 'fa' ? '، ' : ', '));
  const [values, setValues] = useState<Values | null>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const [listRevision, setListRevision] = useState(0);
  const map = useMapOf(controller);
  const layer = useRef<ThematicLayer | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    request<IndicatorList>(apiUrl('/api/indicators'), { signal: abort.signal })
      .then((list) => setIndicators(list.items))
      .catch((error: unknown) => {
        if (!abort.signal.aborted) console.error(error);
      });
    return () => abort.abort();
  }, [listRevision]);

  useEffect(() => {
    if (!map) return;
    layer.current = new ThematicLayer(map);
    return () => {
      layer.current?.destroy();
      layer.current = null;
    };
  }, [map]);

  useEffect(() => {
    setValues(null);
    if (!key) return;
    const abort = new AbortController();
    setState('loading');
    request<Values>(apiUrl(`/api/indicators/${encodeURIComponent(key)}/values`, { top: TOP }), { signal: abort.signal })
      .then((answer) => {
        setValues(answer);
        setState('idle');
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        console.error(error);
        setState('failed');
      });
    return () => abort.abort();
  }, [key, listRevision]);

  const manual = useMemo(() => parseBreaks(breaksText), [breaksText]);
  const numbers = useMemo(() => values?.items.map((i) => i.value) ?? [], [values]);
  const classification = useMemo(
    () => (numbers.length ? classify(numbers, method, classes, manual) : null),
    [numbers, method, classes, manual],
  );
  const colours = thematicColours(Math.max((classification?.breaks.length ?? 1) - 1, 1));

  useEffect(() => {
    writeThematicState({ key, method, classes, breaks: manual });
  }, [key, method, classes, manual]);

  useEffect(() => {
    if (!layer.current) return;
    if (!key || !values || !classification) {
      layer.current.hide();
      return;
    }
    const byId = new Map<number, number>();
    for (const { neighbourhood_id, value } of values.items) {
      const c = classOf(value, classification.breaks);
      if (c !== undefined) byId.set(neighbourhood_id, c);
    }
    layer.current.show(byId, colours);
  }, [map, key, values, classification]);

  const indicator = indicators.find((i) => i.key === key);
  const name = indicator ? (lang === 'fa' ? indicator.name_fa : indicator.name_en) : key ?? '';
  const unit = indicator ? (lang === 'fa' ? indicator.unit_fa : indicator.unit_en) : '';
  const groups = (['builtin', 'imported', 'composite'] as const)
    .map((source) => ({ source, items: indicators.filter((i) => i.source === source) }))
    .filter((g) => g.items.length > 0);
  const legend = key && classification && values ? (
    <ThematicLegend
      lang={lang}
      name={name}
      unit={unit}
      method={method}
      breaks={classification.breaks}
      colours={colours}
      counts={classCounts(numbers, classification.breaks)}
    />
  ) : null;

  return (
    <>
      {!open && (
        <button type="button" class="pill-button pill-button--map thematic-open" onClick={() => setOpen(true)}>
          {t.open}
        </button>
      )}
      {open && (
        <section class="map-panel thematic" aria-labelledby="thematic-title">
          <header class="map-panel__header">
            <h2 id="thematic-title" class="thematic__title">{t.title}</h2>
            <button type="button" class="pill-button" onClick={() => setOpen(false)}>{t.close}</button>
          </header>
          <div class="thematic__body">
            <label class="thematic__field">
              <span>{t.indicator}</span>
              <select name="indicator" value={key ?? ''} onChange={(e) => setKey(e.currentTarget.value || undefined)}>
                <option value="">{t.off}</option>
                {groups.map((g) => (
                  <optgroup key={g.source} label={t.groups[g.source]}>
                    {g.items.map((i) => <option key={i.key} value={i.key}>{lang === 'fa' ? i.name_fa : i.name_en}</option>)}
                  </optgroup>
                ))}
              </select>
            </label>
            <div class="thematic__row">
              <label class="thematic__field">
                <span>{t.method}</span>
                <select name="method" value={method} onChange={(e) => setMethod(e.currentTarget.value as ClassMethod)}>
                  {CLASS_METHODS.map((m) => <option key={m} value={m}>{t.methods[m]}</option>)}
                </select>
              </label>
              <label class="thematic__field thematic__field--narrow">
                <span>{t.classes}</span>
                <select name="classes" value={classes} disabled={method === 'manual'} onChange={(e) => setClasses(Number(e.currentTarget.value))}>
                  {Array.from({ length: MAX_CLASSES - MIN_CLASSES + 1 }, (_, i) => MIN_CLASSES + i).map((k) => (
                    <option key={k} value={k}>{formatNumber(k, lang)}</option>
                  ))}
                </select>
              </label>
            </div>
            {method === 'manual' && (
              <label class="thematic__field">
                <span>{t.breaks}</span>
                <input name="breaks" type="text" inputMode="decimal" dir="ltr" value={breaksText}
                  onInput={(e) => setBreaksText(e.currentTarget.value)} />
                <small>{t.breaksHelp}</small>
              </label>
            )}
            {state === 'loading' && <p class="thematic__note">{t.loading}</p>}
            {state === 'failed' && <p class="thematic__note thematic__note--error" role="alert">{t.failed}</p>}
            {values && values.items.length === 0 && <p class="thematic__note">{t.noValues}</p>}
            {classification && values && values.items.length > 0 && (
              <Histogram lang={lang} label={t.histogramLabel(name)} title={t.histogram} values={numbers}
                breaks={classification.breaks} colours={colours} />
            )}
            {values?.top && values.top.length > 0 && (
              <section class="thematic__top" aria-label={t.top}>
                <h3>{t.top}</h3>
                <ol>
                  {values.top.map((n) => (
                    <li key={n.neighbourhood_id}>
                      <button type="button" class="thematic__top-name" onClick={() => onOpenNeighbourhood(n.neighbourhood_id)}>
                        {lang === 'fa' ? n.name_fa : n.name_en}
                        {n.county_fa && lang === 'fa' && <span class="thematic__county"> · {n.county_fa}</span>}
                      </button>
                      <span class="thematic__top-value">{formatNumber(n.value, lang, 1)}</span>
                    </li>
                  ))}
                </ol>
              </section>
            )}
            {canWrite && (
              <ImportForm
                lang={lang}
                onCommitted={(created) => {
                  setListRevision((r) => r + 1);
                  setKey(created);
                }}
              />
            )}
            {canWrite && (
              <CompositeForm
                lang={lang}
                indicators={indicators.filter((i) => i.source !== 'composite')}
                onCreated={(created) => {
                  setListRevision((r) => r + 1);
                  setKey(created);
                }}
              />
            )}
          </div>
        </section>
      )}
      {legend}
    </>
  );
}

interface LegendProps {
  lang: Lang;
  name: string;
  unit: string;
  method: ClassMethod;
  breaks: number[];
  colours: readonly string[];
  counts: number[];
}

/** The map's legend while a thematic map shows: it stands in for the deprivation legend. */
function ThematicLegend({ lang, name, unit, method, breaks, colours, counts }: LegendProps) {
  const t = thematicStrings[lang];
  const digits = breaks.length > 1 && breaks[breaks.length - 1]! - breaks[0]! < 10 ? 2 : 0;
  const number = (v: number) => formatNumber(v, lang, digits);
  return (
    <section class="thematic-legend" aria-labelledby="thematic-legend-title" data-breaks={breaks.join(',')}>
      <h2 id="thematic-legend-title" class="thematic-legend__title">{name}</h2>
      <p class="thematic-legend__meta">{t.methods[method]}{unit ? ` · ${unit}` : ''}</p>
      <ol class="thematic-legend__scale">
        {counts.map((count, i) => (
          <li key={i} class="thematic-legend__row">
            <span class="thematic-legend__swatch" style={{ background: colours[i] }} />
            <span class="thematic-legend__range" dir="auto">{number(breaks[i]!)} – {number(breaks[i + 1]!)}</span>
            <span class="thematic-legend__count">{t.neighbourhoods(formatNumber(count, lang))}</span>
          </li>
        ))}
        <li class="thematic-legend__row">
          <span class="thematic-legend__swatch" style={{ background: NO_VALUE_COLOUR }} />
          <span class="thematic-legend__range">{t.noValue}</span>
        </li>
      </ol>
    </section>
  );
}
