// A case's facts (shared/kpi.ts CaseFacts) as they stood at an earlier instant, replayed from its
// events: what 环比 measures the previous period with (同期口径, shared/kpi.ts comparisonBasis).
// The row's columns are kept up to date action by action (service.ts, deadlines.ts); this replays
// the same rules over the audit trail and stops at `asOf`. Replayed to the end it gives the row's
// facts again, which tests/integration/demo checks for every case of a generated week.
import type { CaseFacts } from '../../shared/kpi';
import { CASE_ACTIONS, isFinal, transitionOf, type CaseAction, type CaseState } from '../../shared/workflow';
import { DEADLINE_KINDS, type DeadlineKind } from '../../shared/cases';

/** One event of a case's trail, in order (seq). */
export interface FactEvent {
  type: string;
  at: number;
  payload: Record<string, unknown>;
}

/**
 * Events as read from `case_events` (ordered by case, then seq), grouped into each case's trail;
 * a payload that is not a JSON object reads as empty.
 */
export function trailsOf(
  rows: Iterable<{ case_id: string; type: string; at: number | string; payload: string }>,
): Map<string, FactEvent[]> {
  const out = new Map<string, FactEvent[]>();
  for (const e of rows) {
    let list = out.get(e.case_id);
    if (!list) out.set(e.case_id, (list = []));
    list.push({ type: e.type, at: Number(e.at), payload: parsePayload(e.payload) });
  }
  return out;
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Whether a case's row may differ from the case as it stood at `asOf`: it is still open, or it was
 * touched after then. A case finished (closed, 不予立案) by `asOf` and not touched since is as its
 * row says (nothing changes a finished case; every action stamps updated_at), and needs no replay.
 */
export function needsReplay(facts: Pick<CaseFacts, 'status'>, updatedAt: number, asOf: number): boolean {
  return !isFinal(facts.status) || updatedAt > asOf;
}

const ACTIONS = new Set<string>(CASE_ACTIONS);
const WORK_CLOCKS: readonly DeadlineKind[] = ['acknowledge', 'arrive', 'finish'];

interface Clock {
  /** Met or stopped (the deadline no longer runs). */
  met: boolean;
  /** Marked missed, as of the instant asked. */
  missed: boolean;
}

/**
 * `base` is the case's facts now (its row: where, what, and how it was closed, which never changes
 * once closed); `events` its whole trail in order. An `overdue` mark counts from the moment the
 * deadline was missed (its due time, or when it ran again after that), not from when the scan
 * noticed: a scan running late does not move a miss to the other side of `asOf`.
 */
export function factsAsOf(base: CaseFacts, events: readonly FactEvent[], asOf: number): CaseFacts {
  let status: CaseState = 'reported';
  let dispatched = false;
  let dispatchedAt: number | null = null;
  let ackMs: number | null = null;
  let arriveMs: number | null = null;
  let rectifyOrders = 0;
  let rectified = 0;
  let reworks = 0;
  let returns = 0;
  let extensions = 0;
  let turnouts = 0;
  let overdueCount = 0;
  let assignee: string | null = null;
  // The clocks as they stood at asOf; `running` follows every event, so a late overdue mark finds
  // when its deadline started running even after asOf.
  const clocks = new Map<DeadlineKind, Clock>();
  const running = new Map<DeadlineKind, number>();
  const start = (kinds: readonly DeadlineKind[], at: number, asOfToo: boolean) => {
    for (const k of kinds) {
      running.set(k, at);
      if (asOfToo) clocks.set(k, { met: false, missed: false });
    }
  };
  const meet = (kinds: readonly DeadlineKind[]) => {
    for (const k of kinds) {
      const c = clocks.get(k);
      if (c) c.met = true;
    }
  };

  for (const e of events) {
    const inTime = e.at <= asOf;
    if (e.type === 'overdue') {
      const kind = e.payload.deadline as DeadlineKind;
      const dueAt = Number(e.payload.dueAt);
      const missedAt = Math.max(Number.isFinite(dueAt) ? dueAt : e.at, running.get(kind) ?? -Infinity);
      if (missedAt > asOf || !DEADLINE_KINDS.includes(kind)) continue;
      overdueCount++;
      const c = clocks.get(kind);
      if (c) c.missed = true;
      continue;
    }
    // Clocks restarted after asOf still move `running` (a later overdue mark is measured from them).
    if (!inTime) {
      if (e.type === 'dispatch' || e.type === 'reassign') start(WORK_CLOCKS, e.at, false);
      else if (e.type === 'order_rectification') start(['rectify'], e.at, false);
      else if (e.type === 'verify_fail') running.set('finish', e.at);
      continue;
    }
    if (!ACTIONS.has(e.type)) continue; // created, merged_in: no fact changes
    const action = e.type as CaseAction;
    status = transitionOf(action).to ?? status;
    switch (action) {
      case 'dispatch':
      case 'reassign': {
        const to = e.payload.assignee as { kind?: unknown; code?: unknown } | undefined;
        assignee = to?.kind && to.code ? `${String(to.kind)}:${String(to.code)}` : null;
        dispatched = true;
        dispatchedAt = e.at;
        start(WORK_CLOCKS, e.at, true);
        break;
      }
      case 'acknowledge':
        ackMs ??= dispatchedAt === null ? null : e.at - dispatchedAt;
        meet(['acknowledge']);
        break;
      case 'arrive':
        arriveMs ??= dispatchedAt === null ? null : e.at - dispatchedAt;
        meet(['arrive']);
        break;
      case 'start':
        turnouts += Number(e.payload.personnel ?? 1);
        break;
      case 'order_rectification':
        rectifyOrders++;
        start(['rectify'], e.at, true);
        break;
      case 'report_rectified':
        rectified++;
        meet(['rectify']);
        break;
      case 'return':
        returns++;
        assignee = null;
        meet(DEADLINE_KINDS);
        break;
      case 'reject':
      case 'merge':
      case 'resolve':
      case 'verify_pass':
        meet(DEADLINE_KINDS);
        break;
      case 'verify_fail': {
        // 返工: the finish clock runs again from its original due time.
        reworks++;
        running.set('finish', e.at);
        const c = clocks.get('finish');
        if (c) c.met = false;
        break;
      }
      // 延期: 同意延期 moves the 办结 deadline (a later overdue mark carries the moved due time) and
      // counts towards 延期率.
      case 'approve_extension':
        extensions++;
        break;
      case 'escalate':
      case 'request_extension':
      case 'deny_extension':
        break;
    }
  }
  return {
    ...base,
    assignee,
    status,
    dispatched,
    ackMs,
    arriveMs,
    closedOnTime: status === 'closed' ? base.closedOnTime : null,
    rectifyOrders,
    rectified,
    reworks,
    returns,
    extensions,
    overdueCount,
    overdueNow: [...clocks.values()].some((c) => c.missed && !c.met),
    turnouts,
  };
}
