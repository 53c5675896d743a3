import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { dateText, isoTimestamp } from '../db/sql-values.js';
import type { Network, NetworkKind } from '../../shared/method-schemas.js';

export interface NetworkFilter {
  neighbourhoodId?: number | undefined;
  kind?: NetworkKind | undefined;
  active?: boolean | undefined;
}

function selectNetworks(db: Kysely<Database>) {
  return db
    .selectFrom('networks as w')
    .select([
      'w.id', 'w.neighbourhood_id', 'w.kind', 'w.name', 'w.members',
      dateText(sql.ref('w.since')).as('since'),
      'w.active', 'w.source',
      isoTimestamp(sql.ref('w.created_at')).as('created_at'),
      isoTimestamp(sql.ref('w.updated_at')).as('updated_at'),
    ]);
}

export async function listNetworks(db: Kysely<Database>, filter: NetworkFilter): Promise<Network[]> {
  let query = selectNetworks(db);
  if (filter.neighbourhoodId !== undefined) query = query.where('w.neighbourhood_id', '=', filter.neighbourhoodId);
  if (filter.kind !== undefined) query = query.where('w.kind', '=', filter.kind);
  if (filter.active !== undefined) query = query.where('w.active', '=', filter.active);
  return query.orderBy('w.active', 'desc').orderBy(sql`w.since nulls last`).orderBy('w.id').execute() as Promise<Network[]>;
}

export async function findNetwork(db: Kysely<Database>, id: number, lock = false): Promise<Network | undefined> {
  let query = selectNetworks(db).where('w.id', '=', id);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as Network | undefined;
}

export interface NetworkValues {
  neighbourhood_id: number;
  kind: NetworkKind;
  name: string;
  members: number;
  since: string | null;
  active: boolean;
  source?: string | null;
}

export async function insertNetwork(db: Kysely<Database>, values: NetworkValues): Promise<number> {
  const row = await db.insertInto('networks').values({ ...values, source: values.source ?? null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateNetwork(db: Kysely<Database>, id: number, values: Partial<Omit<NetworkValues, 'neighbourhood_id'>>): Promise<void> {
  await db.updateTable('networks').set({ ...values, updated_at: sql`now()` }).where('id', '=', id).execute();
}
