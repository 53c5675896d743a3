import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CATEGORIES, PROBLEM_STATUSES, type Category, type ProblemStatus } from '../../shared/method-enums';
import { formatNumber, type Lang } from '../i18n';
import { methodStrings } from '../i18n/method-strings';
import { exportUrl, fetchProblems, fetchStages, onMethodChanged, type MethodFilter } from '../method-api';
import { CATEGORY_STYLE, MethodLayers, PROBLEM_STEPS, STAGE_COLOURS, type MethodOverlay } from '../map/method-layers';
import { onShowAgencyProblems, parseMethodState, writeMethodState } from './problems-url';
import { ProblemsStageTable } from './problems-stage-table';
import { useAgencies } from './use-agencies';
import { useMapOf } from './use-map-of';
import { useEscapeToClose } from './use-escape';
import './panel-common.css';
import './problems.css';

interface Props {
  lang: Lang;
  /** The base app's map controller; the overlays draw on its map. */
  controller: RefObject<{ map: MapLibreMap } | null>;
  /** Opens a neighbourhood in the base app's panel (picked in the stage table). */
  onOpenNeighbourhood(id: number): void;
}

/**
 * The method's map control: colour neighbourhoods by their open problems or their stage, show
 * the interventions, filter by category, status and agency, export what is shown, and open the
 * province's stage table.
 */
export function ProblemsControl({ lang, controller, onOpenNeighbourhood }: Props) {
  const t = methodStrings[lang];
  const initial = useMemo(() => parseMethodState(window.location.search), []);
  const [open, setOpen] = useState(initial.overlay !== 'none' || initial.interventions);
  useEscapeToClose(open, () => setOpen(false));
  const [overlay, setOverlay] = useState<MethodOverlay>(initial.overlay);
  const [showInterventions, setShowInterventions] = useState(initial.interventions);
  const [category, setCategory] = useState<Category | undefined>(initial.category);
  const [status, setStatus] = useState<ProblemStatus | 'open' | 'all'>(initial.status);
  const [agency, setAgency] = useState<number | undefined>(initial.agency);
  const [shown, setShown] = useState<{ problems: number; neighbourhoods: number } | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  const [revision, setRevision] = useState(0);
  const { agencies } = useAgencies(lang);
  const map = useMapOf(controller);
  const layers = useRef<MethodLayers | null>(null);
  const [ready, setReady] = useState(false);
  const filter: MethodFilter = { category, status: status === 'all' ? undefined : status, agency };

  useEffect(() => onMethodChanged(() => setRevision((r) => r + 1)), []);
  useEffect(() => onShowAgencyProblems((id) => {
    setOpen(true);
    setOverlay('problems');
    setStatus('open');
    setAgency(id);
  }), []);
  useEffect(
    () => writeMethodState({ overlay, interventions: showInterventions, category, status, agency }),
    [overlay, showInterventions, category, status, agency],
  );

  useEffect(() => {
    if (!map) return;
    const created = new MethodLayers(map);
    layers.current = created;
    setReady(true);
    return () => {
      created.destroy();
      layers.current = null;
    };
  }, [map]);

  useEffect(() => layers.current?.setOverlay(overlay), [ready, overlay]);

  useEffect(() => {
    if (!ready || overlay !== 'problems') return;
    const abort = new AbortController();
    fetchProblems(filter, abort.signal).then(
      (list) => {
        const counts = new Map<number, number>();
        for (const p of list.items) counts.set(p.neighbourhood_id, (counts.get(p.neighbourhood_id) ?? 0) + 1);
        layers.current?.setProblemCounts(counts);
        setShown({ problems: list.items.length, neighbourhoods: counts.size });
      },
      (error: unknown) => abort.signal.aborted || console.error(error),
    );
    return () => abort.abort();
  }, [ready, overlay, category, status, agency, revision]);

  useEffect(() => {
    if (!ready || overlay !== 'stages') return;
    const abort = new AbortController();
    fetchStages(abort.signal).then(
      (table) => layers.current?.setStages(new Map(table.items.map((row) => [row.neighbourhood_id, row.stage]))),
      (error: unknown) => abort.signal.aborted || console.error(error),
    );
    return () => abort.abort();
  }, [ready, overlay, revision]);

  useEffect(() => {
    if (!ready) return;
    layers.current?.setInterventions(showInterventions ? { category, agency } : null);
  }, [ready, showInterventions, category, agency]);

  // After an edit the tiles are fetched again, shown or not: hidden tiles stay in MapLibre's cache.
  useEffect(() => {
    if (ready && revision > 0) layers.current?.reloadInterventions();
  }, [ready, revision]);

  if (!open) {
    return (
      <button type="button" class="pill-button pill-button--map method-open" onClick={() => setOpen(true)}>
        {t.methodOpen}
      </button>
    );
  }

  return (
    <>
      <section class="map-panel method-control" data-overlay={overlay} aria-labelledby="method-control-title">
        <header class="map-panel__header">
          <h2 class="method-control__title" id="method-control-title">{t.method}</h2>
          <button type="button" class="method-icon-button" aria-label={t.close} title={t.close} onClick={() => setOpen(false)}>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18" /></svg>
          </button>
        </header>

        <fieldset class="method-control__group">
          <legend>{t.overlay}</legend>
          <div class="method-segmented" role="radiogroup">
            {(['none', 'problems', 'stages'] as const).map((value) => (
              <label key={value} class={overlay === value ? 'is-on' : ''}>
                <input type="radio" name="method-overlay" value={value} checked={overlay === value} onChange={() => setOverlay(value)} />
                {value === 'none' ? t.overlayNone : value === 'problems' ? t.overlayProblems : t.overlayStages}
              </label>
            ))}
          </div>
          <label class="method-check">
            <input type="checkbox" name="method-interventions" checked={showInterventions} onChange={(e) => setShowInterventions(e.currentTarget.checked)} />
            {t.showInterventions}
          </label>
        </fieldset>

        <fieldset class="method-control__group method-filters">
          <legend>{t.filters}</legend>
          <label>
            <span>{t.category}</span>
            <select name="filter-category" value={category ?? ''} onChange={(e) => setCategory((e.currentTarget.value || undefined) as Category | undefined)}>
              <option value="">{t.allCategories}</option>
              {CATEGORIES.map((c) => <option key={c} value={c}>{t.categories[c]}</option>)}
            </select>
          </label>
          <label>
            <span>{t.status}</span>
            <select name="filter-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as ProblemStatus | 'open' | 'all')}>
              <option value="open">{t.openStatuses}</option>
              <option value="all">{t.allStatuses}</option>
              {PROBLEM_STATUSES.map((s) => <option key={s} value={s}>{t.statuses[s]}</option>)}
            </select>
          </label>
          <label>
            <span>{t.agency}</span>
            <select name="filter-agency" value={agency ?? ''} onChange={(e) => setAgency(Number(e.currentTarget.value) || undefined)}>
              <option value="">{t.allAgencies}</option>
              {agencies.map((a) => <option key={a.id} value={a.id}>{lang === 'fa' ? a.name_fa : a.name_en}</option>)}
            </select>
          </label>
        </fieldset>

        {overlay === 'problems' && (
          <div class="method-legend" aria-label={t.problemsLegend}>
            <p class="method-legend__title">{t.problemsLegend}</p>
            <ol class="method-legend__steps">
              {PROBLEM_STEPS.map((step, i) => (
                <li key={step.min}>
                  <span class="method-swatch" style={{ background: step.colour }} />
                  {formatNumber(step.min, lang)}{i === PROBLEM_STEPS.length - 1 ? '+' : ''}
                </li>
              ))}
            </ol>
            {shown && (
              <p class="method-legend__note">
                {lang === 'fa'
                  ? `${formatNumber(shown.problems, lang)} مسئله در ${formatNumber(shown.neighbourhoods, lang)} محله`
                  : `${formatNumber(shown.problems, lang)} problems in ${formatNumber(shown.neighbourhoods, lang)} neighbourhoods`}
              </p>
            )}
          </div>
        )}
        {overlay === 'stages' && (
          <div class="method-legend">
            <p class="method-legend__title">{t.stagesLegend}</p>
            <ul class="method-legend__list">
              {STAGE_COLOURS.map((colour, stage) => (
                <li key={stage}><span class="method-swatch" style={{ background: colour }} />{t.stageNames[stage]}</li>
              ))}
            </ul>
          </div>
        )}
        {showInterventions && (
          <div class="method-legend">
            <p class="method-legend__title">{t.interventionsLegend}</p>
            <ul class="method-legend__list method-legend__list--two">
              {CATEGORIES.map((c) => (
                <li key={c}><CategorySymbol category={c} />{t.categories[c]}</li>
              ))}
            </ul>
          </div>
        )}

        <div class="method-control__group">
          <p class="method-control__label">{t.exports}</p>
          <p class="method-exports">
            <span>{t.exportProblems}:</span>
            <a href={exportUrl('problems', 'csv', filter)} download>CSV</a>
            <a href={exportUrl('problems', 'geojson', filter)} download>GeoJSON</a>
            <span>{t.exportInterventions}:</span>
            <a href={exportUrl('interventions', 'csv', filter)} download>CSV</a>
            <a href={exportUrl('interventions', 'geojson', filter)} download>GeoJSON</a>
          </p>
          <p class="method-note">{t.exportNote}</p>
        </div>

        <button type="button" class="method-button method-button--wide" onClick={() => setTableOpen(true)}>
          {t.stageTable}
        </button>
      </section>
      {tableOpen && (
        <ProblemsStageTable
          lang={lang}
          revision={revision}
          onPick={(id) => onOpenNeighbourhood(id)}
          onClose={() => setTableOpen(false)}
        />
      )}
    </>
  );
}

/** The same shape and colour as the map's symbol for the category. */
export function CategorySymbol({ category }: { category: Category }) {
  const { colour, shape } = CATEGORY_STYLE[category];
  const path = {
    circle: <circle cx="8" cy="8" r="6" />,
    square: <rect x="2.5" y="2.5" width="11" height="11" />,
    diamond: <path d="M8 1.5 14.5 8 8 14.5 1.5 8z" />,
    triangle: <path d="M8 1.8 14.5 13.5h-13z" />,
  }[shape];
  return (
    <svg class="method-symbol" viewBox="0 0 16 16" aria-hidden="true" style={{ fill: colour }}>
      {path}
    </svg>
  );
}
