import { COVERAGE_METRICS, type CoverageMetric } from '../../shared/coverage';
import { isIsoDate } from './commander-dates';
import { COVERAGE_MODES, type CoverageMode } from './commander-strings';

/**
 * The commander's view state lives in the query string (`?view=commander&programme=karamat
 * &at=2025-03-01&mode=heat&metric=…`), beside the map position and selection that the
 * base app keeps in the fragment, so a shared link opens the same view on the same day.
 */
export interface CommanderUrlState {
  open?: boolean;
  programme?: string;
  at?: string;
  mode?: CoverageMode;
  metric?: CoverageMetric;
}

export function parseCommanderState(search: string): CommanderUrlState {
  const params = new URLSearchParams(search);
  const state: CommanderUrlState = {};
  const view = params.get('view');
  if (view === 'commander') state.open = true;
  else if (view === 'map') state.open = false;
  const programme = params.get('programme');
  if (programme && /^[a-z][a-z0-9_]*$/.test(programme)) state.programme = programme;
  const at = params.get('at');
  if (isIsoDate(at)) state.at = at;
  const mode = params.get('mode');
  if (COVERAGE_MODES.includes(mode as CoverageMode)) state.mode = mode as CoverageMode;
  const metric = params.get('metric');
  if (COVERAGE_METRICS.includes(metric as CoverageMetric)) state.metric = metric as CoverageMetric;
  return state;
}

const KEYS = ['view', 'programme', 'at', 'mode', 'metric'] as const;

/**
 * `openByDefault`: what the user's role opens to; `view` is written only when it differs.
 * Query parameters that are not the commander's (the method overlay's) are kept.
 */
export function formatCommanderState(state: CommanderUrlState, openByDefault: boolean, search = ''): string {
  const params = new URLSearchParams(search);
  for (const key of KEYS) params.delete(key);
  if (state.open !== undefined && state.open !== openByDefault) params.set('view', state.open ? 'commander' : 'map');
  if (state.open) {
    if (state.programme) params.set('programme', state.programme);
    if (state.at) params.set('at', state.at);
    if (state.mode) params.set('mode', state.mode);
    if (state.metric && state.mode !== 'choropleth') params.set('metric', state.metric);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Replaces the query string, keeping the fragment (the base app's state) as it is. */
export function writeCommanderState(state: CommanderUrlState, openByDefault: boolean): void {
  const { pathname, search, hash } = window.location;
  const next = `${pathname}${formatCommanderState(state, openByDefault, search)}${hash}`;
  if (next !== `${pathname}${window.location.search}${hash}`) window.history.replaceState(window.history.state, '', next);
}
