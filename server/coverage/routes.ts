import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ErrorResponse, IdParams } from '../../shared/schemas.js';
import {
  CoverageAnswer, CoverageConflict, CoverageQuery, CoverageRecord, CoverageRecordList, CoverageRecordsQuery,
  CreateCoverageRecordBody, EndCoverageRecordBody, GapsAnswer, GapsQuery, HeatCollection, HeatQuery,
  HexCollection, HexQuery, SERIES_STEPS_DEFAULT, SeriesAnswer, SeriesQuery, isoDateInZone, type Programme,
} from '../../shared/coverage-schemas.js';
import { AppError, notFound } from '../errors.js';
import { recordAudit } from '../audit/record.js';
import { existingIds } from '../db/references.js';
import { findProgrammeBySlug } from '../programmes/queries.js';
import {
  coverageAt, coverageSeries, findOverlap, findRecord, gaps, hasInterventions, heatGeoJson, hexGeoJson, insertRecord,
  listRecords, lockRecord, neighbourhoodExists, setRecordEnd,
} from './queries.js';
import { hexSizeForZoom } from './hex-size.js';

export interface CoverageRouteOptions {
  db: Kysely<Database>;
  /** Today as YYYY-MM-DD, the default of every `at`; Iran time unless a test hands in its own clock. */
  today?: () => string;
}

/** How far back a series starts when neither the request nor the programme says: the commander's slider's reach. */
const SERIES_DEFAULT_DAYS = 3 * 365;

/** The map zoom assumed for hexagons when neither size nor zoom is given: the whole province. */
const DEFAULT_HEX_ZOOM = 7;

const ERRORS = { 400: ErrorResponse, 404: ErrorResponse };

export const coverageRoutes: FastifyPluginAsync<CoverageRouteOptions> = async (app, { db, today = () => isoDateInZone(new Date()) }) => {
  // The interventions metric reads the tables of migration 0004; without them it is zero.
  const interventions = await hasInterventions(db);

  async function programmeOrThrow(slug: string): Promise<Programme> {
    const programme = await findProgrammeBySlug(db, slug);
    if (!programme) throw notFound('programme', slug);
    return programme;
  }

  app.get<{ Querystring: CoverageRecordsQuery }>('/api/coverage/records', {
    config: { resource: 'coverage' },
    schema: { querystring: CoverageRecordsQuery, response: { 200: CoverageRecordList, ...ERRORS } },
    handler: async (request) => {
      const { programme, neighbourhood, at } = request.query;
      if (programme !== undefined) await programmeOrThrow(programme);
      return { items: await listRecords(db, { programme, neighbourhoodId: neighbourhood, at }) };
    },
  });

  app.post<{ Body: CreateCoverageRecordBody }>('/api/coverage/records', {
    config: { resource: 'coverage' },
    schema: { body: CreateCoverageRecordBody, response: { 201: CoverageRecord, 409: CoverageConflict, ...ERRORS } },
    handler: async (request, reply) => {
      const { from, neighbourhood_id: neighbourhoodId } = request.body;
      const to = request.body.to ?? null;
      checkPeriod(from, to);
      const programme = await programmeOrThrow(request.body.programme);
      const id = await db.transaction().execute(async (trx) => {
        if (!(await neighbourhoodExists(trx, neighbourhoodId))) throw notFound('neighbourhood', neighbourhoodId);
        const period = { neighbourhoodId, programmeId: programme.id, from, to };
        await refuseOverlap(trx, period);
        const id = await withOverlapAsConflict(() => insertRecord(trx, period));
        const created = await findRecord(trx, id);
        await recordAudit(trx, { actor: request.user, action: 'create', entity: 'coverage', entityId: id, after: created });
        return id;
      });
      return reply.code(201).send(await findRecord(db, id));
    },
  });

  app.patch<{ Params: IdParams; Body: EndCoverageRecordBody }>('/api/coverage/records/:id', {
    config: { resource: 'coverage' },
    schema: { params: IdParams, body: EndCoverageRecordBody, response: { 200: CoverageRecord, 409: CoverageConflict, ...ERRORS } },
    handler: async (request) => {
      const { id } = request.params;
      const { to } = request.body;
      await db.transaction().execute(async (trx) => {
        const record = await lockRecord(trx, id);
        if (!record) throw notFound('coverage record', id);
        checkPeriod(record.from, to);
        // Ending an open record only shortens it; moving an end later can meet the next one.
        await refuseOverlap(trx, { neighbourhoodId: record.neighbourhood_id, programmeId: record.programme_id, from: record.from, to, exceptId: id });
        const before = await findRecord(trx, id);
        await withOverlapAsConflict(() => setRecordEnd(trx, id, to));
        await recordAudit(trx, { actor: request.user, action: 'update', entity: 'coverage', entityId: id, before, after: await findRecord(trx, id) });
      });
      return findRecord(db, id);
    },
  });

  app.get<{ Querystring: CoverageQuery }>('/api/coverage', {
    config: { resource: 'coverage' },
    schema: { querystring: CoverageQuery, response: { 200: CoverageAnswer, ...ERRORS } },
    handler: async (request) => {
      const programme = await programmeOrThrow(request.query.programme);
      return coverageAt(db, programme, request.query.at ?? today());
    },
  });

  app.get<{ Querystring: SeriesQuery }>('/api/coverage/series', {
    config: { resource: 'coverage' },
    schema: { querystring: SeriesQuery, response: { 200: SeriesAnswer, ...ERRORS } },
    handler: async (request) => {
      const { county, steps = SERIES_STEPS_DEFAULT, to = today() } = request.query;
      const programme = await programmeOrThrow(request.query.programme);
      if (county !== undefined && !(await existingIds(db, 'counties', [county])).has(county)) throw notFound('county', county);
      const from = request.query.from ?? earliest(programme.started_on ?? daysBefore(to, SERIES_DEFAULT_DAYS), to);
      checkPeriod(from, to, 'a series');
      return { programme: programme.slug, county: county ?? null, from, to, points: await coverageSeries(db, programme, { from, to, steps, countyId: county }) };
    },
  });

  app.get<{ Querystring: HeatQuery }>('/api/coverage/heat', {
    config: { resource: 'coverage' },
    schema: { querystring: HeatQuery, response: { 200: HeatCollection, ...ERRORS } },
    handler: async (request, reply) => {
      const { at = today(), metric = 'covered_population' } = request.query;
      const programme = await programmeOrThrow(request.query.programme);
      const body = await heatGeoJson(db, { programme, at, metric, interventions });
      return reply.type('application/geo+json; charset=utf-8').send(body);
    },
  });

  app.get<{ Querystring: HexQuery }>('/api/coverage/hex', {
    config: { resource: 'coverage' },
    schema: { querystring: HexQuery, response: { 200: HexCollection, ...ERRORS } },
    handler: async (request, reply) => {
      const { at = today(), metric = 'covered_population', zoom = DEFAULT_HEX_ZOOM } = request.query;
      const size = request.query.size ?? hexSizeForZoom(zoom);
      const programme = await programmeOrThrow(request.query.programme);
      const body = await hexGeoJson(db, { programme, at, metric, interventions, size });
      return reply.type('application/geo+json; charset=utf-8').send(body);
    },
  });

  app.get<{ Querystring: GapsQuery }>('/api/coverage/gaps', {
    config: { resource: 'coverage' },
    schema: { querystring: GapsQuery, response: { 200: GapsAnswer, ...ERRORS } },
    handler: async (request) => {
      const { at = today(), limit = 200 } = request.query;
      const programme = await programmeOrThrow(request.query.programme);
      return { programme: programme.slug, at, items: await gaps(db, programme, at, limit) };
    },
  });
};

/** The earlier of two days (ISO dates compare as text). */
function earliest(a: string, b: string): string {
  return a < b ? a : b;
}

/** The day `days` earlier, never before 0001-01-01 (the first day PostgreSQL takes in this form). */
function daysBefore(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  const before = date.toISOString().slice(0, 10);
  // Years before 1 print as -00000y…, which sorts first.
  return before < '0001-01-01' ? '0001-01-01' : before;
}

function checkPeriod(from: string, to: string | null, of = 'a record'): void {
  // ISO dates compare as text.
  if (to !== null && to < from) {
    throw new AppError('invalid_request', `to (${to}) precedes from (${from}): ${of}'s last day cannot come before its first`);
  }
}

async function refuseOverlap(db: Kysely<Database>, period: Parameters<typeof findOverlap>[1]): Promise<void> {
  const other = await findOverlap(db, period);
  if (other) {
    throw new AppError(
      'conflict',
      `the neighbourhood already has a record of this programme from ${other.from} to ${other.to ?? 'now'} (record ${other.id}); end that one first or pick days outside it`,
      { conflicting_record: other.id },
    );
  }
}

/** A concurrent writer can slip past refuseOverlap; the exclusion constraint (SQLSTATE 23P01) still refuses it. */
async function withOverlapAsConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23P01') {
      throw new AppError('conflict', 'another record of this neighbourhood and programme covers some of these days');
    }
    throw error;
  }
}
