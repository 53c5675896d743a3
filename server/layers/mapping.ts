import { normaliseForSearch } from '../../shared/persian-text.js';
import { SERVICE_CLASSES, type ReferenceMapping, type ServiceClass } from '../../shared/layers-schemas.js';
import { guessMapping } from '../boundaries/field-mapping.js';
import { AppError } from '../errors.js';

/**
 * The pure half of a reference-layer upload: which field holds what, how a file's values
 * become service classes, and the layer's URL name. No database, no GDAL.
 */

/** Tile layer names of our own, which a reference layer may not take. */
export const RESERVED_SLUGS = new Set(['neighbourhoods', 'counties', 'coverage', 'interventions', 'basemap', 'layers', 'context', 'places']);

/** The URL name from an English name: "Schools 2024" → "schools". */
export function slugFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
}

export function checkSlug(slug: string): string {
  if (!/^[a-z][a-z_]{0,39}$/.test(slug)) {
    throw new AppError('invalid_request',
      `slug (body) "${slug}" must be 1–40 lower-case Latin letters or "_", starting with a letter; give slug, or a name_en with Latin letters`);
  }
  if (RESERVED_SLUGS.has(slug) || slug.endsWith('_labels')) {
    throw new AppError('invalid_request', `slug (body) "${slug}" is taken by one of the map's own layers; choose another`);
  }
  return slug;
}

/** The words GIS offices and our own interface use for each class, normalised (see key()). */
const CLASS_WORDS: Record<ServiceClass, string[]> = {
  educational: ['educational', 'education', 'آموزشی', 'اموزشی', 'فرهنگی_آموزشی'],
  social: ['social', 'اجتماعی'],
  civil_environmental: ['civil_environmental', 'civil', 'environmental', 'عمرانی', 'عمرانی_و_محیطی', 'محیطی', 'عمرانی_محیطی'],
  economic: ['economic', 'اقتصادی'],
};

const TYPE_FIELD_CANDIDATES = ['service_class', 'class', 'service', 'category', 'رده', 'نوع_خدمت', 'طبقه'];

export interface ResolvedMapping {
  mapping: ReferenceMapping;
  /** The file's own value (trimmed) → class; null keeps the feature without a class. */
  classes: Map<string, ServiceClass | null>;
}

/**
 * The uploader's mapping (JSON text) checked against the file's fields, with guesses where
 * it says nothing. `serviceClassesText` maps the file's values to classes (JSON object);
 * values it does not name are read as class slugs or their Persian names.
 */
export function resolveMapping(
  fieldNames: string[],
  mappingText: string | undefined,
  serviceClassesText: string | undefined,
  isFacilities: boolean,
): ResolvedMapping {
  const given = parseObject(mappingText, 'mapping');
  const mapping: ReferenceMapping = {};
  for (const [target, field] of Object.entries(given)) {
    if (target !== 'name_fa' && target !== 'name_en' && target !== 'service_class') {
      throw new AppError('invalid_request', `mapping (body) names "${target}"; it may map name_fa, name_en and service_class`);
    }
    if (typeof field !== 'string' || !fieldNames.includes(field)) {
      throw new AppError('unprocessable', `mapping (body) maps ${target} to "${String(field)}", which is not a field of the file (fields: ${fieldNames.join(', ') || 'none'})`,
        { field: `mapping.${target}` });
    }
    mapping[target] = field;
  }
  const guessed = guessMapping(fieldNames);
  if (!('name_fa' in given) && guessed.name_fa) mapping.name_fa = guessed.name_fa;
  if (!('name_en' in given) && guessed.name_en) mapping.name_en = guessed.name_en;

  const classes = new Map<string, ServiceClass | null>();
  if (!isFacilities) return { mapping, classes };

  if (!mapping.service_class) {
    const byKey = new Map(fieldNames.map((name) => [key(name), name]));
    const found = TYPE_FIELD_CANDIDATES.map((c) => byKey.get(c)).find((name) => name !== undefined);
    if (!found) {
      throw new AppError('unprocessable',
        `A facilities layer needs the field that says each facility's service class: give mapping {"service_class": "<field>"} ` +
          `(one of: ${fieldNames.join(', ') || 'the file has no fields'}), whose values are ${SERVICE_CLASSES.join(', ')} or are mapped to them by service_classes.`,
        { field: 'mapping.service_class' });
    }
    mapping.service_class = found;
  }
  for (const [value, serviceClass] of Object.entries(parseObject(serviceClassesText, 'service_classes'))) {
    if (serviceClass !== null && !(SERVICE_CLASSES as readonly unknown[]).includes(serviceClass)) {
      throw new AppError('invalid_request',
        `service_classes (body) maps "${value}" to ${JSON.stringify(serviceClass)}; the classes are ${SERVICE_CLASSES.join(', ')} (or null to keep the feature without a class)`);
    }
    classes.set(value.trim(), serviceClass as ServiceClass | null);
  }
  return { mapping, classes };
}

/** The class of one value: the uploader's map first, then the class slugs and their Persian names. */
export function classOf(value: unknown, classes: Map<string, ServiceClass | null>): ServiceClass | null | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (classes.has(text)) return classes.get(text);
  const k = key(text);
  for (const serviceClass of SERVICE_CLASSES) {
    if (CLASS_WORDS[serviceClass].includes(k)) return serviceClass;
  }
  return undefined;
}

function parseObject(text: string | undefined, field: string): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_request', `${field} (body) must be a JSON object, e.g. {"name_fa": "NAME", "service_class": "SERVICE"}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('invalid_request', `${field} (body) must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function key(text: string): string {
  return normaliseForSearch(text).replace(/[\s\-.]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
}
