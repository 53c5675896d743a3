import { CLASS_METHODS, MAX_CLASSES, MIN_CLASSES, type ClassMethod } from '../../shared/classify';

/**
 * The thematic map in the query string, beside the method's and the commander's parameters:
 * `?th=population&thm=ckmeans&thk=5` (and `thb=1000,5000` for manual breaks), so a shared
 * link shows the same map.
 */
export interface ThematicUrlState {
  key?: string | undefined;
  method: ClassMethod;
  classes: number;
  breaks: number[];
}

const KEYS = ['th', 'thm', 'thk', 'thb'] as const;

export function parseThematicState(search: string): ThematicUrlState {
  const params = new URLSearchParams(search);
  const key = params.get('th');
  const method = params.get('thm') as ClassMethod | null;
  const classes = Number(params.get('thk'));
  return {
    key: key && /^[a-z][a-z0-9_.]{0,120}$/.test(key) ? key : undefined,
    method: method && CLASS_METHODS.includes(method) ? method : 'quantiles',
    classes: Number.isInteger(classes) && classes >= MIN_CLASSES && classes <= MAX_CLASSES ? classes : 5,
    breaks: (params.get('thb') ?? '').split(',').filter(Boolean).map(Number).filter(Number.isFinite),
  };
}

export function formatThematicState(state: ThematicUrlState, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of KEYS) params.delete(key);
  if (state.key) {
    params.set('th', state.key);
    if (state.method !== 'quantiles') params.set('thm', state.method);
    if (state.classes !== 5) params.set('thk', String(state.classes));
    if (state.method === 'manual' && state.breaks.length) params.set('thb', state.breaks.join(','));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function writeThematicState(state: ThematicUrlState): void {
  const { pathname, search, hash } = window.location;
  const next = `${pathname}${formatThematicState(state, search)}${hash}`;
  if (next !== `${pathname}${search}${hash}`) window.history.replaceState(window.history.state, '', next);
}
