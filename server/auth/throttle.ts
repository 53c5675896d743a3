import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Sign-in throttling (issue 13 part 6). Failures slow down the (username, address) pair
 * that made them, never the username everywhere: an attacker at one address cannot lock
 * the real user out from another. A generous ceiling per address stops one machine from
 * trying many usernames.
 */
export interface LoginLimits {
  /** Failed sign-ins a (username, address) pair makes freely; after that each next try waits. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones, in seconds; it doubles with each further failure. */
  firstDelaySeconds: number;
  /** The longest wait between two tries of one pair, in seconds. */
  maxDelaySeconds: number;
  /** Failed sign-ins from one address, whatever the usernames, within the window. */
  perAddress: number;
  /** How far back failures count, in seconds. */
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { freeFailures: 3, firstDelaySeconds: 1, maxDelaySeconds: 15 * 60, perAddress: 100, windowSeconds: 60 * 60 };

/**
 * Seconds a pair still has to wait, given its unsettled failures and how long ago the last
 * one was: nothing for the first freeFailures, then 1 s, 2 s, 4 s … (from firstDelaySeconds) up to
 * maxDelaySeconds.
 */
export function secondsToWait(failures: number, sinceLastFailureSeconds: number, limits: LoginLimits): number {
  if (failures < limits.freeFailures) return 0;
  const delay = Math.min(limits.maxDelaySeconds, limits.firstDelaySeconds * 2 ** (failures - limits.freeFailures));
  return Math.max(0, Math.ceil(delay - sinceLastFailureSeconds));
}

export interface Refusal {
  seconds: number;
  message: string;
}

/** How long this pair or address must wait before its next try, or undefined when it may go on. */
export async function throttleWait(db: Kysely<Database>, username: string, address: string, limits: LoginLimits): Promise<Refusal | undefined> {
  const since = sql<Date>`now() - make_interval(secs => ${limits.windowSeconds})`;
  const row = await db
    .selectFrom('login_failures')
    .select([
      sql<number>`count(*) filter (where username = ${username} and settled_at is null)::int`.as('by_pair'),
      sql<number | null>`extract(epoch from now() - max(at) filter (where username = ${username} and settled_at is null))::float8`.as('since_last'),
      sql<number>`count(*)::int`.as('by_address'),
    ])
    .where('address', '=', address)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (row.by_address >= limits.perAddress) {
    return refusal(limits.windowSeconds, `too many failed sign-ins from your address (${address})`);
  }
  const seconds = secondsToWait(row.by_pair, row.since_last ?? Infinity, limits);
  return seconds > 0 ? refusal(seconds, `too many failed sign-ins for ${username} from your address`) : undefined;
}

export async function recordFailure(db: Kysely<Database>, username: string, address: string): Promise<void> {
  await db.insertInto('login_failures').values({ username, address }).execute();
}

/** A success forgives the pair's failures for the throttle; the rows stay as history. */
export async function settleFailures(db: Kysely<Database>, username: string, address: string): Promise<void> {
  await db
    .updateTable('login_failures')
    .set({ settled_at: sql<Date>`now()` })
    .where('username', '=', username)
    .where('address', '=', address)
    .where('settled_at', 'is', null)
    .execute();
}

function refusal(seconds: number, why: string): Refusal {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? '' : 's'}`;
  return { seconds, message: `${why}; wait ${wait} and try again` };
}

/**
 * Runs sign-ins of one (username, address) pair one after another in this process, so a
 * burst of parallel guesses cannot all pass the throttle before the first failure is written.
 */
export class PairQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
