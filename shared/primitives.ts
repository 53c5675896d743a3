import { Type, type IntegerOptions, type StringOptions } from '@sinclair/typebox';

// The building blocks of every request schema. Each refuses, with a 400, an input that
// PostgreSQL would refuse later with an error (and the client with a 500): found by
// fuzzing every route (issue 13, tests/api/fuzz.test.ts).

/** Largest value of a PostgreSQL `integer` (serial ids, counts). */
export const INT4_MAX = 2_147_483_647;

/** A row id: a positive `integer`, so 2^31 is a 400 rather than "out of range for type integer". */
export const Id = (options: IntegerOptions = {}) => Type.Integer({ minimum: 1, maximum: INT4_MAX, ...options });

/**
 * Text PostgreSQL can store: no U+0000 (text columns cannot hold it) and no lone UTF-16
 * surrogate (it has no UTF-8 form). Ajv compiles patterns with the `u` flag, where a
 * character class excludes code points, so a proper surrogate pair (an emoji) still passes.
 */
export const TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';
export const Text = (options: StringOptions = {}) =>
  Type.String({ pattern: TEXT_PATTERN, description: 'text without U+0000 or unpaired surrogates', ...options });

/**
 * A calendar day PostgreSQL can store as a `date`: 0001-01-01 … 9999-12-31. The `date`
 * format checks it is a real day (no 2023-02-29); the pattern refuses year 0000, which the
 * format allows and PostgreSQL does not.
 */
const DATE_PATTERN = '^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const DateText = (options: StringOptions = {}) =>
  Type.String({ format: 'date', pattern: DATE_PATTERN, description: 'YYYY-MM-DD', ...options });

/** What a failed pattern of these types means, for the error message in place of the regular expression. */
export const PATTERN_MEANINGS: Readonly<Record<string, string>> = {
  [TEXT_PATTERN]: 'must not contain U+0000 or unpaired UTF-16 surrogates',
  [DATE_PATTERN]: 'must be a day from 0001-01-01 to 9999-12-31 (YYYY-MM-DD)',
};
