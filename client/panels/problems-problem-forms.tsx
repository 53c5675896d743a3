import { CATEGORIES, NEXT_STATUSES, type Category, type ProblemStatus } from '../../shared/method-enums';
import type { UpdateProblemBody } from '../../shared/method-schemas';
import { localIsoDay } from '../../shared/jalali';
import { formatNumber, type Lang } from '../i18n';
import { formatDay, type MethodStrings } from '../i18n/method-strings';
import { createProblem, updateProblem, type Problem } from '../method-api';
import type { SectionContext } from './problems-context';
import { AgencySelect, DateField, Field, FormActions } from './problems-fields';
import { NewAgency } from './problems-new-agency';
import { useDraft } from './use-draft';
import { useFormSubmit } from './use-form-submit';

/** A due date before today makes the problem overdue at once: worth a question, not a refusal. */
function pastDueQuestion(due: string, t: MethodStrings, lang: Lang): string | null {
  return due && due < localIsoDay(new Date()) ? t.pastDue(formatDay(due, lang)) : null;
}

export const problemCreateDraftKey = (neighbourhoodId: number) => `problem-create.${neighbourhoodId}`;

/** Stage 1: record a problem. With a responsible agency it starts as assigned. */
export function ProblemCreateForm(props: SectionContext & { onDone(): void }) {
  const { t, lang, agencies, neighbourhoodId, onDone } = props;
  const draft = useDraft(problemCreateDraftKey(neighbourhoodId), {
    category: 'social' as Category, title: '', description: '', severity: 3, agency: null as number | null, due: '',
  });
  const v = draft.values;
  const form = useFormSubmit({
    write: () => createProblem({
      neighbourhood_id: neighbourhoodId, category: v.category, title: v.title, description: v.description, severity: v.severity,
      ...(v.agency ? { agency_id: v.agency, status: 'assigned' as const } : {}),
      ...(v.due ? { due_date: v.due } : {}),
    }),
    confirm: () => pastDueQuestion(v.due, t, lang),
    draft,
    reload: props.reload,
    onDone,
  });

  return (
    <form class="method-form" name="problem-create" onSubmit={form.submit}>
      <p class="method-form__title">{t.addProblem}</p>
      <Field label={t.category}>
        <select name="category" value={v.category} onChange={(e) => draft.set({ category: e.currentTarget.value as Category })}>
          {CATEGORIES.map((c) => <option key={c} value={c}>{t.categories[c]}</option>)}
        </select>
      </Field>
      <Field label={t.title}>
        <input name="title" required maxLength={200} value={v.title} onInput={(e) => draft.set({ title: e.currentTarget.value })} />
      </Field>
      <Field label={t.description}>
        <textarea name="description" rows={2} maxLength={5000} value={v.description} onInput={(e) => draft.set({ description: e.currentTarget.value })} />
      </Field>
      <Field label={t.severity}>
        <select name="severity" value={v.severity} onChange={(e) => draft.set({ severity: Number(e.currentTarget.value) })}>
          {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{formatNumber(n, lang)}</option>)}
        </select>
      </Field>
      <Field label={t.responsible}>
        <AgencySelect name="agency" value={v.agency} agencies={agencies} lang={lang} empty={t.noAgency} onChange={(agency) => draft.set({ agency })} />
      </Field>
      <NewAgency t={t} lang={lang} draftKey={`${problemCreateDraftKey(neighbourhoodId)}.agency`} onCreated={(agency) => draft.set({ agency })} />
      <DateField label={t.dueDate} name="due_date" value={v.due} lang={lang} onChange={(due) => draft.set({ due })} />
      <FormActions form={form} t={t} lang={lang} onCancel={form.cancel} />
    </form>
  );
}

export const problemUpdateDraftKey = (problemId: number) => `problem-update.${problemId}`;

/**
 * Stage 2: follow a problem up. Only the workflow's allowed next states are offered; the server
 * still decides, and its refusal (with the allowed states) is shown as it comes.
 */
export function ProblemUpdateForm(props: SectionContext & { problem: Problem; onSaved(): void }) {
  const { t, lang, agencies, problem: p, onSaved } = props;
  const draft = useDraft(problemUpdateDraftKey(p.id), {
    status: '' as ProblemStatus | '', agency: p.agency_id, due: p.due_date ?? '', reason: '', note: '',
  });
  const v = draft.values;
  const next = NEXT_STATUSES[p.status];
  // A status the workflow no longer offers (the problem moved on since the draft) means "keep".
  const status = v.status && next.includes(v.status) ? v.status : '';
  const movingAgency = p.agency_id !== null && v.agency !== p.agency_id;
  const reopening = p.status === 'resolved' && status !== '';

  const body = (): UpdateProblemBody => {
    const out: UpdateProblemBody = {};
    if (status) out.status = status;
    if (v.agency !== p.agency_id) out.agency_id = v.agency;
    if ((v.due || null) !== p.due_date) out.due_date = v.due || null;
    if (status === 'blocked') out.blocked_reason = v.reason;
    if (v.note.trim()) out.note = v.note.trim();
    return out;
  };
  const form = useFormSubmit({
    write: async () => {
      const change = body();
      if (Object.keys(change).length > 0) await updateProblem(p.id, change);
    },
    confirm: () => ((v.due || null) !== p.due_date ? pastDueQuestion(v.due, t, lang) : null),
    reload: props.reload,
    onDone: () => {
      // The saved problem is the new starting point: its status, agency and due date as stored.
      draft.clear();
      onSaved();
    },
  });

  return (
    <form class="method-form" name="problem-update" onSubmit={form.submit}>
      <p class="method-form__title">{t.update}</p>
      <Field label={t.newStatus}>
        <select name="status" value={status} onChange={(e) => draft.set({ status: e.currentTarget.value as ProblemStatus | '' })}>
          <option value="">{t.keepStatus} ({t.statuses[p.status]})</option>
          {next.map((s) => <option key={s} value={s}>{t.statuses[s]}</option>)}
        </select>
      </Field>
      <Field label={t.responsible}>
        <AgencySelect name="agency" value={v.agency} agencies={agencies} lang={lang} empty={p.status === 'identified' ? t.noAgency : undefined} onChange={(agency) => draft.set({ agency })} />
      </Field>
      <NewAgency t={t} lang={lang} draftKey={`${problemUpdateDraftKey(p.id)}.agency`} onCreated={(agency) => draft.set({ agency })} />
      <DateField label={t.dueDate} name="due_date" value={v.due} lang={lang} onChange={(due) => draft.set({ due })} />
      {status === 'blocked' && (
        <Field label={t.blockedReason}>
          <input name="blocked_reason" required value={v.reason} onInput={(e) => draft.set({ reason: e.currentTarget.value })} />
        </Field>
      )}
      <Field label={t.note} hint={movingAgency || reopening ? t.noteNeeded : undefined}>
        <textarea name="note" rows={2} placeholder={t.notePlaceholder} required={movingAgency || reopening} value={v.note} onInput={(e) => draft.set({ note: e.currentTarget.value })} />
      </Field>
      <FormActions form={form} t={t} lang={lang} />
    </form>
  );
}
