import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { formatNumber, type Lang } from '../i18n';
import type { Role } from '../../shared/auth-schemas';
import { COVERAGE_METRICS, isoDateInZone, type CoverageMetric } from '../../shared/coverage';
import {
  fetchCoverage, fetchGaps, fetchHeat, fetchHex, fetchProgrammes,
  type CoverageAnswer, type Gap, type Programme,
} from '../coverage-api';
import { CoverageLayers } from '../map/coverage-layers';
import { panelPadding } from '../map/panel-padding';
import { canvasBlob, composeBrief, download } from '../map/coverage-brief';
import { briefSearch, type Orientation } from '../brief/brief-url';
import { briefStrings } from '../brief/brief-strings';
import { addDays, daysBetween, formatDay } from './commander-dates';
import { CommanderCounties } from './commander-counties';
import { CommanderDate } from './commander-date';
import { CommanderFigures, headlineFigures } from './commander-figures';
import { CommanderGaps } from './commander-gaps';
import { CommanderLegend, coverageLegend } from './commander-legend';
import { COVERAGE_MODES, commanderStrings, type CoverageMode } from './commander-strings';
import { parseCommanderState, writeCommanderState } from './commander-url';
import { useMapOf } from './use-map-of';
import { useEscapeToClose } from './use-escape';
import './panel-common.css';
import './commander.css';

export { BriefView } from '../brief/brief-view';

interface Props {
  lang: Lang;
  role: Role;
  /** The base app's map controller; the view draws on its map. */
  controller: RefObject<{ map: MapLibreMap } | null>;
  /** Opens a neighbourhood in the base app's panel (a gap was picked). */
  onSelectNeighbourhood(id: number): void;
  /** The user asked for the view before its code was loaded (app.tsx shows the button till then). */
  startOpen?: boolean;
}

/** Frames of the replay from the programme's start to today. */
const REPLAY_FRAMES = 48;
const REPLAY_FRAME_MS = 140;
/** Figures follow the slider after it rests this long, so dragging does not flood the server. */
const FETCH_DELAY_MS = 120;

/** Runs `load` after FETCH_DELAY_MS with an abort signal; a newer call cancels the older one. */
function useDelayedLoad(load: ((signal: AbortSignal) => Promise<void>) | null, deps: unknown[]): void {
  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      load(controller.signal).catch((error: unknown) => {
        if (!controller.signal.aborted) console.error(error);
      });
    }, FETCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, deps);
}

export function CommanderView({ lang, role, controller, onSelectNeighbourhood, startOpen }: Props) {
  const t = commanderStrings[lang];
  const initial = useMemo(() => parseCommanderState(window.location.search), []);
  const today = useMemo(() => isoDateInZone(new Date()), []);
  const openByDefault = role === 'commander';
  const [open, setOpen] = useState(startOpen || (initial.open ?? openByDefault));
  useEscapeToClose(open, () => {
    setPlaying(false);
    setOpen(false);
  });
  const [programme, setProgramme] = useState(initial.programme ?? 'karamat');
  const [at, setAt] = useState(initial.at ?? today);
  const [mode, setMode] = useState<CoverageMode>(initial.mode ?? 'choropleth');
  const [metric, setMetric] = useState<CoverageMetric>(initial.metric ?? 'uncovered_deprived_population');
  const [programmes, setProgrammes] = useState<Programme[]>([]);
  const [coverage, setCoverage] = useState<CoverageAnswer | null>(null);
  const [gaps, setGaps] = useState<Gap[]>([]);
  const [layerInfo, setLayerInfo] = useState<{ max: number | null; hexSize: number | null }>({ max: null, hexSize: null });
  const [zoomBand, setZoomBand] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportFailed, setExportFailed] = useState(false);
  // What the printable brief frames, and on which page: chosen beside its button.
  const [briefCounty, setBriefCounty] = useState<number | undefined>(undefined);
  const [briefOrient, setBriefOrient] = useState<Orientation>('landscape');
  const map = useMapOf(controller);
  // A ref for handlers, state so that loads wait for the layers to exist.
  const layers = useRef<CoverageLayers | null>(null);
  const [layersReady, setLayersReady] = useState<CoverageLayers | null>(null);

  // Today stays out of the URL, so a link without `at` always means "now".
  useEffect(
    () => writeCommanderState({ open, programme, at: at === today ? undefined : at, mode, metric }, openByDefault),
    [open, programme, at, mode, metric],
  );

  useEffect(() => {
    if (!open || programmes.length > 0) return;
    const abort = new AbortController();
    fetchProgrammes(abort.signal)
      .then((list) => setProgrammes(list.items))
      .catch((error: unknown) => {
        if (!abort.signal.aborted) {
          console.error(error);
          setFailed(true);
        }
      });
    return () => abort.abort();
  }, [open]);

  useEffect(() => {
    if (!map || !open) return;
    const created = new CoverageLayers(map, { programme, at, mode, onZoomBand: setZoomBand });
    layers.current = created;
    setLayersReady(created);
    setZoomBand(created.zoomBand());
    return () => {
      created.destroy();
      layers.current = null;
      setLayersReady(null);
    };
  }, [map, open]);

  useEffect(() => layers.current?.setProgramme(programme), [programme]);
  useEffect(() => layers.current?.setDate(at), [at]);
  useEffect(() => layers.current?.setMode(mode), [mode]);

  useDelayedLoad(open ? async (signal) => {
    setBusy(true);
    try {
      const [answer, gapList] = await Promise.all([fetchCoverage(programme, at, signal), fetchGaps(programme, at, signal)]);
      setCoverage(answer);
      setGaps(gapList.items);
      setFailed(false);
    } catch (error) {
      if (!signal.aborted) setFailed(true);
      throw error;
    } finally {
      if (!signal.aborted) setBusy(false);
    }
  } : null, [open, programme, at]);

  useDelayedLoad(layersReady && mode === 'heat' ? async (signal) => {
    const data = await fetchHeat(programme, at, metric, signal);
    layersReady.setHeat(data, metric);
    setLayerInfo({ max: data.max_weight, hexSize: null });
  } : null, [layersReady, mode, programme, at, metric]);

  useDelayedLoad(layersReady && mode === 'hex' && zoomBand !== null ? async (signal) => {
    const data = await fetchHex(programme, at, metric, zoomBand, signal);
    layersReady.setHex(data, metric);
    setLayerInfo({ max: data.max_value, hexSize: data.size_m });
  } : null, [layersReady, mode, programme, at, metric, zoomBand]);

  const current = programmes.find((p) => p.slug === programme);
  const start = current?.started_on ?? addDays(today, -3 * 365);
  // A closed programme ends on its closing day: after it, every figure is zero and every deprived
  // person "left out", which says nothing. Its slider stops there and a later date moves back to it.
  const end = current?.closed_on && current.closed_on < today ? current.closed_on : today;
  const span = Math.max(1, daysBetween(start, end));
  const index = Math.min(span, Math.max(0, daysBetween(start, at)));

  useEffect(() => {
    if (current && at > end) setAt(end);
  }, [current, end]);

  useEffect(() => {
    if (!playing) return;
    const step = Math.max(1, Math.ceil(span / REPLAY_FRAMES));
    const timer = setInterval(() => {
      setAt((previous) => {
        const next = addDays(previous, step);
        if (next >= end) {
          setPlaying(false);
          return end;
        }
        return next;
      });
    }, REPLAY_FRAME_MS);
    return () => clearInterval(timer);
  }, [playing, span, end]);

  const togglePlay = () => {
    if (!playing && at >= end) setAt(start);
    setPlaying(!playing);
  };

  const programmeName = (p: Programme | undefined) => (p ? (lang === 'fa' ? p.name_fa : p.name_en) : programme);
  const legend = coverageLegend({ lang, mode, metric, programmeName: programmeName(current), ...layerInfo });
  const figures = coverage ? headlineFigures(coverage.summary, coverage.counties.length, lang) : [];

  const pickGap = (gap: Gap) => {
    onSelectNeighbourhood(gap.id);
    // After the neighbourhood panel has opened, so the padding leaves room for it too.
    requestAnimationFrame(() => {
      if (map) layers.current?.flyToBbox(gap.bbox, panelPadding(map));
    });
  };

  const exportPng = async () => {
    if (!map || !layers.current) return;
    setExporting(true);
    setExportFailed(false);
    try {
      await layers.current.idle();
      const canvas = await composeBrief(map, {
        lang,
        title: t.briefTitle(programmeName(current)),
        dateLine: t.briefDate(formatDay(at, lang)),
        figures: figures.map((f) => ({ value: formatNumber(f.value, lang), label: f.detail ? `${f.label} (${f.detail})` : f.label })),
        legend,
        attribution: '© OpenStreetMap contributors',
        footer: t.briefFooter,
        units: { km: t.km, m: t.m },
        formatNumber: (value) => formatNumber(value, lang, 1),
      });
      download(await canvasBlob(canvas, 'image/png'), `mahallenama-${programme}-${at}.png`);
    } catch (error) {
      console.error(error);
      setExportFailed(true);
    } finally {
      setExporting(false);
    }
  };

  const b = briefStrings[lang];
  const briefCounties = useMemo(
    () => (coverage?.counties ?? [])
      .map((c) => ({ id: c.id, name: (lang === 'en' && c.name_en) || c.name_fa }))
      .sort((x, y) => x.name.localeCompare(y.name, lang)),
    [coverage, lang],
  );

  /** The printable brief (client/brief/) in a tab of its own, which opens the print dialog when ready. */
  const openPrintBrief = () => {
    const search = briefSearch({ programme, at, county: briefCounty, orient: briefOrient, print: true });
    window.open(`${window.location.pathname}${search}#lang=${lang}`, '_blank');
  };

  if (!open) {
    return (
      <button type="button" class="commander-open" onClick={() => setOpen(true)}>
        {t.open}
      </button>
    );
  }

  return (
    <>
      <aside class="map-panel commander" aria-labelledby="commander-title">
        <header class="map-panel__header">
          <h2 class="commander__title" id="commander-title">{t.title}</h2>
          <button type="button" class="commander__close" aria-label={t.close} title={t.close} onClick={() => { setPlaying(false); setOpen(false); }}>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18" /></svg>
          </button>
        </header>

        <div class="commander__controls">
          <label class="commander-field">
            <span>{t.programme}</span>
            <select name="programme" value={programme} onChange={(e) => setProgramme((e.target as HTMLSelectElement).value)}>
              {programmes.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {programmeName(p)}
                  {p.closed_on ? ` (${t.closedOn(formatDay(p.closed_on, lang))})` : ''}
                </option>
              ))}
            </select>
          </label>

          <div class="commander-modes" role="group" aria-label={t.mode}>
            {COVERAGE_MODES.map((m) => (
              <button key={m} type="button" data-mode={m} aria-pressed={mode === m} onClick={() => setMode(m)}>
                {t.modes[m]}
              </button>
            ))}
          </div>

          {mode !== 'choropleth' && (
            <label class="commander-field">
              <span>{t.metric}</span>
              <select name="metric" value={metric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value as CoverageMetric)}>
                {COVERAGE_METRICS.map((m) => <option key={m} value={m}>{t.metrics[m]}</option>)}
              </select>
            </label>
          )}

          <div class="commander-slider">
            <div class="commander-slider__head">
              <label for="commander-day">{t.date}</label>
              <CommanderDate lang={lang} at={at} start={start} end={end} onChange={(day) => { setPlaying(false); setAt(day); }} />
              <output class="commander-slider__value" data-at={at}>{formatDay(at, lang)}</output>
            </div>
            <div class="commander-slider__row">
              <button type="button" class="commander-play" aria-pressed={playing} title={playing ? t.pause : t.play} aria-label={playing ? t.pause : t.play} onClick={togglePlay}>
                <svg viewBox="0 0 24 24" aria-hidden="true">{playing ? <path d="M8 5v14M16 5v14" /> : <path d="M7 5l12 7-12 7z" />}</svg>
              </button>
              <input
                type="range"
                name="at"
                min={0}
                max={span}
                step={1}
                value={index}
                aria-label={t.date}
                aria-valuetext={formatDay(at, lang)}
                onInput={(e) => {
                  setPlaying(false);
                  setAt(addDays(start, Number((e.target as HTMLInputElement).value)));
                }}
              />
            </div>
            <div class="commander-slider__ends" aria-hidden="true">
              <span>{formatDay(start, lang, 'month')}</span>
              <span>{formatDay(end, lang, 'month')}</span>
            </div>
          </div>
        </div>

        {/* The legend is part of the panel, not a box of its own over the map: one legend for the
            view, and on a phone nothing floats over the map's buttons. */}
        <CommanderLegend spec={legend} />

        {failed && <p class="commander-error" role="alert">{t.loadFailed}</p>}
        {coverage && <CommanderFigures figures={figures} lang={lang} busy={busy} />}

        <div class="commander-export">
          <span>{t.export}</span>
          <button type="button" data-export="png" disabled={exporting || !map} onClick={() => void exportPng()}>
            {exporting ? t.exporting : t.exportPng}
          </button>
          {exportFailed && <span role="alert" class="commander-error">{t.exportFailed}</span>}
        </div>
        <div class="commander-export">
          <select name="brief-area" aria-label={b.area} value={briefCounty ?? ''}
            onChange={(e) => setBriefCounty(Number((e.target as HTMLSelectElement).value) || undefined)}>
            <option value="">{b.province}</option>
            {briefCounties.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          <select name="brief-orient" aria-label={b.orientation} value={briefOrient}
            onChange={(e) => setBriefOrient((e.target as HTMLSelectElement).value as Orientation)}>
            <option value="landscape">{b.landscape}</option>
            <option value="portrait">{b.portrait}</option>
          </select>
          <button type="button" data-export="pdf" title={t.exportPdfHint} onClick={openPrintBrief}>
            {t.exportPdf}
          </button>
        </div>

        <details class="commander-section" open>
          <summary>{t.counties}</summary>
          {coverage && <CommanderCounties counties={coverage.counties} lang={lang} />}
        </details>
        <details class="commander-section" open>
          <summary>{t.gaps} ({formatNumber(gaps.length, lang)})</summary>
          <CommanderGaps gaps={gaps} lang={lang} onPick={pickGap} />
        </details>
      </aside>
    </>
  );
}
