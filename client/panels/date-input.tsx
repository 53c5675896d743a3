import { useEffect, useRef, useState } from 'preact/hooks';
import {
  JALALI_MONTHS_FA,
  formatDateInput,
  isoToJalali,
  isoWeekday,
  jalaliMonthLength,
  jalaliToIso,
  localIsoDay,
  parseGregorianInput,
  parseJalaliInput,
  type DateRefusal,
} from '../../shared/jalali';
import { formatNumber, type Lang } from '../i18n';
import './date-input.css';

const WORDS = {
  fa: {
    placeholder: '۱۴۰۵/۰۹/۱۵',
    calendar: 'تقویم',
    today: 'امروز',
    clear: 'پاک کردن',
    previous: 'ماه پیش',
    next: 'ماه بعد',
    // Saturday first, as Iranian calendars print the week.
    weekdays: ['ش', 'ی', 'د', 'س', 'چ', 'پ', 'ج'],
    refusals: {
      format: 'تاریخ را به شکل سال/ماه/روز بنویسید، مانند ۱۴۰۵/۰۹/۱۵.',
      month: 'ماه باید از ۱ تا ۱۲ باشد.',
      day: 'این ماه چنین روزی ندارد.',
    } satisfies Record<DateRefusal, string>,
  },
  en: {
    placeholder: 'yyyy-mm-dd',
    calendar: 'Calendar',
    today: 'Today',
    clear: 'Clear',
    previous: 'Previous month',
    next: 'Next month',
    weekdays: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'],
    refusals: {
      format: 'Write the date as year-month-day, e.g. 2026-12-06.',
      month: 'The month must be 1 to 12.',
      day: 'That month has no such day.',
    } satisfies Record<DateRefusal, string>,
  },
} as const;

/** A month on the calendar: Solar Hijri in Persian, Gregorian in English. */
interface Month {
  year: number;
  month: number;
}

function monthOf(iso: string, lang: Lang): Month {
  if (lang === 'fa') {
    const { year, month } = isoToJalali(iso);
    return { year, month };
  }
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)) };
}

function stepMonth({ year, month }: Month, by: number): Month {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The month's days as ISO dates, with the blanks before the first day of the week. */
function monthGrid({ year, month }: Month, lang: Lang): (string | null)[] {
  let days: string[];
  if (lang === 'fa') {
    days = Array.from({ length: jalaliMonthLength(year, month) }, (_, i) => jalaliToIso({ year, month, day: i + 1 }));
  } else {
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const mm = String(month).padStart(2, '0');
    days = Array.from({ length }, (_, i) => `${String(year).padStart(4, '0')}-${mm}-${String(i + 1).padStart(2, '0')}`);
  }
  // Saturday-first weeks in Persian, Monday-first in English.
  const lead = lang === 'fa' ? (isoWeekday(days[0]!) + 1) % 7 : (isoWeekday(days[0]!) + 6) % 7;
  return [...Array<null>(lead).fill(null), ...days];
}

function monthTitle({ year, month }: Month, lang: Lang): string {
  if (lang === 'fa') return `${JALALI_MONTHS_FA[month - 1]} ${formatNumber(year, 'fa').replace(/٬/g, '')}`;
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 15)));
}

function dayNumber(iso: string, lang: Lang): string {
  return formatNumber(lang === 'fa' ? isoToJalali(iso).day : Number(iso.slice(8, 10)), lang);
}

interface Props {
  name: string;
  /** The chosen day as ISO yyyy-mm-dd (what the API takes), or '' for none. */
  value: string;
  lang: Lang;
  onChange(iso: string): void;
  id?: string;
  required?: boolean;
  /** The day the calendar opens on when there is no value; today by default. */
  now?: () => Date;
}

/**
 * A date typed the way people write it — 1405/09/15 with Persian or Latin digits in Persian,
 * 2026-12-06 in English — or picked from a month view. The field holds the text; the form gets
 * ISO. A date that cannot be is refused in place (and the form will not submit) until corrected.
 */
export function DateInput({ name, value, lang, onChange, id, required, now = () => new Date() }: Props) {
  const words = WORDS[lang];
  const calendar = lang === 'fa' ? 'jalali' : 'gregorian';
  const [text, setText] = useState(value ? formatDateInput(value, calendar) : '');
  const [refusal, setRefusal] = useState<DateRefusal | null>(null);
  const [showRefusal, setShowRefusal] = useState(false);
  const [open, setOpen] = useState(false);
  const [month, setMonth] = useState<Month>(() => monthOf(value || localIsoDay(now()), lang));
  const input = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  // The last value this field reported, so a change from outside (a reset, a draft, the
  // language) rewrites the text but the field's own reports do not undo what is being typed.
  const reported = useRef(value);

  useEffect(() => {
    if (value === reported.current) return;
    reported.current = value;
    setText(value ? formatDateInput(value, calendar) : '');
    setRefusal(null);
    setShowRefusal(false);
    if (value) setMonth(monthOf(value, lang));
  }, [value]);

  // The language changed: the same day, written in the other calendar.
  useEffect(() => {
    if (refusal === null) setText(value ? formatDateInput(value, calendar) : '');
    setMonth(monthOf(value || localIsoDay(now()), lang));
  }, [calendar]);

  useEffect(() => {
    input.current?.setCustomValidity(refusal ? words.refusals[refusal] : '');
  }, [refusal, lang]);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const report = (iso: string) => {
    reported.current = iso;
    onChange(iso);
  };

  const onInput = (typed: string) => {
    setText(typed);
    if (typed.trim() === '') {
      setRefusal(null);
      report('');
      return;
    }
    const parsed = lang === 'fa' ? parseJalaliInput(typed) : parseGregorianInput(typed);
    if (parsed.ok) {
      setRefusal(null);
      setShowRefusal(false);
      setMonth(monthOf(parsed.iso, lang));
      report(parsed.iso);
    } else {
      setRefusal(parsed.reason);
      report('');
    }
  };

  const pick = (iso: string) => {
    setText(formatDateInput(iso, calendar));
    setRefusal(null);
    setShowRefusal(false);
    setMonth(monthOf(iso, lang));
    report(iso);
    setOpen(false);
    input.current?.focus();
  };

  const today = localIsoDay(now());
  const messageId = `${id ?? name}-refusal`;
  return (
    <div
      class="date-input"
      ref={root}
      onKeyDown={(e) => {
        // Esc closes the month view only, not the panel the form sits in.
        if (open && e.key === 'Escape') {
          e.stopPropagation();
          setOpen(false);
          input.current?.focus();
        }
      }}
    >
      <div class="date-input__row">
        <input
          ref={input}
          id={id}
          name={name}
          type="text"
          inputMode="numeric"
          autocomplete="off"
          dir="ltr"
          required={required}
          placeholder={words.placeholder}
          value={text}
          aria-invalid={showRefusal && refusal !== null}
          aria-describedby={showRefusal && refusal ? messageId : undefined}
          onInput={(e) => onInput(e.currentTarget.value)}
          onBlur={() => setShowRefusal(true)}
          onInvalid={() => setShowRefusal(true)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && e.altKey) setOpen(true);
          }}
        />
        <button
          type="button"
          class="date-input__open"
          name={`${name}-calendar`}
          aria-label={words.calendar}
          title={words.calendar}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true"><rect x="4" y="5.5" width="16" height="14" rx="2" /><path d="M4 10h16M8.5 3.5v4M15.5 3.5v4" /></svg>
        </button>
      </div>
      {showRefusal && refusal && (
        <span class="date-input__refusal" id={messageId} role="alert">{words.refusals[refusal]}</span>
      )}
      {open && (
        <div class="date-input__calendar" role="dialog" aria-label={words.calendar}>
          <div class="date-input__head">
            <button type="button" class="date-input__step" aria-label={words.previous} title={words.previous} onClick={() => setMonth(stepMonth(month, -1))}>
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 6l-6 6 6 6" /></svg>
            </button>
            <span class="date-input__title" aria-live="polite">{monthTitle(month, lang)}</span>
            <button type="button" class="date-input__step" aria-label={words.next} title={words.next} onClick={() => setMonth(stepMonth(month, 1))}>
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 6l6 6-6 6" /></svg>
            </button>
          </div>
          <div class="date-input__grid" role="grid">
            {words.weekdays.map((w) => <span key={w} class="date-input__weekday" role="columnheader">{w}</span>)}
            {monthGrid(month, lang).map((iso, i) => iso === null ? <span key={`blank-${i}`} /> : (
              <button
                key={iso}
                type="button"
                role="gridcell"
                class={`date-input__day${iso === value ? ' is-chosen' : ''}${iso === today ? ' is-today' : ''}`}
                data-iso={iso}
                aria-selected={iso === value}
                onClick={() => pick(iso)}
              >
                {dayNumber(iso, lang)}
              </button>
            ))}
          </div>
          <div class="date-input__foot">
            <button type="button" class="date-input__today" name={`${name}-today`} onClick={() => pick(today)}>{words.today}</button>
            {value && (
              <button type="button" class="date-input__clear" onClick={() => { onInput(''); setOpen(false); }}>{words.clear}</button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
