import { sql, type Kysely } from 'kysely';

/**
 * Composite indicators (server/indicators/): a weighted score of chosen built-in or imported
 * indicators, mapped as composite.<slug>. Only the definition is stored; the scores are
 * worked out from the parts' current values when asked, so they follow every new version.
 * `parts` is a JSON array of { key, weight } in the order given. Replacing a composite
 * overwrites its row: the audit log keeps the earlier definitions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table indicator_composites (
      slug text primary key,
      name_fa text not null,
      name_en text not null,
      parts jsonb not null,
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table indicator_composites`.execute(db);
}
