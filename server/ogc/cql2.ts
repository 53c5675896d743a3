/**
 * A parser for CQL2 text (OGC API – Features Part 3 filters): comparisons, AND/OR/NOT,
 * LIKE, IN, BETWEEN, IS NULL, and the spatial functions S_INTERSECTS and friends with a
 * property and a BBOX(…) or WKT literal. Pure: it makes a tree, and filter-sql.ts turns
 * the tree into parameterised SQL after checking it against a collection's properties.
 *
 *   expression = term { OR term }
 *   term       = factor { AND factor }
 *   factor     = [ NOT ] primary
 *   primary    = "(" expression ")" | spatial "(" geom "," geom ")" | TRUE | FALSE
 *              | scalar ( compare scalar | [NOT] LIKE scalar | [NOT] BETWEEN scalar AND scalar
 *                       | [NOT] IN "(" scalar { "," scalar } ")" | IS [NOT] NULL )
 */

export type Scalar =
  | { kind: 'property'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; value: string }
  | { kind: 'timestamp'; value: string };

/** A GeoJSON geometry (from WKT) or a box [minX, minY, maxX, maxY]. */
export type GeometryLiteral =
  | { kind: 'geometry'; geometry: { type: string; coordinates: unknown } }
  | { kind: 'bbox'; box: [number, number, number, number] };

export type GeometryOperand = { kind: 'property'; name: string } | GeometryLiteral;

export const COMPARISONS = ['=', '<>', '<', '>', '<=', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const SPATIAL_FUNCTIONS = [
  's_intersects', 's_disjoint', 's_within', 's_contains', 's_equals', 's_touches', 's_crosses', 's_overlaps',
] as const;
export type SpatialFunction = (typeof SPATIAL_FUNCTIONS)[number];

export type Filter =
  | { kind: 'and' | 'or'; args: Filter[] }
  | { kind: 'not'; arg: Filter }
  | { kind: 'literal'; value: boolean }
  | { kind: 'compare'; op: Comparison; left: Scalar; right: Scalar }
  | { kind: 'like'; negated: boolean; caseInsensitive: boolean; value: Scalar; pattern: Scalar }
  | { kind: 'between'; negated: boolean; value: Scalar; low: Scalar; high: Scalar }
  | { kind: 'in'; negated: boolean; value: Scalar; list: Scalar[] }
  | { kind: 'isNull'; negated: boolean; value: Scalar }
  | { kind: 'spatial'; op: SpatialFunction; left: GeometryOperand; right: GeometryOperand };

/** A filter that does not parse; the message says where and what was expected. */
export class Cql2Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Cql2Error';
  }
}

type Token =
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; text: string; at: number }
  | { type: 'word'; value: string; quoted: boolean; at: number }
  | { type: 'symbol'; value: string; at: number }
  | { type: 'end'; at: number };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new Cql2Error(`filter: the text starting at character ${i + 1} has no closing quote`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ type: 'string', value, at: i });
      i = j + 1;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new Cql2Error(`filter: the name starting at character ${i + 1} has no closing double quote`);
      tokens.push({ type: 'word', value: text.slice(i + 1, end), quoted: true, at: i });
      i = end + 1;
    } else if (/[0-9.]/.test(ch) || ((ch === '-' || ch === '+') && /[0-9.]/.test(text[i + 1] ?? ''))) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!match) throw new Cql2Error(`filter: unexpected "${ch}" at character ${i + 1}`);
      tokens.push({ type: 'number', value: Number(match[0]), text: match[0], at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.:]*/.exec(text.slice(i))!;
      tokens.push({ type: 'word', value: match[0], quoted: false, at: i });
      i += match[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '<>') {
        tokens.push({ type: 'symbol', value: two, at: i });
        i += 2;
      } else if ('=<>(),'.includes(ch)) {
        tokens.push({ type: 'symbol', value: ch, at: i });
        i++;
      } else {
        throw new Cql2Error(`filter: unexpected "${ch}" at character ${i + 1}`);
      }
    }
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

const WKT_TYPES: Record<string, string> = {
  POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon',
  MULTIPOINT: 'MultiPoint', MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon',
};

/** Parses CQL2 text into a filter tree, or throws a Cql2Error naming the place it went wrong. */
export function parseCql2(text: string): Filter {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const describe = (t: Token) =>
    t.type === 'end' ? 'the end of the filter' : `"${'text' in t ? t.text : t.value}" at character ${t.at + 1}`;
  const fail = (expected: string, t: Token = peek()): never => {
    throw new Cql2Error(`filter: expected ${expected} but found ${describe(t)}`);
  };
  const isKeyword = (t: Token, ...words: string[]) => t.type === 'word' && !t.quoted && words.includes(t.value.toUpperCase());
  const acceptKeyword = (...words: string[]) => {
    if (isKeyword(peek(), ...words)) return (next() as { value: string }).value.toUpperCase();
    return undefined;
  };
  const expectKeyword = (word: string) => acceptKeyword(word) ?? fail(word);
  const isSymbol = (t: Token, symbol: string) => t.type === 'symbol' && t.value === symbol;
  const expectSymbol = (symbol: string) => (isSymbol(peek(), symbol) ? next() : fail(`"${symbol}"`));
  const expectNumber = () => {
    const t = next();
    return t.type === 'number' ? t.value : fail('a number', t);
  };

  function expression(): Filter {
    const args = [term()];
    while (acceptKeyword('OR')) args.push(term());
    return args.length === 1 ? args[0]! : { kind: 'or', args };
  }
  function term(): Filter {
    const args = [factor()];
    while (acceptKeyword('AND')) args.push(factor());
    return args.length === 1 ? args[0]! : { kind: 'and', args };
  }
  function factor(): Filter {
    if (acceptKeyword('NOT')) return { kind: 'not', arg: factor() };
    return primary();
  }
  function primary(): Filter {
    const t = peek();
    if (isSymbol(t, '(')) {
      next();
      const inner = expression();
      expectSymbol(')');
      return inner;
    }
    if (t.type === 'word' && !t.quoted && isSymbol(tokens[position + 1]!, '(')) {
      const name = t.value.toLowerCase();
      if ((SPATIAL_FUNCTIONS as readonly string[]).includes(name)) {
        next();
        next();
        const left = geometryOperand();
        expectSymbol(',');
        const right = geometryOperand();
        expectSymbol(')');
        return { kind: 'spatial', op: name as SpatialFunction, left, right };
      }
    }
    if (isKeyword(t, 'TRUE', 'FALSE') && !isOperatorAhead(1)) {
      next();
      return { kind: 'literal', value: t.type === 'word' && t.value.toUpperCase() === 'TRUE' };
    }
    const value = scalar();
    const negated = acceptKeyword('NOT') !== undefined;
    // ILIKE is not CQL2 but GDAL's OAPIF driver sends it for OGR SQL's LIKE.
    const like = acceptKeyword('LIKE', 'ILIKE');
    if (like) {
      const pattern = scalar();
      // PostgreSQL refuses a pattern that ends in its escape character.
      if (pattern.kind === 'string' && /(^|[^\\])(\\\\)*\\$/.test(pattern.value)) {
        throw new Cql2Error(`filter: the ${like} pattern '${pattern.value}' ends in a lone backslash; write \\\\ for a backslash`);
      }
      return { kind: 'like', negated, caseInsensitive: like === 'ILIKE', value, pattern };
    }
    if (acceptKeyword('BETWEEN')) {
      const low = scalar();
      expectKeyword('AND');
      return { kind: 'between', negated, value, low, high: scalar() };
    }
    if (acceptKeyword('IN')) {
      expectSymbol('(');
      const list = [scalar()];
      while (isSymbol(peek(), ',')) {
        next();
        list.push(scalar());
      }
      expectSymbol(')');
      return { kind: 'in', negated, value, list };
    }
    if (negated) return fail('LIKE, ILIKE, BETWEEN or IN after NOT');
    if (acceptKeyword('IS')) {
      const isNegated = acceptKeyword('NOT') !== undefined;
      expectKeyword('NULL');
      return { kind: 'isNull', negated: isNegated, value };
    }
    const op = peek();
    if (op.type === 'symbol' && (COMPARISONS as readonly string[]).includes(op.value)) {
      next();
      return { kind: 'compare', op: op.value as Comparison, left: value, right: scalar() };
    }
    return fail('a comparison (=, <>, <, >, <=, >=), LIKE, BETWEEN, IN or IS NULL', op);
  }
  function isOperatorAhead(offset: number): boolean {
    const t = tokens[position + offset]!;
    return (t.type === 'symbol' && (COMPARISONS as readonly string[]).includes(t.value)) || isKeyword(t, 'IS', 'LIKE', 'ILIKE', 'IN', 'BETWEEN', 'NOT');
  }
  function scalar(): Scalar {
    const t = next();
    if (t.type === 'string') return { kind: 'string', value: t.value };
    if (t.type === 'number') return { kind: 'number', value: t.value };
    if (t.type === 'word') {
      if (!t.quoted) {
        const word = t.value.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if ((word === 'DATE' || word === 'TIMESTAMP') && isSymbol(peek(), '(')) {
          next();
          const literal = next();
          if (literal.type !== 'string') return fail(`a quoted ${word.toLowerCase()} in ${word}(…)`, literal);
          expectSymbol(')');
          const pattern = word === 'DATE' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
          // Year 0000 parses in JavaScript but not in PostgreSQL.
          if (!pattern.test(literal.value) || literal.value.startsWith('0000') || Number.isNaN(Date.parse(literal.value))) {
            throw new Cql2Error(`filter: ${word}('${literal.value}') is not a valid ${word === 'DATE' ? 'date (YYYY-MM-DD)' : 'timestamp (RFC 3339, e.g. 2024-05-01T10:00:00Z)'}`);
          }
          return { kind: word === 'DATE' ? 'date' : 'timestamp', value: literal.value };
        }
        if (KEYWORDS.has(word) || isSymbol(peek(), '(')) return fail('a property name or a value', t);
      }
      return { kind: 'property', name: t.value };
    }
    return fail('a property name or a value', t);
  }
  function geometryOperand(): GeometryOperand {
    const t = peek();
    if (t.type === 'word' && !t.quoted && isSymbol(tokens[position + 1]!, '(')) {
      const word = t.value.toUpperCase();
      if (word === 'BBOX' || word === 'ENVELOPE') {
        next();
        next();
        const numbers = [expectNumber()];
        while (isSymbol(peek(), ',')) {
          next();
          numbers.push(expectNumber());
        }
        expectSymbol(')');
        if (numbers.length !== 4 && numbers.length !== 6) throw new Cql2Error(`filter: ${word}(…) takes four numbers (or six with heights), not ${numbers.length}`);
        const [a, b, c, d] = numbers.length === 6 ? [numbers[0]!, numbers[1]!, numbers[3]!, numbers[4]!] : numbers;
        return { kind: 'bbox', box: [a!, b!, c!, d!] };
      }
      const type = WKT_TYPES[word];
      if (type) {
        next();
        return { kind: 'geometry', geometry: { type, coordinates: wktCoordinates(type) } };
      }
      return fail('a geometry: BBOX(…) or WKT such as POLYGON((…))', t);
    }
    if (t.type === 'word' && (t.quoted || !KEYWORDS.has(t.value.toUpperCase()))) {
      next();
      return { kind: 'property', name: t.value };
    }
    return fail('a geometry property or a geometry', t);
  }
  // WKT coordinates after the type word: POINT(x y), LINESTRING(x y, …), POLYGON((…),(…)),
  // MULTIPOINT((x y), …) or MULTIPOINT(x y, …), MULTILINESTRING((…)), MULTIPOLYGON(((…))).
  function wktCoordinates(type: string): unknown {
    acceptKeyword('Z');
    const position2 = () => {
      const x = expectNumber();
      const y = expectNumber();
      if (peek().type === 'number') next(); // a height, dropped: the data is 2D
      return [x, y];
    };
    const list = <T>(item: () => T): T[] => {
      expectSymbol('(');
      const items = [item()];
      while (isSymbol(peek(), ',')) {
        next();
        items.push(item());
      }
      expectSymbol(')');
      return items;
    };
    const ring = () => {
      const points = list(position2);
      const [first, last] = [points[0]!, points[points.length - 1]!];
      if (points.length < 4 || first[0] !== last[0] || first[1] !== last[1]) {
        throw new Cql2Error('filter: a polygon ring needs at least four positions, the last the same as the first');
      }
      return points;
    };
    switch (type) {
      case 'Point': {
        expectSymbol('(');
        const p = position2();
        expectSymbol(')');
        return p;
      }
      case 'LineString': return list(position2);
      case 'Polygon': return list(ring);
      case 'MultiPoint': return list(() => (isSymbol(peek(), '(') ? list(position2)[0]! : position2()));
      case 'MultiLineString': return list(() => list(position2));
      default: return list(() => list(ring));
    }
  }

  if (peek().type === 'end') throw new Cql2Error('filter is empty');
  const filter = expression();
  if (peek().type !== 'end') fail('AND, OR or the end of the filter');
  return filter;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'ILIKE', 'BETWEEN', 'IN', 'IS', 'NULL']);

/** Every property a filter names, for checking them against the collection's queryables. */
export function propertiesOf(filter: Filter): string[] {
  const names: string[] = [];
  const scalar = (s: Scalar | GeometryOperand) => {
    if (s.kind === 'property') names.push(s.name);
  };
  const walk = (f: Filter): void => {
    switch (f.kind) {
      case 'and': case 'or': f.args.forEach(walk); break;
      case 'not': walk(f.arg); break;
      case 'literal': break;
      case 'compare': scalar(f.left); scalar(f.right); break;
      case 'like': scalar(f.value); scalar(f.pattern); break;
      case 'between': scalar(f.value); scalar(f.low); scalar(f.high); break;
      case 'in': scalar(f.value); f.list.forEach(scalar); break;
      case 'isNull': scalar(f.value); break;
      case 'spatial': scalar(f.left); scalar(f.right); break;
    }
  };
  walk(filter);
  return names;
}
