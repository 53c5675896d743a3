import { CATEGORIES, PROBLEM_STATUSES, type Category, type ProblemStatus } from '../../shared/method-enums';
import type { MethodOverlay } from '../map/method-layers';

/**
 * The method's map state in the query string (`?layer=problems&iv=1&cat=social&status=open&agency=3`),
 * beside the base app's fragment, so a shared link shows the same overlay and filters.
 * Other query parameters (the commander's view) are kept as they are.
 */
export interface MethodUrlState {
  overlay: MethodOverlay;
  interventions: boolean;
  category?: Category | undefined;
  /** 'open' (every status but resolved) is the default; 'all' includes resolved problems. */
  status: ProblemStatus | 'open' | 'all';
  agency?: number | undefined;
}

const KEYS = ['layer', 'iv', 'cat', 'status', 'agency'] as const;

export function parseMethodState(search: string): MethodUrlState {
  const params = new URLSearchParams(search);
  const layer = params.get('layer');
  const category = params.get('cat');
  const status = params.get('status');
  const agency = Number(params.get('agency'));
  return {
    overlay: layer === 'problems' || layer === 'stages' ? layer : 'none',
    interventions: params.get('iv') === '1',
    category: CATEGORIES.includes(category as Category) ? (category as Category) : undefined,
    status: status === 'all' || PROBLEM_STATUSES.includes(status as ProblemStatus) ? (status as ProblemStatus | 'all') : 'open',
    agency: Number.isInteger(agency) && agency > 0 ? agency : undefined,
  };
}

export function formatMethodState(state: MethodUrlState, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of KEYS) params.delete(key);
  if (state.overlay !== 'none') params.set('layer', state.overlay);
  if (state.interventions) params.set('iv', '1');
  if (state.category) params.set('cat', state.category);
  if (state.status !== 'open') params.set('status', state.status);
  if (state.agency) params.set('agency', String(state.agency));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function writeMethodState(state: MethodUrlState): void {
  const { pathname, search, hash } = window.location;
  const next = `${pathname}${formatMethodState(state, search)}${hash}`;
  if (next !== `${pathname}${search}${hash}`) window.history.replaceState(window.history.state, '', next);
}

const SHOW_AGENCY = 'mahallenama:show-agency';

/** Asks the method control to show the open problems of one responsible agency (a search result). */
export function showAgencyProblems(agencyId: number): void {
  window.dispatchEvent(new CustomEvent<number>(SHOW_AGENCY, { detail: agencyId }));
}

export function onShowAgencyProblems(listener: (agencyId: number) => void): () => void {
  const handler = (event: Event) => listener((event as CustomEvent<number>).detail);
  window.addEventListener(SHOW_AGENCY, handler);
  return () => window.removeEventListener(SHOW_AGENCY, handler);
}
