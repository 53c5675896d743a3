import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';

export interface AuthUser {
  id: number;
  username: string;
  role: Role;
  /** The client address of the request this user made (set per request, for the audit log). */
  address?: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Creates a session and returns the secret for the cookie (the database keeps its hash). */
export async function createSession(db: Kysely<Database>, userId: number): Promise<string> {
  const secret = newSecret();
  await db.insertInto('sessions').values({ id_hash: sha256(secret), user_id: userId }).execute();
  return secret;
}

/**
 * The user of a live session. A session dies when idle too long, when its user is
 * disabled, or when the password changed after it began — checked on every request,
 * so it takes effect at once on every server process.
 */
export async function userOfSession(db: Kysely<Database>, secret: string, idleSeconds: number): Promise<AuthUser | undefined> {
  const idHash = sha256(secret);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.role', sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale')])
    .where('s.id_hash', '=', idHash)
    .where('u.disabled', '=', false)
    .where(sql<boolean>`s.created_at >= u.password_changed_at`)
    .where(sql<boolean>`s.last_seen_at > now() - make_interval(secs => ${idleSeconds})`)
    .executeTakeFirst();
  if (!row) return undefined;
  // Touch at most once a minute: a write per request would cost more than it tells.
  if (row.stale) {
    await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id_hash', '=', idHash).execute();
  }
  return { id: row.id, username: row.username, role: row.role };
}

export async function endSession(db: Kysely<Database>, secret: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sha256(secret)).execute();
}
