import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DateText as DateOf, Id as IdOf, Text as TextOf } from './primitives.js';
import { CATEGORIES, INTERVENTION_STATUSES, NETWORK_KINDS, PROBLEM_STATUSES, type ProblemStatus } from './method-enums.js';

// The programme's method (issue 5): agencies, problems and their events, interventions,
// networks and the three stages. Field names are a contract with scripts and other
// systems: change them only with a new API version.
// This file imports nothing from schemas.ts (only primitives.ts), which imports NeighbourhoodMethod from here.

export {
  CATEGORIES, INTERVENTION_STATUSES, NETWORK_KINDS, NEXT_STATUSES, PROBLEM_STATUSES,
  type Category, type InterventionStatus, type NetworkKind, type ProblemStatus,
} from './method-enums.js';
/** 0 nothing recorded, 1 identifying problems, 2 reviewed: action and follow-up, 3 local networks active. */
export const STAGES = [0, 1, 2, 3] as const;

/**
 * A string enum as JSON Schema `enum` (not TypeBox's anyOf of literals), so a wrong value
 * fails with one clear message naming the field and listing the allowed values.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/**
 * A nullable scalar for request bodies, as `type: [t, 'null']`. The server's Ajv coerces
 * types, and inside an anyOf it would turn null into 0 or '' before trying the null branch;
 * with a type list, null is simply a null.
 */
function NullableInput<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [(schema as unknown as { type: string }).type, 'null'] });
}

const Id = IdOf();
const DateText = DateOf();
const Timestamp = Type.String({ format: 'date-time' });
const Text = (maxLength: number) => TextOf({ maxLength });
const RequiredText = (maxLength: number) => TextOf({ minLength: 1, maxLength });

// ---- agencies

export const Agency = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name_fa: Type.String(),
  name_en: Type.String(),
});
export type Agency = Static<typeof Agency>;

export const AgencyList = Type.Object({ items: Type.Array(Agency) });
export type AgencyList = Static<typeof AgencyList>;

export const CreateAgencyBody = Type.Object(
  {
    slug: Type.Optional(Type.String({ minLength: 2, maxLength: 60, pattern: '^[a-z0-9_]+$', description: 'lower-case letters, digits and _; made from name_en when absent' })),
    name_fa: RequiredText(200),
    name_en: RequiredText(200),
  },
  { additionalProperties: false },
);
export type CreateAgencyBody = Static<typeof CreateAgencyBody>;

const SummaryProblem = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  neighbourhood_id: Type.Integer(),
  status: StringEnum(PROBLEM_STATUSES),
  due_date: Nullable(Type.String()),
});

export const AgencySummary = Type.Object({
  agency: Agency,
  problems: Type.Object({
    total: Type.Integer(),
    open: Type.Integer(),
    overdue: Type.Integer(),
    resolved: Type.Integer(),
    blocked: Type.Integer(),
  }),
  /** Oldest due date first: who is late, and with what. */
  overdue_problems: Type.Array(SummaryProblem),
  interventions: Type.Object({
    led: Type.Integer(),
    joined: Type.Integer(),
    items: Type.Array(Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      title_en: Nullable(Type.String()),
      status: StringEnum(INTERVENTION_STATUSES),
      role: StringEnum(['lead', 'partner'] as const),
      progress: Nullable(Type.Integer()),
    })),
  }),
});
export type AgencySummary = Static<typeof AgencySummary>;

// ---- problems

export const Problem = Type.Object({
  id: Type.Integer(),
  neighbourhood_id: Type.Integer(),
  category: StringEnum(CATEGORIES),
  title: Type.String(),
  description: Type.String(),
  severity: Type.Integer({ minimum: 1, maximum: 5 }),
  status: StringEnum(PROBLEM_STATUSES),
  agency_id: Nullable(Type.Integer()),
  due_date: Nullable(Type.String()),
  blocked_reason: Nullable(Type.String()),
  /** Past its due date and not resolved. */
  overdue: Type.Boolean(),
  /** Interventions that answer this problem. */
  intervention_ids: Type.Array(Type.Integer()),
  source: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Problem = Static<typeof Problem>;

export const ProblemList = Type.Object({ items: Type.Array(Problem) });
export type ProblemList = Static<typeof ProblemList>;

export const ProblemsQuery = Type.Object(
  {
    neighbourhood: Type.Optional(IdOf({ description: 'neighbourhood id' })),
    county: Type.Optional(IdOf({ description: 'county id' })),
    category: Type.Optional(StringEnum(CATEGORIES)),
    status: Type.Optional(StringEnum([...PROBLEM_STATUSES, 'open'] as const, { description: "a status, or 'open' for every status but resolved" })),
    agency: Type.Optional(IdOf({ description: 'responsible agency id' })),
    overdue: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProblemsQuery = Static<typeof ProblemsQuery>;

const ProblemFields = {
  category: StringEnum(CATEGORIES),
  title: RequiredText(200),
  description: Text(5000),
  severity: Type.Integer({ minimum: 1, maximum: 5 }),
  status: StringEnum(PROBLEM_STATUSES),
  agency_id: NullableInput(Id),
  due_date: NullableInput(DateText),
  blocked_reason: NullableInput(RequiredText(1000)),
  /** Why: kept in the problem's history. Needed to move a problem to another agency or to reopen it. */
  note: RequiredText(2000),
};

export const CreateProblemBody = Type.Object(
  {
    neighbourhood_id: Id,
    category: ProblemFields.category,
    title: ProblemFields.title,
    description: Type.Optional(ProblemFields.description),
    severity: ProblemFields.severity,
    status: Type.Optional(ProblemFields.status),
    agency_id: Type.Optional(ProblemFields.agency_id),
    due_date: Type.Optional(ProblemFields.due_date),
    blocked_reason: Type.Optional(ProblemFields.blocked_reason),
    note: Type.Optional(ProblemFields.note),
  },
  { additionalProperties: false },
);
export type CreateProblemBody = Static<typeof CreateProblemBody>;

export const UpdateProblemBody = Type.Object(
  {
    category: Type.Optional(ProblemFields.category),
    title: Type.Optional(ProblemFields.title),
    description: Type.Optional(ProblemFields.description),
    severity: Type.Optional(ProblemFields.severity),
    status: Type.Optional(ProblemFields.status),
    agency_id: Type.Optional(ProblemFields.agency_id),
    due_date: Type.Optional(ProblemFields.due_date),
    blocked_reason: Type.Optional(ProblemFields.blocked_reason),
    note: Type.Optional(ProblemFields.note),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProblemBody = Static<typeof UpdateProblemBody>;

export const ProblemChange = Type.Object({
  field: Type.String(),
  from: Type.Union([Type.String(), Type.Number(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Number(), Type.Null()]),
});
export type ProblemChange = Static<typeof ProblemChange>;

export const ProblemEvent = Type.Object({
  id: Type.Integer(),
  problem_id: Type.Integer(),
  at: Timestamp,
  username: Nullable(Type.String()),
  action: StringEnum(['create', 'update'] as const),
  changes: Type.Array(ProblemChange),
  note: Nullable(Type.String()),
});
export type ProblemEvent = Static<typeof ProblemEvent>;

export const ProblemEventList = Type.Object({ items: Type.Array(ProblemEvent) });
export type ProblemEventList = Static<typeof ProblemEventList>;

/** A refused workflow step: 409 with the states the problem may move to from where it is. */
export const WorkflowConflict = Type.Object({
  error: Type.String(),
  message: Type.String(),
  status: Type.Optional(StringEnum(PROBLEM_STATUSES)),
  allowed: Type.Optional(Type.Array(StringEnum(PROBLEM_STATUSES))),
});
export type WorkflowConflict = Static<typeof WorkflowConflict>;

// ---- interventions

/** Point, Polygon or MultiPolygon in longitude/latitude; checked in detail by the server. */
export const InterventionGeometry = Type.Object(
  {
    type: StringEnum(['Point', 'Polygon', 'MultiPolygon'] as const),
    coordinates: Type.Array(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type InterventionGeometry = Static<typeof InterventionGeometry>;

export const Partner = Type.Object({
  agency_id: Type.Integer(),
  commitment: Type.String(),
  commitment_en: Nullable(Type.String()),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
});
export type Partner = Static<typeof Partner>;

export const Intervention = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  title_en: Nullable(Type.String()),
  category: StringEnum(CATEGORIES),
  lead_agency_id: Type.Integer(),
  partners: Type.Array(Partner),
  neighbourhood_ids: Type.Array(Type.Integer()),
  problem_ids: Type.Array(Type.Integer()),
  status: StringEnum(INTERVENTION_STATUSES),
  start_date: Nullable(Type.String()),
  end_date: Nullable(Type.String()),
  /** Rials. */
  budget: NullableInput(Type.Integer()),
  beneficiaries: Nullable(Type.Integer()),
  geometry: Nullable(Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) })),
  source: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Intervention = Static<typeof Intervention>;

export const InterventionList = Type.Object({ items: Type.Array(Intervention) });
export type InterventionList = Static<typeof InterventionList>;

export const InterventionsQuery = Type.Object(
  {
    neighbourhood: Type.Optional(IdOf({ description: 'neighbourhood id' })),
    county: Type.Optional(IdOf({ description: 'county id' })),
    category: Type.Optional(StringEnum(CATEGORIES)),
    status: Type.Optional(StringEnum(INTERVENTION_STATUSES)),
    agency: Type.Optional(IdOf({ description: 'agency id, as lead or partner' })),
  },
  { additionalProperties: false },
);
export type InterventionsQuery = Static<typeof InterventionsQuery>;

const PartnerInput = Type.Object(
  {
    agency_id: Id,
    commitment: Type.Optional(Text(1000)),
    commitment_en: Type.Optional(NullableInput(Text(1000))),
    progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type PartnerInput = Static<typeof PartnerInput>;

const InterventionFields = {
  title: RequiredText(300),
  title_en: NullableInput(Text(300)),
  category: StringEnum(CATEGORIES),
  lead_agency_id: Id,
  partners: Type.Array(PartnerInput, { maxItems: 50 }),
  neighbourhood_ids: Type.Array(Id, { minItems: 1, maxItems: 500 }),
  problem_ids: Type.Array(Id, { maxItems: 500 }),
  status: StringEnum(INTERVENTION_STATUSES),
  start_date: NullableInput(DateText),
  end_date: NullableInput(DateText),
  budget: NullableInput(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'rials' })),
  beneficiaries: NullableInput(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  geometry: Nullable(InterventionGeometry),
};

export const CreateInterventionBody = Type.Object(
  {
    title: InterventionFields.title,
    title_en: Type.Optional(InterventionFields.title_en),
    category: InterventionFields.category,
    lead_agency_id: InterventionFields.lead_agency_id,
    partners: Type.Optional(InterventionFields.partners),
    neighbourhood_ids: InterventionFields.neighbourhood_ids,
    problem_ids: Type.Optional(InterventionFields.problem_ids),
    status: Type.Optional(InterventionFields.status),
    start_date: Type.Optional(InterventionFields.start_date),
    end_date: Type.Optional(InterventionFields.end_date),
    budget: Type.Optional(InterventionFields.budget),
    beneficiaries: Type.Optional(InterventionFields.beneficiaries),
    geometry: Type.Optional(InterventionFields.geometry),
  },
  { additionalProperties: false },
);
export type CreateInterventionBody = Static<typeof CreateInterventionBody>;

export const UpdateInterventionBody = Type.Partial(CreateInterventionBody, { additionalProperties: false, minProperties: 1 });
export type UpdateInterventionBody = Static<typeof UpdateInterventionBody>;

// ---- networks

export const Network = Type.Object({
  id: Type.Integer(),
  neighbourhood_id: Type.Integer(),
  kind: StringEnum(NETWORK_KINDS),
  name: Type.String(),
  members: Type.Integer(),
  since: Nullable(Type.String()),
  active: Type.Boolean(),
  source: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Network = Static<typeof Network>;

export const NetworkList = Type.Object({ items: Type.Array(Network) });
export type NetworkList = Static<typeof NetworkList>;

export const NetworksQuery = Type.Object(
  {
    neighbourhood: Type.Optional(IdOf({ description: 'neighbourhood id' })),
    kind: Type.Optional(StringEnum(NETWORK_KINDS)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NetworksQuery = Static<typeof NetworksQuery>;

export const CreateNetworkBody = Type.Object(
  {
    neighbourhood_id: Id,
    kind: StringEnum(NETWORK_KINDS),
    name: RequiredText(200),
    members: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    since: Type.Optional(NullableInput(DateText)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateNetworkBody = Static<typeof CreateNetworkBody>;

export const UpdateNetworkBody = Type.Partial(
  Type.Omit(CreateNetworkBody, ['neighbourhood_id']),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateNetworkBody = Static<typeof UpdateNetworkBody>;

// ---- the three stages

export const NeighbourhoodStage = Type.Object({
  stage: Type.Integer({ minimum: 0, maximum: 3 }),
  stage1: Type.Object({
    problems: Type.Integer(),
    reviewed: Type.Boolean(),
    reviewed_at: Nullable(Timestamp),
    reviewed_by: Nullable(Type.String()),
    note: Nullable(Type.String()),
  }),
  stage2: Type.Object({
    problems: Type.Integer(),
    with_agency: Type.Integer(),
    /** With a responsible agency and assigned, in progress or resolved. */
    moving: Type.Integer(),
    resolved: Type.Integer(),
    open: Type.Integer(),
    overdue: Type.Integer(),
    /** moving / problems, 0…1; null without problems. */
    share_moving: Nullable(Type.Number()),
  }),
  stage3: Type.Object({
    active_networks: Type.Integer(),
    members: Type.Integer(),
  }),
});
export type NeighbourhoodStage = Static<typeof NeighbourhoodStage>;

export const StageRow = Type.Composite([
  Type.Object({
    neighbourhood_id: Type.Integer(),
    code: Type.String(),
    name_fa: Type.String(),
    name_en: Type.String(),
    county_id: Type.Integer(),
    county_fa: Type.String(),
    county_en: Nullable(Type.String()),
    population: Type.Integer(),
    deprivation: Type.Integer(),
  }),
  NeighbourhoodStage,
]);
export type StageRow = Static<typeof StageRow>;

export const StageTable = Type.Object({
  items: Type.Array(StageRow),
  /** Neighbourhoods at each stage, "0" … "3". */
  counts: Type.Object({ '0': Type.Integer(), '1': Type.Integer(), '2': Type.Integer(), '3': Type.Integer() }),
});
export type StageTable = Static<typeof StageTable>;

export const StagesQuery = Type.Object(
  {
    county: Type.Optional(IdOf({ description: 'county id' })),
    stage: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  },
  { additionalProperties: false },
);
export type StagesQuery = Static<typeof StagesQuery>;

export const StageReviewBody = Type.Object(
  { reviewed: Type.Boolean(), note: Type.Optional(NullableInput(Text(2000))) },
  { additionalProperties: false },
);
export type StageReviewBody = Static<typeof StageReviewBody>;

// ---- a neighbourhood's method, inside GET /api/neighbourhoods/:id

const CountsBy = <T extends readonly string[]>(keys: T) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])) as Record<T[number], ReturnType<typeof Type.Integer>>);

export const NeighbourhoodMethod = Type.Object({
  problems: Type.Object({
    by_category: CountsBy(CATEGORIES),
    by_status: CountsBy(PROBLEM_STATUSES),
    items: Type.Array(Problem),
  }),
  interventions: Type.Array(Intervention),
  networks: Type.Array(Network),
  stage: NeighbourhoodStage,
});
export type NeighbourhoodMethod = Static<typeof NeighbourhoodMethod>;

/** The counts every neighbourhood feature carries, so the map can style by them. */
export const NeighbourhoodMethodCounts = {
  open_problems: Type.Integer(),
  overdue_problems: Type.Integer(),
  active_interventions: Type.Integer(),
  active_networks: Type.Integer(),
  stage: Type.Integer({ minimum: 0, maximum: 3 }),
};
