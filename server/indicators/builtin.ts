import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { SERVICE_CLASSES } from '../../shared/layers-schemas.js';
import type { Indicator } from '../../shared/indicators-schemas.js';

/**
 * The figures every installation has, mappable like an imported indicator. Each is a query
 * of (neighbourhood_id, value) over the live tables; a neighbourhood with no figure (no
 * access row yet, no facility within reach) has no value rather than a made-up zero.
 */

interface Builtin extends Omit<Indicator, 'source' | 'version'> {
  query: () => RawBuilder<{ neighbourhood_id: number; value: number }>;
}

const CLASS_NAMES: Record<(typeof SERVICE_CLASSES)[number], [string, string]> = {
  educational: ['آموزشی', 'educational'],
  social: ['اجتماعی', 'social'],
  civil_environmental: ['عمرانی و محیطی', 'civil works & environmental'],
  economic: ['اقتصادی', 'economic'],
};

const accessFigure = (serviceClass: string, column: 'nearest_m' | 'residents_per_facility') => () =>
  sql<{ neighbourhood_id: number; value: number }>`select neighbourhood_id, ${sql.ref(column)} as value
    from neighbourhood_access where service_class = ${serviceClass} and ${sql.ref(column)} is not null`;

export const BUILTIN_INDICATORS: Builtin[] = [
  {
    key: 'population', name_fa: 'جمعیت', name_en: 'Population', unit_fa: 'نفر', unit_en: 'people',
    query: () => sql`select id as neighbourhood_id, population::float8 as value from neighbourhoods`,
  },
  {
    key: 'deprivation', name_fa: 'محرومیت', name_en: 'Deprivation', unit_fa: '۱ کمترین تا ۵ بیشترین', unit_en: '1 least to 5 most',
    query: () => sql`select id as neighbourhood_id, deprivation::float8 as value from neighbourhoods`,
  },
  {
    key: 'open_problems', name_fa: 'مسئله‌های باز', name_en: 'Open problems', unit_fa: 'مسئله', unit_en: 'problems',
    query: () => sql`select neighbourhood_id, open_problems::float8 as value from neighbourhood_method`,
  },
  {
    // Covered today by any programme: 1, else 0 — a county's mean of it is its covered share.
    key: 'coverage', name_fa: 'پوشش برنامه‌ها', name_en: 'Programme coverage', unit_fa: '۱ پوشش‌یافته، ۰ نه', unit_en: '1 covered, 0 not',
    query: () => sql`select n.id as neighbourhood_id, (exists (select 1 from coverage_records c where c.neighbourhood_id = n.id
        and c.from_date <= programme_today() and (c.to_date is null or c.to_date >= programme_today())))::int::float8 as value
      from neighbourhoods n`,
  },
  ...SERVICE_CLASSES.flatMap((serviceClass): Builtin[] => {
    const [fa, en] = CLASS_NAMES[serviceClass];
    return [
      {
        key: `access.${serviceClass}.nearest_m`, name_fa: `فاصله تا نزدیک‌ترین خدمت ${fa}`, name_en: `Distance to the nearest ${en} service`,
        unit_fa: 'متر', unit_en: 'm', query: accessFigure(serviceClass, 'nearest_m'),
      },
      {
        key: `access.${serviceClass}.residents_per_facility`, name_fa: `ساکنان به ازای هر خدمت ${fa} (۱ کیلومتری)`,
        name_en: `Residents per ${en} facility within 1 km`, unit_fa: 'نفر', unit_en: 'people', query: accessFigure(serviceClass, 'residents_per_facility'),
      },
    ];
  }),
];

export async function builtinValues(db: Kysely<Database>, builtin: Builtin): Promise<{ neighbourhood_id: number; value: number }[]> {
  const { rows } = await sql<{ neighbourhood_id: number; value: number }>`select q.neighbourhood_id, q.value
    from (${builtin.query()}) q order by q.neighbourhood_id`.execute(db);
  return rows.map((r) => ({ neighbourhood_id: r.neighbourhood_id, value: Number(r.value) }));
}
