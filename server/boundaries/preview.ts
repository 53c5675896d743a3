import type { Kysely } from 'kysely';
import type { BoundaryLayer, Database } from '../db/schema.js';
import type { FieldMapping, UploadMode, UploadReport } from '../../shared/boundaries-schemas.js';
import type { UploadReader } from './upload-reader.js';
import type { ServiceArea } from './service-area.js';
import { guessLayerMapping, mapAttributes, parseMapping, type MappedAttributes, type Rejection } from './feature-attributes.js';
import { countyMatcher } from './county-match.js';
import { nonFiniteCoordinate } from './hex-ewkb.js';
import { classifyDiff, type AttributeValue, type ComparedAttribute, type IncomingBoundary } from './diff.js';
import { currentVersions, withoutJit } from './history.js';
import {
  acceptedFeatures, compareGeometries, countBoundaries, currentBoundaries, fileCodes, finishPreview, insertUpload, saveChanges,
  type ReferenceCounter,
} from './queries.js';
import {
  assignCounties, findGaps, findOverlaps, outsideServiceArea, rejectDuplicates, rejectedFeatures, repairedFeatures,
  stageFeatures, type CheckThresholds, type StageRow,
} from './validate.js';

/**
 * An upload, from bytes to a preview: read (GDAL, on the reader's thread), map the
 * attributes, stage the features in PostGIS, check them, and classify what a commit would
 * change. Staging, checks and diff run in one transaction, so a failure anywhere leaves
 * the database as it was. The durations of the steps go back to the caller.
 */

export interface PreviewContext {
  db: Kysely<Database>;
  reader: UploadReader;
  serviceArea: ServiceArea;
  thresholds: CheckThresholds;
  references: ReferenceCounter;
}

export interface PreviewRequest {
  layer: BoundaryLayer;
  mode: UploadMode;
  /** The uploader's mapping, JSON text; guessed from the field names when absent. */
  mapping?: string;
  sourceSrs?: string;
  encoding?: string;
  file: { filename: string; data: Uint8Array };
  user: { id: number; username: string } | null;
}

/** Milliseconds per step: read, stage, validate, diff (and check-* inside validate). */
export type Timings = Record<string, number>;

/** Values an added neighbourhood gets where its file has none (the table requires them). */
export const NEIGHBOURHOOD_DEFAULTS = { population: 0, households: 0, deprivation: 3, informal: false } as const;

export async function createPreview(ctx: PreviewContext, request: PreviewRequest, timings: Timings): Promise<number> {
  const { db } = ctx;
  const time = timer(timings);
  // Read now: a large file's bytes are handed over to the reader's thread, not copied.
  const fileSize = request.file.data.byteLength;

  const read = await time('read', () =>
    ctx.reader.read(request.file, {
      ...(request.sourceSrs !== undefined && { sourceSrs: request.sourceSrs }),
      ...(request.encoding !== undefined && { encoding: request.encoding }),
    }));
  const fieldNames = read.fields.map((f) => f.name);
  const mapping: FieldMapping = parseMapping(request.mapping, request.layer, fieldNames) ?? guessLayerMapping(request.layer, fieldNames);

  const counties = await db.selectFrom('counties').select(['id', 'code', 'name_fa', 'name_en']).execute();
  const countyName = new Map(counties.map((c) => [c.id, c.name_fa]));
  const countyById = new Map(counties.map((c) => [c.id, c]));
  const matchCounty = request.layer === 'neighbourhoods' ? countyMatcher(counties) : () => undefined;
  const countyMatches: UploadReport['county_matches'] = [];
  const rows: StageRow[] = read.features.map((feature) => {
    const mapped = mapAttributes(feature.properties, mapping, matchCounty);
    const rejection = mapped.rejection ?? geometryRejection(feature.geometry);
    const { values } = mapped;
    if (!rejection && mapped.countyBySpelling) {
      const county = countyById.get(values.county_id!)!;
      countyMatches.push({
        index: feature.index, code: values.code, name_fa: values.name_fa, field: mapping.county!, value: values.county!,
        county_id: county.id, county_fa: county.name_fa, county_en: county.name_en,
      });
    }
    return { index: feature.index, attributes: values, properties: feature.properties, ewkb: feature.geometry, ...(rejection && { rejection }) };
  });

  return db.transaction().execute(async (trx) => {
    await withoutJit(trx);
    const baseVersions = await currentVersions(trx);
    const id = await insertUpload(trx, {
      layer: request.layer,
      mode: request.mode,
      user: request.user,
      fileName: request.file.filename,
      fileSize,
      format: read.format,
      crs: read.crs,
      layerName: read.layerName,
      featureCount: read.features.length,
      fields: read.fields,
      mapping,
      options: {
        ...(request.sourceSrs !== undefined && { source_srs: request.sourceSrs }),
        ...(request.encoding !== undefined && { encoding: request.encoding }),
      },
      baseVersions,
    });
    await time('stage', () => stageFeatures(trx, id, rows));

    const duplicates = await time('validate', async () => {
      if (request.layer === 'neighbourhoods') await assignCounties(trx, id);
      return rejectDuplicates(trx, id);
    });

    const { diff, blockers, accepted } = await time('diff', async () => {
      const accepted = await acceptedFeatures(trx, id);
      const codesInFile = await fileCodes(trx, id);
      const current = await currentBoundaries(trx, request.layer, request.mode === 'replace'
        ? 'all'
        : accepted.map((f) => rows[f.index]!.attributes.code!));
      const geometry = await compareGeometries(trx, id, request.layer);
      const lacking = request.mode === 'replace' ? [...current.keys()].filter((code) => !codesInFile.has(code)) : [];
      const references = await ctx.references(trx, request.layer, lacking);
      const incoming: IncomingBoundary[] = accepted.map(({ index }) => {
        const a = rows[index]!.attributes;
        const g = geometry.get(index);
        return {
          index,
          code: a.code!,
          name_fa: a.name_fa!,
          attributes: comparedAttributes(request.layer, a, countyName),
          ...(g && { geometry: g }),
        };
      });
      const currentCount = await countBoundaries(trx, request.layer);
      const result = classifyDiff({ mode: request.mode, incoming, current, currentCount, fileCodes: codesInFile, references });
      await saveChanges(trx, id, result.changes, geometry);
      return { ...result, accepted };
    });

    const acceptedIndexes = new Set(accepted.map((a) => a.index));
    const report = await time('validate', async (): Promise<UploadReport> => {
      const removed = diff.removed.map((r) => r.code);
      const added = new Set(diff.added.map((a) => a.code));
      return {
        features: read.features.length,
        accepted: accepted.length,
        repaired: await repairedFeatures(trx, id),
        rejected: await rejectedFeatures(trx, id),
        // Those matched by spelling that a later check (duplicates) rejected are not asked about.
        county_matches: countyMatches.filter((m) => acceptedIndexes.has(m.index)),
        outside_service_area: await time('check-area', () => outsideServiceArea(trx, id, ctx.serviceArea, ctx.thresholds.outsidePct)),
        duplicate_codes: duplicates,
        overlaps: await time('check-overlaps', () => findOverlaps(trx, id, request.layer, removed, ctx.thresholds.overlapM2)),
        gaps: request.layer === 'neighbourhoods' ? await time('check-gaps', () => findGaps(trx, id, removed, ctx.thresholds.gapM2)) : [],
        blockers,
        defaults: request.layer === 'neighbourhoods'
          ? defaultsUsed(accepted.map((f) => rows[f.index]!.attributes).filter((a) => added.has(a.code!)))
          : [],
        service_area: ctx.serviceArea.label,
        thresholds: { overlap_m2: ctx.thresholds.overlapM2, gap_m2: ctx.thresholds.gapM2, outside_pct: ctx.thresholds.outsidePct },
      };
    });
    await finishPreview(trx, id, { report, diff });
    return id;
  });
}

/** A geometry with a NaN or infinite coordinate, which PostGIS would take and then get wrong. */
function geometryRejection(ewkb: string | null): Rejection | undefined {
  if (ewkb === null) return undefined;
  const bad = nonFiniteCoordinate(Buffer.from(ewkb, 'hex'));
  if (bad === undefined) return undefined;
  const value = String(bad);
  return { reason: 'non_finite', values: { value }, message: `a coordinate is ${value}, not a number on the map` };
}

function comparedAttributes(
  layer: BoundaryLayer,
  a: MappedAttributes,
  countyName: Map<number, string>,
): Partial<Record<ComparedAttribute, AttributeValue>> {
  const out: Partial<Record<ComparedAttribute, AttributeValue>> = { name_fa: a.name_fa };
  if (a.name_en !== null) out.name_en = a.name_en;
  if (a.population !== null) out.population = a.population;
  if (layer === 'counties') return out;
  if (a.county !== null && a.county_id !== null) out.county = countyName.get(a.county_id) ?? null;
  if (a.households !== null) out.households = a.households;
  if (a.deprivation !== null) out.deprivation = a.deprivation;
  if (a.informal !== null) out.informal = a.informal;
  return out;
}

function defaultsUsed(added: MappedAttributes[]): UploadReport['defaults'] {
  const out: UploadReport['defaults'] = [];
  const count = (missing: (a: MappedAttributes) => boolean) => added.filter(missing).length;
  const nameEn = count((a) => a.name_en === null);
  if (nameEn > 0) out.push({ field: 'name_en', value: 'name_fa', count: nameEn });
  for (const field of ['population', 'households', 'deprivation', 'informal'] as const) {
    const n = count((a) => a[field] === null);
    if (n > 0) out.push({ field, value: NEIGHBOURHOOD_DEFAULTS[field], count: n });
  }
  return out;
}

function timer(timings: Timings) {
  return async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = (timings[step] ?? 0) + performance.now() - start;
    }
  };
}
