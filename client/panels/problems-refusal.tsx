import { ApiError } from '../api';
import type { Lang } from '../i18n';
import { methodStrings } from '../i18n/method-strings';
import { PROBLEM_STATUSES, type ProblemStatus } from '../../shared/method-enums';

/** Persian for the refusals a planner meets most; anything else shows the server's own words. */
const FIELD_MESSAGES_FA: [RegExp, string][] = [
  [/^note \(body\).*another agency/, 'برای سپردن مسئله به دستگاه دیگر، علت را در یادداشت بنویسید؛ در سابقهٔ مسئله می‌ماند.'],
  [/^note \(body\).*reopened/, 'برای بازگشایی مسئلهٔ حل‌شده، علت را در یادداشت بنویسید.'],
  [/^blocked_reason \(body\) must say/, 'علت توقف را بنویسید.'],
  [/^title \(body\)/, 'عنوان را بنویسید.'],
  [/^name \(body\)/, 'نام را بنویسید.'],
  [/leaves identified only with exactly one responsible agency/, 'مسئله بدون یک دستگاه متولی از مرحلهٔ شناسایی بیرون نمی‌رود؛ متولی را انتخاب کنید.'],
  [/keeps exactly one responsible agency/, 'مسئله باید یک متولی داشته باشد؛ آن را به دستگاه دیگری بسپارید، نه بی‌متولی.'],
  [/^end_date \(body\)/, 'تاریخ پایان نباید پیش از تاریخ آغاز باشد.'],
  [/^lead_agency_id \(body\)/, 'دستگاه پیشرو را انتخاب کنید.'],
  [/^partners\.\d+\.progress/, 'پیشرفت باید بین ۰ تا ۱۰۰ باشد.'],
  [/^members \(body\)/, 'تعداد اعضا باید عددی مثبت باشد.'],
  [/^neighbourhood_ids/, 'دست‌کم یک محله لازم است.'],
  [/^problem_ids \(body\):.*outside/, 'مسائل انتخاب‌شده باید در محلات همین اقدام باشند.'],
  [/already a partner/, 'هر دستگاه فقط یک بار می‌تواند همکار باشد.'],
  [/needs the role/, 'فقط برنامه‌ریزان و مدیران می‌توانند این را تغییر دهند.'],
];

export function refusalText(error: unknown, lang: Lang): string {
  const t = methodStrings[lang];
  if (!(error instanceof ApiError)) return lang === 'fa' ? 'ارتباط با سرور برقرار نشد؛ دوباره تلاش کنید.' : 'Could not reach the server; try again.';
  let text = error.message;
  if (lang === 'fa') text = FIELD_MESSAGES_FA.find(([pattern]) => pattern.test(error.message))?.[1] ?? error.message;
  const allowed = error.body.allowed;
  if (Array.isArray(allowed) && allowed.length > 0) {
    const names = allowed.filter((s): s is ProblemStatus => PROBLEM_STATUSES.includes(s as ProblemStatus)).map((s) => t.statuses[s]);
    text = `${text} ${t.allowedNext(names.join(lang === 'fa' ? '، ' : ', '))}`;
  }
  return text;
}

/** What was refused and why, announced to screen readers. */
export function Refusal({ error, lang }: { error: unknown; lang: Lang }) {
  if (!error) return null;
  return (
    <p class="method-error" role="alert">
      <strong>{methodStrings[lang].refused}: </strong>
      {refusalText(error, lang)}
    </p>
  );
}
