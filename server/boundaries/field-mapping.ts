import { normaliseForSearch } from '../../shared/persian-text.js';

/** The neighbourhood attributes an upload's fields can be mapped to. */
export type MappingTarget =
  | 'code' | 'name_fa' | 'name_en' | 'county' | 'population' | 'households' | 'deprivation' | 'informal';

/**
 * Field names GIS offices use for each target, in order of preference, written in their
 * normalised form (see `key`): lower case, Persian letters, '_' between words.
 */
const CANDIDATES: Record<MappingTarget, string[]> = {
  code: ['code', 'id_code', 'mahalle_code', 'mahalleh_code', 'kod', 'کد', 'کد_محله'],
  name_fa: ['name_fa', 'name', 'nam', 'نام', 'نام_محله', 'mahalle', 'mahalleh', 'محله'],
  name_en: ['name_en', 'english', 'name_eng', 'english_name', 'name_latin'],
  county: ['county', 'shahrestan', 'شهرستان'],
  population: ['population', 'pop', 'jamiat', 'جمعیت'],
  households: ['households', 'household', 'hh', 'khanevar', 'tedad_khanevar', 'خانوار', 'تعداد_خانوار'],
  deprivation: ['deprivation', 'depriv', 'محرومیت'],
  informal: ['informal', 'gheyrrasmi', 'gheir_rasmi', 'غیررسمی', 'غیر_رسمی'],
};

const TARGETS = Object.keys(CANDIDATES) as MappingTarget[];

/**
 * A first guess at which upload field holds which attribute, for the person uploading to
 * confirm. Names match whatever their case, Arabic or Persian letters, ZWNJ, spaces, hyphens
 * or underscores; a census-year suffix is allowed when nothing matches without one
 * ("pop_1395", "جمعیت95"). A field is given to one target at most, and the earlier
 * candidate wins, so `name` goes to name_fa and `name_en` to name_en.
 */
export function guessMapping(fieldNames: string[]): Partial<Record<MappingTarget, string>> {
  const mapping: Partial<Record<MappingTarget, string>> = {};
  const taken = new Set<string>();
  const exact = fieldNames.map((name) => ({ name, key: key(name) }));
  const withoutYear = exact.map(({ name, key }) => ({ name, key: key.replace(/_?\d+$/, '') }));

  for (const fields of [exact, withoutYear]) {
    for (const target of TARGETS) {
      if (mapping[target]) continue;
      for (const candidate of CANDIDATES[target]) {
        const match = fields.find((field) => field.key === candidate && !taken.has(field.name));
        if (match) {
          mapping[target] = match.name;
          taken.add(match.name);
          break;
        }
      }
    }
  }
  return mapping;
}

function key(fieldName: string): string {
  return normaliseForSearch(fieldName).replace(/[\s\-.]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
}
