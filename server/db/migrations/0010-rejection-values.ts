import { sql, type Kysely } from 'kysely';

/**
 * Why a staged feature was rejected, as values rather than only English text: the field of
 * the file, the value as written and the limits it broke ({"field": "JAM", "value": "abc",
 * "target": "population", "min": 0}). The client words the report from these in the
 * user's language; rejected_detail keeps the English sentence for API users and logs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table boundary_upload_features add column rejected_values jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table boundary_upload_features drop column rejected_values`.execute(db);
}
