import { useState } from 'preact/hooks';
import { deleteRecord } from '../method-api';
import { attempt, type SectionContext } from './problems-context';
import { Refusal } from './problems-refusal';

/**
 * Deletes a record entered by mistake, after asking in place (no browser dialog, which
 * would take the planner out of the panel). The section reloads, and the map with it.
 */
export function RemoveButton(props: SectionContext & { kind: 'problems' | 'interventions' | 'networks'; id: number }) {
  const { t, lang, kind, id } = props;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!asking) {
    return (
      <button type="button" class="method-link method-link--inline method-link--danger" name={`remove-${kind}`} onClick={() => setAsking(true)}>
        {t.remove}
      </button>
    );
  }
  const remove = async () => {
    setBusy(true);
    const refusal = await attempt(props, () => deleteRecord(kind, id));
    setBusy(false);
    setError(refusal);
  };
  return (
    <span class="method-confirm" role="group" aria-label={t.remove}>
      <span class="method-confirm__question">{t.removeConfirm}</span>
      <button type="button" class="method-link method-link--inline method-link--danger" name={`confirm-remove-${kind}`} disabled={busy} onClick={remove}>
        {t.removeYes}
      </button>
      <button type="button" class="method-link method-link--inline" onClick={() => setAsking(false)}>{t.cancel}</button>
      <Refusal error={error} lang={lang} />
    </span>
  );
}
