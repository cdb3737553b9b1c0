// The leader's date ranges as GET /api/stats reads them: whole Asia/Shanghai days, both ends
// inclusive. Presets: today, the last 7 or 30 days, this year, each ending today. The previous
// period of the same length (环比) is the server's to work out: it answers with it, cut at the same
// moment while this period still runs.
import { DAY_MS, LAST_DAY, isDay, shanghaiDay, shanghaiDayStart } from '../../../../shared/time';
import { formatShanghai } from '../desk/format';
import { FIRST_STATS_DAY, STATS_MAX_DAYS } from '../../../../shared/kpi';

export const PRESETS = ['today', '7d', '30d', 'year'] as const;
export type Preset = (typeof PRESETS)[number];

/** Shanghai days `YYYY-MM-DD`, `from` to `to`, both inclusive. */
export interface Period {
  from: string;
  to: string;
}

export function presetPeriod(preset: Preset, now: number): Period {
  const to = shanghaiDay(now);
  const daysBack = (n: number) => shanghaiDay(shanghaiDayStart(to) - n * DAY_MS);
  switch (preset) {
    case 'today':
      return { from: to, to };
    case '7d':
      return { from: daysBack(6), to };
    case '30d':
      return { from: daysBack(29), to };
    case 'year':
      return { from: `${to.slice(0, 4)}-01-01`, to };
  }
}

/**
 * Why a custom range cannot be measured: not both days given, reversed, over 366 days, starting
 * before the first day statistics count (the server's FIRST_STATS_DAY: it refused such a range with
 * a 400 in its own words) or after today (nothing happened yet: every figure 0, every township
 * ranked first, and 环比 cut before its own start). Said on the page; nothing is asked.
 */
export type CustomProblem = 'incomplete' | 'reversed' | 'tooLong' | 'tooEarly' | 'future';
export function customProblem(first: string, last: string, now = Date.now()): CustomProblem | null {
  if (!isDay(first) || !isDay(last)) return 'incomplete';
  if (last < first) return 'reversed';
  if (first < FIRST_STATS_DAY || last > LAST_DAY) return 'tooEarly';
  if (first > shanghaiDay(now)) return 'future';
  if ((shanghaiDayStart(last) - shanghaiDayStart(first)) / DAY_MS + 1 > STATS_MAX_DAYS) return 'tooLong';
  return null;
}

/** A custom range of two inclusive days; null when malformed or reversed. */
export function customPeriod(first: string, last: string): Period | null {
  if (!isDay(first) || !isDay(last) || last < first) return null;
  return { from: first, to: last };
}

/** '2026-11-16 – 2026-11-22' (both days inclusive), or one day alone. */
export function periodLabel(p: Period): string {
  return p.from === p.to ? p.from : `${p.from} – ${p.to}`;
}

/**
 * Where 环比's previous period is cut while this one still runs (同期口径): '09:30' for one day,
 * '11-21 09:30' for several; null when it is compared whole.
 */
export function previousCut(p: {
  from: string;
  to: string;
  end: number;
  until: number;
  asOf: number;
}): string | null {
  if (p.until >= p.end) return null;
  return p.from === p.to ? formatShanghai(p.asOf).slice(6) : formatShanghai(p.asOf);
}
