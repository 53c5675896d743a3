import { useState } from 'preact/hooks';
import { CATEGORIES, INTERVENTION_STATUSES, type Category, type InterventionStatus } from '../../shared/method-enums';
import type { PartnerInput } from '../../shared/method-schemas';
import { formatNumber } from '../i18n';
import { formatDay, formatPercent } from '../i18n/method-strings';
import { createIntervention, updateIntervention, type Intervention, type Problem } from '../method-api';
import { MethodBlock } from './problems-block';
import type { SectionContext } from './problems-context';
import { CategorySymbol } from './problems-control';
import { AgencySelect, DateField, Field, FormActions } from './problems-fields';
import { RemoveButton } from './problems-remove';
import { hasDraft, useDraft } from './use-draft';
import { useFormSubmit } from './use-form-submit';

interface Props extends SectionContext {
  interventions: Intervention[];
  problems: Problem[];
}

/** The interventions serving the neighbourhood, each with its lead, its partners' commitments and progress. */
export function InterventionList(props: Props) {
  const { t, lang, interventions, canWrite } = props;
  return (
    <MethodBlock
      lang={lang} titleId="method-interventions-title" title={t.interventions} count={interventions.length}
      emptyText={interventions.length === 0 ? t.noInterventions : null}
      canWrite={canWrite} addName="add-intervention" addLabel={t.addIntervention}
      draftKey={interventionCreateDraftKey(props.neighbourhoodId)}
      form={(onDone) => <InterventionForm {...props} onDone={onDone} />}
    >
      {interventions.map((i) => <InterventionItem key={i.id} {...props} intervention={i} />)}
    </MethodBlock>
  );
}

function InterventionItem(props: Props & { intervention: Intervention }) {
  const { t, lang, intervention: i, agencyName, canWrite } = props;
  const [editing, setEditing] = useState(() => canWrite && hasDraft(interventionUpdateDraftKey(i.id)));
  const title = (lang === 'en' && i.title_en) || i.title;
  const rial = (n: number) => `${formatNumber(n, lang)} ${t.rials}`;
  return (
    <li class="method-item" data-intervention-id={i.id}>
      <p class="method-item__head method-item__head--static">
        <span class={`method-status method-status--iv-${i.status}`}>{t.interventionStatuses[i.status]}</span>
        <span class="method-item__title" dir="auto">{title}</span>
      </p>
      <p class="method-item__meta">
        <CategorySymbol category={i.category} /> {t.categories[i.category]}
        {' · '}{t.lead}: <strong class="method-agency">{agencyName(i.lead_agency_id)}</strong>
        {(i.start_date || i.end_date) && (
          <>
            <br />
            {t.dates}: {i.start_date ? formatDay(i.start_date, lang) : '…'} – {i.end_date ? formatDay(i.end_date, lang) : '…'}
          </>
        )}
        {(i.budget !== null || i.beneficiaries !== null) && <br />}
        {i.budget !== null && <>{t.budget}: {rial(i.budget)}</>}
        {i.budget !== null && i.beneficiaries !== null && ' · '}
        {i.beneficiaries !== null && <>{t.beneficiaries}: {formatNumber(i.beneficiaries, lang)}</>}
      </p>
      {i.partners.length > 0 && (
        <ul class="method-partners" aria-label={t.partners}>
          {i.partners.map((p) => (
            <li key={p.agency_id}>
              <span class="method-partners__name">{agencyName(p.agency_id)}</span>
              <span class="method-partners__commitment" dir="auto">{(lang === 'en' && p.commitment_en) || p.commitment}</span>
              <span class="method-meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.progress} aria-label={t.progress}>
                <span style={{ width: `${p.progress}%` }} />
              </span>
              <span class="method-partners__progress">{formatPercent(p.progress / 100, lang)}</span>
            </li>
          ))}
        </ul>
      )}
      {i.source && <p class="method-note">{t.illustrative}</p>}
      {canWrite && !editing && (
        <button type="button" class="method-button method-button--quiet" name="edit-intervention" onClick={() => setEditing(true)}>{t.edit}</button>
      )}
      {canWrite && !editing && <RemoveButton {...props} kind="interventions" id={i.id} />}
      {canWrite && editing && <InterventionProgressForm {...props} intervention={i} onDone={() => setEditing(false)} />}
    </li>
  );
}

export const interventionUpdateDraftKey = (id: number) => `intervention-update.${id}`;

/** The everyday update: the intervention's status and each partner's progress. */
function InterventionProgressForm(props: Props & { intervention: Intervention; onDone(): void }) {
  const { t, lang, intervention: i, agencyName, onDone } = props;
  const draft = useDraft(interventionUpdateDraftKey(i.id), {
    status: i.status as InterventionStatus,
    progress: Object.fromEntries(i.partners.map((p) => [p.agency_id, p.progress])) as Record<string, number>,
  });
  const { status, progress } = draft.values;
  const form = useFormSubmit({
    write: () => {
      const partners = i.partners.map((p) => ({ agency_id: p.agency_id, commitment: p.commitment, commitment_en: p.commitment_en, progress: progress[p.agency_id] ?? p.progress }));
      return updateIntervention(i.id, { status, partners });
    },
    draft,
    reload: props.reload,
    onDone,
  });

  return (
    <form class="method-form" name="intervention-update" onSubmit={form.submit}>
      <Field label={t.interventionStatus}>
        <select name="status" value={status} onChange={(e) => draft.set({ status: e.currentTarget.value as InterventionStatus })}>
          {INTERVENTION_STATUSES.map((s) => <option key={s} value={s}>{t.interventionStatuses[s]}</option>)}
        </select>
      </Field>
      {i.partners.map((p) => (
        <Field key={p.agency_id} label={`${t.progress} · ${agencyName(p.agency_id)}`}>
          <input
            type="number" name={`progress-${p.agency_id}`} min={0} max={100} dir="ltr" value={progress[p.agency_id]}
            onInput={(e) => draft.set({ progress: { ...progress, [p.agency_id]: Number(e.currentTarget.value) } })}
          />
        </Field>
      ))}
      <FormActions form={form} t={t} lang={lang} onCancel={form.cancel} />
    </form>
  );
}

interface PartnerRow extends PartnerInput {
  key: number;
}

export const interventionCreateDraftKey = (neighbourhoodId: number) => `intervention-create.${neighbourhoodId}`;

/** A new intervention in this neighbourhood: lead, partners with their commitments, the problems it answers. */
function InterventionForm(props: Props & { onDone(): void }) {
  const { t, lang, agencies, problems, neighbourhoodId, onDone } = props;
  const draft = useDraft(interventionCreateDraftKey(neighbourhoodId), {
    title: '', category: 'civil_environmental' as Category, lead: null as number | null, partners: [] as PartnerRow[],
    answers: [] as number[], status: 'planned' as InterventionStatus, start: '', end: '', budget: '', beneficiaries: '', nextKey: 1,
  });
  const v = draft.values;

  const addPartner = () => draft.set({
    partners: [...v.partners, { key: v.nextKey, agency_id: agencies[0]?.id ?? 1, commitment: '', progress: 0 }],
    nextKey: v.nextKey + 1,
  });
  const setPartner = (key: number, change: Partial<PartnerInput>) =>
    draft.set({ partners: v.partners.map((p) => (p.key === key ? { ...p, ...change } : p)) });

  const form = useFormSubmit({
    write: () => createIntervention({
      title: v.title, category: v.category, lead_agency_id: v.lead ?? 0, status: v.status,
      partners: v.partners.map(({ key: _key, ...p }) => p),
      neighbourhood_ids: [neighbourhoodId],
      problem_ids: v.answers,
      start_date: v.start || null,
      end_date: v.end || null,
      budget: v.budget ? Number(v.budget) : null,
      beneficiaries: v.beneficiaries ? Number(v.beneficiaries) : null,
    }),
    draft,
    reload: props.reload,
    onDone,
  });

  return (
    <form class="method-form" name="intervention-create" onSubmit={form.submit}>
      <p class="method-form__title">{t.addIntervention}</p>
      <Field label={t.title}>
        <input name="title" required maxLength={300} value={v.title} onInput={(e) => draft.set({ title: e.currentTarget.value })} />
      </Field>
      <Field label={t.category}>
        <select name="category" value={v.category} onChange={(e) => draft.set({ category: e.currentTarget.value as Category })}>
          {CATEGORIES.map((c) => <option key={c} value={c}>{t.categories[c]}</option>)}
        </select>
      </Field>
      <Field label={t.lead}>
        <AgencySelect name="lead_agency" value={v.lead} agencies={agencies} lang={lang} empty="—" onChange={(lead) => draft.set({ lead })} />
      </Field>
      <fieldset class="method-form__group">
        <legend>{t.partners}</legend>
        {v.partners.map((p, index) => (
          <div key={p.key} class="method-partner-row" data-partner={index}>
            <AgencySelect name={`partner-agency-${index}`} value={p.agency_id} agencies={agencies} lang={lang} onChange={(id) => setPartner(p.key, { agency_id: id ?? 0 })} />
            <input name={`partner-commitment-${index}`} placeholder={t.commitment} value={p.commitment ?? ''} onInput={(e) => setPartner(p.key, { commitment: e.currentTarget.value })} />
            <input type="number" name={`partner-progress-${index}`} min={0} max={100} dir="ltr" aria-label={t.progress} value={p.progress} onInput={(e) => setPartner(p.key, { progress: Number(e.currentTarget.value) })} />
            <button type="button" class="method-icon-button" aria-label={t.removePartner} title={t.removePartner} onClick={() => draft.set({ partners: v.partners.filter((x) => x.key !== p.key) })}>
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18" /></svg>
            </button>
          </div>
        ))}
        <button type="button" class="method-button method-button--quiet" name="add-partner" onClick={addPartner}>+ {t.addPartner}</button>
      </fieldset>
      {problems.length > 0 && (
        <fieldset class="method-form__group">
          <legend>{t.problemsAnswered}</legend>
          {problems.map((p) => (
            <label key={p.id} class="method-check">
              <input
                type="checkbox" name={`answers-${p.id}`} checked={v.answers.includes(p.id)}
                onChange={(e) => draft.set({ answers: e.currentTarget.checked ? [...v.answers, p.id] : v.answers.filter((id) => id !== p.id) })}
              />
              {p.title}
            </label>
          ))}
        </fieldset>
      )}
      <Field label={t.interventionStatus}>
        <select name="status" value={v.status} onChange={(e) => draft.set({ status: e.currentTarget.value as InterventionStatus })}>
          {INTERVENTION_STATUSES.map((s) => <option key={s} value={s}>{t.interventionStatuses[s]}</option>)}
        </select>
      </Field>
      <div class="method-form__pair">
        <DateField label={t.startDate} name="start_date" value={v.start} lang={lang} onChange={(start) => draft.set({ start })} />
        <DateField label={t.endDate} name="end_date" value={v.end} lang={lang} onChange={(end) => draft.set({ end })} />
      </div>
      <div class="method-form__pair">
        <Field label={`${t.budget} (${t.rials})`}>
          <input type="number" name="budget" min={0} step={1} dir="ltr" value={v.budget} onInput={(e) => draft.set({ budget: e.currentTarget.value })} />
        </Field>
        <Field label={t.beneficiaries}>
          <input type="number" name="beneficiaries" min={0} step={1} dir="ltr" value={v.beneficiaries} onInput={(e) => draft.set({ beneficiaries: e.currentTarget.value })} />
        </Field>
      </div>
      <FormActions form={form} t={t} lang={lang} onCancel={form.cancel} />
    </form>
  );
}
