/**
 * CSV for spreadsheets (RFC 4180): a UTF-8 byte-order mark so Excel reads Persian as
 * UTF-8, CRLF line ends, fields quoted when they hold a comma, quote or line break.
 * A text cell starting with = + - @ (or a tab or carriage return) gets a leading
 * apostrophe, so a problem title cannot run as a formula in someone's spreadsheet.
 */
export type CsvValue = string | number | boolean | null | undefined;

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): CsvValue;
}

const BOM = '\uFEFF';

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
