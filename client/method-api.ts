import { apiUrl, request } from './api';
import type {
  Agency, AgencyList, AgencySummary, Category, CreateAgencyBody, CreateInterventionBody, CreateNetworkBody, CreateProblemBody,
  Intervention, InterventionList, InterventionStatus, Network, NeighbourhoodMethod, NeighbourhoodStage, ProblemStatus,
  Problem, ProblemEvent, ProblemEventList, ProblemList, StageTable, UpdateInterventionBody, UpdateNetworkBody,
  UpdateProblemBody,
} from '../shared/method-schemas';

// The programme's method over the JSON API (shared/method-schemas.ts has the shapes).

export type {
  Agency, AgencySummary, Category, Intervention, InterventionStatus, Network, NeighbourhoodMethod, NeighbourhoodStage,
  Problem, ProblemEvent, ProblemStatus, StageTable,
};

/** The map's filters, shared by the overlays, the lists and the exports. */
export interface MethodFilter {
  category?: Category | undefined;
  status?: ProblemStatus | 'open' | undefined;
  agency?: number | undefined;
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function fetchAgencies(signal?: AbortSignal): Promise<AgencyList> {
  return request(apiUrl('/api/agencies'), { signal });
}

export function fetchProblems(filter: MethodFilter & { neighbourhood?: number }, signal?: AbortSignal): Promise<ProblemList> {
  return request(apiUrl('/api/problems', { ...filter }), { signal });
}

export function fetchProblemEvents(id: number, signal?: AbortSignal): Promise<ProblemEventList> {
  return request(apiUrl(`/api/problems/${id}/events`), { signal });
}

export function createProblem(body: CreateProblemBody): Promise<Problem> {
  return request(apiUrl('/api/problems'), { method: 'POST', ...json(body) });
}

export function updateProblem(id: number, body: UpdateProblemBody): Promise<Problem> {
  return request(apiUrl(`/api/problems/${id}`), { method: 'PATCH', ...json(body) });
}

export function createIntervention(body: CreateInterventionBody): Promise<Intervention> {
  return request(apiUrl('/api/interventions'), { method: 'POST', ...json(body) });
}

export function updateIntervention(id: number, body: UpdateInterventionBody): Promise<Intervention> {
  return request(apiUrl(`/api/interventions/${id}`), { method: 'PATCH', ...json(body) });
}

export function createNetwork(body: CreateNetworkBody): Promise<Network> {
  return request(apiUrl('/api/networks'), { method: 'POST', ...json(body) });
}

export function updateNetwork(id: number, body: UpdateNetworkBody): Promise<Network> {
  return request(apiUrl(`/api/networks/${id}`), { method: 'PATCH', ...json(body) });
}

/** Deletes a problem, intervention or network entered by mistake (the audit log keeps it). */
export function deleteRecord(kind: 'problems' | 'interventions' | 'networks', id: number): Promise<void> {
  return request(apiUrl(`/api/${kind}/${id}`), { method: 'DELETE' });
}

export function fetchStages(signal?: AbortSignal): Promise<StageTable> {
  return request(apiUrl('/api/stages'), { signal });
}

export function setReviewed(neighbourhoodId: number, reviewed: boolean, note?: string): Promise<NeighbourhoodStage> {
  return request(apiUrl(`/api/stages/${neighbourhoodId}/review`), { method: 'PUT', ...json({ reviewed, ...(note ? { note } : {}) }) });
}

/** Download links that carry the active filters. */
export function exportUrl(kind: 'problems' | 'interventions', format: 'csv' | 'geojson', filter: MethodFilter): string {
  const params = kind === 'problems'
    ? { category: filter.category, status: filter.status, agency: filter.agency }
    : { category: filter.category, agency: filter.agency };
  return apiUrl(`/api/${kind}.${format}`, params);
}

// ── after an edit ─────────────────────────────────────────────

const changeListeners = new Set<() => void>();

/** Something of the method changed (a problem, intervention, network or review): overlays refresh. */
export function methodChanged(): void {
  for (const listener of changeListeners) listener();
}

export function onMethodChanged(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

// ── agencies, fetched once per page ───────────────────────────

let agencies: Promise<Agency[]> | undefined;

export function loadAgencies(): Promise<Agency[]> {
  agencies ??= fetchAgencies().then((list) => list.items).catch((error: unknown) => {
    agencies = undefined;
    throw error;
  });
  return agencies;
}

const agencyListeners = new Set<(items: Agency[]) => void>();

/** Adds an agency; every agency list on the page then offers it. */
export async function createAgency(body: CreateAgencyBody): Promise<Agency> {
  const created = await request<Agency>(apiUrl('/api/agencies'), { method: 'POST', ...json(body) });
  agencies = undefined;
  const items = await loadAgencies();
  for (const listener of agencyListeners) listener(items);
  return created;
}

export function onAgenciesChanged(listener: (items: Agency[]) => void): () => void {
  agencyListeners.add(listener);
  return () => agencyListeners.delete(listener);
}
