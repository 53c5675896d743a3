import { sql, type RawBuilder } from 'kysely';
import { Cql2Error, type Filter, type GeometryOperand, type Scalar, type SpatialFunction } from './cql2.js';
import type { OgcCollection, OgcProperty, PropertyType } from './collections.js';
import type { Crs } from './crs.js';

/**
 * CQL2 trees, property filters (?county_id=3) and `datetime` as SQL conditions on the
 * source row `f` of a collection. Every value is a query parameter with an explicit cast;
 * only property names from the collection's own list become identifiers. Anything that
 * names an unknown property or compares a property with a value of the wrong kind throws
 * a Cql2Error that says so, which the route answers with 400.
 */

/** The names that stand for a feature's geometry in a filter. */
const GEOMETRY_NAMES = new Set(['geometry', 'geom', 'the_geom']);

type Family = 'number' | 'string' | 'boolean' | 'temporal';

const familyOf = (type: PropertyType): Family =>
  type === 'integer' || type === 'number' ? 'number' : type === 'date' || type === 'date-time' ? 'temporal' : type;

function propertyOf(collection: OgcCollection, name: string): OgcProperty {
  const property = collection.properties.find((q) => q.name === name);
  if (!property) {
    throw new Cql2Error(
      `filter names the unknown property "${name}"; ${collection.id} has ${collection.properties.map((q) => q.name).join(', ')} and geometry (see /ogc/collections/${collection.id}/queryables)`,
    );
  }
  return property;
}

const column = (property: OgcProperty) => sql.ref(`f.${property.name}`);

/** A literal as a parameter cast to the type of what it is compared with. */
function literalSql(literal: Exclude<Scalar, { kind: 'property' }>, family: Family, against: string): RawBuilder<unknown> {
  switch (family) {
    case 'number':
      if (literal.kind !== 'number') throw mismatch(against, 'a number', literal);
      return sql`${literal.value}::float8`;
    case 'boolean':
      if (literal.kind !== 'boolean') throw mismatch(against, 'TRUE or FALSE', literal);
      return sql`${literal.value}::boolean`;
    case 'string':
      if (literal.kind !== 'string') throw mismatch(against, 'a quoted text', literal);
      return sql`${literal.value}::text`;
    case 'temporal': {
      if (literal.kind === 'date') return sql`${literal.value}::date`;
      if (literal.kind === 'timestamp') return sql`${literal.value}::timestamptz`;
      if (literal.kind === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(literal.value)
        && !Number.isNaN(Date.parse(literal.value))) {
        return literal.value.length === 10 ? sql`${literal.value}::date` : sql`${literal.value}::timestamptz`;
      }
      throw mismatch(against, "DATE('YYYY-MM-DD') or TIMESTAMP('…Z')", literal);
    }
  }
}

function mismatch(against: string, expected: string, literal: Scalar): Cql2Error {
  const shown = literal.kind === 'string' ? `'${literal.value}'` : 'value' in literal ? String(literal.value) : literal.kind;
  return new Cql2Error(`filter compares ${against} with ${shown}; it needs ${expected}`);
}

function literalFamily(literal: Exclude<Scalar, { kind: 'property' }>): Family {
  return literal.kind === 'date' || literal.kind === 'timestamp' ? 'temporal' : literal.kind;
}

/** Two scalars as SQL, each cast so that they compare as the property's kind. */
function scalarPair(collection: OgcCollection, left: Scalar, right: Scalar): [RawBuilder<unknown>, RawBuilder<unknown>] {
  if (GEOMETRY_NAMES.has(nameOf(left) ?? '') || GEOMETRY_NAMES.has(nameOf(right) ?? '')) {
    throw new Cql2Error('filter compares the geometry with a value; use a spatial function such as S_INTERSECTS(geometry, BBOX(…))');
  }
  if (left.kind === 'property' && right.kind === 'property') {
    const [a, b] = [propertyOf(collection, left.name), propertyOf(collection, right.name)];
    if (familyOf(a.type) !== familyOf(b.type)) throw new Cql2Error(`filter compares ${a.name} (${a.type}) with ${b.name} (${b.type})`);
    return [column(a), column(b)];
  }
  if (left.kind === 'property' && right.kind !== 'property') {
    const a = propertyOf(collection, left.name);
    return [column(a), literalSql(right, familyOf(a.type), `${a.name} (${a.type})`)];
  }
  if (right.kind === 'property' && left.kind !== 'property') {
    const b = propertyOf(collection, right.name);
    return [literalSql(left, familyOf(b.type), `${b.name} (${b.type})`), column(b)];
  }
  // Two literals: compared as what they are.
  const [l, r] = [left as Exclude<Scalar, { kind: 'property' }>, right as Exclude<Scalar, { kind: 'property' }>];
  const family = literalFamily(l);
  return [literalSql(l, family, 'a value'), literalSql(r, family, 'a value')];
}

const nameOf = (s: Scalar | GeometryOperand) => (s.kind === 'property' ? s.name : undefined);

const SPATIAL_SQL: Record<SpatialFunction, RawBuilder<unknown>> = {
  s_intersects: sql`ST_Intersects`, s_disjoint: sql`ST_Disjoint`, s_within: sql`ST_Within`, s_contains: sql`ST_Contains`,
  s_equals: sql`ST_Equals`, s_touches: sql`ST_Touches`, s_crosses: sql`ST_Crosses`, s_overlaps: sql`ST_Overlaps`,
};

/** A geometry literal in `crs`, as an EPSG:4326 geometry in PostGIS's lon/lat order. */
export function geometryLiteralSql(operand: Exclude<GeometryOperand, { kind: 'property' }>, crs: Crs): RawBuilder<unknown> {
  let geometry: RawBuilder<unknown>;
  if (operand.kind === 'bbox') {
    const [a, b, c, d] = operand.box;
    const [minX, minY, maxX, maxY] = crs.latFirst ? [b, a, d, c] : [a, b, c, d];
    geometry = sql`ST_MakeEnvelope(${minX}::float8, ${minY}::float8, ${maxX}::float8, ${maxY}::float8, ${crs.srid}::int)`;
  } else {
    const parsed = sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(operand.geometry)}::text), ${crs.srid}::int)`;
    geometry = crs.latFirst ? sql`ST_FlipCoordinates(${parsed})` : parsed;
  }
  return crs.srid === 4326 ? geometry : sql`ST_Transform(${geometry}, 4326)`;
}

function geometrySql(operand: GeometryOperand, crs: Crs): RawBuilder<unknown> {
  if (operand.kind !== 'property') return geometryLiteralSql(operand, crs);
  if (!GEOMETRY_NAMES.has(operand.name)) {
    throw new Cql2Error(`filter uses "${operand.name}" as a geometry; the geometry property is called geometry`);
  }
  return sql.ref('f.geom');
}

/** A parsed CQL2 filter as a SQL condition; geometry literals are in `filterCrs`. */
export function filterSql(filter: Filter, collection: OgcCollection, filterCrs: Crs): RawBuilder<boolean> {
  const walk = (f: Filter): RawBuilder<boolean> => {
    switch (f.kind) {
      case 'and':
      case 'or':
        return sql<boolean>`(${sql.join(f.args.map(walk), f.kind === 'and' ? sql` and ` : sql` or `)})`;
      case 'not':
        return sql<boolean>`(not ${walk(f.arg)})`;
      case 'literal':
        return sql<boolean>`${f.value}::boolean`;
      case 'compare': {
        const [l, r] = scalarPair(collection, f.left, f.right);
        return sql<boolean>`(${l} ${sql.raw(f.op)} ${r})`;
      }
      case 'like': {
        const [l, r] = scalarPair(collection, f.value, f.pattern);
        if (f.value.kind === 'property' && propertyOf(collection, f.value.name).type !== 'string') {
          throw new Cql2Error(`filter uses LIKE on ${f.value.name}, which is not text`);
        }
        const operator = `${f.negated ? 'not ' : ''}${f.caseInsensitive ? 'ilike' : 'like'}`;
        return sql<boolean>`(${l} ${sql.raw(operator)} ${r})`;
      }
      case 'between': {
        const [v, low] = scalarPair(collection, f.value, f.low);
        const [, high] = scalarPair(collection, f.value, f.high);
        return sql<boolean>`(${v} ${sql.raw(f.negated ? 'not between' : 'between')} ${low} and ${high})`;
      }
      case 'in': {
        const pairs = f.list.map((item) => scalarPair(collection, f.value, item));
        return sql<boolean>`(${pairs[0]![0]} ${sql.raw(f.negated ? 'not in' : 'in')} (${sql.join(pairs.map((pair) => pair[1]))}))`;
      }
      case 'isNull': {
        const value = GEOMETRY_NAMES.has(nameOf(f.value) ?? '') ? sql.ref('f.geom')
          : f.value.kind === 'property' ? column(propertyOf(collection, f.value.name)) : literalSql(f.value, literalFamily(f.value), 'a value');
        return sql<boolean>`(${value} ${sql.raw(f.negated ? 'is not null' : 'is null')})`;
      }
      case 'spatial':
        return sql<boolean>`${SPATIAL_SQL[f.op]}(${geometrySql(f.left, filterCrs)}, ${geometrySql(f.right, filterCrs)})`;
    }
  };
  return walk(filter);
}

/** A query parameter such as ?county_id=3 as an equality on that property. */
export function propertyEqualsSql(property: OgcProperty, text: string): RawBuilder<boolean> {
  const bad = (expected: string) => new Cql2Error(`${property.name} must be ${expected}, not ${JSON.stringify(text)}`);
  const ref = column(property);
  switch (property.type) {
    case 'integer':
      if (!/^-?\d{1,15}$/.test(text)) throw bad('a whole number');
      return sql<boolean>`${ref} = ${Number(text)}::float8`;
    case 'number':
      if (text.trim() === '' || !Number.isFinite(Number(text))) throw bad('a number');
      return sql<boolean>`${ref} = ${Number(text)}::float8`;
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw bad('true or false');
      return sql<boolean>`${ref} = ${text === 'true'}::boolean`;
    case 'date':
      if (!isDate(text)) throw bad('a date (YYYY-MM-DD)');
      return sql<boolean>`${ref} = ${text}::date`;
    case 'date-time':
      if (!isDateTime(text)) throw bad('a date and time (RFC 3339, e.g. 2024-05-01T10:00:00Z)');
      return sql<boolean>`${ref} = ${text}::timestamptz`;
    case 'string':
      return sql<boolean>`${ref} = ${text}::text`;
  }
}

// Year 0000 parses in JavaScript but not in PostgreSQL.
const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !text.startsWith('0000') && !Number.isNaN(Date.parse(text));
const isDateTime = (text: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text) && !text.startsWith('0000') && !Number.isNaN(Date.parse(text));

/** `datetime` (an instant, or start/end with ".." or nothing for an open end), as instants; undefined is open. */
export interface DatetimeInterval {
  start: string | undefined;
  end: string | undefined;
}

export function parseDatetime(text: string): DatetimeInterval | { problem: string } {
  const parts = text.split('/');
  const valid = (t: string) => isDate(t) || isDateTime(t);
  const problem = 'datetime must be a date or date-time (RFC 3339), or an interval start/end with ".." for an open end, e.g. 2024-01-01/.. or 2024-01-01T00:00:00Z/2024-06-30T23:59:59Z';
  if (parts.length === 1) return valid(text) ? { start: text, end: text } : { problem };
  if (parts.length !== 2) return { problem };
  const [start, end] = parts.map((t) => (t === '..' || t === '' ? undefined : t)) as [string | undefined, string | undefined];
  if ((start !== undefined && !valid(start)) || (end !== undefined && !valid(end))) return { problem };
  if (start === undefined && end === undefined) return { problem: 'datetime ../.. would match everything; leave it out instead' };
  if (start !== undefined && end !== undefined && Date.parse(start) > Date.parse(end)) return { problem: `datetime: ${start} comes after ${end}` };
  return { start, end };
}

/**
 * Features whose time — an instant, or from start to end (no end: still going) — meets the
 * interval. Date properties compare by day: a date-time bound counts as its UTC day; a
 * date bound on a date-time property covers that whole day.
 */
export function datetimeSql(collection: OgcCollection, interval: DatetimeInterval): RawBuilder<boolean> {
  const temporal = collection.temporal;
  if (!temporal) throw new Cql2Error(`datetime: ${collection.id} has no dates`);
  const start = propertyOf(collection, temporal.start);
  const end = temporal.end ? propertyOf(collection, temporal.end) : start;
  const bound = (property: OgcProperty, value: string, side: 'start' | 'end') => {
    if (property.type === 'date') return sql`${value.slice(0, 10)}::date`;
    if (value.length === 10) return side === 'start' ? sql`${`${value}T00:00:00Z`}::timestamptz` : sql`${`${value}T23:59:59.999Z`}::timestamptz`;
    return sql`${value}::timestamptz`;
  };
  const conditions: RawBuilder<boolean>[] = [];
  // The feature ends on or after the interval starts (an open end always does) …
  if (interval.start !== undefined) {
    conditions.push(end === start
      ? sql<boolean>`${column(start)} >= ${bound(start, interval.start, 'start')}`
      : sql<boolean>`(${column(end)} is null or ${column(end)} >= ${bound(end, interval.start, 'start')})`);
  }
  // … and starts on or before the interval ends.
  if (interval.end !== undefined) conditions.push(sql<boolean>`${column(start)} <= ${bound(start, interval.end, 'end')}`);
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}
