// The leader's date ranges: presets (today, 7 days, 30 days, this year) as whole days in
// Asia/Shanghai, half-open [from, to), and the previous period of the same length for 环比.

export const PRESETS = ['today', '7d', '30d', 'year'] as const;
export type Preset = (typeof PRESETS)[number];

export interface Period {
  /** epoch ms, 00:00 Asia/Shanghai of the first day */
  from: number;
  /** epoch ms, 00:00 Asia/Shanghai of the day after the last day (exclusive) */
  to: number;
}

const OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;

export function shanghaiDayStart(t: number): number {
  return Math.floor((t + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

export function shanghaiDate(t: number): string {
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → 00:00 Asia/Shanghai of that day; null when malformed. */
export function parseDay(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(utc).toISOString().slice(0, 10) !== day) return null;
  return utc - OFFSET_MS;
}

export function presetPeriod(preset: Preset, now: number): Period {
  const today = shanghaiDayStart(now);
  const to = today + DAY_MS;
  switch (preset) {
    case 'today':
      return { from: today, to };
    case '7d':
      return { from: today - 6 * DAY_MS, to };
    case '30d':
      return { from: today - 29 * DAY_MS, to };
    case 'year': {
      const year = new Date(now + OFFSET_MS).getUTCFullYear();
      return { from: Date.UTC(year, 0, 1) - OFFSET_MS, to };
    }
  }
}

/** A custom range from two inclusive days; null when malformed or reversed. */
export function customPeriod(firstDay: string, lastDay: string): Period | null {
  const from = parseDay(firstDay);
  const last = parseDay(lastDay);
  if (from === null || last === null || last < from) return null;
  return { from, to: last + DAY_MS };
}

/** The period of the same length that ends where `p` starts (上一等长时段). */
export function previousPeriod(p: Period): Period {
  return { from: p.from - (p.to - p.from), to: p.from };
}

/** The days of the period, oldest first, as 'YYYY-MM-DD'. */
export function daysOf(p: Period): string[] {
  const out: string[] = [];
  for (let t = p.from; t < p.to; t += DAY_MS) out.push(shanghaiDate(t));
  return out;
}

/** '2026-11-16 – 2026-11-22' (inclusive last day), or one day alone. */
export function periodLabel(p: Period): string {
  const first = shanghaiDate(p.from);
  const last = shanghaiDate(p.to - 1);
  return first === last ? first : `${first} – ${last}`;
}
