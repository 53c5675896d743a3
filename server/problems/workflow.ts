import { NEXT_STATUSES, type ProblemChange, type ProblemStatus } from '../../shared/method-schemas.js';

export { NEXT_STATUSES };

/**
 * The problem workflow of the programme's stage 2, as plain code:
 *
 *   identified ──▶ assigned ──▶ in_progress ──▶ resolved
 *                     │  ▲          │   ▲           │
 *                     ▼  │          ▼   │           │ reopen (with a note)
 *                    blocked ◀──────┘   └───────────┘
 *
 * - A problem leaves `identified` only with exactly one responsible agency, and keeps one.
 * - Moving it from one agency to another needs a note (kept in its history), so a dispute
 *   over who is responsible is escalated (e.g. to the governorate), not dead-ended.
 * - `blocked` needs a reason; leaving `blocked` clears it.
 * - Reopening a resolved problem needs a note.
 *
 * The transition table, NEXT_STATUSES, lives in shared/ so the client offers only allowed steps.
 */

/** Statuses a new problem may start in (`assigned` only with an agency). */
export const INITIAL_STATUSES: readonly ProblemStatus[] = ['identified', 'assigned'];

export interface ProblemState {
  category: string;
  title: string;
  description: string;
  severity: number;
  status: ProblemStatus;
  agency_id: number | null;
  due_date: string | null;
  blocked_reason: string | null;
}

export type ProblemPatch = Partial<ProblemState> & { note?: string | undefined };

/** Why a change is refused: a forbidden step (409, with the allowed next states) or a missing field (400). */
export type WorkflowRefusal =
  | { kind: 'transition'; message: string; from: ProblemStatus; allowed: readonly ProblemStatus[] }
  | { kind: 'field'; field: string; message: string };

export type WorkflowResult =
  | { ok: true; next: ProblemState; changes: ProblemChange[] }
  | { ok: false; refusal: WorkflowRefusal };

const FIELDS = ['category', 'title', 'description', 'severity', 'status', 'agency_id', 'due_date', 'blocked_reason'] as const;

/** Applies a patch to a problem (or creates one when `current` is null) if the workflow allows it. */
export function planProblemChange(current: ProblemState | null, patch: ProblemPatch): WorkflowResult {
  const refuse = (refusal: WorkflowRefusal): WorkflowResult => ({ ok: false, refusal });
  const note = patch.note?.trim() ? patch.note.trim() : undefined;
  const from = current?.status ?? null;
  const status = patch.status ?? from ?? 'identified';

  if (from === null) {
    if (!INITIAL_STATUSES.includes(status)) {
      return refuse({
        kind: 'transition',
        from: 'identified',
        allowed: INITIAL_STATUSES,
        message: `a new problem starts as identified (or assigned, with a responsible agency), not ${status}`,
      });
    }
  } else if (status !== from && !NEXT_STATUSES[from].includes(status)) {
    return refuse({
      kind: 'transition',
      from,
      allowed: NEXT_STATUSES[from],
      message: `a problem cannot go from ${from} to ${status}; from ${from} it can go to ${NEXT_STATUSES[from].join(', ')}`,
    });
  }

  const agencyId = patch.agency_id !== undefined ? patch.agency_id : (current?.agency_id ?? null);
  if (status !== 'identified' && agencyId === null) {
    const leaving = from === null || from === 'identified';
    return refuse({
      kind: 'transition',
      from: from ?? 'identified',
      allowed: from === null ? INITIAL_STATUSES : NEXT_STATUSES[from],
      message: leaving
        ? `a problem leaves identified only with exactly one responsible agency: set agency_id to make it ${status}`
        : `a ${status} problem keeps exactly one responsible agency: move it to another agency (with a note) instead of removing it`,
    });
  }
  const currentAgency = current?.agency_id ?? null;
  if (current && currentAgency !== null && agencyId !== currentAgency && !note) {
    return refuse({ kind: 'field', field: 'note', message: 'note (body) must say why the problem moves to another agency; it is kept in the problem\'s history' });
  }
  if (from === 'resolved' && status !== 'resolved' && !note) {
    return refuse({ kind: 'field', field: 'note', message: 'note (body) must say why a resolved problem is reopened' });
  }

  let blockedReason = patch.blocked_reason !== undefined ? patch.blocked_reason : (current?.blocked_reason ?? null);
  if (blockedReason !== null && !blockedReason.trim()) blockedReason = null;
  if (status === 'blocked') {
    if (blockedReason === null) {
      return refuse({ kind: 'field', field: 'blocked_reason', message: 'blocked_reason (body) must say what blocks the problem' });
    }
  } else if (patch.blocked_reason != null) {
    return refuse({ kind: 'field', field: 'blocked_reason', message: `blocked_reason (body) is only for a blocked problem; this one is ${status}` });
  } else {
    // Leaving blocked clears the reason; the events keep it.
    blockedReason = null;
  }

  const title = (patch.title ?? current?.title ?? '').trim();
  if (!title) return refuse({ kind: 'field', field: 'title', message: 'title (body) must not be blank' });

  const next: ProblemState = {
    category: patch.category ?? current?.category ?? '',
    title,
    description: (patch.description ?? current?.description ?? '').trim(),
    severity: patch.severity ?? current?.severity ?? 0,
    status,
    agency_id: agencyId,
    due_date: patch.due_date !== undefined ? patch.due_date : (current?.due_date ?? null),
    blocked_reason: blockedReason === null ? null : blockedReason.trim(),
  };
  const changes: ProblemChange[] = [];
  for (const field of FIELDS) {
    const before = current ? current[field] : null;
    const after = next[field];
    if (before !== after && !(current === null && (after === null || after === ''))) {
      changes.push({ field, from: before, to: after });
    }
  }
  return { ok: true, next, changes };
}
