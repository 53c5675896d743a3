/**
 * The method's words as plain lists, without TypeBox: the client imports these, and a value
 * import of method-schemas.ts would bring the whole schema library into the map's bundle.
 * method-schemas.ts builds its schemas from them and re-exports them.
 */
export const CATEGORIES = ['educational', 'social', 'civil_environmental', 'economic'] as const;
export type Category = (typeof CATEGORIES)[number];

export const PROBLEM_STATUSES = ['identified', 'assigned', 'in_progress', 'resolved', 'blocked'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** The problem workflow's steps (rules in server/problems/workflow.ts). */
export const NEXT_STATUSES: Readonly<Record<ProblemStatus, readonly ProblemStatus[]>> = {
  identified: ['assigned'],
  assigned: ['in_progress', 'resolved', 'blocked'],
  in_progress: ['resolved', 'blocked'],
  blocked: ['assigned', 'in_progress'],
  resolved: ['in_progress'],
};

export const INTERVENTION_STATUSES = ['planned', 'active', 'done'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

export const NETWORK_KINDS = ['teenagers', 'teachers', 'shopkeepers', 'women', 'elders', 'other'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** The service classes of facilities (reference layers) are the method's four categories. */
export const SERVICE_CLASSES = CATEGORIES;
export type ServiceClass = Category;
