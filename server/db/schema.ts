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
}

export interface LayerRevisionsTable {
  layer: string;
  revision: Generated<number>;
  changed_at: Timestamp;
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
}
