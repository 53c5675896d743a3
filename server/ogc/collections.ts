import { sql, type RawBuilder } from 'kysely';

/**
 * The feature collections served under /ogc, each as a SQL source and its typed
 * properties. The source is a subquery with the columns `id` (integer), `geom` (EPSG:4326)
 * and one column per property of the same name; items.ts wraps it as `(<source>) f`, and
 * PostgreSQL pushes the filters down into it, so the GiST index on a table's geometry
 * still serves a bbox.
 */
export type PropertyType = 'integer' | 'number' | 'string' | 'boolean' | 'date' | 'date-time';

export interface OgcProperty {
  name: string;
  type: PropertyType;
  title: string;
  /** The values a text property can take. */
  values?: readonly string[];
  nullable?: boolean;
}

export interface OgcCollection {
  id: string;
  title: string;
  description: string;
  /** The one geometry type of every feature (GIS clients make one layer per type). */
  geometryType: 'Point' | 'MultiPolygon';
  source: RawBuilder<unknown>;
  properties: readonly OgcProperty[];
  /** The properties that place a feature in time, for `datetime`: an instant, or start and end (null end: still going). */
  temporal?: { start: string; end?: string };
}

const CATEGORIES = ['educational', 'social', 'civil_environmental', 'economic'] as const;

const p = (name: string, type: PropertyType, title: string, extra: Partial<OgcProperty> = {}): OgcProperty => ({ name, type, title, ...extra });

const boundaryProperties = [
  p('code', 'string', 'Code'),
  p('name_fa', 'string', 'Name (Persian)'),
];

// The budget is bigint; as float8 both drivers return a JSON number.
const interventionColumns = sql`i.title, i.title_en, i.category, i.status, i.lead_agency_id, i.start_date, i.end_date,
  i.budget::float8 as budget, i.beneficiaries, i.source, i.created_at, i.updated_at`;

export const COLLECTIONS: readonly OgcCollection[] = [
  {
    id: 'neighbourhoods',
    title: 'Neighbourhoods',
    description: 'Target neighbourhoods of the programme with population and deprivation (polygons are illustrative; see the source property).',
    geometryType: 'MultiPolygon',
    source: sql`select n.id, n.geom, n.code, n.name_fa, n.name_en, n.county_id, n.population, n.households,
      n.deprivation, n.informal, n.margin, n.source, n.license, n.boundary_version, n.updated_at
      from neighbourhoods n`,
    properties: [
      ...boundaryProperties,
      p('name_en', 'string', 'Name (English)'),
      p('county_id', 'integer', 'County id'),
      p('population', 'integer', 'Population'),
      p('households', 'integer', 'Households'),
      p('deprivation', 'integer', 'Deprivation (1 least … 5 most deprived)'),
      p('informal', 'boolean', 'Informal settlement'),
      p('margin', 'boolean', 'One of the seven low-income margin neighbourhoods of Kerman city'),
      p('source', 'string', 'Source'),
      p('license', 'string', 'Licence'),
      p('boundary_version', 'integer', 'Boundary version'),
      p('updated_at', 'date-time', 'Last changed'),
    ],
  },
  {
    id: 'counties',
    title: 'Counties',
    description: 'Counties of Kerman province (© OpenStreetMap contributors, ODbL 1.0).',
    geometryType: 'MultiPolygon',
    source: sql`select c.id, c.geom, c.code, c.name_fa, c.name_en, c.population, c.population_date,
      c.source, c.license, c.boundary_version, c.updated_at
      from counties c`,
    properties: [
      ...boundaryProperties,
      p('name_en', 'string', 'Name (English)', { nullable: true }),
      p('population', 'integer', 'Population', { nullable: true }),
      p('population_date', 'string', 'Date of the population figure', { nullable: true }),
      p('source', 'string', 'Source'),
      p('license', 'string', 'Licence'),
      p('boundary_version', 'integer', 'Boundary version'),
      p('updated_at', 'date-time', 'Last changed'),
    ],
  },
  {
    id: 'problems',
    title: 'Problems',
    description: 'Problems identified in neighbourhoods, at a point inside their neighbourhood.',
    geometryType: 'Point',
    source: sql`select p.id, ST_PointOnSurface(n.geom) as geom, p.neighbourhood_id, n.county_id, p.category, p.title,
      p.description, p.severity, p.status, p.agency_id, p.due_date, p.blocked_reason, p.source, p.created_at, p.updated_at
      from problems p join neighbourhoods n on n.id = p.neighbourhood_id`,
    properties: [
      p('neighbourhood_id', 'integer', 'Neighbourhood id'),
      p('county_id', 'integer', 'County id'),
      p('category', 'string', 'Category', { values: CATEGORIES }),
      p('title', 'string', 'Title'),
      p('description', 'string', 'Description'),
      p('severity', 'integer', 'Severity (1–5)'),
      p('status', 'string', 'Status', { values: ['identified', 'assigned', 'in_progress', 'resolved', 'blocked'] }),
      p('agency_id', 'integer', 'Responsible agency id', { nullable: true }),
      p('due_date', 'date', 'Due date', { nullable: true }),
      p('blocked_reason', 'string', 'Why it is blocked', { nullable: true }),
      p('source', 'string', 'Source', { nullable: true }),
      p('created_at', 'date-time', 'Recorded'),
      p('updated_at', 'date-time', 'Last changed'),
    ],
    temporal: { start: 'created_at' },
  },
  {
    id: 'intervention-areas',
    title: 'Intervention areas',
    description: 'Interventions drawn as an area.',
    geometryType: 'MultiPolygon',
    source: sql`select i.id, ST_Multi(i.geom) as geom, ${interventionColumns}
      from interventions i where ST_Dimension(i.geom) = 2`,
    properties: interventionProperties(),
    temporal: { start: 'start_date', end: 'end_date' },
  },
  {
    id: 'intervention-points',
    title: 'Intervention points',
    description: 'Interventions drawn as a point, and those without a drawing at a point inside the neighbourhoods they serve (geometry_source).',
    geometryType: 'Point',
    source: sql`select i.id, coalesce(i.geom, (select ST_PointOnSurface(ST_Union(n.geom))
        from intervention_neighbourhoods x join neighbourhoods n on n.id = x.neighbourhood_id
        where x.intervention_id = i.id)) as geom,
      ${interventionColumns},
      case when i.geom is null then 'neighbourhoods' else 'drawn' end as geometry_source
      from interventions i where i.geom is null or ST_Dimension(i.geom) = 0`,
    properties: [...interventionProperties(), p('geometry_source', 'string', 'Where the point comes from', { values: ['drawn', 'neighbourhoods'] })],
    temporal: { start: 'start_date', end: 'end_date' },
  },
  {
    id: 'networks',
    title: 'Networks of hope',
    description: 'Local networks (teenagers, teachers, shopkeepers …), at a point inside their neighbourhood.',
    geometryType: 'Point',
    source: sql`select w.id, ST_PointOnSurface(n.geom) as geom, w.neighbourhood_id, n.county_id, w.kind, w.name,
      w.members, w.since, w.active, w.source, w.created_at, w.updated_at
      from networks w join neighbourhoods n on n.id = w.neighbourhood_id`,
    properties: [
      p('neighbourhood_id', 'integer', 'Neighbourhood id'),
      p('county_id', 'integer', 'County id'),
      p('kind', 'string', 'Kind', { values: ['teenagers', 'teachers', 'shopkeepers', 'women', 'elders', 'other'] }),
      p('name', 'string', 'Name'),
      p('members', 'integer', 'Members'),
      p('since', 'date', 'Active since', { nullable: true }),
      p('active', 'boolean', 'Active'),
      p('source', 'string', 'Source', { nullable: true }),
      p('created_at', 'date-time', 'Recorded'),
      p('updated_at', 'date-time', 'Last changed'),
    ],
    temporal: { start: 'since' },
  },
  {
    id: 'coverage',
    title: 'Programme coverage',
    description: 'Which programme covered which neighbourhood from when to when (to_date empty: still covered).',
    geometryType: 'MultiPolygon',
    source: sql`select r.id, n.geom, r.neighbourhood_id, n.county_id, n.name_fa, n.name_en, r.programme_id,
      g.slug as programme, g.name_fa as programme_fa, g.name_en as programme_en, r.from_date, r.to_date,
      r.created_at, r.updated_at
      from coverage_records r join neighbourhoods n on n.id = r.neighbourhood_id join programmes g on g.id = r.programme_id`,
    properties: [
      p('neighbourhood_id', 'integer', 'Neighbourhood id'),
      p('county_id', 'integer', 'County id'),
      p('name_fa', 'string', 'Neighbourhood (Persian)'),
      p('name_en', 'string', 'Neighbourhood (English)'),
      p('programme_id', 'integer', 'Programme id'),
      p('programme', 'string', 'Programme'),
      p('programme_fa', 'string', 'Programme (Persian)'),
      p('programme_en', 'string', 'Programme (English)'),
      p('from_date', 'date', 'Covered from'),
      p('to_date', 'date', 'Covered until', { nullable: true }),
      p('created_at', 'date-time', 'Recorded'),
      p('updated_at', 'date-time', 'Last changed'),
    ],
    temporal: { start: 'from_date', end: 'to_date' },
  },
];

function interventionProperties(): OgcProperty[] {
  return [
    p('title', 'string', 'Title'),
    p('title_en', 'string', 'Title (English)', { nullable: true }),
    p('category', 'string', 'Category', { values: CATEGORIES }),
    p('status', 'string', 'Status', { values: ['planned', 'active', 'done'] }),
    p('lead_agency_id', 'integer', 'Lead agency id'),
    p('start_date', 'date', 'Start', { nullable: true }),
    p('end_date', 'date', 'End', { nullable: true }),
    p('budget', 'number', 'Budget (rials)', { nullable: true }),
    p('beneficiaries', 'integer', 'Beneficiaries', { nullable: true }),
    p('source', 'string', 'Source', { nullable: true }),
    p('created_at', 'date-time', 'Recorded'),
    p('updated_at', 'date-time', 'Last changed'),
  ];
}

export function findCollection(id: string): OgcCollection | undefined {
  return COLLECTIONS.find((c) => c.id === id);
}
