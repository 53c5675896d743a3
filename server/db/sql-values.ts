import { sql, type Expression, type RawBuilder } from 'kysely';

// pg turns date and timestamptz into JavaScript Dates in the server's time zone, PGlite
// into its own; both return text alike. So dates and times leave SQL as text.

/** A date column as 'YYYY-MM-DD' (null stays null). */
export function dateText(value: Expression<unknown>): RawBuilder<string | null> {
  return sql<string | null>`to_char(${value}, 'YYYY-MM-DD')`;
}

/** A timestamptz column as ISO 8601 in UTC, e.g. '2026-11-26T14:30:09.000Z'. */
export function isoTimestamp(value: Expression<unknown>): RawBuilder<string> {
  return sql<string>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
