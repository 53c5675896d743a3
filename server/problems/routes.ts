import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import {
  CreateProblemBody, Problem, ProblemEventList, ProblemList, ProblemsQuery, UpdateProblemBody, WorkflowConflict,
} from '../../shared/method-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { requireIds, requireQueryReferences } from '../db/references.js';
import type { CsvColumn } from '../exports/csv.js';
import { sendCsv, sendGeoPackage } from '../exports/reply.js';
import { EXPORT_ATTRIBUTION } from '../exports/attribution.js';
import { planProblemChange, type WorkflowRefusal } from './workflow.js';
import {
  findProblem, insertProblem, insertProblemEvent, listProblemEvents, listProblems, listProblemsForExport,
  lockProblemState, problemsGeoJson, updateProblem, type ProblemExportRow, type ProblemFilter,
} from './queries.js';

export const problemRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  /** The query string as a filter, after checking that the agency, neighbourhood and county it names exist. */
  async function filterOf(query: ProblemsQuery): Promise<ProblemFilter> {
    await requireQueryReferences(db, query);
    return {
      neighbourhoodId: query.neighbourhood,
      countyId: query.county,
      category: query.category,
      status: query.status,
      agencyId: query.agency,
      overdue: query.overdue,
    };
  }

  app.get<{ Querystring: ProblemsQuery }>('/api/problems', {
    config: { resource: 'problems' },
    schema: { querystring: ProblemsQuery, response: { 200: ProblemList, 400: ErrorResponse } },
    handler: async (request) => ({ items: await listProblems(db, await filterOf(request.query)) }),
  });

  app.get<{ Querystring: ProblemsQuery }>('/api/problems.csv', {
    config: { resource: 'problems' },
    schema: { querystring: ProblemsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const rows = await listProblemsForExport(db, await filterOf(request.query));
      return sendCsv(reply, 'problems.csv', PROBLEM_COLUMNS, rows);
    },
  });

  app.get<{ Querystring: ProblemsQuery }>('/api/problems.geojson', {
    config: { resource: 'problems' },
    schema: { querystring: ProblemsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = await problemsGeoJson(db, await filterOf(request.query));
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="problems.geojson"')
        .send(body);
    },
  });

  app.get<{ Querystring: ProblemsQuery }>('/api/problems.gpkg', {
    config: { resource: 'problems' },
    schema: { querystring: ProblemsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = await problemsGeoJson(db, await filterOf(request.query));
      return sendGeoPackage(reply, 'problems.gpkg', body, 'problems', 'Problems of the neighbourhoods, each at a point inside its neighbourhood');
    },
  });

  app.post<{ Body: CreateProblemBody }>('/api/problems', {
    config: { resource: 'problems' },
    schema: { body: CreateProblemBody, response: { 201: Problem, 400: ErrorResponse, 409: WorkflowConflict } },
    handler: async (request, reply) => {
      const { neighbourhood_id: neighbourhoodId, note, ...fields } = request.body;
      const problem = await db.transaction().execute(async (trx) => {
        await requireIds(trx, 'neighbourhoods', [neighbourhoodId], 'neighbourhood_id (body)');
        if (fields.agency_id != null) await requireIds(trx, 'agencies', [fields.agency_id], 'agency_id (body)');
        const plan = planProblemChange(null, { ...fields, note });
        if (!plan.ok) throw refusalError(plan.refusal);
        const id = await insertProblem(trx, { ...plan.next, neighbourhood_id: neighbourhoodId });
        await insertProblemEvent(trx, { problemId: id, actor: request.user, action: 'create', changes: plan.changes, note: note?.trim() || null });
        const created = (await findProblem(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'problems', entityId: id, after: created });
        return created;
      });
      return reply.code(201).send(problem);
    },
  });

  app.get<{ Params: IdParams }>('/api/problems/:id', {
    config: { resource: 'problems' },
    schema: { params: IdParams, response: { 200: Problem, 404: ErrorResponse } },
    handler: async (request) => {
      const problem = await findProblem(db, request.params.id);
      if (!problem) throw notFound('problem', request.params.id);
      return problem;
    },
  });

  app.patch<{ Params: IdParams; Body: UpdateProblemBody }>('/api/problems/:id', {
    config: { resource: 'problems' },
    schema: {
      params: IdParams,
      body: UpdateProblemBody,
      response: { 200: Problem, 400: ErrorResponse, 404: ErrorResponse, 409: WorkflowConflict },
    },
    handler: async (request) => {
      const { id } = request.params;
      const { note, ...fields } = request.body;
      return db.transaction().execute(async (trx) => {
        const current = await lockProblemState(trx, id);
        if (!current) throw notFound('problem', id);
        if (fields.agency_id != null) await requireIds(trx, 'agencies', [fields.agency_id], 'agency_id (body)');
        const plan = planProblemChange(current, { ...fields, note });
        if (!plan.ok) throw refusalError(plan.refusal);
        const trimmedNote = note?.trim() || null;
        // Nothing changed and nothing to say: no event, no audit entry.
        if (plan.changes.length === 0 && !trimmedNote) return (await findProblem(trx, id))!;
        const before = await findProblem(trx, id);
        if (plan.changes.length > 0) await updateProblem(trx, id, plan.next);
        await insertProblemEvent(trx, { problemId: id, actor: request.user, action: 'update', changes: plan.changes, note: trimmedNote });
        const after = (await findProblem(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: 'update', entity: 'problems', entityId: id, before, after: { ...after, note: trimmedNote } });
        return after;
      });
    },
  });

  // For a problem entered by mistake. Its history goes with it; the audit log keeps the
  // problem as it was, and interventions that named it stop naming it.
  app.delete<{ Params: IdParams }>('/api/problems/:id', {
    config: { resource: 'problems' },
    schema: { params: IdParams, response: { 404: ErrorResponse } },
    handler: async (request, reply) => {
      const { id } = request.params;
      await db.transaction().execute(async (trx) => {
        if (!(await lockProblemState(trx, id))) throw notFound('problem', id);
        const before = await findProblem(trx, id);
        await trx.deleteFrom('problems').where('id', '=', id).execute();
        await recordAudit(trx, { actor: request.user, action: 'delete', entity: 'problems', entityId: id, before });
      });
      return reply.code(204).send();
    },
  });

  app.get<{ Params: IdParams }>('/api/problems/:id/events', {
    config: { resource: 'problems' },
    schema: { params: IdParams, response: { 200: ProblemEventList, 404: ErrorResponse } },
    handler: async (request) => {
      const problem = await findProblem(db, request.params.id);
      if (!problem) throw notFound('problem', request.params.id);
      return { items: await listProblemEvents(db, request.params.id) };
    },
  });
};

function refusalError(refusal: WorkflowRefusal): AppError {
  if (refusal.kind === 'field') return new AppError('invalid_request', refusal.message);
  return new AppError('conflict', refusal.message, { status: refusal.from, allowed: [...refusal.allowed] });
}

const PROBLEM_COLUMNS: CsvColumn<ProblemExportRow>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'neighbourhood_id', value: (r) => r.neighbourhood_id },
  { header: 'neighbourhood_code', value: (r) => r.neighbourhood_code },
  { header: 'neighbourhood_fa', value: (r) => r.neighbourhood_fa },
  { header: 'neighbourhood_en', value: (r) => r.neighbourhood_en },
  { header: 'county_fa', value: (r) => r.county_fa },
  { header: 'county_en', value: (r) => r.county_en },
  { header: 'category', value: (r) => r.category },
  { header: 'title', value: (r) => r.title },
  { header: 'description', value: (r) => r.description },
  { header: 'severity', value: (r) => r.severity },
  { header: 'status', value: (r) => r.status },
  { header: 'agency_id', value: (r) => r.agency_id },
  { header: 'agency_fa', value: (r) => r.agency_fa },
  { header: 'agency_en', value: (r) => r.agency_en },
  { header: 'due_date', value: (r) => r.due_date },
  { header: 'overdue', value: (r) => r.overdue },
  { header: 'blocked_reason', value: (r) => r.blocked_reason },
  { header: 'source', value: (r) => r.source },
  { header: 'created_at', value: (r) => r.created_at },
  { header: 'updated_at', value: (r) => r.updated_at },
  { header: 'lon', value: (r) => r.lon },
  { header: 'lat', value: (r) => r.lat },
  { header: 'attribution', value: () => EXPORT_ATTRIBUTION },
];
