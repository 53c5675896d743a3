import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  REFERENCE_KINDS, type ReferenceGeometryType, type ReferenceKind, type ReferenceUploadReport, type ServiceClass,
} from '../../shared/layers-schemas.js';
import { AppError } from '../errors.js';
import type { UploadReader } from '../boundaries/upload-reader.js';
import { checkSlug, classOf, resolveMapping, slugFromName } from './mapping.js';
import { flattenCollections, geometryTypes, insertUpload, stageFeatures, type StagedFeature } from './queries.js';

/**
 * A reference-layer upload, from the form to a preview: read with GDAL on the upload
 * reader's thread (the boundary pipeline's reader: any format and CRS it takes), map the
 * names and, for facilities, the service class, stage the features in PostGIS and check
 * that they make one layer of one kind of geometry. Staging and checks run in one
 * transaction: a refusal leaves nothing behind.
 */

export interface LayerPreviewRequest {
  fields: Record<string, string>;
  file: { filename: string; data: Uint8Array };
  user: { id: number; username: string } | null;
}

const FAMILY: Record<string, ReferenceGeometryType> = {
  POINT: 'point', MULTIPOINT: 'point',
  LINESTRING: 'line', MULTILINESTRING: 'line',
  POLYGON: 'polygon', MULTIPOLYGON: 'polygon',
};

export async function createLayerPreview(db: Kysely<Database>, reader: UploadReader, request: LayerPreviewRequest): Promise<number> {
  const { fields } = request;
  const nameFa = requiredText(fields.name_fa, 'name_fa', 'the layer\'s Persian name');
  const nameEn = fields.name_en?.trim() || nameFa;
  const kind = fields.kind as ReferenceKind;
  if (!(REFERENCE_KINDS as readonly string[]).includes(kind)) {
    throw new AppError('invalid_request', `kind (body) must be one of: ${REFERENCE_KINDS.join(', ')}`);
  }
  const slug = checkSlug(fields.slug?.trim() || slugFromName(nameEn));

  const read = await reader.read(request.file, {
    ...(fields.source_srs ? { sourceSrs: fields.source_srs } : {}),
    ...(fields.encoding ? { encoding: fields.encoding } : {}),
  });
  const fieldNames = read.fields.map((f) => f.name);
  const isFacilities = kind === 'facilities';
  const { mapping, classes } = resolveMapping(fieldNames, fields.mapping, fields.service_classes, isFacilities);

  const withoutGeometry: number[] = [];
  const unmapped = new Map<string, number>();
  const classValues: Record<string, string> = {};
  const perClass: Record<string, number> = {};
  const staged: StagedFeature[] = [];
  for (const feature of read.features) {
    if (feature.geometry === null) {
      withoutGeometry.push(feature.index);
      continue;
    }
    let serviceClass: ServiceClass | null = null;
    const typeValue = mapping.service_class ? feature.properties[mapping.service_class] ?? null : null;
    if (isFacilities) {
      const found = classOf(typeValue, classes);
      if (found === undefined) {
        const label = typeValue === null ? '(empty)' : String(typeValue).trim();
        unmapped.set(label, (unmapped.get(label) ?? 0) + 1);
        continue;
      }
      serviceClass = found;
      if (typeValue !== null) classValues[String(typeValue).trim()] = found ?? 'none';
      perClass[found ?? 'none'] = (perClass[found ?? 'none'] ?? 0) + 1;
    }
    staged.push({
      index: feature.index,
      name_fa: textOf(mapping.name_fa && feature.properties[mapping.name_fa]),
      name_en: textOf(mapping.name_en && feature.properties[mapping.name_en]),
      type_value: textOf(typeValue),
      service_class: serviceClass,
      properties: feature.properties,
      ewkb: feature.geometry,
    });
  }
  if (unmapped.size > 0) {
    const list = [...unmapped].map(([value, n]) => `"${value}" (${n})`).join(', ');
    throw new AppError('unprocessable',
      `The field "${mapping.service_class}" has values with no service class: ${list}. ` +
        'Map each to educational, social, civil_environmental or economic (or null to keep it without a class) with service_classes, e.g. {"مدرسه": "educational"}.',
      { field: 'service_classes', unmapped: Object.fromEntries(unmapped) });
  }
  if (staged.length === 0) {
    throw new AppError('unprocessable',
      read.features.length === 0 ? 'The file holds no features.' : `None of the ${read.features.length} features of the file has a geometry; a reference layer needs points, lines or polygons.`,
      { field: 'file' });
  }

  return db.transaction().execute(async (trx) => {
    const report: ReferenceUploadReport = {
      features: read.features.length,
      accepted: staged.length,
      without_geometry: withoutGeometry,
      geometry_types: {},
      service_classes: perClass,
      class_values: classValues,
      crs: read.crs,
      format: read.format,
      fields: read.fields,
    };
    const id = await insertUpload(trx, {
      slug, name_fa: nameFa, name_en: nameEn, kind, geometry_type: 'point', user: request.user, file_name: request.file.filename,
      format: read.format, crs: read.crs, feature_count: read.features.length, fields: read.fields, mapping, report,
    });
    await stageFeatures(trx, id, staged);
    await flattenCollections(trx, id);
    report.geometry_types = await geometryTypes(trx, id);
    const families = new Map<ReferenceGeometryType | 'mixed', number>();
    for (const [type, n] of Object.entries(report.geometry_types)) {
      const family = FAMILY[type] ?? 'mixed';
      families.set(family, (families.get(family) ?? 0) + n);
    }
    if (families.size > 1 || families.has('mixed')) {
      const parts = Object.entries(report.geometry_types).map(([type, n]) => `${n} ${type.toLowerCase()}`).join(', ');
      throw new AppError('unprocessable',
        `The file mixes kinds of geometry (${parts}), which cannot be one layer: a layer holds points, lines or polygons. ` +
          'Split the file by geometry type (for example ogr2ogr -where "OGR_GEOMETRY=\'POINT\'") and upload each part as its own layer.',
        { field: 'file', geometry_types: report.geometry_types });
    }
    const geometryType = [...families.keys()][0] as ReferenceGeometryType;
    await sql`update reference_uploads set geometry_type = ${geometryType}, report = ${JSON.stringify(report)}::jsonb
      where id = ${id}::int`.execute(trx);
    return id;
  });
}

function requiredText(value: string | undefined, field: string, what: string): string {
  const text = value?.trim();
  if (!text) throw new AppError('invalid_request', `${field} (body) is required: ${what}`);
  if (text.length > 200) throw new AppError('invalid_request', `${field} (body) must be at most 200 characters`);
  return text;
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}
