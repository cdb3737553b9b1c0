// The operator's work queue: what waits for the command centre, most urgent first: clues to
// dispatch, returned tasks, overdue work to chase (督办), requests for more time to decide (延期审批),
// cases reported done to verify (核查).
import { extensionOpen } from '../../../shared/cases';
import { isOpen, type CaseItem } from './case-model';
import { currentSla, slaLevel, type SlaClock, type SlaLevel } from './sla';

export type QueueBucket = 'awaiting' | 'returned' | 'overdue' | 'extension' | 'verify';

export interface QueueEntry {
  item: CaseItem;
  bucket: QueueBucket;
  sla: SlaClock | null;
  level: SlaLevel;
  remainingMs: number | null;
}

export function bucketOf(c: CaseItem): QueueBucket | null {
  if (c.status === 'reported') return 'awaiting';
  if (c.status === 'returned') return 'returned';
  if (c.status === 'resolved') return 'verify';
  if (c.overdue && isOpen(c.status)) return 'overdue';
  if (c.extensionRequest && isOpen(c.status)) return 'extension';
  return null;
}

const LEVEL_RANK: Record<SlaLevel, number> = { red: 0, amber: 1, ok: 2 };

/** Queue entries, optionally one bucket: red first, then amber, then by time left. */
export function buildQueue(cases: Iterable<CaseItem>, now: number, only?: QueueBucket): QueueEntry[] {
  const out: QueueEntry[] = [];
  for (const item of cases) {
    const bucket = bucketOf(item);
    if (!bucket || (only && bucket !== only)) continue;
    // A request whose 办结 deadline has come has lapsed: nothing left to decide (the scan marks the
    // case overdue within seconds, and it moves to 超时督办).
    if (bucket === 'extension' && !extensionOpen(item.extensionRequest, now)) continue;
    // An overdue case runs on the deadline it missed (办结已超时 2天3时), not on the clock of its
    // state, which may still run (整改剩余 …): red, and the longest overdue first.
    const sla: SlaClock | null =
      bucket === 'overdue' && item.missed
        ? { kind: item.missed.kind, start: item.missed.dueAt, deadline: item.missed.dueAt }
        : // A 延期申请 is decided before the 办结 deadline it would move: past it, it lapses.
          bucket === 'extension' && item.extensionRequest
          ? { kind: 'finish', start: item.extensionRequest.at, deadline: item.extensionRequest.finishDue }
          : currentSla(item);
    const level: SlaLevel =
      bucket === 'overdue' ? 'red' : sla ? slaLevel(sla.start, sla.deadline, now) : 'ok';
    out.push({ item, bucket, sla, level, remainingMs: sla ? sla.deadline - now : null });
  }
  return out.sort(
    (a, b) =>
      LEVEL_RANK[a.level] - LEVEL_RANK[b.level] ||
      (a.remainingMs ?? Infinity) - (b.remainingMs ?? Infinity) ||
      a.item.createdAt - b.item.createdAt,
  );
}
