import type { FastifyInstance } from 'fastify';
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
  /** The client address; when absent, that of the actor's request (see auditAddresses). */
  address?: string | null;
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
      address: entry.address ?? (entry.actor && 'address' in entry.actor ? entry.actor.address : undefined) ?? null,
    })
    .execute();
}

/**
 * Puts the client address on the signed-in user of each request, so every recordAudit call
 * with `actor: request.user` records where the change came from; and records writes the
 * permission check refused (403), which change nothing and so have no entry of their own.
 * Installed after the auth guard, whose onRequest hook finds the user.
 */
export function installAuditHooks(app: FastifyInstance, db: Kysely<Database>): void {
  app.addHook('onRequest', async (request) => {
    if (request.user) request.user = { ...request.user, address: request.ip };
  });
  app.addHook('onError', async (request, _reply, error) => {
    if ((error as { statusCode?: number }).statusCode !== 403 || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    await recordAudit(db, {
      actor: request.user,
      action: 'refused',
      entity: request.routeOptions.config.resource ?? 'unknown',
      after: { method: request.method, path: request.url.split('?')[0], reason: error.message },
      address: request.ip,
    });
  });
}
