import { useState } from 'preact/hooks';
import { CATEGORIES, NEXT_STATUSES, type Category, type ProblemStatus } from '../../shared/method-schemas';
import type { UpdateProblemBody } from '../../shared/method-schemas';
import { formatNumber } from '../i18n';
import { createProblem, updateProblem, type Problem } from '../method-api';
import { attempt, type SectionContext } from './problems-context';
import { AgencySelect, DateField, Field } from './problems-fields';
import { NewAgency } from './problems-new-agency';
import { Refusal } from './problems-refusal';

/** Stage 1: record a problem. With a responsible agency it starts as assigned. */
export function ProblemCreateForm(props: SectionContext & { onDone(): void }) {
  const { t, lang, agencies, neighbourhoodId, onDone } = props;
  const [category, setCategory] = useState<Category>('social');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState(3);
  const [agency, setAgency] = useState<number | null>(null);
  const [due, setDue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const refusal = await attempt(props, () => createProblem({
      neighbourhood_id: neighbourhoodId, category, title, description, severity,
      ...(agency ? { agency_id: agency, status: 'assigned' as const } : {}),
      ...(due ? { due_date: due } : {}),
    }));
    setBusy(false);
    setError(refusal);
    if (!refusal) onDone();
  };

  return (
    <form class="method-form" name="problem-create" onSubmit={submit}>
      <p class="method-form__title">{t.addProblem}</p>
      <Field label={t.category}>
        <select name="category" value={category} onChange={(e) => setCategory(e.currentTarget.value as Category)}>
          {CATEGORIES.map((c) => <option key={c} value={c}>{t.categories[c]}</option>)}
        </select>
      </Field>
      <Field label={t.title}>
        <input name="title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field label={t.description}>
        <textarea name="description" rows={2} maxLength={5000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Field label={t.severity}>
        <select name="severity" value={severity} onChange={(e) => setSeverity(Number(e.currentTarget.value))}>
          {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{formatNumber(n, lang)}</option>)}
        </select>
      </Field>
      <Field label={t.responsible}>
        <AgencySelect name="agency" value={agency} agencies={agencies} lang={lang} empty={t.noAgency} onChange={setAgency} />
      </Field>
      <NewAgency t={t} lang={lang} onCreated={setAgency} />
      <DateField label={t.dueDate} name="due_date" value={due} lang={lang} onChange={setDue} />
      <Refusal error={error} lang={lang} />
      <div class="method-actions">
        <button type="submit" class="method-button" disabled={busy}>{busy ? t.saving : t.save}</button>
        <button type="button" class="method-button method-button--quiet" onClick={onDone}>{t.cancel}</button>
      </div>
    </form>
  );
}

/**
 * Stage 2: follow a problem up. Only the workflow's allowed next states are offered; the server
 * still decides, and its refusal (with the allowed states) is shown as it comes.
 */
export function ProblemUpdateForm(props: SectionContext & { problem: Problem; onSaved(): void }) {
  const { t, lang, agencies, problem: p, onSaved } = props;
  const [status, setStatus] = useState<ProblemStatus | ''>('');
  const [agency, setAgency] = useState<number | null>(p.agency_id);
  const [due, setDue] = useState(p.due_date ?? '');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = NEXT_STATUSES[p.status];
  const movingAgency = p.agency_id !== null && agency !== p.agency_id;
  const reopening = p.status === 'resolved' && status !== '';

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: UpdateProblemBody = {};
    if (status) body.status = status;
    if (agency !== p.agency_id) body.agency_id = agency;
    if ((due || null) !== p.due_date) body.due_date = due || null;
    if (status === 'blocked') body.blocked_reason = reason;
    if (note.trim()) body.note = note.trim();
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    const refusal = await attempt(props, () => updateProblem(p.id, body));
    setBusy(false);
    setError(refusal);
    if (!refusal) {
      setStatus('');
      setReason('');
      setNote('');
      onSaved();
    }
  };

  return (
    <form class="method-form" name="problem-update" onSubmit={submit}>
      <p class="method-form__title">{t.update}</p>
      <Field label={t.newStatus}>
        <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as ProblemStatus | '')}>
          <option value="">{t.keepStatus} ({t.statuses[p.status]})</option>
          {next.map((s) => <option key={s} value={s}>{t.statuses[s]}</option>)}
        </select>
      </Field>
      <Field label={t.responsible}>
        <AgencySelect name="agency" value={agency} agencies={agencies} lang={lang} empty={p.status === 'identified' ? t.noAgency : undefined} onChange={setAgency} />
      </Field>
      <NewAgency t={t} lang={lang} onCreated={setAgency} />
      <DateField label={t.dueDate} name="due_date" value={due} lang={lang} onChange={setDue} />
      {status === 'blocked' && (
        <Field label={t.blockedReason}>
          <input name="blocked_reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
      )}
      <Field label={t.note} hint={movingAgency || reopening ? t.noteNeeded : undefined}>
        <textarea name="note" rows={2} placeholder={t.notePlaceholder} required={movingAgency || reopening} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <Refusal error={error} lang={lang} />
      <div class="method-actions">
        <button type="submit" class="method-button" disabled={busy}>{busy ? t.saving : t.save}</button>
      </div>
    </form>
  );
}
