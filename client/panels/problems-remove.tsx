import { useState } from 'preact/hooks';
import { deleteRecord } from '../method-api';
import { ConfirmQuestion } from './confirm-question';
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
  const remove = async () => {
    setBusy(true);
    const refusal = await attempt(props, () => deleteRecord(kind, id));
    setBusy(false);
    setError(refusal);
  };
  return (
    <>
      <button type="button" class="method-link method-link--inline method-link--danger" name={`remove-${kind}`} aria-expanded={asking}
        onClick={() => setAsking(true)}>
        {t.remove}
      </button>
      {asking && (
        <ConfirmQuestion question={t.removeConfirm} yes={t.removeYes} no={t.cancel} danger busy={busy} yesName={`confirm-remove-${kind}`}
          onAnswer={(yes) => (yes ? void remove() : setAsking(false))} />
      )}
      <Refusal error={error} lang={lang} />
    </>
  );
}
