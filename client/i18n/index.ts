import type { Lang } from './strings';

export { strings, LANGS, isLang } from './strings';
export type { Lang, Strings } from './strings';
export { formatNumber, formatDate, formatToday } from './format';

/** The document follows the language: `lang` for fonts and screen readers, `dir` for layout. */
export function applyDocumentLang(lang: Lang): void {
  const root = document.documentElement;
  root.lang = lang;
  root.dir = lang === 'fa' ? 'rtl' : 'ltr';
}
