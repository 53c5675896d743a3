import { sql, type RawBuilder } from 'kysely';
import { EXPORT_ATTRIBUTION, EXPORT_LICENSE } from './attribution.js';

/**
 * The FeatureCollection every GeoJSON export sends, as one text value, so the attribution
 * and licence cannot be left off:
 *
 *   json_build_object('type', 'FeatureCollection', 'attribution', …, 'license', …,
 *     'features', coalesce(json_agg(<feature> order by <orderBy>), '[]'::json))::text
 */
export function exportFeatureCollection(feature: RawBuilder<unknown>, orderBy: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`json_build_object(
      'type', 'FeatureCollection',
      'attribution', ${EXPORT_ATTRIBUTION}::text,
      'license', ${EXPORT_LICENSE}::text,
      'features', coalesce(json_agg(${feature} order by ${orderBy}), '[]'::json))::text`;
}
