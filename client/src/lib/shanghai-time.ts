// Days are counted in Asia/Shanghai (DESIGN.md §5), whatever the browser's zone: the day arithmetic
// is shared/time.ts's (shanghaiDay, startOfShanghaiDay); here are the screen's forms of it.
import { watch, type Ref, type WatchStopHandle } from 'vue';
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDay, startOfShanghaiDay } from '../../../shared/time';
import { formatShanghai } from './desk/format';

/** The last `n` days ending today, oldest first, as 'YYYY-MM-DD'. */
export function lastDays(now: number, n: number): string[] {
  const today = startOfShanghaiDay(now);
  return Array.from({ length: n }, (_, i) => shanghaiDay(today - (n - 1 - i) * DAY_MS));
}

/**
 * A time as read on a clock in Shanghai: its date's parts, the weekday (0 = Sunday) and 'HH:mm:ss'.
 * The words around them (年月日, 星期三, Wed) are the page's language's (the screen's header).
 */
export function shanghaiClock(t: number): {
  year: number;
  month: string;
  day: string;
  weekday: number;
  time: string;
} {
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    year: d.getUTCFullYear(),
    month: pad(d.getUTCMonth() + 1),
    day: pad(d.getUTCDate()),
    weekday: d.getUTCDay(),
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

/**
 * When something happened, as the screen's panel says it: the time alone on the Shanghai day `now`
 * is in ('17:51', or '17:51:21' with `seconds`), else the date too ('11-25 17:51'): the timeline of
 * a case five days overdue must not read as if it all happened today.
 */
export function shanghaiWhen(t: number, now: number, seconds = false): string {
  if (startOfShanghaiDay(t) !== startOfShanghaiDay(now)) return formatShanghai(t);
  const time = shanghaiClock(t).time;
  return seconds ? time : time.slice(0, 5);
}

/**
 * Call `fn` each time `now` (a ticking clock ref) enters a new day in Shanghai: a wall screen runs
 * across midnight, and a quiet night may bring no case event for hours to refresh what counts days.
 * Returns the watcher's stop function.
 */
export function onNewShanghaiDay(now: Ref<number>, fn: () => void): WatchStopHandle {
  let day = startOfShanghaiDay(now.value);
  return watch(now, (t) => {
    const d = startOfShanghaiDay(t);
    if (d === day) return;
    day = d;
    fn();
  });
}
