import { useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import type { MethodStrings } from '../i18n/method-strings';
import { createAgency } from '../method-api';
import { Field } from './problems-fields';
import { Refusal } from './problems-refusal';

/**
 * Adds the agency a problem needs when it is not in the list yet, without leaving the
 * problem's form. Not a <form> of its own (it sits inside one): its button adds, and
 * Enter in its fields adds too rather than saving the problem.
 */
export function NewAgency({ t, lang, onCreated }: { t: MethodStrings; lang: Lang; onCreated(id: number): void }) {
  const [open, setOpen] = useState(false);
  const [nameFa, setNameFa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!open) {
    return (
      <button type="button" class="method-link method-link--inline" name="new-agency" onClick={() => setOpen(true)}>{t.newAgency}</button>
    );
  }
  const add = async () => {
    setBusy(true);
    try {
      const agency = await createAgency({ name_fa: nameFa, name_en: nameEn });
      onCreated(agency.id);
      setOpen(false);
      setNameFa('');
      setNameEn('');
      setError(null);
    } catch (refusal) {
      setError(refusal);
    } finally {
      setBusy(false);
    }
  };
  const addOnEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void add();
  };
  return (
    <div class="method-new-agency" role="group" aria-label={t.newAgency}>
      <Field label={t.agencyNameFa}>
        <input name="agency_name_fa" maxLength={200} value={nameFa} onInput={(e) => setNameFa(e.currentTarget.value)} onKeyDown={addOnEnter} />
      </Field>
      <Field label={t.agencyNameEn}>
        <input name="agency_name_en" dir="ltr" maxLength={200} value={nameEn} onInput={(e) => setNameEn(e.currentTarget.value)} onKeyDown={addOnEnter} />
      </Field>
      <Refusal error={error} lang={lang} />
      <div class="method-actions">
        <button type="button" class="method-button" name="save-agency" disabled={busy} onClick={add}>{t.addAgency}</button>
        <button type="button" class="method-button method-button--quiet" onClick={() => setOpen(false)}>{t.cancel}</button>
      </div>
    </div>
  );
}
