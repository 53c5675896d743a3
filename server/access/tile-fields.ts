import { sql, type RawBuilder } from 'kysely';
import { SERVICE_CLASSES } from '../../shared/layers-schemas.js';
import type { FieldType } from '../tiles/layers.js';

/**
 * Access figures as neighbourhood tile properties, for map indicators:
 * `access_<class>_1km` (facilities within 1 km) and `access_<class>_nearest_m` (whole
 * metres to the nearest; absent when the class has no facility).
 */
export const ACCESS_TILE_FIELDS: Record<string, FieldType> = Object.fromEntries(
  SERVICE_CLASSES.flatMap((c) => [[`access_${c}_1km`, 'Number'], [`access_${c}_nearest_m`, 'Number']]),
);

/** The columns, in the order of ACCESS_TILE_FIELDS, from the row `a` of accessTileRow. */
export const accessTileColumns: RawBuilder<unknown> = sql.join(
  SERVICE_CLASSES.flatMap((c) => [
    sql`coalesce(a.${sql.ref(`${c}_1km`)}, 0) as ${sql.ref(`access_${c}_1km`)}`,
    sql`a.${sql.ref(`${c}_nearest_m`)} as ${sql.ref(`access_${c}_nearest_m`)}`,
  ]),
);

/** One row of every class's figures for one neighbourhood (a lateral subquery on the primary key). */
export function accessTileRow(neighbourhoodId: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select ${sql.join(SERVICE_CLASSES.flatMap((c) => [
    sql`max(x.within_1000m) filter (where x.service_class = ${c})::int as ${sql.ref(`${c}_1km`)}`,
    sql`round(max(x.nearest_m) filter (where x.service_class = ${c}))::int as ${sql.ref(`${c}_nearest_m`)}`,
  ]))} from neighbourhood_access x where x.neighbourhood_id = ${neighbourhoodId}`;
}
