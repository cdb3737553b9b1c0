// Days are counted in Asia/Shanghai (DESIGN.md §5), whatever the browser's zone; China has no DST.
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Epoch ms of 00:00 Asia/Shanghai on the day containing `t`. */
export function shanghaiDayStart(t: number): number {
  return Math.floor((t + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/** 'YYYY-MM-DD' of `t` in Asia/Shanghai. */
export function shanghaiDay(t: number): string {
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

/** The last `n` days ending today, oldest first, as 'YYYY-MM-DD'. */
export function lastDays(now: number, n: number): string[] {
  const today = shanghaiDayStart(now);
  return Array.from({ length: n }, (_, i) => shanghaiDay(today - (n - 1 - i) * DAY_MS));
}

export function shanghaiClock(t: number): { date: string; time: string; weekday: string } {
  const d = new Date(t + OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}年${pad(d.getUTCMonth() + 1)}月${pad(d.getUTCDate())}日`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    weekday: '星期' + '日一二三四五六'[d.getUTCDay()]!,
  };
}
