import { sql, type Kysely } from 'kysely';

/**
 * Issue 13 parts 6 and 7.
 * - audit_log.address: the client address of every entry (sign-ins, failed sign-ins, writes).
 * - audit_log is append-only in the database itself: a trigger refuses UPDATE, DELETE and
 *   TRUNCATE, whoever asks (the app, a script, psql). Users are disabled, never deleted, so
 *   the `on delete set null` of audit_log.user_id never needs to run.
 * - login_failures.settled_at: a successful sign-in settles the failures of its (user,
 *   address) pair for the throttle instead of deleting them, so the history stays.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('address', 'text').execute();
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);

  await db.schema.alterTable('login_failures').addColumn('settled_at', 'timestamptz').execute();
  await db.schema.createIndex('login_failures_pair_idx').on('login_failures').columns(['username', 'address', 'at']).execute();
  await db.schema.createIndex('login_failures_address_idx').on('login_failures').columns(['address', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('login_failures_address_idx').execute();
  await db.schema.dropIndex('login_failures_pair_idx').execute();
  await db.schema.alterTable('login_failures').dropColumn('settled_at').execute();
  await sql`drop trigger audit_log_no_truncate on audit_log`.execute(db);
  await sql`drop trigger audit_log_append_only on audit_log`.execute(db);
  await sql`drop function audit_log_append_only()`.execute(db);
  await db.schema.alterTable('audit_log').dropColumn('address').execute();
}
