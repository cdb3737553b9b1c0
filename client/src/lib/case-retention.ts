// Which cases the big screen may let go of. A wall runs for days: cases leave the 30-day window
// the charts count, and a case opened from the search or a live event about an old case stays in
// the store after it is no longer shown. Without this the store (and every pass over it: the KPI
// counters, the queue, the charts) grows with the uptime instead of with the county's work.
import { isOpen, type CaseItem } from './case-model';
import { caseListSince } from './screen-requests';
import { startOfShanghaiDay } from '../../../shared/time';

/**
 * The ids of the cases nothing on the screen needs any more: closed or rejected, reported before
 * the window the screen loads (so no chart counts them), not changed today (so 今日结案 keeps
 * them), and neither selected nor named in the feed (`keep`). What a reload would not load, less
 * what today's counters and the open panels still read.
 */
export function staleCaseIds(
  byId: ReadonlyMap<string, CaseItem>,
  now: number,
  keep: ReadonlySet<string>,
): string[] {
  const since = caseListSince(now);
  const today = startOfShanghaiDay(now);
  const out: string[] = [];
  for (const c of byId.values())
    if (!isOpen(c.status) && c.createdAt < since && c.updatedAt < today && !keep.has(c.id)) out.push(c.id);
  return out;
}
