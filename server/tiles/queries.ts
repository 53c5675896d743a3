import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { stAsMvtGeom, stTileEnvelope, stTileGeomAsGeoJson } from '../db/postgis.js';
import { encodeMvt, type TileGeometry, type TileLayer, type TilePropertyValue } from './mvt-encoder.js';
import { labelLayerName, type TileLayerDefinition } from './layers.js';

/** Tile units per tile side: the MVT default, and what MapLibre expects. */
export const TILE_EXTENT = 4096;
/** Geometry kept beyond each tile edge, in tile units (8 px of a 512 px tile), so strokes join up. */
export const TILE_BUFFER = 64;

/**
 * How a tile is encoded: 'mvt' has PostGIS write it (ST_AsMVT), 'rows' has PostGIS do
 * what ST_AsMVTGeom does and hand the rows to the JavaScript encoder — the only way on
 * the embedded database, and available on a PostGIS server too (the tests compare them).
 */
export type TileEncoding = 'mvt' | 'rows';

export interface RenderedTile {
  bytes: Uint8Array;
  /** The layer's revision tag (see revisionTagSql) read in the same snapshot as the tile. */
  revisionTag: string;
}

/**
 * Every layer's revision: (layer, tag). A tag is "layer:revision:changed_at"; changed_at
 * is in it so that a database rebuilt from scratch, whose counters start again at 1,
 * never repeats an earlier tag.
 */
export const revisionRowsSql = sql<{ layer: string; tag: string }>`
  select layer, layer || ':' || revision || ':' || extract(epoch from changed_at) as tag from layer_revisions`;

/** The revisions of a layer as one string, e.g. "counties:4:1732630000.123|neighbourhoods:9:…". */
export function revisionTagSql(layer: TileLayerDefinition): RawBuilder<string> {
  return sql<string>`(select coalesce(string_agg(r.tag, '|' order by r.layer collate "C"), '')
    from (${revisionRowsSql}) r where r.layer in (${sql.join(layer.revisions)}))`;
}

const revisionStatements = new WeakMap<Kysely<Database>, CompiledQuery<{ layer: string; tag: string }>>();

/** Every layer's revision row, for the revision reader (one short query for all layers, compiled once). */
export async function readRevisionRows(db: Kysely<Database>): Promise<Map<string, string>> {
  let statement = revisionStatements.get(db);
  if (!statement) revisionStatements.set(db, (statement = prepared(revisionRowsSql.compile(db))));
  const { rows } = await db.executeQuery(statement);
  return new Map(rows.map((r) => [r.layer, r.tag]));
}

// One set of rows serves many requests (RevisionReader shares reads): work each tag out once.
const tagsByRows = new WeakMap<ReadonlyMap<string, string>, Map<string, string>>();

/** The tag revisionTagSql computes (same order: "C" collation is code-unit order), from the rows readRevisionRows returns. */
export function revisionTagOf(layer: TileLayerDefinition, rows: ReadonlyMap<string, string>): string {
  let tags = tagsByRows.get(rows);
  if (!tags) tagsByRows.set(rows, (tags = new Map()));
  let tag = tags.get(layer.name);
  if (tag === undefined) {
    tag = [...layer.revisions]
      .sort()
      .flatMap((name) => (rows.has(name) ? [rows.get(name)!] : []))
      .join('|');
    tags.set(layer.name, tag);
  }
  return tag;
}

/**
 * The features of the tile, with their geometry in EPSG:3857 as `__g`, read once and
 * shared by the layer and its label layer. `bounds` is the tile plus its buffer in
 * EPSG:4326, the CRS of the stored geometries, so the GiST index applies.
 */
function sourceCte(layer: TileLayerDefinition, z: number, x: number, y: number) {
  const bounds = sql`ST_Transform(${stTileEnvelope(z, x, y, TILE_BUFFER / TILE_EXTENT)}, 4326)`;
  const labelPoint = layer.labelFields ? sql`, ST_Transform(f.label_point, 3857) as __l` : sql``;
  return sql`src as materialized (
    select f.*, ST_Transform(f.geom, 3857) as __g ${labelPoint} from (${layer.features(bounds)}) f)`;
}

function columns(names: readonly string[]) {
  return sql.join(names.map((name) => sql.ref(`s.${name}`)));
}

/**
 * The tile by ST_AsMVT: one column `tile` (bytea, empty when no feature is left) and the
 * revision tag read in the same statement, hence the same snapshot.
 */
export function mvtTileQuery(layer: TileLayerDefinition, z: number, x: number, y: number): RawBuilder<{ tile: Buffer; revision_tag: string }> {
  const envelope = stTileEnvelope(z, x, y);
  const fields = Object.keys(layer.fields);
  // __id becomes the MVT feature id and __geom the geometry; every other column is a property.
  const layerMvt = sql`coalesce((select ST_AsMVT(t, ${layer.name}, ${TILE_EXTENT}::int, '__geom', '__id') from (
      select s.id as __id, ${columns(fields)}, ${stAsMvtGeom(sql.ref('s.__g'), envelope, TILE_EXTENT, TILE_BUFFER)} as __geom
      from src s order by s.id) t), ''::bytea)`;
  const labelMvt = layer.labelFields
    ? sql`|| coalesce((select ST_AsMVT(t, ${labelLayerName(layer)}, ${TILE_EXTENT}::int, '__geom', '__id') from (
      select s.id as __id, ${columns(layer.labelFields)},
        ${stAsMvtGeom(sql.ref('s.__l'), envelope, TILE_EXTENT, TILE_BUFFER)} as __geom
      from src s order by s.id) t), ''::bytea)`
    : sql``;
  return sql<{ tile: Buffer; revision_tag: string }>`with ${sourceCte(layer, z, x, y)}
    select ${layerMvt} ${labelMvt} as tile, ${revisionTagSql(layer)} as revision_tag`;
}

/**
 * The same tile as rows for the JavaScript encoder: `features` and `labels` are JSON
 * arrays of [property values…, geometry in tile units as GeoJSON or null], in the order
 * of `fields` and `labelFields`.
 */
export function rowsTileQuery(layer: TileLayerDefinition, z: number, x: number, y: number): RawBuilder<RowsTile> {
  const envelope = sql.ref('env.e');
  const fields = Object.keys(layer.fields);
  const tileGeom = (geom: RawBuilder<unknown>) => sql`${stTileGeomAsGeoJson(geom, envelope, TILE_EXTENT, TILE_BUFFER)}::json`;
  const labels = layer.labelFields
    ? sql`(select json_agg(json_build_array(${columns(layer.labelFields)}, ${tileGeom(sql`s.__l`)}) order by s.id)
        from src s cross join env)`
    : sql`null::json`;
  return sql<RowsTile>`with ${sourceCte(layer, z, x, y)}, env as (select ${stTileEnvelope(z, x, y)} as e)
    select
      (select json_agg(json_build_array(${columns(fields)}, ${tileGeom(sql`s.__g`)}) order by s.id) from src s cross join env) as features,
      ${labels} as labels,
      ${revisionTagSql(layer)} as revision_tag`;
}

type RowValues = [...TilePropertyValue[], TileGeometry | null][];

interface RowsTile {
  features: RowValues | null;
  labels: RowValues | null;
  revision_tag: string;
}

function toTileLayer(name: string, fieldNames: readonly string[], rows: RowValues | null): TileLayer {
  return {
    name,
    extent: TILE_EXTENT,
    features: (rows ?? []).map((row) => {
      const properties: Record<string, TilePropertyValue> = {};
      fieldNames.forEach((field, i) => (properties[field] = row[i] as TilePropertyValue));
      return { id: properties.id as number, properties, geometry: row[fieldNames.length] as TileGeometry | null };
    }),
  };
}

/** Renders one tile of a layer. Tiles below the layer's minzoom are empty without asking the database. */
export async function renderTile(
  db: Kysely<Database>,
  layer: TileLayerDefinition,
  tile: { z: number; x: number; y: number },
  encoding: TileEncoding,
): Promise<RenderedTile> {
  const { z, x, y } = tile;
  if (z < layer.minzoom) {
    const { rows } = await sql<{ revision_tag: string }>`select ${revisionTagSql(layer)} as revision_tag`.execute(db);
    return { bytes: new Uint8Array(0), revisionTag: rows[0]!.revision_tag };
  }
  if (encoding === 'mvt') {
    const { rows } = await db.executeQuery<{ tile: Buffer; revision_tag: string }>(compiledTileQuery(db, layer, encoding, tile));
    return { bytes: rows[0]!.tile, revisionTag: rows[0]!.revision_tag };
  }
  const { rows } = await db.executeQuery<RowsTile>(compiledTileQuery(db, layer, encoding, tile));
  const row = rows[0];
  // The query always answers one row; PGlite has been seen to answer none when a GEOS
  // error inside it went unreported.
  if (!row) throw new Error(`the tile query for ${layer.name} ${z}/${x}/${y} returned no row`);
  const layers = [toTileLayer(layer.name, Object.keys(layer.fields), row.features)];
  if (layer.labelFields) layers.push(toTileLayer(labelLayerName(layer), layer.labelFields, row.labels));
  return { bytes: encodeMvt(layers), revisionTag: row.revision_tag };
}

/** Stand-ins for z, x and y while compiling: values no layer's SQL has among its own parameters. */
const SENTINELS = [2147480001, 2147480002, 2147480003] as const;

interface TileQueryTemplate {
  sql: string;
  parameters: readonly unknown[];
  /** Where z, x and y go in `parameters`. */
  slots: [number[], number[], number[]];
}

const templates = new WeakMap<TileLayerDefinition, Map<TileEncoding, TileQueryTemplate>>();

/**
 * The tile query as SQL and parameters. Its text depends only on the layer and the
 * encoding, so it is built once and each tile swaps its z, x and y into the parameters —
 * building the query each time cost about a tenth of a millisecond. (Layers' `features`
 * must be a pure function of the bounds for this, as layers.ts says.)
 */
export function compiledTileQuery(db: Kysely<Database>, layer: TileLayerDefinition, encoding: TileEncoding, tile: { z: number; x: number; y: number }): CompiledQuery {
  let byEncoding = templates.get(layer);
  if (!byEncoding) templates.set(layer, (byEncoding = new Map()));
  let template = byEncoding.get(encoding);
  if (!template) {
    const [z, x, y] = SENTINELS;
    const compiled = (encoding === 'mvt' ? mvtTileQuery(layer, z, x, y) : rowsTileQuery(layer, z, x, y)).compile(db);
    const slotsOf = (value: number) => compiled.parameters.flatMap((p, i) => (p === value ? [i] : []));
    prepared(compiled);
    template = { sql: compiled.sql, parameters: compiled.parameters, slots: [slotsOf(z), slotsOf(x), slotsOf(y)] };
    byEncoding.set(encoding, template);
  }
  const parameters = [...template.parameters];
  [tile.z, tile.x, tile.y].forEach((value, i) => {
    for (const slot of template.slots[i]!) parameters[slot] = value;
  });
  return CompiledQuery.raw(template.sql, parameters);
}

/** The layer's data extent in degrees, for TileJSON; null when it has no features. */
export async function layerBounds(db: Kysely<Database>, layer: TileLayerDefinition): Promise<[number, number, number, number] | null> {
  const world = sql`ST_MakeEnvelope(-180, -90, 180, 90, 4326)`;
  const { rows } = await sql<{ west: number | null; south: number; east: number; north: number }>`
    select ST_XMin(e)::float8 as west, ST_YMin(e)::float8 as south, ST_XMax(e)::float8 as east, ST_YMax(e)::float8 as north
    from (select ST_Extent(f.geom) as e from (${layer.features(world)}) f) x`.execute(db);
  const row = rows[0]!;
  return row.west === null ? null : [row.west, row.south, row.east, row.north];
}
