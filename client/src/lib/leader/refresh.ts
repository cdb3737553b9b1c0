// The leader page keeps a running period current: while its tab is seen and the period takes in
// today, it asks GET /api/stats again every minute (the figures say when they are of: 数据截至 09:48).
import { shanghaiDay } from '../../../../shared/time';
import type { Period, Preset } from './periods';

/** How often a running period is asked for again. */
export const REFRESH_MS = 60_000;
/**
 * How often the page looks whether that is due: a filter changed between two looks a minute apart
 * made the figures wait 60–119 s (93 s measured) under 每分钟更新; looked at every 10 s, 60–70 s.
 */
export const REFRESH_CHECK_MS = 10_000;

/**
 * Whether the view's period takes in today at `now`: every preset does (today, 7 or 30 days and
 * this year all end today, whatever the day), a custom range while its last day has not passed.
 */
export function periodRuns(preset: Preset | 'custom', period: Period, now: number): boolean {
  return preset !== 'custom' || period.to >= shanghaiDay(now);
}

/**
 * Whether to ask again now: the tab is seen, the period runs, and the figures shown were asked for
 * at least REFRESH_MS ago (a tab shown again after a while catches up at once; a tick that finds
 * them fresher waits for the next).
 */
export function refreshDue(o: {
  visible: boolean;
  runs: boolean;
  askedAt: number;
  now: number;
  every?: number;
}): boolean {
  return o.visible && o.runs && o.now - o.askedAt >= (o.every ?? REFRESH_MS) - 1_000;
}
