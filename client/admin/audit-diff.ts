/**
 * The fields a write changed, for one line of the audit table: "role: planner → gis".
 * Pure, so it is unit-tested on its own.
 */
export function describeChange(before: unknown, after: unknown): string {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) return '';
  if (!b) return Object.keys(a!).filter((k) => a![k] !== null && typeof a![k] !== 'object').slice(0, 4).map((k) => `${k}: ${show(a![k])}`).join('; ');
  if (!a) return Object.keys(b).filter((k) => typeof b[k] !== 'object').slice(0, 4).map((k) => `${k}: ${show(b[k])}`).join('; ');
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]) && k !== 'changed' && k !== 'updated_at')
    .map((k) => `${k}: ${show(b[k])} → ${show(a[k])}`)
    .join('; ');
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
