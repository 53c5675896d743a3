import { useEffect, useState } from 'preact/hooks';
import { formatNumber, type Lang } from '../i18n';
import { formatPercent, methodStrings } from '../i18n/method-strings';
import { fetchStages, type StageTable } from '../method-api';
import { STAGE_COLOURS } from '../map/method-layers';

interface Props {
  lang: Lang;
  /** Bumped after every edit, so the table follows. */
  revision: number;
  onPick(neighbourhoodId: number): void;
  onClose(): void;
}

/** The province table: every neighbourhood by its stage in the method, furthest along first. */
export function ProblemsStageTable({ lang, revision, onPick, onClose }: Props) {
  const t = methodStrings[lang];
  const [table, setTable] = useState<StageTable | null>(null);
  const [failed, setFailed] = useState(false);
  const [showAll, setShowAll] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    fetchStages(abort.signal).then(setTable, (error: unknown) => {
      if (abort.signal.aborted) return;
      console.error(error);
      setFailed(true);
    });
    return () => abort.abort();
  }, [revision]);

  const rows = table?.items.filter((r) => showAll || r.stage > 0) ?? [];
  return (
    <section class="map-panel method-table" role="dialog" aria-labelledby="method-table-title">
      <header class="map-panel__header">
        <h2 class="method-control__title" id="method-table-title">{t.stageTable}</h2>
        <button type="button" class="method-icon-button" aria-label={t.close} title={t.close} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18" /></svg>
        </button>
      </header>
      <div class="method-table__body">
        {table && (
          <ul class="method-stage-counts">
            {([3, 2, 1, 0] as const).map((stage) => (
              <li key={stage}>
                <span class="method-stage-badge" style={{ background: STAGE_COLOURS[stage] }}>{t.stageShort[stage]}</span>
                <span>{t.stageNames[stage]}</span>
                <strong>{formatNumber(table.counts[String(stage) as '0'], lang)}</strong>
              </li>
            ))}
          </ul>
        )}
        <p class="method-note">{t.stageTableNote}</p>
        <label class="method-check">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} />
          {t.showAllStages}
        </label>
        {failed && <p class="method-error" role="alert">{lang === 'fa' ? 'جدول بارگذاری نشد' : 'Could not load the table'}</p>}
        <table class="method-stage-table">
          <thead>
            <tr>
              <th scope="col">{t.neighbourhood}</th>
              <th scope="col">{t.stage}</th>
              <th scope="col">{t.problemsCount}</th>
              <th scope="col">{t.moving}</th>
              <th scope="col">{t.networksCount}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.neighbourhood_id}>
                <th scope="row">
                  <button type="button" class="method-link" onClick={() => onPick(r.neighbourhood_id)}>
                    {lang === 'fa' ? r.name_fa : r.name_en}
                  </button>
                  <span class="method-stage-table__county">{lang === 'fa' ? r.county_fa : (r.county_en ?? r.county_fa)}</span>
                </th>
                <td>
                  <span class="method-stage-badge" style={{ background: STAGE_COLOURS[r.stage] }} title={t.stageNames[r.stage]}>
                    {t.stageShort[r.stage]}
                  </span>
                </td>
                <td>{formatNumber(r.stage2.problems, lang)}</td>
                <td>{r.stage2.share_moving === null ? '—' : formatPercent(r.stage2.share_moving, lang)}</td>
                <td>{formatNumber(r.stage3.active_networks, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
