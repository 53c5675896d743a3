import { describe, expect, it } from 'vitest';
import { describeChange } from '../../client/admin/audit-diff.js';

describe('describeChange', () => {
  it('names the fields that changed, with before and after', () => {
    expect(describeChange({ role: 'planner', disabled: false }, { role: 'gis', disabled: false })).toBe('role: planner → gis');
  });
  it('lists the plain fields of a created record', () => {
    expect(describeChange(null, { id: 2, username: 'parisa', nested: { a: 1 } })).toBe('id: 2; username: parisa');
  });
  it('lists the plain fields of a deleted record', () => {
    expect(describeChange({ id: 7, name: 'QGIS' }, null)).toBe('id: 7; name: QGIS');
  });
  it('shortens long values and shows missing ones as a dash', () => {
    const change = describeChange({ note: 'x'.repeat(60) }, { note: null });
    expect(change).toBe(`note: ${'x'.repeat(39)}… → —`);
  });
  it('says nothing when there is nothing', () => {
    expect(describeChange(null, undefined)).toBe('');
  });
});
