import fc from 'fast-check';

// Inputs for the fuzz test (fuzz.test.ts): a plausible request for each route, built from
// its own JSON schema, and the hostile values that found 500s before (issue 13 part 5).

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
}

/** A JSON literal written into the body as is: numbers that JSON.parse cannot keep. */
export class Raw {
  constructor(readonly text: string) {}
}

export type Value = string | number | boolean | null | Raw | Value[] | { [key: string]: Value };

const STRING_CANDIDATES = ['abc', 'karamat', 'neighbourhoods', 'نمونه', 'a1'];

/** The simplest value the schema accepts, or near enough that validation is not the only thing tested. */
export function plausible(schema: JsonSchema | undefined): Value {
  if (!schema) return null;
  if (schema.const !== undefined) return schema.const as Value;
  if (schema.enum) return schema.enum[0] as Value;
  if (schema.anyOf) return plausible(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => plausible(schema.items));
    case 'object': {
      const out: Record<string, Value> = {};
      for (const key of schema.required ?? []) out[key] = plausible(schema.properties?.[key]);
      return out;
    }
    case 'string': {
      if (schema.format === 'date') return '2024-03-20';
      if (schema.format === 'date-time') return '2024-03-20T10:00:00Z';
      const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
      const base = STRING_CANDIDATES.find((c) => !pattern || pattern.test(c)) ?? 'abc';
      return base.padEnd(schema.minLength ?? 0, 'x');
    }
    default:
      return null;
  }
}

/** The kinds of input that answered 500 before the schemas refused them. */
export const KNOWN_BAD: Value[] = [2147483648, 'a\u0000b', '0000-01-01', 'x\uD800y'];
/** The same for a path segment or a query string value, percent-encoded. */
export const KNOWN_BAD_IN_URL = ['2147483648', 'a%00b', '0000-01-01', 'x%ED%A0%80y'];

const nastyNumber = fc.constantFrom<Value>(
  0, -1, 1, 2, 1.5, 2147483647, 2147483648, -2147483649, 4294967296, 2 ** 53, 1e300, -1e300,
  new Raw('1e400'), new Raw('-1e400'), new Raw('1' + '0'.repeat(400)), new Raw('0.' + '0'.repeat(400) + '1'),
);
const nastyString = fc.oneof(
  fc.constantFrom<Value>(
    '', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDC00', '\uDFFF\uD800', '0000-01-01', '0001-01-01', '9999-12-31',
    '10000-01-01', '-0001-01-01', '2024-02-30', '2023-02-29', '2024-13-01', '2024-03-20T25:00:00Z',
    '1', '0', '-1', '2147483648', '99999999999999999999', '1e400', 'NaN', 'Infinity', 'true', 'null',
    'karamat', 'neighbourhoods', 'محله‌نما', "'; select pg_sleep(1); --", '%00', '\\', '\u202E', 'x'.repeat(10_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
);
const nastyScalar = fc.oneof(nastyNumber, nastyString, fc.constantFrom<Value>(true, false, null));
export const nastyValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: nastyScalar },
  { weight: 1, arbitrary: fc.array(nastyScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('type', 'coordinates', 'id', 'agency_id', 'role', 'x'), nastyScalar, { maxKeys: 3 }) },
);

/** Path segments and query values, percent-encoded where a raw byte could not travel. */
export const nastyUrlValue = fc.oneof(
  fc.constantFrom(
    '1', '2', '0', '-1', '2147483647', '2147483648', '99999999999999999999', '1e3', '1.5', 'abc', '%00', 'a%00b',
    '%ED%A0%80', '%C0%80', '%', '%zz', 'neighbourhoods', 'counties', 'karamat', '0000-01-01', '2024-02-30',
    '9999-12-31', 'true', '%D9%85%D8%AD%D9%84%D9%87', '',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

/** JSON text with Raw values written out as they are. */
export function toJsonText(value: Value): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'a/b/c',
  ';;;',
];

export const BROKEN_BODIES = ['{', '{"a":', 'nul', '[', '"\\ud800"', '{"a":"\\u0000"}', '\u0000', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'x'.repeat(2000)];
