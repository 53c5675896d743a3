import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { DateInput } from './date-input';

interface Props {
  lang: Lang;
  /** The view's day, ISO yyyy-mm-dd. */
  at: string;
  /** The programme's first and last day: a typed day outside them moves to the nearer one. */
  start: string;
  end: string;
  onChange(iso: string): void;
}

/**
 * The commander's day typed beside the slider: Solar Hijri in Persian (1405/09/15, Persian or
 * Latin digits), Gregorian in English, or picked from the month view. A day within the programme
 * moves the view as it is typed; one outside moves to the nearer end only when the field is left
 * or Enter is pressed, not while typing, when 1402/02/1 may be on its way to 1402/02/15.
 */
export function CommanderDate({ lang, at, start, end, onChange }: Props) {
  const [draft, setDraft] = useState(at);
  const typed = useRef(at);
  useEffect(() => {
    typed.current = at;
    setDraft(at);
  }, [at]);

  const commit = () => {
    const iso = typed.current ? (typed.current < start ? start : typed.current > end ? end : typed.current) : at;
    typed.current = iso;
    setDraft(iso);
    if (iso !== at) onChange(iso);
  };

  return (
    <div
      class="commander-date"
      onFocusOut={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) commit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      onClick={(e) => {
        // A day or today picked in the month view: it has been reported, now keep it within the programme.
        if ((e.target as HTMLElement).closest('[data-iso], .date-input__today')) commit();
      }}
    >
      <DateInput
        id="commander-day"
        name="day"
        value={draft}
        lang={lang}
        onChange={(iso) => {
          typed.current = iso;
          setDraft(iso);
          if (iso && iso >= start && iso <= end) onChange(iso);
        }}
      />
    </div>
  );
}
