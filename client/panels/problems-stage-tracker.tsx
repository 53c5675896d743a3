import { useState } from 'preact/hooks';
import { formatDate, formatNumber } from '../i18n';
import { authorName, formatPercent } from '../i18n/method-strings';
import { setReviewed, type NeighbourhoodStage } from '../method-api';
import { STAGE_COLOURS } from '../map/method-layers';
import { attempt, type SectionContext } from './problems-context';
import { Refusal } from './problems-refusal';

/** Where the neighbourhood stands in the three stages, with the planner's stage-1 review mark. */
export function ProblemsStageTracker(props: SectionContext & { stage: NeighbourhoodStage }) {
  const { lang, t, stage, canWrite, neighbourhoodId } = props;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { stage1, stage2, stage3 } = stage;
  const percent = stage2.share_moving === null ? '' : formatPercent(stage2.share_moving, lang);

  const review = async (reviewed: boolean) => {
    setBusy(true);
    setError(await attempt(props, () => setReviewed(neighbourhoodId, reviewed)));
    setBusy(false);
  };

  const steps = [
    {
      done: stage1.reviewed,
      title: t.stage1,
      detail: (
        <>
          {t.stage1Detail(formatNumber(stage1.problems, lang))} ·{' '}
          {stage1.reviewed ? (
            <>
              {t.reviewedBy} <bdi>{authorName(stage1.reviewed_by, t)}</bdi>
              {stage1.reviewed_at && <>{lang === 'fa' ? '، ' : ', '}<time dateTime={stage1.reviewed_at}>{formatDate(stage1.reviewed_at, lang)}</time></>}
            </>
          ) : t.notReviewed}
        </>
      ),
    },
    {
      done: stage2.problems > 0 && stage2.moving === stage2.problems,
      title: t.stage2,
      detail: stage2.problems === 0 ? t.stage2None : t.stage2Detail(formatNumber(stage2.moving, lang), formatNumber(stage2.problems, lang), percent),
      meter: stage2.share_moving,
    },
    {
      done: stage3.active_networks > 0,
      title: t.stage3,
      detail: t.stage3Detail(formatNumber(stage3.active_networks, lang), formatNumber(stage3.members, lang)),
    },
  ];

  return (
    <section class="method-block" aria-labelledby="method-stages-title">
      <h3 class="method-block__title" id="method-stages-title">
        {t.stages}
        <span class="method-stage-badge" style={{ background: STAGE_COLOURS[stage.stage] }} data-stage={stage.stage}>
          {t.stageNames[stage.stage]}
        </span>
      </h3>
      <ol class="method-steps">
        {steps.map((step, index) => {
          // The badge names the furthest stage reached; a stage before it that is not finished is
          // under way, not "not started" (problems are followed up while networks form).
          const state = step.done ? 'done' : index + 1 <= stage.stage ? 'under-way' : 'todo';
          return (
          <li key={step.title} class={`is-${state}`} data-state={state}>
            <span class="method-steps__mark" aria-hidden="true">{state === 'done' ? '✓' : ''}</span>
            <div>
              <p class="method-steps__title">
                {step.title}
                {state !== 'todo' && <span class="method-steps__state">{state === 'done' ? t.stageDone : t.stageUnderWay}</span>}
              </p>
              <p class="method-steps__detail">{step.detail}</p>
              {step.meter != null && (
                <span class="method-meter" aria-hidden="true"><span style={{ width: `${Math.round(step.meter * 100)}%` }} /></span>
              )}
            </div>
          </li>
          );
        })}
      </ol>
      {canWrite && (
        <div class="method-actions">
          {stage1.reviewed ? (
            <button type="button" class="method-button method-button--quiet" disabled={busy} onClick={() => review(false)}>{t.unmarkReviewed}</button>
          ) : (
            <button type="button" class="method-button" name="mark-reviewed" disabled={busy || stage1.problems === 0} title={stage1.problems === 0 ? t.reviewNeedsProblems : undefined} onClick={() => review(true)}>
              {t.markReviewed}
            </button>
          )}
        </div>
      )}
      <Refusal error={error} lang={lang} />
    </section>
  );
}
