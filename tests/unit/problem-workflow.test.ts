import { describe, expect, it } from 'vitest';
import { INITIAL_STATUSES, NEXT_STATUSES, planProblemChange, type ProblemState } from '../../server/problems/workflow.js';
import { PROBLEM_STATUSES, type ProblemStatus } from '../../shared/method-schemas.js';

const base: ProblemState = {
  category: 'social', title: 'مسئله', description: '', severity: 3,
  status: 'identified', agency_id: null, due_date: null, blocked_reason: null,
};

function at(status: ProblemStatus, extra: Partial<ProblemState> = {}): ProblemState {
  return { ...base, status, agency_id: status === 'identified' ? null : 7, blocked_reason: status === 'blocked' ? 'منتظر اعتبار' : null, ...extra };
}

describe('problem workflow', () => {
  it('allows exactly the documented transitions and refuses every other with the allowed list', () => {
    for (const from of PROBLEM_STATUSES) {
      for (const to of PROBLEM_STATUSES) {
        if (from === to) continue;
        const result = planProblemChange(at(from), { status: to, agency_id: 7, note: 'چرا', ...(to === 'blocked' ? { blocked_reason: 'دلیل' } : {}) });
        if (NEXT_STATUSES[from].includes(to)) {
          expect(result.ok, `${from} → ${to}`).toBe(true);
        } else {
          expect(result.ok, `${from} → ${to}`).toBe(false);
          if (!result.ok) expect(result.refusal).toMatchObject({ kind: 'transition', from, allowed: NEXT_STATUSES[from] });
        }
      }
    }
  });

  it('never lets a problem leave identified without an agency', () => {
    const result = planProblemChange(at('identified'), { status: 'assigned' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal.kind).toBe('transition');
      expect(result.refusal.message).toMatch(/exactly one responsible agency/);
    }
    expect(planProblemChange(at('identified'), { status: 'assigned', agency_id: 3 }).ok).toBe(true);
  });

  it('keeps the agency once the problem has left identified', () => {
    for (const status of ['assigned', 'in_progress', 'blocked', 'resolved'] as const) {
      const result = planProblemChange(at(status), { agency_id: null, note: 'x' });
      expect(result.ok, status).toBe(false);
      if (!result.ok) expect(result.refusal.message).toMatch(/keeps exactly one responsible agency/);
    }
  });

  it('needs a note to move a problem to another agency, and records both ends', () => {
    const refused = planProblemChange(at('in_progress'), { agency_id: 9 });
    expect(refused).toMatchObject({ ok: false, refusal: { kind: 'field', field: 'note' } });
    const blankNote = planProblemChange(at('in_progress'), { agency_id: 9, note: '   ' });
    expect(blankNote.ok).toBe(false);
    const moved = planProblemChange(at('in_progress'), { agency_id: 9, note: 'ارجاع به استانداری' });
    expect(moved).toMatchObject({ ok: true, changes: [{ field: 'agency_id', from: 7, to: 9 }] });
    // Choosing the first agency of an identified problem is not a move.
    expect(planProblemChange(at('identified'), { agency_id: 9 }).ok).toBe(true);
  });

  it('needs a reason to block, clears it on the way out, and refuses it elsewhere', () => {
    expect(planProblemChange(at('assigned'), { status: 'blocked' })).toMatchObject({ ok: false, refusal: { field: 'blocked_reason' } });
    expect(planProblemChange(at('assigned'), { status: 'blocked', blocked_reason: '  ' })).toMatchObject({ ok: false, refusal: { field: 'blocked_reason' } });
    const blocked = planProblemChange(at('assigned'), { status: 'blocked', blocked_reason: ' منتظر مجوز ' });
    expect(blocked).toMatchObject({ ok: true, next: { status: 'blocked', blocked_reason: 'منتظر مجوز' } });
    const unblocked = planProblemChange(at('blocked'), { status: 'in_progress' });
    expect(unblocked).toMatchObject({ ok: true, next: { blocked_reason: null } });
    if (unblocked.ok) expect(unblocked.changes).toContainEqual({ field: 'blocked_reason', from: 'منتظر اعتبار', to: null });
    expect(planProblemChange(at('assigned'), { blocked_reason: 'x' })).toMatchObject({ ok: false, refusal: { field: 'blocked_reason' } });
  });

  it('needs a note to reopen a resolved problem', () => {
    expect(planProblemChange(at('resolved'), { status: 'in_progress' })).toMatchObject({ ok: false, refusal: { field: 'note' } });
    expect(planProblemChange(at('resolved'), { status: 'in_progress', note: 'دوباره' }).ok).toBe(true);
  });

  it('starts new problems as identified, or assigned with an agency', () => {
    const fresh = { category: 'economic', title: ' عنوان ', severity: 2 };
    expect(planProblemChange(null, fresh)).toMatchObject({ ok: true, next: { status: 'identified', title: 'عنوان', agency_id: null } });
    expect(planProblemChange(null, { ...fresh, status: 'assigned', agency_id: 2 })).toMatchObject({ ok: true, next: { status: 'assigned' } });
    expect(planProblemChange(null, { ...fresh, status: 'assigned' }).ok).toBe(false);
    for (const status of ['in_progress', 'resolved', 'blocked'] as const) {
      const result = planProblemChange(null, { ...fresh, status, agency_id: 2, blocked_reason: 'x' });
      expect(result).toMatchObject({ ok: false, refusal: { kind: 'transition', allowed: INITIAL_STATUSES } });
    }
    expect(planProblemChange(null, { ...fresh, title: '  ' })).toMatchObject({ ok: false, refusal: { field: 'title' } });
  });

  it('lists only what changed', () => {
    const result = planProblemChange(at('assigned'), { title: 'مسئله', severity: 5, due_date: '2027-01-01' });
    expect(result).toMatchObject({ ok: true, changes: [{ field: 'severity', from: 3, to: 5 }, { field: 'due_date', from: null, to: '2027-01-01' }] });
    expect(planProblemChange(at('assigned'), { status: 'assigned', severity: 3 })).toMatchObject({ ok: true, changes: [] });
  });
});
