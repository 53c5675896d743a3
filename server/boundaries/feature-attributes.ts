import { normaliseForSearch } from '../../shared/persian-text.js';
import {
  MAPPING_TARGETS, type BoundaryLayer, type FieldMapping, type MappingTarget, type ReasonValues, type RejectReason,
} from '../../shared/boundaries-schemas.js';
import type { CountyMatch } from './county-match.js';
import { guessMapping } from './field-mapping.js';
import { InvalidUploadOptionError, reason } from './errors.js';
import type { PropertyValue } from './read-upload.js';

/**
 * From a file's attributes to ours: which field is which (the mapping), and the values
 * made into what the tables hold. Pure; the upload pipeline stages what comes out.
 */

/** The mapping the uploader sent (JSON text), checked against the layer and the file's fields. */
export function parseMapping(text: string | undefined, layer: BoundaryLayer, fieldNames: string[]): FieldMapping | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidUploadOptionError('mapping must be a JSON object such as {"code": "CODE", "name_fa": "NAME"}', reason('mapping_not_object', {}, { field: 'mapping' }));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidUploadOptionError('mapping must be a JSON object such as {"code": "CODE", "name_fa": "NAME"}', reason('mapping_not_object', {}, { field: 'mapping' }));
  }
  const targets: readonly string[] = MAPPING_TARGETS[layer];
  const mapping: FieldMapping = {};
  for (const [target, field] of Object.entries(value)) {
    if (!targets.includes(target)) {
      throw new InvalidUploadOptionError(`mapping.${target} is not an attribute of ${layer}; use ${targets.join(', ')}`, reason('mapping_unknown_target', { target, layer }, { field: 'mapping' }));
    }
    if (field === null || field === '') continue; // "not mapped"
    if (typeof field !== 'string') {
      throw new InvalidUploadOptionError(`mapping.${target} must be the name of a field of the file`, reason('mapping_not_field', { target }, { field: 'mapping' }));
    }
    if (!fieldNames.includes(field)) {
      throw new InvalidUploadOptionError(
        `mapping.${target} names "${field}", which the file does not have; its fields are: ${fieldNames.join(', ') || '(none)'}`,
        reason('mapping_unknown_field', { target, value: field, fields: fieldNames.join(', ') }, { field: 'mapping' }),
      );
    }
    mapping[target as MappingTarget] = field;
  }
  return mapping;
}

/** The guessed mapping, limited to the layer's attributes. */
export function guessLayerMapping(layer: BoundaryLayer, fieldNames: string[]): FieldMapping {
  const guessed = guessMapping(fieldNames);
  const targets: readonly string[] = MAPPING_TARGETS[layer];
  return Object.fromEntries(Object.entries(guessed).filter(([target]) => targets.includes(target))) as FieldMapping;
}

/** A feature's attributes in our terms; null where the file has nothing (or nothing is mapped). */
export interface MappedAttributes {
  code: string | null;
  name_fa: string | null;
  name_en: string | null;
  /** The county as the file writes it: a code, or a Persian or English name. */
  county: string | null;
  county_id: number | null;
  population: number | null;
  households: number | null;
  deprivation: number | null;
  informal: boolean | null;
}

/** Why a feature is rejected: a stable reason, its values (for the client's wording) and the English. */
export interface Rejection {
  reason: RejectReason;
  values: ReasonValues;
  message: string;
}

export function mapAttributes(
  properties: Record<string, PropertyValue>,
  mapping: FieldMapping,
  matchCounty: (text: string) => CountyMatch | undefined,
): { values: MappedAttributes; rejection?: Rejection; countyBySpelling?: boolean } {
  const raw = (target: MappingTarget): PropertyValue => {
    const field = mapping[target];
    return field === undefined ? null : properties[field] ?? null;
  };
  const problems: Rejection[] = [];
  const number = (target: MappingTarget, min: number, max: number): number | null => {
    const value = raw(target);
    const parsed = parseWholeNumber(value);
    if (parsed === null) return null;
    if (Number.isNaN(parsed) || parsed < min || parsed > max) {
      problems.push({
        reason: 'bad_value',
        values: { target, field: mapping[target] ?? null, value: String(value), min, max },
        message: `${target} "${String(value)}" is not a whole number from ${min} to ${max}`,
      });
      return null;
    }
    return parsed;
  };

  const county = text(raw('county'));
  const match = county === null ? undefined : matchCounty(county);
  const values: MappedAttributes = {
    code: text(raw('code')),
    name_fa: persianLetters(text(raw('name_fa'))),
    name_en: text(raw('name_en')),
    county,
    county_id: match?.id ?? null,
    population: number('population', 0, 2_147_483_647),
    households: number('households', 0, 2_147_483_647),
    deprivation: number('deprivation', 1, 5),
    informal: null,
  };
  const informal = raw('informal');
  if (informal !== null && informal !== '') {
    const parsed = parseBoolean(informal);
    if (parsed === undefined) {
      problems.push({
        reason: 'bad_value',
        values: { target: 'informal', field: mapping.informal ?? null, value: String(informal) },
        message: `informal "${String(informal)}" is not yes/no (true/false, 1/0, بله/خیر)`,
      });
    } else values.informal = parsed;
  }

  const missing = (target: 'code' | 'name_fa', reason: 'missing_code' | 'missing_name'): Rejection => {
    const field = mapping[target] ?? null;
    return { reason, values: { target, field }, message: field ? `no value in ${field}` : `no field is mapped to ${target}` };
  };
  if (values.code === null) return { values, rejection: missing('code', 'missing_code') };
  if (values.name_fa === null) return { values, rejection: missing('name_fa', 'missing_name') };
  if (problems.length > 0) {
    // The first problem in values; every one in the message.
    return { values, rejection: { ...problems[0]!, message: problems.map((p) => p.message).join('; ') } };
  }
  if (county !== null && values.county_id === null) {
    return {
      values,
      rejection: {
        reason: 'unknown_county',
        values: { target: 'county', field: mapping.county ?? null, value: county },
        message: `no county has the code or name "${county}"`,
      },
    };
  }
  return { values, ...(match?.by === 'spelling' && { countyBySpelling: true }) };
}

function text(value: PropertyValue): string | null {
  if (value === null) return null;
  const s = String(value).normalize('NFC').trim();
  return s === '' ? null : s;
}

/** Persian letters for the Arabic ones Windows-1256 keyboards and old files use. */
function persianLetters(value: string | null): string | null {
  return value === null ? null : value.replace(/ي/g, 'ی').replace(/ك/g, 'ک');
}

const DIGIT_SETS = ['۰۱۲۳۴۵۶۷۸۹', '٠١٢٣٤٥٦٧٨٩'];

/**
 * A count as GIS files write it: a number, or text with Persian or Arabic digits and
 * thousands separators ("۱۲٬۵۰۰", "12,500"). NaN when it is not a whole number; null when empty.
 */
export function parseWholeNumber(value: PropertyValue): number | null {
  if (value === null || value === '') return null;
  if (typeof value === 'boolean') return Number.NaN;
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number.NaN;
  let latin = '';
  for (const ch of value.trim()) {
    const digit = DIGIT_SETS.map((set) => set.indexOf(ch)).find((i) => i >= 0);
    if (digit !== undefined) latin += String(digit);
    else if (ch === '٫') latin += '.';
    else if (!/[,٬\s\u066c]/.test(ch)) latin += ch;
  }
  if (latin === '') return null;
  if (!/^-?\d+(\.0*)?$/.test(latin)) return Number.NaN;
  return Number.parseInt(latin, 10);
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1', 'بله', 'بلی', 'آری', 'هست', 'دارد']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', 'خیر', 'نه', 'نیست', 'ندارد']);

export function parseBoolean(value: PropertyValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (value === null) return undefined;
  const key = normaliseForSearch(value);
  if (TRUE.has(key)) return true;
  if (FALSE.has(key)) return false;
  return undefined;
}
