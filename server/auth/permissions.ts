import type { Role } from '../db/schema.js';

export const ROLES = ['admin', 'planner', 'commander', 'gis'] as const satisfies readonly Role[];

export type Resource =
  | 'session' | 'tokens' | 'users' | 'audit'
  | 'neighbourhoods' | 'counties' | 'tiles'
  | 'agencies' | 'problems' | 'interventions' | 'networks' | 'stages'
  | 'programmes' | 'coverage' | 'boundaries' | 'ogc' | 'layers' | 'indicators';

export type Action = 'read' | 'write';

const everyone: readonly Role[] = ROLES;

/**
 * Who may read and who may write each resource: the one statement of the rules.
 * Every /api and /tiles route names its resource (route config `resource`), reads are
 * GET and HEAD, everything else writes; tests/api/permissions.test.ts walks every route
 * and role against this table.
 */
export const PERMISSIONS: Record<Resource, Record<Action, readonly Role[]>> = {
  session:        { read: everyone, write: everyone },
  tokens:         { read: everyone, write: everyone }, // each user's own tokens
  users:          { read: ['admin'], write: ['admin'] },
  audit:          { read: ['admin'], write: ['admin'] },
  neighbourhoods: { read: everyone, write: ['admin'] }, // boundaries change through uploads
  counties:       { read: everyone, write: ['admin'] },
  tiles:          { read: everyone, write: ['admin'] },
  agencies:       { read: everyone, write: ['admin', 'planner'] },
  problems:       { read: everyone, write: ['admin', 'planner'] },
  interventions:  { read: everyone, write: ['admin', 'planner'] },
  networks:       { read: everyone, write: ['admin', 'planner'] },
  stages:         { read: everyone, write: ['admin', 'planner'] },
  programmes:     { read: everyone, write: ['admin'] },
  coverage:       { read: everyone, write: ['admin', 'commander'] },
  boundaries:     { read: everyone, write: ['admin', 'gis'] },
  ogc:            { read: everyone, write: ['admin'] }, // OGC API Features: reads only
  layers:         { read: everyone, write: ['admin', 'gis'] }, // reference layers
  indicators:     { read: everyone, write: ['admin', 'planner', 'gis'] }, // imported indicator tables
};

export function allowedRoles(resource: Resource, action: Action): readonly Role[] {
  return PERMISSIONS[resource][action];
}

export function isAllowed(role: Role, resource: Resource, action: Action): boolean {
  return PERMISSIONS[resource][action].includes(role);
}

export function actionOf(method: string): Action {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}
