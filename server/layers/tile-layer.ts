import { sql } from 'kysely';
import type { TileLayerDefinition } from '../tiles/layers.js';

/**
 * Each reference layer is a tile layer at /tiles/{slug}/…, drawn from the features of its
 * current version. The definitions are made when a layer is first asked for and kept (one
 * object per slug, so the tile query is compiled once, as queries.ts expects); all share
 * the revision 'reference_layers', which a commit or restore of any of them bumps.
 */
const definitions = new Map<string, TileLayerDefinition>();

export function referenceTileLayer(slug: string): TileLayerDefinition {
  let layer = definitions.get(slug);
  if (!layer) {
    layer = {
      name: slug,
      description: `Reference layer "${slug}" uploaded by GIS staff (GET /api/layers)`,
      // Streets and facilities are city-scale detail; below zoom 8 they are noise (and heavy).
      minzoom: 8,
      maxzoom: 16,
      revisions: ['reference_layers'],
      fields: { id: 'Number', name_fa: 'String', name_en: 'String', type: 'String', service_class: 'String' },
      features: (bounds) => sql`
        select f.id, f.name_fa, f.name_en, f.type_value as type, f.service_class, f.geom
        from reference_layers l join reference_features f on f.upload_id = l.current_upload_id
        where l.slug = ${slug} and f.geom && ${bounds}`,
    };
    definitions.set(slug, layer);
  }
  return layer;
}

/** A reference layer already asked for (the hot path only serves tiles rendered before). */
export function knownReferenceTileLayer(slug: string): TileLayerDefinition | undefined {
  return definitions.get(slug);
}
