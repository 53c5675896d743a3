import type { ComponentChildren } from 'preact';
import type { Lang } from '../i18n';
import { formatDay } from '../i18n/method-strings';
import type { Agency } from '../method-api';

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
 * A date picker (the browser's, which speaks Gregorian) with the chosen day spelled out in the
 * Solar Hijri calendar beside it in Persian, so nobody converts dates in their head.
 */
export function DateField({ label, name, value, lang, onChange }: {
  label: string; name: string; value: string; lang: Lang; onChange(value: string): void;
}) {
  return (
    <Field label={label} hint={value && lang === 'fa' ? formatDay(value, lang) : undefined}>
      <input type="date" name={name} value={value} dir="ltr" onInput={(e) => onChange(e.currentTarget.value)} />
    </Field>
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
