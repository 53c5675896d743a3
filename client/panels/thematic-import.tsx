import { useState } from 'preact/hooks';
import type { IndicatorCommitResult, IndicatorUpload } from '../../shared/indicators-schemas';
import { apiUrl, request } from '../api';
import { formatNumber, type Lang } from '../i18n';
import { thematicStrings } from './thematic-strings';
import { useAction } from './use-action';

interface Props {
  lang: Lang;
  /** The first indicator of the committed table, to map it at once. */
  onCommitted(key: string): void;
}

const SHOWN_ROWS = 8;

/**
 * An indicator table (CSV or XLSX with a neighbourhood code column) sent to the server, its
 * report read before anything is live — matched rows, unknown, repeated and empty codes,
 * cells that are not numbers — and then committed as a version, or discarded.
 */
export function ImportForm({ lang, onCommitted }: Props) {
  const t = thematicStrings[lang].import;
  const [preview, setPreview] = useState<IndicatorUpload | null>(null);
  const { busy, message, setMessage, run } = useAction();

  const send = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    if (!form.get('unit_en')) form.set('unit_en', String(form.get('unit') ?? ''));
    return run(async () => setPreview(await request<IndicatorUpload>(apiUrl('/api/indicators/uploads'), { method: 'POST', body: form })));
  };

  const decide = (decision: 'commit' | 'discard') => run(async () => {
    if (!preview) return;
    const answer = await request<IndicatorCommitResult | { status: 'discarded' }>(
      apiUrl(`/api/indicators/uploads/${preview.id}/${decision}`), { method: 'POST' });
    setPreview(null);
    if (answer.status === 'committed') {
      setMessage({ text: t.committed(formatNumber(answer.version, lang)), error: false });
      if (answer.indicators[0]) onCommitted(answer.indicators[0]);
    }
  });

  const report = preview?.report;
  const rowList = (rows: number[]) => rows.slice(0, SHOWN_ROWS).map((r) => formatNumber(r, lang)).join('، ') + (rows.length > SHOWN_ROWS ? '…' : '');
  return (
    <details class="thematic__details thematic__import">
      <summary>{t.title}</summary>
      {!preview && (
        <form onSubmit={send}>
          <label class="thematic__field">
            <span>{t.file}</span>
            <input type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
          </label>
          <label class="thematic__field">
            <span>{t.name}</span>
            <input name="name_fa" required maxLength={200} />
          </label>
          <label class="thematic__field">
            <span>{t.slug}</span>
            <input name="slug" required dir="ltr" pattern="[a-z][a-z0-9_]{0,39}" />
          </label>
          <label class="thematic__field">
            <span>{t.unit}</span>
            <input name="unit" maxLength={200} />
          </label>
          <button type="submit" class="pill-button" disabled={busy}>{t.send}</button>
        </form>
      )}
      {report && (
        <div class="thematic__report" data-upload={preview.id}>
          <p>{t.matched(formatNumber(report.matched, lang), formatNumber(report.rows, lang))}</p>
          <ul>
            {report.indicators.map((i) => (
              <li key={i.key}>{t.column(i.column, formatNumber(i.values, lang))}
                {i.non_numeric.length > 0 && <> — {t.nonNumeric(rowList(i.non_numeric.map((n) => n.row)))}</>}
              </li>
            ))}
            {report.unknown_codes.length > 0 && <li class="thematic__warn">{t.unknown(rowList(report.unknown_codes.map((u) => u.row)))}</li>}
            {report.duplicate_codes.length > 0 && (
              <li class="thematic__warn">{t.duplicates(report.duplicate_codes.slice(0, SHOWN_ROWS).map((d) => d.code).join('، '))}</li>
            )}
            {report.missing_codes.length > 0 && <li class="thematic__warn">{t.missing(rowList(report.missing_codes))}</li>}
            {report.undecodable_rows.length > 0 && <li class="thematic__warn">{t.undecodable(rowList(report.undecodable_rows))}</li>}
            <li>{t.without(formatNumber(report.neighbourhoods_without_row, lang))}</li>
          </ul>
          <div class="thematic__actions">
            <button type="button" class="pill-button" disabled={busy || report.matched === 0} onClick={() => decide('commit')}>{t.commit}</button>
            <button type="button" class="pill-button" disabled={busy} onClick={() => decide('discard')}>{t.discard}</button>
          </div>
        </div>
      )}
      {message && <p class={`thematic__note${message.error ? ' thematic__note--error' : ''}`} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
    </details>
  );
}
