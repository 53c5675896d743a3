import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sha256, type AuthUser } from './sessions.js';

interface Waiting {
  idHash: string;
  resolve(user: AuthUser | undefined): void;
  reject(error: unknown): void;
}

/** Users of the live sessions among these session hashes (see lookUpSessions). */
export type SessionQuery = (idHashes: string[]) => Promise<Map<string, AuthUser>>;

/**
 * Session lookups, batched: requests that arrive while a lookup is out wait for the next
 * one and share it, one query for all of them. A request is only ever answered by a
 * query sent after it arrived, so ending a session or disabling a user takes effect at
 * once on every process, exactly as with a query per request; under load the database
 * sees one query per round trip instead of one per request. Nothing is cached between
 * requests.
 */
export class SessionLookup {
  private inFlight = false;
  private waiting: Waiting[] = [];

  constructor(private readonly query: SessionQuery) {}

  userOf(secret: string): Promise<AuthUser | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ idHash: sha256(secret), resolve, reject });
      if (!this.inFlight) void this.next();
    });
  }

  private async next(): Promise<void> {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    this.inFlight = true;
    try {
      const users = await this.query([...new Set(batch.map((w) => w.idHash))]);
      for (const w of batch) w.resolve(users.get(w.idHash));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.inFlight = false;
      void this.next();
    }
  }
}

/**
 * The check userOfSession makes, for many sessions in one query: live session, user not
 * disabled, password unchanged since sign-in, not idle too long.
 */
export async function lookUpSessions(db: Kysely<Database>, idHashes: string[], idleSeconds: number): Promise<Map<string, AuthUser>> {
  const rows = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id_hash', 'u.id', 'u.username', 'u.role', sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale')])
    .where('s.id_hash', 'in', idHashes)
    .where('u.disabled', '=', false)
    .where(sql<boolean>`s.created_at >= u.password_changed_at`)
    .where(sql<boolean>`s.last_seen_at > now() - make_interval(secs => ${idleSeconds})`)
    .execute();
  // Touch at most once a minute: a write per request would cost more than it tells.
  const stale = rows.filter((r) => r.stale).map((r) => r.id_hash);
  if (stale.length > 0) {
    await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id_hash', 'in', stale).execute();
  }
  return new Map(rows.map((r) => [r.id_hash, { id: r.id, username: r.username, role: r.role }]));
}
