import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { formatNumber, type Lang } from '../i18n';
import { fetchVersions, restoreVersion, type BoundaryLayer, type BoundaryVersionList } from '../boundaries-api';
import { ConfirmQuestion } from './confirm-question';
import { uploadStrings } from './upload-strings';

const DATE_LOCALES: Record<Lang, string> = { fa: 'fa-IR-u-ca-persian', en: 'en-GB-u-ca-gregory' };

/** Date and time of a version: Solar Hijri in Persian, Gregorian in English. */
function when(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(DATE_LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

interface Props {
  lang: Lang;
  /** Bumped by the wizard after a commit, so the list reloads. */
  revision: number;
  onRestored(): void;
}

/** The versions of a layer, newest first, each restorable as a new version. */
export function BoundaryHistory({ lang, revision, onRestored }: Props) {
  const t = uploadStrings[lang];
  const [layer, setLayer] = useState<BoundaryLayer>('neighbourhoods');
  const [list, setList] = useState<BoundaryVersionList | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  /** The version whose restore awaits a yes, asked beside its button (not the browser's dialog). */
  const [asking, setAsking] = useState<number | null>(null);
  const n = (value: number) => formatNumber(value, lang);

  useEffect(() => {
    let live = true;
    fetchVersions(layer).then(
      (versions) => live && setList(versions),
      (error: Error) => live && setMessage({ kind: 'error', text: error.message }),
    );
    return () => {
      live = false;
    };
  }, [layer, revision, reload]);

  const restore = async (version: number) => {
    setAsking(null);
    setBusy(true);
    setMessage(null);
    try {
      const result = await restoreVersion(layer, version);
      setMessage({ kind: 'ok', text: t.restored(n(result.version), n(result.restored_from)) });
      setReload((r) => r + 1);
      onRestored();
    } catch (error) {
      const blockers = error instanceof ApiError ? (error.body.blockers as { code: string; name_fa: string }[] | undefined) : undefined;
      const names = blockers?.map((b) => `${b.name_fa} (${b.code})`).join('، ');
      setMessage({ kind: 'error', text: `${(error as Error).message}${names ? ` — ${names}` : ''}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="boundary-history" aria-labelledby="boundary-history-title">
      <h3 id="boundary-history-title">{t.historyTitle}</h3>
      <label class="upload-field">
        <span>{t.layer}</span>
        <select value={layer} onChange={(e) => setLayer((e.target as HTMLSelectElement).value as BoundaryLayer)}>
          <option value="neighbourhoods">{t.layers.neighbourhoods}</option>
          <option value="counties">{t.layers.counties}</option>
        </select>
      </label>
      {message && <p class={`upload-message upload-message--${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      <ol class="boundary-history__list">
        {list?.items.map((item) => (
          <li key={item.version} class="boundary-history__item" data-version={item.version}>
            <div class="boundary-history__head">
              <strong>{t.version(n(item.version))}</strong>
              {item.version === list.current && <span class="boundary-history__current">{t.current}</span>}
              <time dateTime={item.created_at}>{when(item.created_at, lang)}</time>
            </div>
            <div class="boundary-history__meta">
              {item.user && <bdi dir="ltr">{item.user}</bdi>}
              {item.file && <bdi dir="ltr">{item.file}</bdi>}
              {item.restored_from !== null ? <span>{t.restoredFrom(n(item.restored_from))}</span> : item.note === 'seed' && <span>{t.seed}</span>}
            </div>
            {item.counts && (
              <div class="boundary-history__counts">
                {t.counts(n(item.counts.features), n(item.counts.added), n(item.counts.changed), n(item.counts.removed))}
              </div>
            )}
            {item.version !== list.current && (
              <button type="button" class="pill-button upload-button" name="restore" disabled={busy} aria-expanded={asking === item.version}
                onClick={() => setAsking(item.version)}>
                {t.restore}
              </button>
            )}
            {asking === item.version && (
              <ConfirmQuestion question={t.confirmRestore(n(item.version))} yes={t.restore} no={t.cancel} busy={busy}
                yesName="confirm-restore" noName="cancel-restore" onAnswer={(yes) => (yes ? void restore(item.version) : setAsking(null))} />
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
