// Days are counted in Asia/Shanghai (DESIGN.md §5), whatever the browser's zone: the day arithmetic
// is shared/time.ts's (shanghaiDay, startOfShanghaiDay); here are the screen's forms of it.
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDay, startOfShanghaiDay } from '../../../shared/time';

/** The last `n` days ending today, oldest first, as 'YYYY-MM-DD'. */
export function lastDays(now: number, n: number): string[] {
  const today = startOfShanghaiDay(now);
  return Array.from({ length: n }, (_, i) => shanghaiDay(today - (n - 1 - i) * DAY_MS));
}

export function shanghaiClock(t: number): { date: string; time: string; weekday: string } {
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}年${pad(d.getUTCMonth() + 1)}月${pad(d.getUTCDate())}日`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    weekday: '星期' + '日一二三四五六'[d.getUTCDay()]!,
  };
}
