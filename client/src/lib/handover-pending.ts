// What a handover says is left open, by the queue's tabs (client/src/lib/queue.ts): their names, and
// each kind's count and cases as the summary holds them. A handover written before a kind existed
// (延期审批, added with 延期申请) has none of it: read as none, never as a broken sheet. Likewise what
// the shift did: a count the handover did not record yet (同意延期, 不同意延期) reads as not recorded.
import type { KeptShiftSummary, PendingCase, PendingKind, ShiftActivityKey } from '@shared/handovers';

/** The queue's tab names for what is left open. */
export const PENDING_LABEL: Record<PendingKind, string> = {
  reported: 'screen.queue.awaiting',
  returned: 'screen.queue.returned',
  overdue: 'screen.queue.overdue',
  extension: 'screen.queue.extension',
  resolved: 'screen.queue.verify',
};

const NONE: { count: number; cases: PendingCase[] } = { count: 0, cases: [] };

export function pendingOf(
  s: Pick<KeptShiftSummary, 'pending'>,
  kind: PendingKind,
): { count: number; cases: PendingCase[] } {
  return s.pending[kind] ?? NONE;
}

/** A count of what the shift did, or null where the handover predates that count. */
export function activityOf(s: Pick<KeptShiftSummary, 'activity'>, key: ShiftActivityKey): number | null {
  const n = s.activity[key];
  return typeof n === 'number' ? n : null;
}
