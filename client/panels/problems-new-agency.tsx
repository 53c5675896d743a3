import { useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import type { MethodStrings } from '../i18n/method-strings';
import { createAgency } from '../method-api';
import { Field, FormActions } from './problems-fields';
import { hasDraft, useDraft } from './use-draft';
import { useFormSubmit } from './use-form-submit';

/**
 * Adds the agency a problem needs when it is not in the list yet, without leaving the
 * problem's form. Not a <form> of its own (it sits inside one): its button adds, and
 * Enter in its fields adds too rather than saving the problem.
 */
export function NewAgency({ t, lang, draftKey, onCreated }: { t: MethodStrings; lang: Lang; draftKey: string; onCreated(id: number): void }) {
  const [open, setOpen] = useState(() => hasDraft(draftKey));
  const draft = useDraft(draftKey, { nameFa: '', nameEn: '' });
  const form = useFormSubmit({
    write: async () => onCreated((await createAgency({ name_fa: draft.values.nameFa, name_en: draft.values.nameEn })).id),
    draft,
    onDone: () => setOpen(false),
  });
  if (!open) {
    return (
      <button type="button" class="method-link method-link--inline" name="new-agency" onClick={() => setOpen(true)}>{t.newAgency}</button>
    );
  }
  const addOnEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    form.submit();
  };
  return (
    <div class="method-new-agency" role="group" aria-label={t.newAgency}>
      <Field label={t.agencyNameFa}>
        <input name="agency_name_fa" maxLength={200} value={draft.values.nameFa} onInput={(e) => draft.set({ nameFa: e.currentTarget.value })} onKeyDown={addOnEnter} />
      </Field>
      <Field label={t.agencyNameEn}>
        <input name="agency_name_en" dir="ltr" maxLength={200} value={draft.values.nameEn} onInput={(e) => draft.set({ nameEn: e.currentTarget.value })} onKeyDown={addOnEnter} />
      </Field>
      <FormActions form={form} t={t} lang={lang} onCancel={form.cancel} saveName="save-agency" saveLabel={t.addAgency} />
    </div>
  );
}
