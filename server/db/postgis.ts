import { sql, type Expression, type RawBuilder } from 'kysely';

// The raw SQL of PostGIS lives here, as small typed helpers taking and returning
// Kysely expressions. Values always travel as parameters.

/** A GeoJSON geometry (text) as an EPSG:4326 MultiPolygon. */
export function multiPolygonFromGeoJson(geojson: string): RawBuilder<string> {
  return sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`;
}

/**
 * A geometry as GeoJSON text, coordinates rounded to 6 decimals (about 0.1 m). Polygons
 * follow RFC 7946's right-hand rule (exterior rings anticlockwise, holes clockwise), which
 * a drawn or uploaded polygon need not.
 */
export function stAsGeoJson(geom: Expression<unknown>): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(ST_ForcePolygonCCW(${geom}), 6)`;
}

/** The envelope of a lon/lat bounding box. */
export function stMakeEnvelope(bbox: readonly [number, number, number, number]): RawBuilder<string> {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  return sql<string>`ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)`;
}

/** Whether two geometries' boxes overlap (uses the GiST index) and they truly intersect. */
export function stIntersects(a: Expression<unknown>, b: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`ST_Intersects(${a}, ${b})`;
}

/**
 * Whether two geometries have the same vertices, each within `tolerance` (degrees) of its
 * counterpart, in the same structure. Both are normalised first (ring order, start point,
 * orientation), so a file that wrote the rings the other way round is still the same shape.
 * Exact equality is checked first, as it settles most cases without walking the vertices.
 */
export function stSameVertices(a: Expression<unknown>, b: Expression<unknown>, tolerance: number): RawBuilder<boolean> {
  return sql<boolean>`(case
    when ST_OrderingEquals(${a}, ${b}) then true
    when ST_NPoints(${a}) <> ST_NPoints(${b}) or ST_NumGeometries(${a}) <> ST_NumGeometries(${b}) then false
    else coalesce((
      select bool_and(p.path = q.path and abs(ST_X(p.geom) - ST_X(q.geom)) <= ${tolerance}::float8
        and abs(ST_Y(p.geom) - ST_Y(q.geom)) <= ${tolerance}::float8)
      from ST_DumpPoints(ST_Normalize(${a})) with ordinality as p(path, geom, i)
      join ST_DumpPoints(ST_Normalize(${b})) with ordinality as q(path, geom, i) on q.i = p.i), false)
  end)`;
}

/** The Web Mercator (EPSG:3857) square of tile z/x/y, widened by `margin` (a fraction of the tile). */
export function stTileEnvelope(z: number, x: number, y: number, margin = 0): RawBuilder<string> {
  return margin === 0
    ? sql<string>`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int)`
    : sql<string>`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${margin}::float8)`;
}

/** ST_AsMVTGeom: an EPSG:3857 geometry in integer tile coordinates, clipped to the tile plus buffer. */
export function stAsMvtGeom(geom: Expression<unknown>, envelope: Expression<unknown>, extent: number, buffer: number): RawBuilder<string> {
  return sql<string>`ST_AsMVTGeom(${geom}, ${envelope}::box2d, ${extent}::int, ${buffer}::int, true)`;
}

/**
 * What ST_AsMVTGeom does (postgis/mvt.c, mvt_geom), for PostGIS builds without protobuf,
 * as GeoJSON text of the geometry in tile coordinates (null when nothing is left):
 *   1. lines and polygons whose box is under half a tile unit both ways are dropped;
 *   2. affine transform to tile units, y down: x' = (x - xmin)·extent/width,
 *      y' = (ymax - y)·extent/height;
 *   3. snap to the integer grid (same rounding, same removal of repeated points) and
 *      drop points on straight lines (ST_Simplify with tolerance 0);
 *   4. clip to [-buffer, extent + buffer], snap-rounding to the integer grid in the same
 *      overlay (ST_Intersection with gridSize 1, which also drops slivers thinner than a
 *      unit) — where PostGIS hands polygons to wagyu, which clips, snap-rounds and
 *      repairs in one go. Ring starting points may differ from wagyu's and the encoder
 *      fixes orientation; the outline is the same within a unit on the seed data, within
 *      four (half a pixel at 512 px) on the benchmark's 20,000 generated neighbourhoods.
 */
export function stTileGeomAsGeoJson(geom: Expression<unknown>, envelope: Expression<unknown>, extent: number, buffer: number): RawBuilder<string | null> {
  const fx = sql`(${extent}::float8 / (ST_XMax(${envelope}) - ST_XMin(${envelope})))`;
  const fy = sql`(-${extent}::float8 / (ST_YMax(${envelope}) - ST_YMin(${envelope})))`;
  const halfUnitX = sql`((ST_XMax(${envelope}) - ST_XMin(${envelope})) / ${extent}::float8 / 2)`;
  const halfUnitY = sql`((ST_YMax(${envelope}) - ST_YMin(${envelope})) / ${extent}::float8 / 2)`;
  // Tile units have no CRS: SRID 0, like the clip box.
  const inTileUnits = sql`ST_Simplify(ST_SnapToGrid(ST_SetSRID(ST_Affine(${geom}, ${fx}, 0, 0, ${fy},
    -ST_XMin(${envelope}) * ${fx}, -ST_YMax(${envelope}) * ${fy}), 0), 1), 0)`;
  const box = sql`ST_MakeEnvelope(${-buffer}::float8, ${-buffer}::float8, ${extent + buffer}::float8, ${extent + buffer}::float8)`;
  // Polygons are made valid before the clip: a snapped ring is often invalid, and
  // clipping an invalid ring can keep the wrong side of it.
  const clipped = sql`ST_Intersection(
    case when ST_Dimension(s.g) = 2 then ST_CollectionExtract(ST_MakeValid(s.g), 3) else s.g end, ${box}, 1)`;
  return sql<string | null>`(select case
      when t.g is null or ST_IsEmpty(t.g) then null
      else ST_AsGeoJSON(t.g, 0, 0)
    end
    from (select case
        -- Snap-rounding at the clip edge leaves the odd half-unit triangle, which wagyu drops.
        when ST_Dimension(s.g) = 2 then (select ST_Collect(p.geom) from ST_Dump(${clipped}) p where ST_Area(p.geom) >= 1)
        else ST_CollectionExtract(${clipped}, ST_Dimension(s.g) + 1)
      end as g
      from (select ${inTileUnits} as g
        where ST_Dimension(${geom}) = 0
          or ST_XMax(${geom}) - ST_XMin(${geom}) >= ${halfUnitX}
          or ST_YMax(${geom}) - ST_YMin(${geom}) >= ${halfUnitY}) s
      where s.g is not null and not ST_IsEmpty(s.g)) t)`;
}
