import { useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { ApiError } from '../api';
import { formatNumber, type Lang } from '../i18n';
import {
  commitUpload, createUpload, discardUpload, fetchPreview,
  type BoundaryLayer, type FieldMapping, type Upload, type UploadMode,
} from '../boundaries-api';
import { reloadBoundaryTiles, UploadPreviewLayers } from '../map/upload-preview-layers';
import { MAPPING_TARGETS } from '../../shared/boundaries-schemas';
import { BoundaryHistory } from './boundary-history';
import { ConfirmQuestion } from './confirm-question';
import { UploadDiff, UploadReport } from './upload-report';
import { uploadStrings } from './upload-strings';
import { refusalByStatus, refusalText } from './upload-reasons';
import type { CommitConfirmation, ReasonValues } from '../../shared/boundaries-schemas';
import { useMapOf } from './use-map-of';
import { useEscapeToClose } from './use-escape';
import './panel-common.css';
import './upload-wizard.css';

interface Props {
  lang: Lang;
  /** The base app's map controller; the preview draws on its map. */
  controller: RefObject<{ map: MapLibreMap } | null>;
  /** The user asked for the wizard before its code was loaded (app.tsx shows the button till then). */
  startOpen?: boolean;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'preview'; upload: Upload }
  | { kind: 'committed'; version: number }
  | { kind: 'discarded' };

interface Failure {
  text: string;
  supported?: string[];
}

/**
 * The boundary upload wizard, for GIS staff and admins: choose a file, check the fields and the
 * guessed mapping (and correct it: the file is read again with the new mapping), read the
 * validation report, see the diff on the map, then commit or discard; and the history, where
 * any version can be restored.
 */
export function UploadWizard({ lang, controller, startOpen = false }: Props) {
  const t = uploadStrings[lang];
  const map = useMapOf(controller);
  const [open, setOpen] = useState(startOpen);
  useEscapeToClose(open, () => setOpen(false));
  const [tab, setTab] = useState<'upload' | 'history'>('upload');
  const [layer, setLayer] = useState<BoundaryLayer>('neighbourhoods');
  const [mode, setMode] = useState<UploadMode>('merge');
  const [file, setFile] = useState<File | null>(null);
  const [sourceSrs, setSourceSrs] = useState('');
  const [encoding, setEncoding] = useState('');
  const [mapping, setMapping] = useState<FieldMapping>({});
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [busy, setBusy] = useState<'reading' | 'committing' | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [historyRevision, setHistoryRevision] = useState(0);
  /** Ticked: the uploader accepts the overlaps, features outside and spelling matches of this preview. */
  const [accepted, setAccepted] = useState(false);
  /** A commit that removes boundaries awaits a yes, asked above the commit button. */
  const [asking, setAsking] = useState(false);
  const layers = useRef<UploadPreviewLayers | null>(null);

  useEffect(() => {
    if (!map || !open) return;
    const created = new UploadPreviewLayers(map);
    layers.current = created;
    return () => {
      created.destroy();
      layers.current = null;
    };
  }, [map, open]);

  // Refusals are worded here from their reason code and values, in the interface's language;
  // the server's English only when it is English that is wanted and the code is unknown.
  const fail = (error: unknown) => {
    const body = error instanceof ApiError ? error.body : {};
    const code = typeof body.code === 'string' ? body.code : undefined;
    const values = (body.values && typeof body.values === 'object' ? body.values : {}) as ReasonValues;
    const worded = code ? refusalText(code, values, lang) : undefined;
    const fallback = error instanceof ApiError
      ? (lang === 'en' && error.status < 500 ? error.message : refusalByStatus(error.status, lang))
      : refusalByStatus(0, lang);
    setFailure({
      text: worded ?? fallback,
      ...(Array.isArray(body.supported) && { supported: body.supported as string[] }),
    });
  };

  const read = async (withMapping?: FieldMapping) => {
    if (!file) return;
    const previous = step.kind === 'preview' ? step.upload : null;
    setBusy('reading');
    setFailure(null);
    try {
      const upload = await createUpload({
        file, layer, mode,
        ...(withMapping && { mapping: withMapping }),
        ...(sourceSrs.trim() && { sourceSrs: sourceSrs.trim() }),
        ...(encoding.trim() && { encoding: encoding.trim() }),
      });
      // The earlier preview of the same file is superseded by this one.
      if (previous) void discardUpload(previous.id).catch(() => undefined);
      setMapping(upload.mapping);
      setAccepted(false);
      setAsking(false);
      setStep({ kind: 'preview', upload });
      layers.current?.show(await fetchPreview(upload.id));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const commit = async (upload: Upload) => {
    setAsking(false);
    setBusy('committing');
    setFailure(null);
    try {
      const result = await commitUpload(upload.id, needsConfirmation(upload) ? confirmationOf(upload) : undefined);
      layers.current?.clear();
      if (map) reloadBoundaryTiles(map);
      setHistoryRevision((r) => r + 1);
      setStep({ kind: 'committed', version: result.version });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const discard = async (upload: Upload) => {
    setAsking(false);
    setFailure(null);
    try {
      await discardUpload(upload.id);
      layers.current?.clear();
      setStep({ kind: 'discarded' });
    } catch (error) {
      fail(error);
    }
  };

  const restart = () => {
    setStep({ kind: 'choose' });
    setFile(null);
    setFailure(null);
    setMapping({});
  };

  if (!open) {
    return (
      <button type="button" class="pill-button pill-button--map upload-open" onClick={() => setOpen(true)}>
        {t.open}
      </button>
    );
  }

  const fieldNames = step.kind === 'preview' ? step.upload.fields.map((f) => f.name) : [];
  return (
    <section class="map-panel upload-wizard" aria-labelledby="upload-wizard-title">
      <header class="map-panel__header upload-wizard__header">
        <h2 id="upload-wizard-title">{t.title}</h2>
        <button type="button" class="upload-icon-button" aria-label={t.close} title={t.close} onClick={() => setOpen(false)}>×</button>
      </header>
      <div class="upload-tabs" role="tablist">
        {(['upload', 'history'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} class="upload-tab" onClick={() => setTab(name)}>
            {name === 'upload' ? t.tabUpload : t.tabHistory}
          </button>
        ))}
      </div>

      {tab === 'history' && (
        <BoundaryHistory lang={lang} revision={historyRevision} onRestored={() => map && reloadBoundaryTiles(map)} />
      )}

      {tab === 'upload' && (
        <div class="upload-flow">
          {step.kind === 'choose' && (
            <form class="upload-form" onSubmit={(e) => { e.preventDefault(); void read(); }}>
              <label class="upload-field">
                <span>{t.layer}</span>
                <select name="layer" value={layer} onChange={(e) => setLayer((e.target as HTMLSelectElement).value as BoundaryLayer)}>
                  <option value="neighbourhoods">{t.layers.neighbourhoods}</option>
                  <option value="counties">{t.layers.counties}</option>
                </select>
              </label>
              <fieldset class="upload-field">
                <legend>{t.mode}</legend>
                {(['merge', 'replace'] as const).map((m) => (
                  <label key={m} class="upload-radio">
                    <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                    {t.modes[m]}
                  </label>
                ))}
                <small>{t.modeHelp[mode]}</small>
              </fieldset>
              <label class="upload-field">
                <span>{t.file}</span>
                <input type="file" name="file" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
                  accept=".zip,.gpkg,.kml,.kmz,.geojson,.json,.fgb,.gml,.csv" />
                <small>{t.fileHelp}</small>
              </label>
              <details class="upload-advanced">
                <summary>{t.advanced}</summary>
                <label class="upload-field">
                  <span>{t.sourceSrs}</span>
                  <input type="text" name="source_srs" dir="ltr" placeholder="EPSG:32640" value={sourceSrs}
                    onInput={(e) => setSourceSrs((e.target as HTMLInputElement).value)} />
                  <small>{t.sourceSrsHelp}</small>
                </label>
                <label class="upload-field">
                  <span>{t.encoding}</span>
                  <input type="text" name="encoding" dir="ltr" placeholder="CP1256" value={encoding}
                    onInput={(e) => setEncoding((e.target as HTMLInputElement).value)} />
                </label>
              </details>
              <button type="submit" class="pill-button upload-button upload-button--primary" disabled={!file || busy !== null}>
                {busy === 'reading' ? t.reading : t.read}
              </button>
            </form>
          )}

          {step.kind === 'preview' && (
            <div class="upload-preview">
              <p class="upload-preview__file">
                <bdi dir="ltr">{step.upload.file_name}</bdi>
                <span>{t.fileSummary(step.upload.format, step.upload.crs, formatNumber(step.upload.feature_count, lang))}</span>
              </p>
              <section class="upload-mapping" aria-labelledby="upload-mapping-title">
                <h3 id="upload-mapping-title">{t.mappingTitle}</h3>
                <p><small>{t.mappingHelp}</small></p>
                <div class="upload-mapping__grid">
                  {MAPPING_TARGETS[step.upload.layer].map((target) => (
                    <label key={target} class="upload-mapping__row">
                      <span>{t.targets[target]}</span>
                      <select name={`mapping-${target}`} value={mapping[target] ?? ''}
                        onChange={(e) => {
                          const value = (e.target as HTMLSelectElement).value;
                          setMapping((m) => {
                            const next = { ...m };
                            if (value) next[target] = value;
                            else delete next[target];
                            return next;
                          });
                        }}>
                        <option value="">{t.notMapped}</option>
                        {fieldNames.map((name) => <option key={name} value={name}>{name}</option>)}
                      </select>
                    </label>
                  ))}
                </div>
                <button type="button" class="pill-button upload-button" disabled={busy !== null} onClick={() => void read(mapping)}>
                  {busy === 'reading' ? t.reading : t.applyMapping}
                </button>
              </section>
              {/* Nothing accepted: the reasons come first, the (empty) diff after them. */}
              {step.upload.report.accepted === 0 ? (
                <>
                  <UploadReport upload={step.upload} lang={lang} />
                  <UploadDiff upload={step.upload} lang={lang} />
                </>
              ) : (
                <>
                  <UploadDiff upload={step.upload} lang={lang} />
                  <UploadReport upload={step.upload} lang={lang} />
                </>
              )}
              {needsConfirmation(step.upload) && (
                <ConfirmBox upload={step.upload} lang={lang} checked={accepted} onChange={setAccepted} />
              )}
              <div class="upload-actions">
                {asking && (
                  <ConfirmQuestion question={t.confirmReplace(formatNumber(step.upload.diff.counts.removed, lang))}
                    yes={t.replaceYes} no={t.cancel} danger yesName="confirm-commit" noName="cancel-commit"
                    onAnswer={(yes) => (yes ? void commit(step.upload) : setAsking(false))} />
                )}
                <button type="button" class="pill-button upload-button upload-button--primary"
                  disabled={busy !== null || step.upload.report.accepted + step.upload.diff.counts.removed === 0 ||
                    (needsConfirmation(step.upload) && !accepted)}
                  onClick={() => (step.upload.diff.counts.removed > 0 ? setAsking(true) : void commit(step.upload))}>
                  {busy === 'committing' ? t.committing : t.commit}
                </button>
                <button type="button" class="pill-button upload-button" disabled={busy !== null} onClick={() => void discard(step.upload)}>
                  {t.discard}
                </button>
              </div>
            </div>
          )}

          {(step.kind === 'committed' || step.kind === 'discarded') && (
            <div class="upload-done">
              <p class="upload-message upload-message--ok" role="status">
                {step.kind === 'committed' ? t.committed(formatNumber(step.version, lang)) : t.discarded}
              </p>
              <button type="button" class="pill-button upload-button" onClick={restart}>{t.uploadAnother}</button>
            </div>
          )}

          {failure && (
            <div class="upload-message upload-message--error" role="alert">
              <p>{t.failed}: {failure.text}</p>
              {failure.supported && (
                <>
                  <p>{t.supported}</p>
                  <ul>{failure.supported.map((s) => <li key={s}>{s}</li>)}</ul>
                </>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/** The numbers a commit of this preview must confirm (server/boundaries/commit.ts checks them). */
function confirmationOf(upload: Upload): Required<CommitConfirmation> {
  const { report } = upload;
  return {
    overlaps: report.overlaps.length,
    outside_service_area: report.outside_service_area.length,
    county_matches: report.county_matches?.length ?? 0,
  };
}

function needsConfirmation(upload: Upload): boolean {
  return Object.values(confirmationOf(upload)).some((n) => n > 0);
}

/** The app's own confirmation, naming each number, instead of the browser's confirm dialog. */
function ConfirmBox({ upload, lang, checked, onChange }: { upload: Upload; lang: Lang; checked: boolean; onChange(value: boolean): void }) {
  const t = uploadStrings[lang];
  const counts = confirmationOf(upload);
  const n = (value: number) => formatNumber(value, lang);
  const items = [
    counts.outside_service_area > 0 && t.confirmOutside(n(counts.outside_service_area)),
    counts.overlaps > 0 && t.confirmOverlaps(n(counts.overlaps)),
    counts.county_matches > 0 && t.confirmCountyMatches(n(counts.county_matches)),
  ].filter((item): item is string => typeof item === 'string');
  return (
    <section class="upload-confirm" aria-labelledby="upload-confirm-title">
      <h3 id="upload-confirm-title">{t.confirmTitle}</h3>
      <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>
      <label class="upload-confirm__check">
        <input type="checkbox" name="confirm" checked={checked} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
        {t.confirmCheck}
      </label>
    </section>
  );
}
