import { useEffect, useState } from 'preact/hooks';
import { formatDate } from '../i18n';
import { fetchProblemEvents, type ProblemEvent } from '../method-api';
import { PROBLEM_STATUSES, type ProblemStatus } from '../../shared/method-enums';
import type { SectionContext } from './problems-context';
import { authorName, formatDay } from '../i18n/method-strings';

/** The problem's follow-up: every change and note, oldest first, with who and when. */
export function ProblemTimeline(props: SectionContext & { problemId: number; revision: number }) {
  const { t, lang, problemId, revision } = props;
  const [events, setEvents] = useState<ProblemEvent[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    fetchProblemEvents(problemId, abort.signal).then(
      (list) => setEvents(list.items),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        console.error(error);
        setFailed(true);
      },
    );
    return () => abort.abort();
  }, [problemId, revision]);

  const value = (field: string, v: string | number | null): string => {
    if (v === null || v === '') return '—';
    if (field === 'status' && PROBLEM_STATUSES.includes(v as ProblemStatus)) return t.statuses[v as ProblemStatus];
    if (field === 'agency_id') return props.agencyName(Number(v)) ?? '—';
    if (field === 'category' && typeof v === 'string' && v in t.categories) return t.categories[v as keyof typeof t.categories];
    if (field === 'due_date' && typeof v === 'string') return formatDay(v, lang);
    return String(v);
  };

  return (
    <div class="method-timeline">
      <p class="method-timeline__title">{t.history}</p>
      {failed && <p class="method-error" role="alert">{lang === 'fa' ? 'سابقه بارگذاری نشد' : 'Could not load the history'}</p>}
      {events && events.length === 0 && <p class="method-empty">{t.historyEmpty}</p>}
      <ol class="method-timeline__events">
        {events?.map((e) => (
          <li key={e.id}>
            <p class="method-timeline__when">
              <time dateTime={e.at}>{formatDate(e.at, lang)}</time>
              {e.username && <span> · <bdi>{t.by(authorName(e.username, t))}</bdi></span>}
            </p>
            {e.action === 'create' ? (
              <p class="method-timeline__what">{t.created}</p>
            ) : (
              e.changes.map((c) => (
                <p key={c.field} class="method-timeline__what">
                  {t.changed(t.fieldNames[c.field] ?? c.field, value(c.field, c.from), value(c.field, c.to))}
                </p>
              ))
            )}
            {e.note && <p class="method-timeline__note" dir="auto">{e.note}</p>}
          </li>
        ))}
      </ol>
    </div>
  );
}
