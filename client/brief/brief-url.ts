import { isIsoDate } from '../panels/commander-dates';

/**
 * The printed brief opens in a tab of its own at `/?brief=1&programme=karamat&at=2026-12-06
 * &county=7&orient=portrait&print=1`: the same app and session, the brief's chunk instead of the
 * map screen. Everything it shows follows from these, so the link can be sent and printed again.
 */
export type Orientation = 'landscape' | 'portrait';

export interface BriefState {
  programme: string;
  /** The day to report; absent means today. */
  at?: string;
  /** A county id: the map is framed on it; absent frames the whole province. */
  county?: number;
  orient: Orientation;
  /** Open the browser's print dialog once the brief is ready (the commander panel's button asks for it). */
  print: boolean;
}

export function parseBriefState(search: string): BriefState {
  const params = new URLSearchParams(search);
  const programme = params.get('programme');
  const at = params.get('at');
  const county = Number(params.get('county'));
  return {
    programme: programme && /^[a-z][a-z0-9_]*$/.test(programme) ? programme : 'karamat',
    ...(isIsoDate(at) ? { at } : {}),
    ...(Number.isInteger(county) && county > 0 ? { county } : {}),
    orient: params.get('orient') === 'portrait' ? 'portrait' : 'landscape',
    print: params.get('print') === '1',
  };
}

export function briefSearch(state: BriefState): string {
  const params = new URLSearchParams({ brief: '1', programme: state.programme });
  if (state.at) params.set('at', state.at);
  if (state.county) params.set('county', String(state.county));
  params.set('orient', state.orient);
  if (state.print) params.set('print', '1');
  return `?${params.toString()}`;
}
