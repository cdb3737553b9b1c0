// Days as counted in the county: Asia/Shanghai, UTC+8 all year (China has kept no daylight saving
// since 1991), so a fixed offset is exact and needs no time-zone database.
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3600_000;

/** `2026-01-31`: the Shanghai calendar day of an instant. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Shanghai day of an instant as a number: days since 1970-01-01 (Shanghai). */
export function shanghaiDayNumber(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The instant Shanghai's day `ms` falls in began. */
export function startOfShanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The instant a `YYYY-MM-DD` Shanghai day begins. */
export function shanghaiDayStart(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return t - SHANGHAI_OFFSET_MS;
}

/** Every Shanghai day from the one containing `from` to the one containing `to`, inclusive. */
export function shanghaiDaysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = startOfShanghaiDay(from); t <= to; t += DAY_MS) days.push(shanghaiDay(t));
  return days;
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/**
 * A duration given in minutes, as the pages say it: '12.3 分钟', or under a minute in seconds
 * ('42 秒': '0.0 分钟' would read as no time at all); '—' for none.
 */
export function formatMinutes(v: number | null, minutesUnit = '分钟', secondsUnit = '秒'): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const seconds = Math.round(v * 60);
  return seconds < 60 ? `${seconds} ${secondsUnit}` : `${v.toFixed(1)} ${minutesUnit}`;
}
