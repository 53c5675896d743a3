import { sql, type Kysely } from 'kysely';

/**
 * Boundary upload previews can expire: a preview left behind (the GIS user walked away,
 * or the server was killed mid-upload) is marked `expired` by a sweep
 * (server/boundaries/expiry.ts) and its staged features are dropped, instead of staying a
 * preview for ever. The index serves that sweep.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table boundary_uploads drop constraint boundary_uploads_status_check`.execute(db);
  await sql`alter table boundary_uploads add constraint boundary_uploads_status_check
    check (status in ('preview', 'committed', 'discarded', 'failed', 'expired'))`.execute(db);
  await sql`create index boundary_uploads_preview_idx on boundary_uploads (created_at) where status = 'preview'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index boundary_uploads_preview_idx`.execute(db);
  await sql`update boundary_uploads set status = 'failed', failure = 'expired' where status = 'expired'`.execute(db);
  await sql`alter table boundary_uploads drop constraint boundary_uploads_status_check`.execute(db);
  await sql`alter table boundary_uploads add constraint boundary_uploads_status_check
    check (status in ('preview', 'committed', 'discarded', 'failed'))`.execute(db);
}
