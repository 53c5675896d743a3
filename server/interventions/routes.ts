import type { FastifyPluginAsync } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import {
  CreateInterventionBody, Intervention, InterventionList, InterventionsQuery, UpdateInterventionBody,
  type InterventionGeometry, type PartnerInput,
} from '../../shared/method-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { existingIds, requireIds, requireQueryReferences } from '../db/references.js';
import type { CsvColumn } from '../exports/csv.js';
import { sendCsv, sendGeoPackage } from '../exports/reply.js';
import { EXPORT_ATTRIBUTION } from '../exports/attribution.js';
import { geometryProblem } from './geometry.js';
import {
  findIntervention, geometryInvalidReason, insertIntervention, interventionExists, interventionsGeoJson, listInterventions,
  listInterventionsForExport, problemsOutsideServedNeighbourhoods, replaceNeighbourhoods, replacePartners, replaceProblems,
  updateIntervention, type InterventionExportRow, type InterventionFilter, type InterventionValues,
} from './queries.js';

export const interventionRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  async function filterOf(query: InterventionsQuery): Promise<InterventionFilter> {
    await requireQueryReferences(db, query);
    return {
      neighbourhoodId: query.neighbourhood,
      countyId: query.county,
      category: query.category,
      status: query.status,
      agencyId: query.agency,
    };
  }

  app.get<{ Querystring: InterventionsQuery }>('/api/interventions', {
    config: { resource: 'interventions' },
    schema: { querystring: InterventionsQuery, response: { 200: InterventionList, 400: ErrorResponse } },
    handler: async (request) => ({ items: await listInterventions(db, await filterOf(request.query)) }),
  });

  app.get<{ Querystring: InterventionsQuery }>('/api/interventions.csv', {
    config: { resource: 'interventions' },
    schema: { querystring: InterventionsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const rows = await listInterventionsForExport(db, await filterOf(request.query));
      return sendCsv(reply, 'interventions.csv', INTERVENTION_COLUMNS, rows);
    },
  });

  app.get<{ Querystring: InterventionsQuery }>('/api/interventions.geojson', {
    config: { resource: 'interventions' },
    schema: { querystring: InterventionsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = await interventionsGeoJson(db, await filterOf(request.query));
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="interventions.geojson"')
        .send(body);
    },
  });

  // Points and areas in layers of their own: interventions_points and interventions_areas.
  app.get<{ Querystring: InterventionsQuery }>('/api/interventions.gpkg', {
    config: { resource: 'interventions' },
    schema: { querystring: InterventionsQuery, response: { 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = await interventionsGeoJson(db, await filterOf(request.query));
      return sendGeoPackage(reply, 'interventions.gpkg', body, 'interventions', 'Interventions: drawn areas and points, or a point in the neighbourhoods they serve');
    },
  });

  app.get<{ Params: IdParams }>('/api/interventions/:id', {
    config: { resource: 'interventions' },
    schema: { params: IdParams, response: { 200: Intervention, 404: ErrorResponse } },
    handler: async (request) => {
      const intervention = await findIntervention(db, request.params.id);
      if (!intervention) throw notFound('intervention', request.params.id);
      return intervention;
    },
  });

  app.post<{ Body: CreateInterventionBody }>('/api/interventions', {
    config: { resource: 'interventions' },
    schema: { body: CreateInterventionBody, response: { 201: Intervention, 400: ErrorResponse } },
    handler: async (request, reply) => {
      const body = request.body;
      const created = await db.transaction().execute(async (trx) => {
        const values: InterventionValues = {
          title: body.title,
          title_en: body.title_en ?? null,
          category: body.category,
          lead_agency_id: body.lead_agency_id,
          status: body.status ?? 'planned',
          start_date: body.start_date ?? null,
          end_date: body.end_date ?? null,
          budget: body.budget ?? null,
          beneficiaries: body.beneficiaries ?? null,
          geometry: body.geometry ?? null,
        };
        await checkValues(trx, values, body.partners ?? [], body.neighbourhood_ids, body.problem_ids ?? []);
        const id = await insertIntervention(trx, normalised(values));
        await replacePartners(trx, id, body.partners ?? []);
        await replaceNeighbourhoods(trx, id, body.neighbourhood_ids);
        await replaceProblems(trx, id, body.problem_ids ?? []);
        await checkProblemsServed(trx, id);
        const after = (await findIntervention(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'interventions', entityId: id, after });
        return after;
      });
      return reply.code(201).send(created);
    },
  });

  app.patch<{ Params: IdParams; Body: UpdateInterventionBody }>('/api/interventions/:id', {
    config: { resource: 'interventions' },
    schema: { params: IdParams, body: UpdateInterventionBody, response: { 200: Intervention, 400: ErrorResponse, 404: ErrorResponse } },
    handler: async (request) => {
      const { id } = request.params;
      const { partners, neighbourhood_ids: neighbourhoodIds, problem_ids: problemIds, ...fields } = request.body;
      return db.transaction().execute(async (trx) => {
        if (!(await interventionExists(trx, id, true))) throw notFound('intervention', id);
        const before = (await findIntervention(trx, id))!;
        const merged: InterventionValues = {
          title: fields.title ?? before.title,
          title_en: fields.title_en !== undefined ? fields.title_en : before.title_en,
          category: fields.category ?? before.category,
          lead_agency_id: fields.lead_agency_id ?? before.lead_agency_id,
          status: fields.status ?? before.status,
          start_date: fields.start_date !== undefined ? fields.start_date : before.start_date,
          end_date: fields.end_date !== undefined ? fields.end_date : before.end_date,
          budget: fields.budget !== undefined ? fields.budget : before.budget,
          beneficiaries: fields.beneficiaries !== undefined ? fields.beneficiaries : before.beneficiaries,
          geometry: fields.geometry !== undefined ? fields.geometry : (before.geometry as InterventionGeometry | null),
        };
        await checkValues(trx, merged, partners ?? [], neighbourhoodIds ?? [], problemIds ?? []);
        const changed = normalised(merged);
        // Only the columns the request names are written (an untouched geometry is not re-parsed).
        const columns = Object.fromEntries(Object.keys(fields).map((k) => [k, changed[k as keyof InterventionValues]]));
        await updateIntervention(trx, id, columns);
        if (partners) await replacePartners(trx, id, partners);
        if (neighbourhoodIds) await replaceNeighbourhoods(trx, id, neighbourhoodIds);
        if (problemIds) await replaceProblems(trx, id, problemIds);
        await checkProblemsServed(trx, id);
        const after = (await findIntervention(trx, id))!;
        await recordAudit(trx, { actor: request.user, action: 'update', entity: 'interventions', entityId: id, before, after });
        return after;
      });
    },
  });

  // For an intervention entered by mistake; the audit log keeps it as it was.
  app.delete<{ Params: IdParams }>('/api/interventions/:id', {
    config: { resource: 'interventions' },
    schema: { params: IdParams, response: { 404: ErrorResponse } },
    handler: async (request, reply) => {
      const { id } = request.params;
      await db.transaction().execute(async (trx) => {
        if (!(await interventionExists(trx, id, true))) throw notFound('intervention', id);
        const before = await findIntervention(trx, id);
        await trx.deleteFrom('interventions').where('id', '=', id).execute();
        await recordAudit(trx, { actor: request.user, action: 'delete', entity: 'interventions', entityId: id, before });
      });
      return reply.code(204).send();
    },
  });
};

function normalised(values: InterventionValues): InterventionValues {
  return { ...values, title: values.title.trim(), title_en: values.title_en?.trim() || null };
}

/** Every reference and rule an intervention must meet, checked before anything is written. */
async function checkValues(
  trx: Transaction<Database>,
  values: InterventionValues,
  partners: readonly PartnerInput[],
  neighbourhoodIds: readonly number[],
  problemIds: readonly number[],
): Promise<void> {
  if (!values.title.trim()) throw new AppError('invalid_request', 'title (body) must not be blank');
  await requireIds(trx, 'agencies', [values.lead_agency_id], 'lead_agency_id (body)');
  const known = await existingIds(trx, 'agencies', partners.map((p) => p.agency_id));
  const seen = new Set<number>();
  for (const [i, partner] of partners.entries()) {
    if (!known.has(partner.agency_id)) {
      throw new AppError('invalid_request', `partners.${i}.agency_id (body) names no known agency: ${partner.agency_id} (see GET /api/agencies)`);
    }
    if (seen.has(partner.agency_id)) {
      throw new AppError('invalid_request', `partners.${i}.agency_id (body): agency ${partner.agency_id} is already a partner; give each agency one commitment`);
    }
    seen.add(partner.agency_id);
  }
  await requireIds(trx, 'neighbourhoods', neighbourhoodIds, 'neighbourhood_ids (body)');
  await requireIds(trx, 'problems', problemIds, 'problem_ids (body)');
  if (values.start_date && values.end_date && values.end_date < values.start_date) {
    throw new AppError('invalid_request', `end_date (body) ${values.end_date} must not come before start_date ${values.start_date}`);
  }
  if (values.geometry) {
    const problem = geometryProblem(values.geometry);
    if (problem) throw new AppError('invalid_request', problem);
    const reason = await geometryInvalidReason(trx, values.geometry);
    if (reason) throw new AppError('invalid_request', `geometry (body) is not a valid shape: ${reason}`);
  }
}

/**
 * An intervention answers problems of the neighbourhoods it serves. Checked on the rows
 * just written, inside the transaction: a refusal here rolls back the intervention, its
 * partners and its neighbourhoods together.
 */
async function checkProblemsServed(trx: Transaction<Database>, id: number): Promise<void> {
  const outside = await problemsOutsideServedNeighbourhoods(trx, id);
  if (outside.length > 0) {
    const list = outside.map((p) => `problem ${p.id} (neighbourhood ${p.neighbourhood_id})`).join(', ');
    throw new AppError('invalid_request', `problem_ids (body): ${list} lie outside the neighbourhoods this intervention serves; add the neighbourhood to neighbourhood_ids or drop the problem`);
  }
}

const INTERVENTION_COLUMNS: CsvColumn<InterventionExportRow>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'title', value: (r) => r.title },
  { header: 'title_en', value: (r) => r.title_en },
  { header: 'category', value: (r) => r.category },
  { header: 'status', value: (r) => r.status },
  { header: 'lead_agency_id', value: (r) => r.lead_agency_id },
  { header: 'lead_agency_fa', value: (r) => r.lead_agency_fa },
  { header: 'lead_agency_en', value: (r) => r.lead_agency_en },
  { header: 'partner_count', value: (r) => r.partners.length },
  { header: 'partners_fa', value: (r) => r.partners_text_fa },
  { header: 'partners_en', value: (r) => r.partners_text_en },
  { header: 'neighbourhood_ids', value: (r) => r.neighbourhood_ids.join(' ') },
  { header: 'neighbourhood_codes', value: (r) => r.neighbourhood_codes },
  { header: 'neighbourhoods_fa', value: (r) => r.neighbourhoods_fa },
  { header: 'neighbourhoods_en', value: (r) => r.neighbourhoods_en },
  { header: 'problem_ids', value: (r) => r.problem_ids.join(' ') },
  { header: 'start_date', value: (r) => r.start_date },
  { header: 'end_date', value: (r) => r.end_date },
  { header: 'budget_rials', value: (r) => r.budget },
  { header: 'beneficiaries', value: (r) => r.beneficiaries },
  { header: 'geometry_type', value: (r) => r.geometry?.type ?? null },
  { header: 'has_area', value: (r) => r.geometry?.type === 'Polygon' || r.geometry?.type === 'MultiPolygon' },
  { header: 'geometry_source', value: (r) => r.geometry_source },
  { header: 'source', value: (r) => r.source },
  { header: 'lon', value: (r) => r.lon },
  { header: 'lat', value: (r) => r.lat },
  { header: 'attribution', value: () => EXPORT_ATTRIBUTION },
];
