import { sql, type Expression, type RawBuilder } from 'kysely';
import { SQL_TRANSLATE_FROM, SQL_TRANSLATE_TO } from '../../shared/persian-text.js';

// Mirrors normaliseForSearch (shared/persian-text.ts) in SQL, so a name stored in any
// spelling matches a query typed in any other: ZWNJ and directional marks and short
// vowels removed, Arabic letters and digits mapped to Persian/Latin, lower case.
const FROM = SQL_TRANSLATE_FROM + '۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩';
const TO = SQL_TRANSLATE_TO + '01234567890123456789';

export function searchKey(text: Expression<string | null>): RawBuilder<string> {
  return sql<string>`lower(translate(regexp_replace(coalesce(${text}, ''), '[\u200c-\u200f\u064b-\u065f\u0670]', '', 'g'), ${FROM}, ${TO}))`;
}
