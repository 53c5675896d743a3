import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { Lang } from '../i18n';
import { formatDay, type MethodStrings } from '../i18n/method-strings';
import type { Agency } from '../method-api';
import { ConfirmQuestion } from './confirm-question';
import { DateInput } from './date-input';
import { Refusal } from './problems-refusal';
import type { FormSubmit } from './use-form-submit';

/** A labelled form row. */
export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: ComponentChildren }) {
  return (
    <label class="method-field">
      <span class="method-field__label">{label}</span>
      {children}
      {hint && <span class="method-field__hint">{hint}</span>}
    </label>
  );
}

/**
 * A date typed or picked in the interface's calendar (Solar Hijri in Persian), with the chosen
 * day spelled out beside it so a slip of one digit shows. Not a <label> around the field: the
 * field has buttons of its own (the month view), and a label must hold one control.
 */
export function DateField({ label, name, value, lang, onChange }: {
  label: string; name: string; value: string; lang: Lang; onChange(value: string): void;
}) {
  const id = useId();
  return (
    <div class="method-field">
      <label class="method-field__label" for={id}>{label}</label>
      <DateInput id={id} name={name} value={value} lang={lang} onChange={onChange} />
      {value && <span class="method-field__hint">{formatDay(value, lang)}</span>}
    </div>
  );
}

export function AgencySelect({ name, value, agencies, lang, empty, onChange }: {
  name: string; value: number | null; agencies: Agency[]; lang: Lang; empty?: string; onChange(id: number | null): void;
}) {
  return (
    <select name={name} value={value ?? ''} onChange={(e) => onChange(Number(e.currentTarget.value) || null)}>
      {empty !== undefined && <option value="">{empty}</option>}
      {agencies.map((a) => (
        <option key={a.id} value={a.id}>{lang === 'fa' ? a.name_fa : a.name_en}</option>
      ))}
    </select>
  );
}

/**
 * The end of every method form: the refusal, the question awaiting an answer (asked in place,
 * never with the browser's dialog), and the save and cancel buttons.
 */
export function FormActions({ form, t, lang, onCancel, saveName, saveLabel = t.save }: {
  form: FormSubmit; t: MethodStrings; lang: Lang; onCancel?(): void; saveLabel?: string;
  /** A button outside a <form> of its own saves by click, with this name. */
  saveName?: string;
}) {
  return (
    <>
      <Refusal error={form.error} lang={lang} />
      {form.question ? (
        <ConfirmQuestion question={form.question} yes={t.saveAnyway} no={t.goBack} busy={form.busy} yesName="confirm-yes" noName="confirm-no"
          onAnswer={form.answer} />
      ) : (
        <div class="method-actions">
          {saveName ? (
            <button type="button" class="method-button" name={saveName} disabled={form.busy} onClick={() => form.submit()}>{form.busy ? t.saving : saveLabel}</button>
          ) : (
            <button type="submit" class="method-button" disabled={form.busy}>{form.busy ? t.saving : saveLabel}</button>
          )}
          {onCancel && <button type="button" class="method-button method-button--quiet" onClick={onCancel}>{t.cancel}</button>}
        </div>
      )}
    </>
  );
}
