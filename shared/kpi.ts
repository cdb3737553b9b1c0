// The measures leaders read (DESIGN.md §5), each defined once here; server/cases/KPI.md writes the
// formulas out. Inputs are per-case facts the case engine keeps on every case row.
import type { CaseState } from './workflow';
import { shanghaiDay, shanghaiDaysBetween } from './time';

export interface CaseFacts {
  createdAt: number;
  township: string;
  matterCode: string;
  domain: string;
  source: string;
  status: CaseState;
  /** Registered (立案): dispatched at least once. */
  dispatched: boolean;
  /** Dispatch → first acknowledgement, ms (null: not acknowledged). */
  ackMs: number | null;
  /** Dispatch → first arrival on site, ms (null: no arrival recorded). */
  arriveMs: number | null;
  /** Closed with the resolution inside the finish deadline; null when not closed. */
  closedOnTime: boolean | null;
  rectifyOrders: number;
  rectified: number;
  reworks: number;
  returns: number;
  /** Deadlines of this case marked missed. */
  overdueCount: number;
  /** A deadline is missed and still unmet now. */
  overdueNow: boolean;
  /** 出动人次: personnel sent, summed over every `start`. */
  turnouts: number;
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, or null when the denominator is 0 (no basis, not 0 %). */
  value: number | null;
}

export interface Distribution {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface Kpis {
  volume: {
    total: number;
    byDay: Array<{ day: string; count: number }>;
    byTownship: Record<string, number>;
    byMatter: Record<string, number>;
    byDomain: Record<string, number>;
    bySource: Record<string, number>;
  };
  registered: number;
  rectificationRate: Ratio;
  responseTime: { acknowledge: Distribution; arrive: Distribution };
  closureRate: Ratio;
  onTimeClosureRate: Ratio;
  reworkRate: Ratio;
  returnRate: Ratio;
  overdue: { cases: number; deadlines: number; openNow: number };
  turnouts: number;
}

export const ratio = (numerator: number, denominator: number): Ratio => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

/**
 * Percentile by linear interpolation between closest ranks (the R-7 / Excel PERCENTILE.INC rule):
 * rank h = (n − 1)·p, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The median is p = 0.5.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const xs = [...values].sort((a, b) => a - b);
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

function distribution(msValues: number[]): Distribution {
  const minutes = msValues.map((v) => v / 60_000);
  return {
    count: minutes.length,
    medianMinutes: percentile(minutes, 0.5),
    p90Minutes: percentile(minutes, 0.9),
  };
}

const bump = (rec: Record<string, number>, key: string) => {
  rec[key] = (rec[key] ?? 0) + 1;
};

/** Every measure over one set of cases; `from`/`to` (epoch ms) give the days of `byDay`. */
export function computeKpis(cases: readonly CaseFacts[], range: { from: number; to: number }): Kpis {
  const byDayMap = new Map<string, number>(shanghaiDaysBetween(range.from, range.to).map((d) => [d, 0]));
  const byTownship: Record<string, number> = {};
  const byMatter: Record<string, number> = {};
  const byDomain: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  let registered = 0;
  let rectifyOrders = 0;
  let rectified = 0;
  let closed = 0;
  let closedOnTime = 0;
  let closedWithDeadline = 0;
  let verified = 0;
  let reworked = 0;
  let returned = 0;
  let overdueCases = 0;
  let overdueDeadlines = 0;
  let overdueNow = 0;
  let turnouts = 0;
  const ack: number[] = [];
  const arrive: number[] = [];

  for (const c of cases) {
    const day = shanghaiDay(c.createdAt);
    byDayMap.set(day, (byDayMap.get(day) ?? 0) + 1);
    bump(byTownship, c.township);
    bump(byMatter, c.matterCode);
    bump(byDomain, c.domain);
    bump(bySource, c.source);
    if (c.dispatched) registered++;
    rectifyOrders += c.rectifyOrders;
    rectified += Math.min(c.rectified, c.rectifyOrders);
    if (c.ackMs !== null) ack.push(c.ackMs);
    if (c.arriveMs !== null) arrive.push(c.arriveMs);
    if (c.status === 'closed') {
      closed++;
      if (c.closedOnTime !== null) {
        closedWithDeadline++;
        if (c.closedOnTime) closedOnTime++;
      }
    }
    if (c.status === 'closed' || c.reworks > 0) verified++;
    if (c.reworks > 0) reworked++;
    if (c.dispatched && c.returns > 0) returned++;
    if (c.overdueCount > 0) overdueCases++;
    overdueDeadlines += c.overdueCount;
    if (c.overdueNow) overdueNow++;
    turnouts += c.turnouts;
  }

  return {
    volume: {
      total: cases.length,
      byDay: [...byDayMap].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, count]) => ({ day, count })),
      byTownship,
      byMatter,
      byDomain,
      bySource,
    },
    registered,
    rectificationRate: ratio(rectified, rectifyOrders),
    responseTime: { acknowledge: distribution(ack), arrive: distribution(arrive) },
    closureRate: ratio(closed, registered),
    onTimeClosureRate: ratio(closedOnTime, closedWithDeadline),
    reworkRate: ratio(reworked, verified),
    returnRate: ratio(returned, registered),
    overdue: { cases: overdueCases, deadlines: overdueDeadlines, openNow: overdueNow },
    turnouts,
  };
}
