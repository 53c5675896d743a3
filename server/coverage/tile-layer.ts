import { sql } from 'kysely';
import type { FieldType, TileLayerDefinition } from '../tiles/layers.js';
import { COVERAGE_TILE_PERIODS, PROGRAMME_SLUGS, coveragePeriodProperty } from '../../shared/coverage-schemas.js';

const periodFields: Record<string, FieldType> = {};
for (const slug of PROGRAMME_SLUGS) {
  for (let i = 0; i < COVERAGE_TILE_PERIODS; i++) {
    periodFields[coveragePeriodProperty(slug, i, 'from')] = 'String';
    periodFields[coveragePeriodProperty(slug, i, 'to')] = 'String';
  }
}

/**
 * Coverage for the commander's map: every neighbourhood with its deprivation and
 * population, and per programme its coverage periods as dates (newest first). Dates
 * rather than "covered on day X": one tile answers every day of the date slider, the
 * client filters with a MapLibre expression, and the tiles stay cacheable until a
 * coverage record, programme or neighbourhood changes.
 *
 * The periods come from one lateral json per neighbourhood:
 *   { "karamat": [{ "from": "2024-01-02", "to": null }, …], "progress_councils": […] }
 * and each field picks one element:  periods->'karamat'->0->>'from'  as karamat_from_0.
 */
export const coverageTileLayer: TileLayerDefinition = {
  name: 'coverage',
  description: 'Programme coverage per neighbourhood: coverage periods per programme (dates), deprivation and population',
  // The commander looks at the whole province, on small screens below zoom 6 too; 153
  // small polygons make light tiles even there.
  minzoom: 4,
  maxzoom: 15,
  revisions: ['coverage', 'neighbourhoods'],
  fields: {
    id: 'Number',
    code: 'String',
    name_fa: 'String',
    name_en: 'String',
    county_id: 'Number',
    population: 'Number',
    deprivation: 'Number',
    ...periodFields,
  },
  features: (bounds) => {
    const periodColumns = PROGRAMME_SLUGS.flatMap((slug) =>
      Array.from({ length: COVERAGE_TILE_PERIODS }, (_, i) => [
        sql`(k.periods -> ${sql.lit(slug)} -> ${sql.lit(i)} ->> 'from') as ${sql.ref(coveragePeriodProperty(slug, i, 'from'))}`,
        sql`(k.periods -> ${sql.lit(slug)} -> ${sql.lit(i)} ->> 'to') as ${sql.ref(coveragePeriodProperty(slug, i, 'to'))}`,
      ]).flat(),
    );
    return sql`
      select n.id, n.code, n.name_fa, n.name_en, n.county_id, n.population, n.deprivation::int as deprivation,
        ${sql.join(periodColumns)}, n.geom
      from neighbourhoods n
      left join lateral (
        select json_object_agg(x.slug, x.periods) as periods from (
          select p.slug, json_agg(json_build_object('from', r.from_date::text, 'to', r.to_date::text) order by r.from_date desc) as periods
          from coverage_records r join programmes p on p.id = r.programme_id
          where r.neighbourhood_id = n.id
          group by p.slug
        ) x
      ) k on true
      where n.geom && ${bounds}`;
  },
};
