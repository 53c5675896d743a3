import { sql, type Kysely } from 'kysely';

/**
 * The programme's method: agencies, problems with one responsible agency and their
 * follow-up events, interventions with their partner agencies, local networks, and the
 * planners' stage-1 review marks. The `neighbourhood_method` view derives each
 * neighbourhood's counts and its stage, so the API, the map properties and the province
 * table all read one definition.
 */
/** Which map layers change when a table changes (see bump_layer_revision in 0003). */
const LAYER_TRIGGERS: [table: string, layers: string[]][] = [
  ['agencies', ['interventions']],
  ['problems', ['neighbourhoods']],
  ['networks', ['neighbourhoods']],
  ['stage_reviews', ['neighbourhoods']],
  ['interventions', ['interventions', 'neighbourhoods']],
  ['intervention_partners', ['interventions']],
  ['intervention_neighbourhoods', ['interventions', 'neighbourhoods']],
  // Interventions without a geometry of their own are drawn at their neighbourhoods.
  ['neighbourhoods', ['interventions']],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agencies')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9_]+$'`))
    .addColumn('name_fa', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('problems')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('neighbourhood_id', 'integer', (c) => c.notNull().references('neighbourhoods.id'))
    .addColumn('category', 'text', (c) =>
      c.notNull().check(sql`category in ('educational', 'social', 'civil_environmental', 'economic')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('severity', 'smallint', (c) => c.notNull().check(sql`severity between 1 and 5`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('identified').check(sql`status in ('identified', 'assigned', 'in_progress', 'resolved', 'blocked')`))
    .addColumn('agency_id', 'integer', (c) => c.references('agencies.id'))
    .addColumn('due_date', 'date')
    .addColumn('blocked_reason', 'text')
    /** Where a seeded row comes from ("illustrative …"); null for what users enter. */
    .addColumn('source', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The workflow rules (server/problems/workflow.ts) restated as the last line of defence.
    .addCheckConstraint('problems_agency_after_identified', sql`status = 'identified' or agency_id is not null`)
    .addCheckConstraint('problems_blocked_reason', sql`(status = 'blocked') = (blocked_reason is not null)`)
    .execute();
  await db.schema.createIndex('problems_neighbourhood_idx').on('problems').column('neighbourhood_id').execute();
  await db.schema.createIndex('problems_agency_idx').on('problems').column('agency_id').execute();

  await db.schema
    .createTable('problem_events')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('problem_id', 'integer', (c) => c.notNull().references('problems.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('create', 'update')`))
    /** [{ field, from, to }] */
    .addColumn('changes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('problem_events_problem_idx').on('problem_events').columns(['problem_id', 'at']).execute();

  await db.schema
    .createTable('interventions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text')
    .addColumn('category', 'text', (c) =>
      c.notNull().check(sql`category in ('educational', 'social', 'civil_environmental', 'economic')`))
    .addColumn('lead_agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned').check(sql`status in ('planned', 'active', 'done')`))
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    // Rials: budgets reach 10^12 and beyond, past a 32-bit integer.
    .addColumn('budget', 'bigint', (c) => c.check(sql`budget >= 0`))
    .addColumn('beneficiaries', 'integer', (c) => c.check(sql`beneficiaries >= 0`))
    .addColumn('geom', sql`geometry(Geometry, 4326)`, (c) =>
      c.check(sql`geom is null or GeometryType(geom) in ('POINT', 'POLYGON', 'MULTIPOLYGON')`))
    .addColumn('source', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('interventions_dates', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute();
  await sql`create index interventions_geom_idx on interventions using gist (geom)`.execute(db);

  await db.schema
    .createTable('intervention_partners')
    .addColumn('intervention_id', 'integer', (c) => c.notNull().references('interventions.id').onDelete('cascade'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('commitment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('commitment_en', 'text')
    .addColumn('progress', 'smallint', (c) => c.notNull().defaultTo(0).check(sql`progress between 0 and 100`))
    .addColumn('position', 'smallint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('intervention_partners_pk', ['intervention_id', 'agency_id'])
    .execute();
  await db.schema.createIndex('intervention_partners_agency_idx').on('intervention_partners').column('agency_id').execute();

  await db.schema
    .createTable('intervention_neighbourhoods')
    .addColumn('intervention_id', 'integer', (c) => c.notNull().references('interventions.id').onDelete('cascade'))
    .addColumn('neighbourhood_id', 'integer', (c) => c.notNull().references('neighbourhoods.id'))
    .addPrimaryKeyConstraint('intervention_neighbourhoods_pk', ['intervention_id', 'neighbourhood_id'])
    .execute();
  await db.schema.createIndex('intervention_neighbourhoods_nb_idx').on('intervention_neighbourhoods').column('neighbourhood_id').execute();

  await db.schema
    .createTable('intervention_problems')
    .addColumn('intervention_id', 'integer', (c) => c.notNull().references('interventions.id').onDelete('cascade'))
    .addColumn('problem_id', 'integer', (c) => c.notNull().references('problems.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('intervention_problems_pk', ['intervention_id', 'problem_id'])
    .execute();
  await db.schema.createIndex('intervention_problems_problem_idx').on('intervention_problems').column('problem_id').execute();

  await db.schema
    .createTable('networks')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('neighbourhood_id', 'integer', (c) => c.notNull().references('neighbourhoods.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('teenagers', 'teachers', 'shopkeepers', 'women', 'elders', 'other')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull().defaultTo(0).check(sql`members >= 0`))
    .addColumn('since', 'date')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('source', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('networks_neighbourhood_idx').on('networks').column('neighbourhood_id').execute();

  // A row means a planner reviewed the neighbourhood's problem identification (stage 1 done).
  await db.schema
    .createTable('stage_reviews')
    .addColumn('neighbourhood_id', 'integer', (c) => c.primaryKey().references('neighbourhoods.id'))
    .addColumn('reviewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reviewed_by', 'text')
    .addColumn('note', 'text')
    .execute();

  // "Today" for due dates is the programme's day in Kerman, whatever the server's time zone
  // (the same day shared/coverage.ts isoDateInZone gives the client).
  await sql`create function programme_today() returns date language sql stable
    as $$ select (now() at time zone 'Asia/Tehran')::date $$`.execute(db);

  // Stage rule, in one place:
  //   0 nothing recorded · 1 problems being identified · 2 identification reviewed, action and
  //   follow-up under way · 3 reviewed and at least one active local network.
  // "Moving" problems have a responsible agency and are assigned, in progress or resolved.
  await sql`
    create view neighbourhood_method as
    select n.id as neighbourhood_id,
      coalesce(p.problems, 0) as problems,
      coalesce(p.open_problems, 0) as open_problems,
      coalesce(p.overdue_problems, 0) as overdue_problems,
      coalesce(p.with_agency, 0) as with_agency,
      coalesce(p.moving, 0) as moving,
      coalesce(p.resolved, 0) as resolved,
      coalesce(w.active_networks, 0) as active_networks,
      coalesce(w.network_members, 0) as network_members,
      coalesce(i.active_interventions, 0) as active_interventions,
      r.neighbourhood_id is not null as reviewed,
      r.reviewed_at, r.reviewed_by, r.note as review_note,
      (case
        when r.neighbourhood_id is not null and coalesce(w.active_networks, 0) > 0 then 3
        when r.neighbourhood_id is not null then 2
        when coalesce(p.problems, 0) > 0 then 1
        else 0 end)::int as stage
    from neighbourhoods n
    left join lateral (
      select count(*)::int as problems,
        count(*) filter (where status <> 'resolved')::int as open_problems,
        count(*) filter (where status <> 'resolved' and due_date < programme_today())::int as overdue_problems,
        count(*) filter (where agency_id is not null)::int as with_agency,
        count(*) filter (where agency_id is not null and status in ('assigned', 'in_progress', 'resolved'))::int as moving,
        count(*) filter (where status = 'resolved')::int as resolved
      from problems where problems.neighbourhood_id = n.id
    ) p on true
    left join lateral (
      select count(*)::int as active_networks, coalesce(sum(members), 0)::int as network_members
      from networks where networks.neighbourhood_id = n.id and networks.active
    ) w on true
    left join lateral (
      select count(*)::int as active_interventions
      from intervention_neighbourhoods x join interventions iv on iv.id = x.intervention_id
      where x.neighbourhood_id = n.id and iv.status <> 'done'
    ) i on true
    left join stage_reviews r on r.neighbourhood_id = n.id`.execute(db);

  // Problem counts, networks and stages are neighbourhood feature properties; interventions
  // are a layer of their own, drawn where they have no geometry at their neighbourhoods.
  await sql`insert into layer_revisions (layer) values ('interventions') on conflict (layer) do nothing`.execute(db);
  for (const [table, layers] of LAYER_TRIGGERS) {
    await sql`create trigger ${sql.raw(`${table}_method_layer_revision`)} after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_layer_revision(${sql.join(layers.map((l) => sql.lit(l)))})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table] of LAYER_TRIGGERS) {
    await sql`drop trigger if exists ${sql.raw(`${table}_method_layer_revision`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop view neighbourhood_method`.execute(db);
  await sql`drop function programme_today()`.execute(db);
  for (const table of ['stage_reviews', 'networks', 'intervention_problems', 'intervention_neighbourhoods',
    'intervention_partners', 'interventions', 'problem_events', 'problems', 'agencies']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`delete from layer_revisions where layer = 'interventions'`.execute(db);
}
