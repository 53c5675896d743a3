import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuthUser } from '../auth/sessions.js';

export interface AuditEntry {
  /** The signed-in user, or a named tool (the command line) that has no account. */
  actor: AuthUser | { username: string } | null;
  /** e.g. create, update, delete, commit, restore, login */
  action: string;
  /** the resource, e.g. problems, users, boundaries */
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Records a write. Call it with the transaction that makes the change, so both land or neither. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: entry.actor && 'id' in entry.actor ? entry.actor.id : null,
      username: entry.actor?.username ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
