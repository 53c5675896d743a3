import { sql, type Expression, type RawBuilder } from 'kysely';
import { coverageTileLayer } from '../coverage/tile-layer.js';
import { interventionsTileLayer } from '../interventions/tile-layer.js';
import { knownReferenceTileLayer } from '../layers/tile-layer.js';
import { placesTileLayer } from '../places/tile-layer.js';
import { ACCESS_TILE_FIELDS, accessTileColumns, accessTileRow } from '../access/tile-fields.js';

/** How TileJSON `vector_layers` name a field's type. */
export type FieldType = 'Number' | 'String' | 'Boolean';

/**
 * One map layer served as vector tiles at /tiles/{name}/{z}/{x}/{y}.mvt and described at
 * /tiles/{name}.json. Adding a layer is adding one entry to TILE_LAYERS; the tile
 * function, both encoders, the cache, the ETags and TileJSON follow from it.
 */
export interface TileLayerDefinition {
  /** URL name and the name of the layer inside the tile. */
  name: string;
  description: string;
  /** Below minzoom a tile is empty (the layer is too dense to draw); above maxzoom clients overzoom. */
  minzoom: number;
  maxzoom: number;
  attribution?: string;
  /**
   * Names in layer_revisions whose change retires this layer's tiles: its own, and those of
   * every table it joins (a layer drawn from neighbourhood geometry lists 'neighbourhoods').
   * Tables that feed a layer bump their name with the bump_layer_revision() trigger.
   */
  revisions: readonly string[];
  /**
   * The feature properties, in the order `features` selects them, with their TileJSON types.
   * `id` comes first: it is both the MVT feature id and a property (MapLibre's promoteId and
   * GDAL read the property). Integers must be int2/int4 in SQL (cast bigint and numeric),
   * so both encoders write the same value types.
   */
  fields: Readonly<Record<string, FieldType>>;
  /**
   * When set, the tile also holds a `{name}_labels` point layer: one point per feature
   * (`label_point`, worked out from the whole geometry, so it lands in exactly one tile)
   * with these properties. Labels drawn on polygons would repeat in every tile a polygon crosses.
   */
  labelFields?: readonly string[];
  /**
   * The features that meet `bounds` (an EPSG:4326 rectangle: the tile and its buffer):
   * a SELECT of every field, in order, then `geom` (EPSG:4326), then for a layer with
   * labelFields `label_point` (an EPSG:4326 point inside the feature). Filter with
   * `geom && ${bounds}` so the GiST index does the work. It must depend on nothing but
   * `bounds`: the tile query is built once per layer (queries.ts, compiledTileQuery).
   */
  features(bounds: Expression<unknown>): RawBuilder<unknown>;
}

/** The county boundaries come from OpenStreetMap (geodata/README.md). */
/**
 * Every layer derives from OpenStreetMap data: counties are OSM boundaries, and the
 * (illustrative) neighbourhoods, coverage and interventions are cut inside them.
 */
export const OSM = '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors (ODbL)';

export const TILE_LAYERS: readonly TileLayerDefinition[] = [
  {
    name: 'neighbourhoods',
    description: 'Programme neighbourhoods with their deprivation class, population and county',
    // A neighbourhood is a few pixels wide at zoom 6; the province-wide view starts there.
    minzoom: 6,
    maxzoom: 15,
    revisions: ['neighbourhoods', 'counties'],
    fields: {
      id: 'Number',
      code: 'String',
      name_fa: 'String',
      name_en: 'String',
      county_id: 'Number',
      county_fa: 'String',
      county_en: 'String',
      population: 'Number',
      households: 'Number',
      deprivation: 'Number',
      informal: 'Boolean',
      margin: 'Boolean',
      source: 'String',
      // The programme's method (view neighbourhood_method, migration 0004); problems, networks,
      // stage reviews and interventions bump the 'neighbourhoods' revision.
      open_problems: 'Number',
      overdue_problems: 'Number',
      active_interventions: 'Number',
      active_networks: 'Number',
      stage: 'Number',
      // Access to services (server/access/): facilities within 1 km and metres to the nearest, per class.
      ...ACCESS_TILE_FIELDS,
    },
    labelFields: ['id', 'name_fa', 'name_en', 'deprivation'],
    features: (bounds) => sql`
      select n.id, n.code, n.name_fa, n.name_en, n.county_id, c.name_fa as county_fa, c.name_en as county_en,
        n.population, n.households, n.deprivation, n.informal, n.margin, n.source,
        m.open_problems, m.overdue_problems, m.active_interventions, m.active_networks, m.stage, ${accessTileColumns},
        n.geom, n.label_point
      from neighbourhoods n join counties c on c.id = n.county_id
      join neighbourhood_method m on m.neighbourhood_id = n.id
      left join lateral (${accessTileRow(sql`n.id`)}) a on true
      where n.geom && ${bounds}`,
  },
  {
    name: 'counties',
    description: 'Counties (shahrestan) with their population and number of programme neighbourhoods',
    minzoom: 0,
    maxzoom: 12,
    attribution: OSM,
    revisions: ['counties', 'neighbourhoods'],
    fields: {
      id: 'Number',
      code: 'String',
      name_fa: 'String',
      name_en: 'String',
      population: 'Number',
      neighbourhood_count: 'Number',
    },
    labelFields: ['id', 'name_fa', 'name_en'],
    features: (bounds) => sql`
      select c.id, c.code, c.name_fa, c.name_en, c.population,
        (select count(*)::int from neighbourhoods n where n.county_id = c.id) as neighbourhood_count, c.geom,
        -- County names are drawn only up to zoom 9, where counties are large and far apart.
        ST_PointOnSurface(c.geom) as label_point
      from counties c
      where c.geom && ${bounds}`,
  },
  coverageTileLayer,
  interventionsTileLayer,
  placesTileLayer,
];

/** One of our layers, or a reference layer already looked up (see server/layers/tile-layer.ts). */
export function findTileLayer(name: string): TileLayerDefinition | undefined {
  return TILE_LAYERS.find((layer) => layer.name === name) ?? knownReferenceTileLayer(name);
}

export function labelLayerName(layer: TileLayerDefinition): string {
  return `${layer.name}_labels`;
}
