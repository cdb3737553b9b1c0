// Applying case events (issue 5: every change carries its `seq`) to the screen's case map:
// in seq order, each once, stopping at a gap so the caller resyncs over HTTP from the last seq.
import { normaliseCase, type CaseItem, type CaseState } from './case-model';

export interface CaseEvent {
  seq: number;
  caseId: string;
  type: string;
  actor: string;
  at: number;
  payload: Record<string, unknown>;
  /** The case after the event, when the server sends it along. */
  case: CaseItem | null;
}

/** Where each action leaves the case (DESIGN.md §4), for events that come without a snapshot. */
const NEXT_STATE: Record<string, CaseState> = {
  dispatch: 'dispatched',
  reassign: 'dispatched',
  reject: 'rejected',
  merge: 'rejected',
  acknowledge: 'accepted',
  return: 'returned',
  start: 'in_progress',
  order_rectification: 'rectifying',
  report_rectified: 'in_progress',
  resolve: 'resolved',
  verify_pass: 'closed',
  verify_fail: 'in_progress',
};

/** Event type names the server may use for an action (`dispatch`, `dispatched`, `case.dispatch`). */
export function actionOf(type: string): string {
  const t = type.replace(/^case[.:_]/, '');
  if (t in NEXT_STATE || t === 'escalate' || t === 'overdue' || t === 'created' || t === 'arrive') return t;
  const aliases: Record<string, string> = {
    dispatched: 'dispatch',
    reassigned: 'reassign',
    rejected: 'reject',
    merged: 'merge',
    acknowledged: 'acknowledge',
    returned: 'return',
    started: 'start',
    rectification_ordered: 'order_rectification',
    rectified: 'report_rectified',
    resolved: 'resolve',
    verified: 'verify_pass',
    verify_passed: 'verify_pass',
    verify_failed: 'verify_fail',
    escalated: 'escalate',
    arrived: 'arrive',
    reported: 'created',
    create: 'created',
  };
  return aliases[t] ?? t;
}

export function parseCaseEvent(input: unknown): CaseEvent | null {
  if (!input || typeof input !== 'object') return null;
  const o = input as Record<string, unknown>;
  const seq = Number(o.seq);
  const snapshot = normaliseCase(o.case);
  const caseId = o.caseId ?? snapshot?.id;
  if (!Number.isInteger(seq) || seq <= 0 || (typeof caseId !== 'string' && typeof caseId !== 'number'))
    return null;
  const actor = o.actor as Record<string, unknown> | string | undefined;
  const at = typeof o.at === 'number' ? o.at : Date.parse(String(o.at));
  return {
    seq,
    caseId: String(caseId),
    type: String(o.type ?? ''),
    actor:
      typeof actor === 'string' ? actor : String(actor?.displayName ?? actor?.name ?? actor?.username ?? ''),
    at: Number.isFinite(at) ? at : 0,
    payload: (o.payload && typeof o.payload === 'object' ? o.payload : {}) as Record<string, unknown>,
    case: snapshot,
  };
}

export interface ApplyResult {
  /** Events applied, in seq order. */
  applied: CaseEvent[];
  /** Cases the events named that we could not bring up to date locally: fetch them. */
  stale: string[];
  /** A seq was missing: resync from `lastSeq` before applying more. */
  gap: boolean;
  lastSeq: number;
}

/**
 * Apply `events` to `cases` (mutated in place). `lastSeq` null means "not known yet" (no gap check).
 * With `contiguous` (a county-wide subscriber sees every seq) a missing seq stops application.
 */
export function applyCaseEvents(
  cases: Map<string, CaseItem>,
  lastSeq: number | null,
  events: CaseEvent[],
  contiguous = true,
): ApplyResult {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const applied: CaseEvent[] = [];
  const stale = new Set<string>();
  let last = lastSeq;
  let gap = false;
  for (const e of sorted) {
    if (last !== null && e.seq <= last) continue; // already seen (resync overlap, recovery replay)
    if (contiguous && last !== null && e.seq > last + 1) {
      gap = true;
      break;
    }
    applyOne(cases, e, stale);
    applied.push(e);
    last = e.seq;
  }
  return { applied, stale: [...stale], gap, lastSeq: last ?? 0 };
}

function applyOne(cases: Map<string, CaseItem>, e: CaseEvent, stale: Set<string>): void {
  if (e.case) {
    const prev = cases.get(e.caseId);
    // A snapshot older than what we hold (out-of-order fetch) must not roll the case back.
    if (!prev || e.case.version >= prev.version) cases.set(e.caseId, e.case);
    return;
  }
  const prev = cases.get(e.caseId);
  if (!prev) {
    stale.add(e.caseId);
    return;
  }
  const action = actionOf(e.type);
  const next: CaseItem = { ...prev, version: prev.version + 1, updatedAt: e.at || prev.updatedAt };
  const to = e.payload.to ?? e.payload.status;
  if (typeof to === 'string' && to in STATE_SET) next.status = to as CaseState;
  else if (action in NEXT_STATE) next.status = NEXT_STATE[action]!;
  if (action === 'overdue') next.overdue = true;
  if (action === 'escalate') next.escalated = true;
  if (action === 'dispatch' || action === 'reassign') {
    next.dispatchedAt = e.at;
    next.overdue = false;
    const a = e.payload.assignee as CaseItem['assignee'] | undefined;
    if (a && typeof a.code === 'string') next.assignee = a;
    else stale.add(e.caseId); // the new assignee and deadlines are on the server
  }
  if (action === 'acknowledge') next.acknowledgedAt = e.at;
  if (action === 'arrive' && !prev.arrivedAt) next.arrivedAt = e.at;
  if (action === 'verify_pass' || action === 'reject' || action === 'merge') next.closedAt = e.at;
  cases.set(e.caseId, next);
}

const STATE_SET: Record<string, true> = Object.fromEntries(
  [
    'reported',
    'dispatched',
    'accepted',
    'in_progress',
    'rectifying',
    'resolved',
    'closed',
    'returned',
    'rejected',
  ].map((s) => [s, true]),
);
