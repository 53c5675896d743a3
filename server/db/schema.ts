import type { ColumnType, Generated } from 'kysely';

/**
 * Geometry columns hold EPSG:4326 geometries. They are never selected raw: queries
 * read them through ST_AsGeoJSON / ST_AsMVTGeom, and write them through the helpers
 * in postgis.ts, so the TypeScript type only needs to exist.
 */
export type Geometry = ColumnType<string, string, string>;

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CountiesTable {
  id: Generated<number>;
  code: string;
  name_fa: string;
  name_en: string | null;
  population: number | null;
  population_date: string | null;
  source: string;
  license: string;
  geom: Geometry;
  boundary_version: number;
  updated_at: Timestamp;
}

export interface NeighbourhoodsTable {
  id: Generated<number>;
  code: string;
  name_fa: string;
  name_en: string;
  county_id: number;
  population: number;
  households: number;
  deprivation: number;
  informal: boolean;
  /** One of the seven low-income margin neighbourhoods of Kerman city named by the programme. */
  margin: Generated<boolean>;
  source: string;
  license: string;
  geom: Geometry;
  /** Where the name is drawn, set from geom by a trigger (migration 0007). */
  label_point: ColumnType<string, never, never>;
  boundary_version: number;
  updated_at: Timestamp;
}

export interface BoundaryVersionsTable {
  id: Generated<number>;
  layer: 'neighbourhoods' | 'counties';
  version: number;
  created_at: Timestamp;
  created_by: string | null;
  file_name: string | null;
  note: string | null;
  /** Added by migration 0006: the upload committed as this version, or the version a restore copied. */
  upload_id: ColumnType<number | null, number | null | undefined, number | null>;
  restored_from: ColumnType<number | null, number | null | undefined, number | null>;
  counts: ColumnType<unknown, string | null | undefined, string | null>;
}

export type Role = 'admin' | 'planner' | 'commander' | 'gis';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: Role;
  disabled: Generated<boolean>;
  password_changed_at: Timestamp;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Date | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  username: string;
  address: string;
  at: Timestamp;
  /** Set when the same user signed in from the same address after this failure: it no longer slows them. */
  settled_at: Date | null;
}

/** before/after are JSON values; written as JSON text, read back parsed. */
export type Json = ColumnType<unknown, string | null, string | null>;

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  /** The client address (see TRUST_PROXY); null for the command line. */
  address: string | null;
}

export interface LayerRevisionsTable {
  layer: string;
  revision: Generated<number>;
  changed_at: Timestamp;
}

/** A calendar date, always selected as 'YYYY-MM-DD' text (::text) so both drivers agree. */
export type DateText = ColumnType<string, string, string>;

export interface ProgrammesTable {
  id: Generated<number>;
  slug: string;
  name_fa: string;
  name_en: string;
  description_fa: Generated<string>;
  description_en: Generated<string>;
  started_on: DateText | null;
  closed_on: DateText | null;
}

/** Both dates inclusive; to_date null while still covered. Never overlapping per neighbourhood × programme. */
export interface CoverageRecordsTable {
  id: Generated<number>;
  neighbourhood_id: number;
  programme_id: number;
  from_date: DateText;
  to_date: DateText | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ProblemCategory = 'educational' | 'social' | 'civil_environmental' | 'economic';
export type ProblemStatus = 'identified' | 'assigned' | 'in_progress' | 'resolved' | 'blocked';

export interface AgenciesTable {
  id: Generated<number>;
  slug: string;
  name_fa: string;
  name_en: string;
  created_at: Timestamp;
}

export interface ProblemsTable {
  id: Generated<number>;
  neighbourhood_id: number;
  category: ProblemCategory;
  title: string;
  description: Generated<string>;
  severity: number;
  status: Generated<ProblemStatus>;
  agency_id: number | null;
  due_date: DateText | null;
  blocked_reason: string | null;
  source: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProblemEventsTable {
  id: Generated<number>;
  problem_id: number;
  at: Timestamp;
  user_id: number | null;
  username: string | null;
  action: 'create' | 'update';
  /** [{ field, from, to }], written as JSON text. */
  changes: Json;
  note: string | null;
}

export interface InterventionsTable {
  id: Generated<number>;
  title: string;
  title_en: string | null;
  category: ProblemCategory;
  lead_agency_id: number;
  status: Generated<'planned' | 'active' | 'done'>;
  start_date: DateText | null;
  end_date: DateText | null;
  /** bigint: selected as ::float8 so both drivers return a number. */
  budget: ColumnType<string | null, number | null | undefined, number | null>;
  beneficiaries: number | null;
  geom: Geometry | null;
  source: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InterventionPartnersTable {
  intervention_id: number;
  agency_id: number;
  commitment: string;
  commitment_en: string | null;
  progress: number;
  position: number;
}

export interface InterventionNeighbourhoodsTable {
  intervention_id: number;
  neighbourhood_id: number;
}

export interface InterventionProblemsTable {
  intervention_id: number;
  problem_id: number;
}

export type NetworkKind = 'teenagers' | 'teachers' | 'shopkeepers' | 'women' | 'elders' | 'other';

export interface NetworksTable {
  id: Generated<number>;
  neighbourhood_id: number;
  kind: NetworkKind;
  name: string;
  members: number;
  since: DateText | null;
  active: Generated<boolean>;
  source: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StageReviewsTable {
  neighbourhood_id: number;
  reviewed_at: Timestamp;
  reviewed_by: string | null;
  note: string | null;
}

/** A view (migration 0004): each neighbourhood's problem, network and intervention counts and its stage. */
export interface NeighbourhoodMethodView {
  neighbourhood_id: number;
  problems: number;
  open_problems: number;
  overdue_problems: number;
  with_agency: number;
  moving: number;
  resolved: number;
  active_networks: number;
  network_members: number;
  active_interventions: number;
  reviewed: boolean;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
  stage: number;
}

export type BoundaryLayer = 'neighbourhoods' | 'counties';

/** A file a GIS user uploaded, from preview to commit or discard (migration 0006). */
export interface BoundaryUploadsTable {
  id: Generated<number>;
  layer: BoundaryLayer;
  mode: 'merge' | 'replace';
  status: Generated<'preview' | 'committed' | 'discarded' | 'failed' | 'expired'>;
  user_id: number | null;
  username: string | null;
  file_name: string;
  file_size: number;
  format: string;
  crs: string;
  layer_name: string | null;
  feature_count: number;
  staged_count: number;
  fields: Json;
  mapping: Json;
  options: Json;
  report: Json;
  diff: Json;
  base_neighbourhoods_version: number;
  base_counties_version: number;
  committed_version: number | null;
  failure: string | null;
  created_at: Timestamp;
  decided_at: Date | null;
}

/** An upload's features, normalised; rows live until commit or discard (UNLOGGED). */
export interface BoundaryUploadFeaturesTable {
  upload_id: number;
  idx: number;
  code: string | null;
  name_fa: string | null;
  name_en: string | null;
  county: string | null;
  county_id: number | null;
  population: number | null;
  households: number | null;
  deprivation: number | null;
  informal: boolean | null;
  properties: Json;
  geom: Geometry | null;
  invalid_reason: string | null;
  rejected: string | null;
  rejected_detail: string | null;
  /** The rejection's values: field, value, limits (migration 0010). */
  rejected_values: Json | null;
  change: 'added' | 'changed' | 'unchanged' | null;
  geometry_change_pct: number | null;
}

/** One state of one neighbourhood, valid for versions [valid_from, valid_to). */
export interface NeighbourhoodVersionsTable {
  id: Generated<number>;
  code: string;
  name_fa: string;
  name_en: string;
  county_id: number;
  population: number;
  households: number;
  deprivation: number;
  informal: boolean;
  margin: boolean;
  source: string;
  license: string;
  geom: Geometry;
  valid_from: number;
  valid_to: number | null;
}

/** One state of one county, valid for versions [valid_from, valid_to). */
export interface CountyVersionsTable {
  id: Generated<number>;
  code: string;
  name_fa: string;
  name_en: string | null;
  population: number | null;
  population_date: string | null;
  source: string;
  license: string;
  geom: Geometry;
  valid_from: number;
  valid_to: number | null;
}

/** Reference layers (migration 0014): see server/layers/. */
export type ReferenceKind = 'streets' | 'facilities' | 'land_use' | 'other';
export type ReferenceGeometryType = 'point' | 'line' | 'polygon';
export type ServiceClass = 'educational' | 'social' | 'civil_environmental' | 'economic';

export interface ReferenceUploadsTable {
  id: Generated<number>;
  slug: string;
  name_fa: string;
  name_en: string;
  kind: ReferenceKind;
  geometry_type: ReferenceGeometryType;
  status: Generated<'preview' | 'committed' | 'discarded'>;
  user_id: number | null;
  username: string | null;
  file_name: string;
  format: string;
  crs: string;
  feature_count: number;
  fields: ColumnType<unknown, string, string>;
  mapping: ColumnType<unknown, string, string>;
  report: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  decided_at: Timestamp | null;
}

export interface ReferenceFeaturesTable {
  id: Generated<number>;
  upload_id: number;
  name_fa: string | null;
  name_en: string | null;
  type_value: string | null;
  service_class: ServiceClass | null;
  properties: ColumnType<unknown, string, string>;
  geom: Geometry;
}

export interface ReferenceLayersTable {
  id: Generated<number>;
  slug: string;
  name_fa: string;
  name_en: string;
  kind: ReferenceKind;
  geometry_type: ReferenceGeometryType;
  current_upload_id: number;
  version: number;
  feature_count: number;
  updated_at: Timestamp;
}

export interface ReferenceLayerVersionsTable {
  layer_id: number;
  version: number;
  upload_id: number;
  restored_from: number | null;
  created_by: string | null;
  created_at: Timestamp;
}

/** Access to services (migration 0015): see server/access/. */
export interface ServiceFacilitiesTable {
  id: Generated<number>;
  feature_id: number;
  layer_id: number;
  service_class: ServiceClass;
  geom: Geometry;
  geog: Geometry;
}

export interface NeighbourhoodAccessTable {
  neighbourhood_id: number;
  service_class: ServiceClass;
  inside: number;
  within_500m: number;
  within_1000m: number;
  nearest_m: number | null;
  residents_per_facility: number | null;
}

/** A named place of the context layer (migration 0017): a county seat or a town. */
export interface PlacesTable {
  id: Generated<number>;
  kind: 'county_seat' | 'town';
  name_fa: string | null;
  name_en: string | null;
  source: string;
  license: string;
  geom: string;
}

/** Imported indicator tables (migration 0018): see server/indicators/. */
export interface IndicatorUploadsTable {
  id: Generated<number>;
  slug: string;
  name_fa: string;
  name_en: string;
  unit_fa: string;
  unit_en: string;
  status: Generated<'preview' | 'committed' | 'discarded'>;
  user_id: number | null;
  username: string | null;
  file_name: string;
  report: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
  decided_at: Timestamp | null;
}

export interface IndicatorValuesTable {
  upload_id: number;
  indicator: string;
  neighbourhood_id: number;
  value: number;
}

export interface IndicatorSetsTable {
  id: Generated<number>;
  slug: string;
  current_upload_id: number;
  version: number;
  updated_at: Timestamp;
}

export interface IndicatorSetVersionsTable {
  set_id: number;
  version: number;
  upload_id: number;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** A composite indicator's definition (migration 0019): parts is [{ key, weight }]. */
export interface IndicatorCompositesTable {
  slug: string;
  name_fa: string;
  name_en: string;
  parts: ColumnType<unknown, string, string>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface Database {
  counties: CountiesTable;
  neighbourhoods: NeighbourhoodsTable;
  boundary_versions: BoundaryVersionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  layer_revisions: LayerRevisionsTable;
  agencies: AgenciesTable;
  problems: ProblemsTable;
  problem_events: ProblemEventsTable;
  interventions: InterventionsTable;
  intervention_partners: InterventionPartnersTable;
  intervention_neighbourhoods: InterventionNeighbourhoodsTable;
  intervention_problems: InterventionProblemsTable;
  networks: NetworksTable;
  stage_reviews: StageReviewsTable;
  neighbourhood_method: NeighbourhoodMethodView;
  indicator_uploads: IndicatorUploadsTable;
  indicator_values: IndicatorValuesTable;
  indicator_sets: IndicatorSetsTable;
  indicator_set_versions: IndicatorSetVersionsTable;
  indicator_composites: IndicatorCompositesTable;
  programmes: ProgrammesTable;
  coverage_records: CoverageRecordsTable;
  boundary_uploads: BoundaryUploadsTable;
  boundary_upload_features: BoundaryUploadFeaturesTable;
  neighbourhood_versions: NeighbourhoodVersionsTable;
  county_versions: CountyVersionsTable;
  reference_uploads: ReferenceUploadsTable;
  reference_features: ReferenceFeaturesTable;
  reference_layers: ReferenceLayersTable;
  reference_layer_versions: ReferenceLayerVersionsTable;
  service_facilities: ServiceFacilitiesTable;
  neighbourhood_access: NeighbourhoodAccessTable;
  places: PlacesTable;
}
