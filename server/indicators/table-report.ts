import { toLatinDigits } from '../../shared/persian-text.js';
import type { IndicatorUploadReport } from '../../shared/indicators-schemas.js';

/**
 * An indicator table checked against the neighbourhoods' codes, with no database: which rows
 * match, which codes are unknown, repeated or missing, which cells are not numbers, and the
 * values to stage. Every column but the code column whose filled cells are mostly numbers
 * is an indicator; its other cells are reported as not numeric.
 */

export type Cell = string | number | boolean | null;

export interface StagedValue {
  indicator: string;
  neighbourhood_id: number;
  value: number;
}

/** Column names tried, in order, when the uploader names no code column. */
const CODE_COLUMNS = ['code', 'neighbourhood_code', 'nh_code', 'کد', 'کد محله', 'کد_محله'];

/** The spreadsheet row of a value row: the header is row 1. */
const rowNumber = (index: number) => index + 2;

export function chooseCodeColumn(columns: readonly string[], asked: string | undefined): string | undefined {
  if (asked !== undefined && asked.trim() !== '') return columns.find((c) => c.trim() === asked.trim());
  const lower = columns.map((c) => c.trim().toLowerCase());
  for (const name of CODE_COLUMNS) {
    const at = lower.indexOf(name);
    if (at >= 0) return columns[at];
  }
  return columns[0];
}

/**
 * A number as people type it in Iranian spreadsheets: Persian or Arabic digits, ٫ or . for
 * the decimal point, ٬ or commas between thousands. null for an empty cell, undefined for
 * text that is not a number.
 */
export function parseNumber(cell: Cell): number | null | undefined {
  if (cell === null) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'boolean') return undefined;
  let text = cell.trim();
  if (text === '') return null;
  text = toLatinDigits(text).replace(/٫/g, '.').replace(/٬/g, '').replace(/^[\u2212\u2013]/, '-');
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replaceAll(',', '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Codes as written, but with Latin digits: codes in the database are Latin, Persian sheets often are not. */
export function normaliseCode(cell: Cell): string {
  return cell === null ? '' : toLatinDigits(String(cell).trim());
}

/** A column's key in indicator names (set.key): its name when that is plain Latin, else c + its position. */
export function columnKey(name: string, position: number, taken: Set<string>): string {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  const key = /^[a-z0-9_]+$/.test(slug) && slug !== '' && !taken.has(slug) ? slug : `c${position}`;
  taken.add(key);
  return key;
}

export function buildReport(
  table: { format: string; encoding: string | null; columns: string[]; rows: Record<string, Cell>[] },
  codeColumn: string,
  neighbourhoodIds: ReadonlyMap<string, number>,
): { report: IndicatorUploadReport; values: StagedValue[] } {
  const rowsOfCode = new Map<string, number[]>();
  const missing: number[] = [];
  const undecodable: number[] = [];
  table.rows.forEach((row, index) => {
    if (Object.values(row).some((cell) => typeof cell === 'string' && cell.includes('\uFFFD'))) undecodable.push(rowNumber(index));
    const code = normaliseCode(row[codeColumn] ?? null);
    if (code === '') missing.push(rowNumber(index));
    else rowsOfCode.set(code, [...(rowsOfCode.get(code) ?? []), index]);
  });
  const unknown: IndicatorUploadReport['unknown_codes'] = [];
  const duplicates: IndicatorUploadReport['duplicate_codes'] = [];
  const matched = new Map<number, number>(); // row index → neighbourhood id
  for (const [code, indexes] of rowsOfCode) {
    const id = neighbourhoodIds.get(code);
    if (indexes.length > 1) duplicates.push({ code, rows: indexes.map(rowNumber) });
    else if (id === undefined) unknown.push({ row: rowNumber(indexes[0]!), code });
    else matched.set(indexes[0]!, id);
  }
  unknown.sort((a, b) => a.row - b.row);

  const taken = new Set<string>();
  const indicators: IndicatorUploadReport['indicators'] = [];
  const textColumns: string[] = [];
  const values: StagedValue[] = [];
  table.columns.forEach((column, position) => {
    if (column === codeColumn) return;
    const parsed = table.rows.map((row) => parseNumber(row[column] ?? null));
    const filled = parsed.filter((v) => v !== null).length;
    const numbers = parsed.filter((v) => typeof v === 'number').length;
    if (numbers === 0 || numbers * 2 < filled) {
      textColumns.push(column);
      return;
    }
    const key = columnKey(column, position + 1, taken);
    const nonNumeric: { row: number; value: string }[] = [];
    let count = 0;
    let empty = 0;
    parsed.forEach((value, index) => {
      if (value === undefined) nonNumeric.push({ row: rowNumber(index), value: String(table.rows[index]![column]) });
      else if (value === null) empty += 1;
      const id = matched.get(index);
      if (typeof value === 'number' && id !== undefined) {
        values.push({ indicator: key, neighbourhood_id: id, value });
        count += 1;
      }
    });
    indicators.push({ key, column, values: count, empty, non_numeric: nonNumeric });
  });

  const ids = new Set(matched.values());
  return {
    report: {
      format: table.format,
      encoding: table.encoding,
      rows: table.rows.length,
      code_column: codeColumn,
      matched: matched.size,
      indicators,
      text_columns: textColumns,
      unknown_codes: unknown,
      duplicate_codes: duplicates,
      missing_codes: missing,
      undecodable_rows: undecodable,
      neighbourhoods_without_row: [...neighbourhoodIds.values()].filter((id) => !ids.has(id)).length,
    },
    values,
  };
}
