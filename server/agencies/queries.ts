import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { dateText } from '../db/sql-values.js';
import type { Agency, AgencySummary } from '../../shared/method-schemas.js';

export async function listAgencies(db: Kysely<Database>): Promise<Agency[]> {
  return db.selectFrom('agencies').select(['id', 'slug', 'name_fa', 'name_en']).orderBy('id').execute();
}

export async function findAgency(db: Kysely<Database>, id: number): Promise<Agency | undefined> {
  return db.selectFrom('agencies').select(['id', 'slug', 'name_fa', 'name_en']).where('id', '=', id).executeTakeFirst();
}

export async function slugTaken(db: Kysely<Database>, slug: string): Promise<boolean> {
  return (await db.selectFrom('agencies').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export async function insertAgency(db: Kysely<Database>, agency: Omit<Agency, 'id'>): Promise<Agency> {
  return db.insertInto('agencies').values(agency).returning(['id', 'slug', 'name_fa', 'name_en']).executeTakeFirstOrThrow();
}

/** A slug from an English name: "Kerman Water Co." → "kerman_water_co". */
export function slugOf(name: string): string {
  return name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
}

/** What a governor asks of one agency: how many of its problems are open, late, done, and where it works. */
export async function agencySummary(db: Kysely<Database>, agency: Agency): Promise<AgencySummary> {
  const counts = await db
    .selectFrom('problems as p')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`count(*) filter (where p.status <> 'resolved')::int`.as('open'),
      sql<number>`count(*) filter (where p.status <> 'resolved' and p.due_date < programme_today())::int`.as('overdue'),
      sql<number>`count(*) filter (where p.status = 'resolved')::int`.as('resolved'),
      sql<number>`count(*) filter (where p.status = 'blocked')::int`.as('blocked'),
    ])
    .where('p.agency_id', '=', agency.id)
    .executeTakeFirstOrThrow();

  const overdue = await db
    .selectFrom('problems as p')
    .select(['p.id', 'p.title', 'p.neighbourhood_id', 'p.status', dateText(sql.ref('p.due_date')).as('due_date')])
    .where('p.agency_id', '=', agency.id)
    .where('p.status', '<>', 'resolved')
    .where(sql<boolean>`p.due_date < programme_today()`)
    .orderBy('p.due_date')
    .orderBy('p.id')
    .execute();

  // Led: the agency is the lead. Joined: a partner of someone else's intervention.
  const interventions = await db
    .selectFrom('interventions as i')
    .leftJoin('intervention_partners as ip', (join) => join.onRef('ip.intervention_id', '=', 'i.id').on('ip.agency_id', '=', agency.id))
    .select([
      'i.id', 'i.title', 'i.title_en', 'i.status',
      sql<'lead' | 'partner'>`case when i.lead_agency_id = ${agency.id} then 'lead' else 'partner' end`.as('role'),
      sql<number | null>`ip.progress::int`.as('progress'),
    ])
    .where((eb) => eb.or([eb('i.lead_agency_id', '=', agency.id), eb('ip.agency_id', 'is not', null)]))
    .orderBy(sql`i.lead_agency_id = ${agency.id}`, 'desc')
    .orderBy('i.id')
    .execute();

  return {
    agency,
    problems: counts,
    overdue_problems: overdue as AgencySummary['overdue_problems'],
    interventions: {
      led: interventions.filter((i) => i.role === 'lead').length,
      joined: interventions.filter((i) => i.role === 'partner').length,
      items: interventions,
    },
  };
}
