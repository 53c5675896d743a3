import { useState } from 'preact/hooks';
import { formatNumber } from '../i18n';
import { formatDay } from '../i18n/method-strings';
import type { Intervention, Problem } from '../method-api';
import { MethodBlock } from './problems-block';
import type { SectionContext } from './problems-context';
import { ProblemCreateForm, ProblemUpdateForm, problemCreateDraftKey, problemUpdateDraftKey } from './problems-problem-forms';
import { hasDraft } from './use-draft';
import { RemoveButton } from './problems-remove';
import { ProblemTimeline } from './problems-timeline';
import { CategorySymbol } from './problems-control';

interface Props extends SectionContext {
  problems: Problem[];
  interventions: Intervention[];
}

/** The neighbourhood's problems: status, responsible agency, due date, and each one's follow-up. */
export function ProblemList(props: Props) {
  const { t, lang, problems, canWrite } = props;
  return (
    <MethodBlock
      lang={lang} titleId="method-problems-title" title={t.problems} count={problems.length}
      emptyText={problems.length === 0 ? t.noProblems : null}
      canWrite={canWrite} addName="add-problem" addLabel={t.addProblem}
      draftKey={problemCreateDraftKey(props.neighbourhoodId)}
      form={(onDone) => <ProblemCreateForm {...props} onDone={onDone} />}
    >
      {problems.map((p) => <ProblemItem key={p.id} {...props} problem={p} />)}
    </MethodBlock>
  );
}

function ProblemItem(props: Props & { problem: Problem }) {
  const { t, lang, problem: p, agencyName, interventions, canWrite } = props;
  // A follow-up left half-written (the page reloaded) opens again with its draft.
  const [open, setOpen] = useState(() => props.canWrite && hasDraft(problemUpdateDraftKey(p.id)));
  const [revision, setRevision] = useState(0);
  const answeredBy = interventions.filter((i) => p.intervention_ids.includes(i.id));
  return (
    <li class={`method-item method-item--${p.status}`} data-problem-id={p.id}>
      <button type="button" class="method-item__head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`method-status method-status--${p.status}`}>{t.statuses[p.status]}</span>
        <span class="method-item__title" dir="auto">{p.title}</span>
      </button>
      <p class="method-item__meta">
        <CategorySymbol category={p.category} /> {t.categories[p.category]}
        {' · '}{t.severityOf(formatNumber(p.severity, lang))}
        <br />
        {t.responsible}: <strong class="method-agency">{agencyName(p.agency_id) ?? t.noAgency}</strong>
        {p.due_date && (
          <>
            {' · '}{t.due}: <time dateTime={p.due_date}>{formatDay(p.due_date, lang)}</time>
          </>
        )}
        {p.overdue && <span class="method-flag">{t.overdue}</span>}
      </p>
      {p.status === 'blocked' && p.blocked_reason && (
        <p class="method-item__blocked">{t.blockedBecause}: <bdi dir="auto">{p.blocked_reason}</bdi></p>
      )}
      {open && (
        <div class="method-item__body">
          {p.description && <p class="method-item__description" dir="auto">{p.description}</p>}
          {answeredBy.length > 0 && (
            <p class="method-item__meta">
              {t.answeredBy}: {answeredBy.map((i) => (lang === 'en' && i.title_en) || i.title).join(lang === 'fa' ? '، ' : ', ')}
            </p>
          )}
          {p.source && <p class="method-note">{t.illustrative}</p>}
          <ProblemTimeline {...props} problemId={p.id} revision={revision} />
          {canWrite && <ProblemUpdateForm {...props} problem={p} onSaved={() => setRevision((r) => r + 1)} />}
          {canWrite && <RemoveButton {...props} kind="problems" id={p.id} />}
        </div>
      )}
    </li>
  );
}
