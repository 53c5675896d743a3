import { describe, expect, it } from 'vitest';
import { SessionLookup, type CredentialHashes, type CredentialUsers } from '../../server/auth/session-batch.js';
import { sha256, type AuthUser } from '../../server/auth/sessions.js';

/**
 * A stand-in database: each query sees the sessions alive and the tokens valid when it
 * was sent, and answers when told.
 */
function fakeSessions() {
  const alive = new Map<string, AuthUser>();
  const tokens = new Map<string, AuthUser>();
  const sent: string[][] = [];
  const sentTokens: string[][] = [];
  const pending: (() => void)[] = [];
  const pick = (from: Map<string, AuthUser>, hashes: string[]) => new Map([...from].filter(([hash]) => hashes.includes(hash)));
  return {
    alive,
    tokens,
    sent,
    sentTokens,
    query: (hashes: CredentialHashes) => {
      sent.push(hashes.sessions);
      sentTokens.push(hashes.tokens);
      const snapshot = { sessions: pick(alive, hashes.sessions), tokens: pick(tokens, hashes.tokens) };
      return new Promise<CredentialUsers>((resolve) => pending.push(() => resolve(snapshot)));
    },
    answer: () => pending.shift()!(),
  };
}
// Three turns of the event loop: the next lookup goes out a whole turn after an answer.
const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))));
const planner: AuthUser = { id: 7, username: 'planner-1', role: 'planner' };

describe('SessionLookup', () => {
  it('sends the first lookup at once and batches the callers that arrive meanwhile', async () => {
    const db = fakeSessions();
    db.alive.set(sha256('secret-a'), planner);
    const lookup = new SessionLookup(db.query, 1);
    const first = lookup.userOf('secret-a');
    expect(db.sent).toHaveLength(1);
    const later = [lookup.userOf('secret-a'), lookup.userOf('secret-b'), lookup.userOf('secret-a')];
    expect(db.sent).toHaveLength(1);
    db.answer();
    expect(await first).toEqual(planner);
    await settle();
    // One query for the three callers, each session hash once.
    expect(db.sent).toHaveLength(2);
    expect(db.sent[1]!.sort()).toEqual([sha256('secret-a'), sha256('secret-b')].sort());
    db.answer();
    expect(await Promise.all(later)).toEqual([planner, undefined, planner]);
  });

  it('never answers a caller from a lookup sent before it arrived', async () => {
    const db = fakeSessions();
    db.alive.set(sha256('secret-a'), planner);
    const lookup = new SessionLookup(db.query, 1);
    const before = lookup.userOf('secret-a');
    // Signed out (or disabled) while the first lookup is out.
    db.alive.delete(sha256('secret-a'));
    const after = lookup.userOf('secret-a');
    db.answer();
    expect(await before).toEqual(planner);
    await settle();
    db.answer();
    expect(await after).toBeUndefined();
  });

  it('sends up to maxInFlight lookups at once before it starts to gather callers', async () => {
    const db = fakeSessions();
    db.alive.set(sha256('secret-a'), planner);
    const lookup = new SessionLookup(db.query, 2);
    const calls = [lookup.userOf('secret-a'), lookup.userOf('secret-a'), lookup.userOf('secret-a'), lookup.userOf('secret-b')];
    expect(db.sent).toHaveLength(2);
    db.answer();
    await settle();
    expect(db.sent).toHaveLength(3);
    expect(db.sent[2]!.sort()).toEqual([sha256('secret-a'), sha256('secret-b')].sort());
    db.answer();
    db.answer();
    expect(await Promise.all(calls)).toEqual([planner, planner, planner, undefined]);
  });

  it('passes a failed lookup on to its callers and carries on with the next', async () => {
    let fail = true;
    const lookup = new SessionLookup(async () => {
      if (fail) throw new Error('connection lost');
      return { sessions: new Map([[sha256('s'), planner]]), tokens: new Map() };
    }, 1);
    const failing = lookup.userOf('s');
    const next = lookup.userOf('s');
    fail = false;
    await expect(failing).rejects.toThrow('connection lost');
    expect(await next).toEqual(planner);
  });

  it('looks sessions and API tokens up in the same query, never one for the other', async () => {
    const db = fakeSessions();
    const gis: AuthUser = { id: 9, username: 'gis-1', role: 'gis' };
    db.alive.set(sha256('session-a'), planner);
    db.tokens.set(sha256('mn_token'), gis);
    const lookup = new SessionLookup(db.query, 1);
    const first = lookup.userOf('session-a');
    const batch = [lookup.userOfToken('mn_token'), lookup.userOf('session-a'), lookup.userOf('mn_token'), lookup.userOfToken('session-a'), lookup.userOfToken('mn_token')];
    db.answer();
    expect(await first).toEqual(planner);
    await settle();
    expect(db.sent).toHaveLength(2);
    expect(db.sent[1]!.sort()).toEqual([sha256('session-a'), sha256('mn_token')].sort());
    expect(db.sentTokens[1]!.sort()).toEqual([sha256('mn_token'), sha256('session-a')].sort());
    db.answer();
    // A token sent as a cookie is no session, and a session secret is no token.
    expect(await Promise.all(batch)).toEqual([gis, planner, undefined, undefined, gis]);
  });
});
