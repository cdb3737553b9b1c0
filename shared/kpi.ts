// The measures leaders read (DESIGN.md §5), defined once, here, for the server (GET /api/stats and
// the export) and the page alike: the per-case facts they are computed from, the formulas, the
// statistics period in Asia/Shanghai days, the previous period for 环比, and each measure's name,
// formula in words, unit and better direction. README § "KPI formulas" writes them out.
import { z } from 'zod';
import { CLUE_SOURCES } from './cases';
import type { CaseState } from './workflow';
import { queryObject } from './query';
import { MATTER_DOMAINS } from './matters';
import {
  DAY_MS,
  formatMinutes,
  HOUR_MS,
  isDay,
  LAST_DAY,
  parseInstant,
  shanghaiDay,
  shanghaiDayNumber,
  shanghaiDayStart,
  startOfShanghaiDay,
} from './time';

export interface CaseFacts {
  createdAt: number;
  township: string;
  /**
   * The unit that has the case now (承办单位), `department:cgj` or `township:140581002`; null while
   * it has none (待派遣, 已退回, 不予立案 before a dispatch). The departments' ranking counts by it.
   */
  assignee: string | null;
  /**
   * The units that returned the case (退回), party keys, each once; read for the departments'
   * ranking only (its 退回率: a returned case has left the unit that returned it). Absent otherwise.
   */
  returnedBy?: readonly string[];
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
  /** 延期: extensions of the finish deadline granted (同意延期). */
  extensions: number;
  /**
   * Granted more time on the 办结 deadline it runs now, since its last 派遣 or 改派: read for the
   * departments' ranking only (its 延期率: a grant goes with the unit that had the case then, not
   * the one it was reassigned to). Absent otherwise.
   */
  extendedNow?: boolean;
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
    /**
     * A one-day period (GET /api/stats' report and its `previous`, not the townships): its cases by
     * the Shanghai hour they were reported in, `hour` 0–23, every hour begun before the figures' cut
     * (now, or the compared period's `until`) listed, 0 included; absent for a longer period.
     */
    byHour?: Array<{ hour: number; count: number }>;
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
  extensionRate: Ratio;
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
  return values.length ? percentileOfSorted(Float64Array.from(values).sort(), p) : null;
}

/** `p` of values already sorted ascending (linear between the two nearest ranks). */
function percentileOfSorted(xs: Float64Array, p: number): number {
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

/** Sorted once, as numbers (a typed array's sort: no comparator called 500,000 times a year). */
function distribution(msValues: number[]): Distribution {
  if (!msValues.length) return { count: 0, medianMinutes: null, p90Minutes: null };
  const minutes = new Float64Array(msValues.length);
  for (let i = 0; i < msValues.length; i++) minutes[i] = msValues[i]! / 60_000;
  minutes.sort();
  return {
    count: minutes.length,
    medianMinutes: percentileOfSorted(minutes, 0.5),
    p90Minutes: percentileOfSorted(minutes, 0.9),
  };
}

const bump = (rec: Record<string, number>, key: string) => {
  rec[key] = (rec[key] ?? 0) + 1;
};

/** Every measure over one set of cases; `from`/`to` (epoch ms) give the days of `byDay`. */
export function computeKpis(cases: readonly CaseFacts[], range: { from: number; to: number }): Kpis {
  // Counted by the day's number (days since 1970, Shanghai), named once at the end: a year's cases
  // formatted a date each took most of a year's report.
  const firstDay = shanghaiDayNumber(range.from);
  const byDayCount: number[] = new Array<number>(
    Math.max(0, shanghaiDayNumber(range.to) - firstDay + 1),
  ).fill(0);
  const outside = new Map<number, number>(); // a case dated outside the range (none, as the server reads them)
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
  let extended = 0;
  let overdueCases = 0;
  let overdueDeadlines = 0;
  let overdueNow = 0;
  let turnouts = 0;
  const ack: number[] = [];
  const arrive: number[] = [];

  for (const c of cases) {
    const day = shanghaiDayNumber(c.createdAt) - firstDay;
    if (day >= 0 && day < byDayCount.length) byDayCount[day]!++;
    else outside.set(day, (outside.get(day) ?? 0) + 1);
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
    if (c.dispatched && c.extensions > 0) extended++;
    if (c.overdueCount > 0) overdueCases++;
    overdueDeadlines += c.overdueCount;
    if (c.overdueNow) overdueNow++;
    turnouts += c.turnouts;
  }

  return {
    volume: {
      total: cases.length,
      byDay: [...byDayCount.map((count, i) => [i, count] as const), ...outside]
        .sort(([a], [b]) => a - b)
        .map(([i, count]) => ({ day: shanghaiDay((firstDay + i) * DAY_MS), count })),
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
    extensionRate: ratio(extended, registered),
    overdue: { cases: overdueCases, deadlines: overdueDeadlines, openNow: overdueNow },
    turnouts,
  };
}

/**
 * One day's cases by the Shanghai hour reported (no daylight saving: hour h starts at
 * `dayStart` + h hours): every hour begun before `cut` (exclusive; the day's end at most), 0 included.
 */
export function countByHour(
  cases: readonly CaseFacts[],
  dayStart: number,
  cut: number,
): Array<{ hour: number; count: number }> {
  const hours = Math.max(0, Math.min(24, Math.ceil((cut - dayStart) / HOUR_MS)));
  const counts = new Array<number>(hours).fill(0);
  for (const c of cases) {
    const h = Math.floor((c.createdAt - dayStart) / HOUR_MS);
    if (h >= 0 && h < hours) counts[h]!++;
  }
  return counts.map((count, hour) => ({ hour, count }));
}

// ---------------------------------------------------------------- the measures as read
export const MEASURE_KEYS = [
  'volume',
  'rectificationRate',
  'ackMedian',
  'ackP90',
  'arriveMedian',
  'arriveP90',
  'closureRate',
  'onTimeClosureRate',
  'reworkRate',
  'returnRate',
  'extensionRate',
  'overdue',
  'turnouts',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

/** count: a number of things; rate: 0–1; minutes: a duration. */
export type MeasureUnit = 'count' | 'rate' | 'minutes';

export interface MeasureDef {
  key: MeasureKey;
  unit: MeasureUnit;
  /** Which way is better: 'up', 'down', or 'neutral' (volume is neither good nor bad). */
  better: 'up' | 'down' | 'neutral';
  label: { zh: string; en: string };
  formula: { zh: string; en: string };
  value(k: Kpis): number | null;
  /** For rates: the numerator and denominator behind the value. */
  ratio?(k: Kpis): Ratio;
}

export const MEASURES: readonly MeasureDef[] = [
  {
    key: 'volume',
    unit: 'count',
    better: 'neutral',
    label: { zh: '案件量', en: 'Case volume' },
    formula: {
      zh: '统计期内上报的案件数（按上报时间，北京时间计日）',
      en: 'Cases reported in the period (by report time, days in Asia/Shanghai)',
    },
    value: (k) => k.volume.total,
  },
  {
    key: 'rectificationRate',
    unit: 'rate',
    better: 'up',
    label: { zh: '整改率', en: 'Rectification rate' },
    formula: {
      zh: '整改率 = 整改完成次数 ÷ 责令整改次数（每案完成次数不超过其责令次数）',
      en: 'rectified ÷ rectification orders (per case, rectified counts at most its orders)',
    },
    value: (k) => k.rectificationRate.value,
    ratio: (k) => k.rectificationRate,
  },
  {
    key: 'ackMedian',
    unit: 'minutes',
    better: 'down',
    label: { zh: '签收响应（中位数）', en: 'Ack. time (median)' },
    formula: {
      zh: '派遣 → 首次签收的时长，取中位数（分钟，线性插值）',
      en: 'dispatch → first acknowledgement, median (minutes, linear interpolation)',
    },
    value: (k) => k.responseTime.acknowledge.medianMinutes,
  },
  {
    key: 'ackP90',
    unit: 'minutes',
    better: 'down',
    label: { zh: '签收响应（P90）', en: 'Ack. time (P90)' },
    formula: {
      zh: '派遣 → 首次签收的时长，第90百分位（分钟，线性插值 R-7）',
      en: 'dispatch → first acknowledgement, 90th percentile (minutes, R-7 interpolation)',
    },
    value: (k) => k.responseTime.acknowledge.p90Minutes,
  },
  {
    key: 'arriveMedian',
    unit: 'minutes',
    better: 'down',
    label: { zh: '到场响应（中位数）', en: 'Arrival time (median)' },
    formula: {
      zh: '派遣 → 首次到场的时长，取中位数（分钟，线性插值）',
      en: 'dispatch → first arrival on site, median (minutes, linear interpolation)',
    },
    value: (k) => k.responseTime.arrive.medianMinutes,
  },
  {
    key: 'arriveP90',
    unit: 'minutes',
    better: 'down',
    label: { zh: '到场响应（P90）', en: 'Arrival time (P90)' },
    formula: {
      zh: '派遣 → 首次到场的时长，第90百分位（分钟，线性插值 R-7）',
      en: 'dispatch → first arrival on site, 90th percentile (minutes, R-7 interpolation)',
    },
    value: (k) => k.responseTime.arrive.p90Minutes,
  },
  {
    key: 'closureRate',
    unit: 'rate',
    better: 'up',
    label: { zh: '结案率', en: 'Closure rate' },
    formula: {
      zh: '结案率 = 已结案案件数 ÷ 立案（已派遣）案件数',
      en: 'closed ÷ registered (dispatched) cases',
    },
    value: (k) => k.closureRate.value,
    ratio: (k) => k.closureRate,
  },
  {
    key: 'onTimeClosureRate',
    unit: 'rate',
    better: 'up',
    label: { zh: '按期结案率', en: 'On-time closure rate' },
    formula: {
      zh: '按期结案率 = 在办结时限内办结的已结案案件数 ÷ 有办结时限的已结案案件数（整改期间不计入办结时限）',
      en: 'closed cases resolved within their finish deadline ÷ closed cases that had one (time under rectification is not counted against it)',
    },
    value: (k) => k.onTimeClosureRate.value,
    ratio: (k) => k.onTimeClosureRate,
  },
  {
    key: 'reworkRate',
    unit: 'rate',
    better: 'down',
    label: { zh: '返工率', en: 'Rework rate' },
    formula: {
      zh: '返工率 = 核查不通过（返工）过的案件数 ÷ 经过核查的案件数（已结案或返工过）',
      en: 'cases sent back by verification ÷ cases verified (closed or sent back)',
    },
    value: (k) => k.reworkRate.value,
    ratio: (k) => k.reworkRate,
  },
  {
    key: 'returnRate',
    unit: 'rate',
    better: 'down',
    label: { zh: '退回率', en: 'Return rate' },
    formula: {
      zh: '退回率 = 被退回过的立案案件数 ÷ 立案案件数',
      en: 'registered cases returned at least once ÷ registered cases',
    },
    value: (k) => k.returnRate.value,
    ratio: (k) => k.returnRate,
  },
  {
    key: 'extensionRate',
    unit: 'rate',
    better: 'down',
    label: { zh: '延期率', en: 'Extension rate' },
    formula: {
      zh: '延期率 = 经指挥中心同意延期过的立案案件数 ÷ 立案案件数（同一案件多次延期计一次）',
      en: 'registered cases granted more time by the command centre at least once ÷ registered cases (a case extended twice counts once)',
    },
    value: (k) => k.extensionRate.value,
    ratio: (k) => k.extensionRate,
  },
  {
    key: 'overdue',
    unit: 'count',
    better: 'down',
    // Not the big screen's 当前超时 (open cases past a deadline now, whenever reported): the label
    // says whose cases it counts, the formula says the difference.
    label: { zh: '超时案件（期内）', en: 'Overdue cases (in period)' },
    formula: {
      zh: '统计期内上报、有任一时限（签收、到场、办结、整改）被标记超时的案件数，已办结的也计入；大屏的“当前超时”则是此刻未结且已超时的案件数，不论何日上报',
      en: 'cases reported in the period with any deadline (acknowledge, arrive, finish, rectify) missed, closed ones included; the big screen’s “Overdue now” counts open cases past a deadline now, whenever reported',
    },
    value: (k) => k.overdue.cases,
  },
  {
    key: 'turnouts',
    unit: 'count',
    better: 'neutral',
    label: { zh: '出动人次', en: 'Turnouts' },
    formula: { zh: '每次派出队伍时出动人数之和', en: 'personnel sent, summed over every team dispatch' },
    value: (k) => k.turnouts,
  },
];

export const MEASURE_BY_KEY = new Map<MeasureKey, MeasureDef>(MEASURES.map((m) => [m.key, m]));

// ---------------------------------------------------------------- 环比

/**
 * 环比: a measure against the previous period of the same length. Counts and durations change by a
 * ratio ((now − before) ÷ before); rates by percentage points ((now − before) × 100), because
 * "+50 %" of a 4 % return rate says less than "+2 pp"; a count over a small base (fewer than
 * SMALL_BASE before) by its difference (now − before), because 1 → 300 is "+299", not "+29,900 %",
 * and 0 → 11 overdue cases is "+11", not no comparison at all. Whether a change is good depends on
 * the measure.
 */
export type ChangeKind = 'ratio' | 'points' | 'difference';

/**
 * Below this many before — the count itself, or the cases of the compared period (出动人次 53 off 15
 * cases is no base for +1407.5 %) — a count's 环比 is its difference (and see smallBasis).
 */
export const SMALL_BASE = 30;
export type Verdict = 'better' | 'worse' | 'same' | 'neutral';

export interface Change {
  kind: ChangeKind;
  /**
   * ratio: (now − before) ÷ before; points: (now − before) × 100; difference: now − before. Null
   * when not comparable.
   */
  value: number | null;
  verdict: Verdict;
}

export function computeChange(
  now: number | null,
  before: number | null,
  kind: ChangeKind,
  better: MeasureDef['better'],
): Change {
  let value: number | null = null;
  if (now !== null && before !== null) {
    if (kind === 'points') value = (now - before) * 100;
    else if (kind === 'difference') value = now - before;
    else if (before !== 0) value = (now - before) / before;
    else if (now === 0) value = 0;
  }
  let verdict: Verdict = 'neutral';
  if (value !== null && Math.abs(value) < 1e-9) verdict = 'same';
  else if (value !== null && better !== 'neutral')
    verdict = value > 0 === (better === 'up') ? 'better' : 'worse';
  return { kind, value, verdict };
}

/** '+12.5%', '−3.0pp' (or another unit for points), '+299', '—' when there is nothing to compare. */
export function formatChange(c: Change, pointsUnit = 'pp'): string {
  if (c.value === null) return '—';
  const shown = changeFigure(c);
  // The sign of the figure as shown: a change of −0.04 points reads ±0.0, not −0.0.
  const sign = Number(shown) === 0 ? '±' : c.value > 0 ? '+' : '−';
  return c.kind === 'difference'
    ? `${sign}${shown}`
    : `${sign}${shown}${c.kind === 'points' ? pointsUnit : '%'}`;
}

/**
 * A change's size as the leader page and the statistics export show it, without sign or unit: '299'
 * (a difference), '3.0' (points), '12.5' (per cent); '' when there is nothing to compare.
 */
export function changeFigure(c: Change): string {
  if (c.value === null) return '';
  const abs = Math.abs(c.value);
  return c.kind === 'difference'
    ? String(Math.round(abs))
    : (c.kind === 'points' ? abs : abs * 100).toFixed(1);
}

/** Whether a change is shown as none at all (±0.0): nothing to colour better or worse. */
export function showsNoChange(c: Change): boolean {
  return c.value !== null && formatChange(c).startsWith('±');
}

/** The change of measure `m` between two KPI results. */
export function measureChange(m: MeasureDef, now: Kpis, before: Kpis): Change {
  const b = m.value(before);
  const kind: ChangeKind =
    m.unit === 'rate'
      ? 'points'
      : m.unit === 'count' && b !== null && (b < SMALL_BASE || before.volume.total < SMALL_BASE)
        ? 'difference'
        : 'ratio';
  return computeChange(m.value(now), b, kind, m.better);
}

/**
 * The cases behind a rate or a duration in each period — a rate's denominator, a duration's cases
 * measured — when either is under SMALL_BASE: the page and the export then state no change (基数过小;
 * 0 / 1 → 14 / 15 is not "+93.3 个百分点"), though `change` carries it. Null for a count (its
 * difference speaks) and where both bases are large enough.
 */
export function smallBasis(m: MeasureDef, now: Kpis, before: Kpis): { now: number; before: number } | null {
  if (m.unit === 'count') return null;
  const basis = (k: Kpis) =>
    m.ratio?.(k).denominator ?? k.responseTime[m.key.startsWith('ack') ? 'acknowledge' : 'arrive'].count;
  const b = { now: basis(now), before: basis(before) };
  return b.now < SMALL_BASE || b.before < SMALL_BASE ? b : null;
}

/**
 * A measure's value as text: '87.5%', '12.3 分钟', '42 秒' (a duration under a minute: '0.0 分钟'
 * would read as no time at all), '42'; '—' when there is no basis.
 */
export function formatMeasure(
  m: Pick<MeasureDef, 'unit'>,
  v: number | null,
  minutesUnit = '分钟',
  secondsUnit = '秒',
): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (m.unit === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (m.unit === 'minutes') return formatMinutes(v, minutesUnit, secondsUnit);
  return String(Math.round(v));
}

// ---------------------------------------------------------------- the statistics period

/**
 * A `from`/`to` query value: a Shanghai calendar day `YYYY-MM-DD`, or an instant (epoch ms, ISO
 * 8601) standing for the Shanghai day it falls in. Either way the value is a day; both ends of a
 * period are inclusive.
 */
const dayParam = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx) => {
    let day: string | null = null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      if (isDay(v)) day = v;
    } else {
      // Epoch ms in digits or an ISO date-time; `-5`, `0x70` or `May 1` are not guessed at.
      const n = parseInstant(v);
      if (n !== null) day = shanghaiDay(n);
    }
    // From 1971 (a period and the one it is compared with a year or a period before stay in the
    // years a calendar day is written with four digits) to 9999.
    if (day && /^\d{4}-/.test(day) && day >= FIRST_STATS_DAY && day <= LAST_DAY) return day;
    ctx.addIssue({
      code: 'custom',
      message: `a day YYYY-MM-DD (Asia/Shanghai) from ${FIRST_STATS_DAY} to ${LAST_DAY}, or an instant in those days (epoch milliseconds or ISO 8601)`,
    });
    return z.NEVER;
  });

/** The first day a statistics period may start on (its comparison reaches a year further back). */
export const FIRST_STATS_DAY = '1971-01-01';

/**
 * What a report adds rows for: `township`, each township (by location; the ranking, 比学赶超);
 * `department`, each county department (by 承办部门; the county's report only).
 */
export const STATS_GROUPS = ['township', 'department'] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

/**
 * What a period is compared with: `previous` 环比, the period of the same length just before;
 * `year` 同比, the same days a year earlier; `none`, no comparison (the big screen's charts, which
 * show none, spare the previous period's reading).
 */
export const STATS_COMPARES = ['previous', 'year', 'none'] as const;
export type StatsCompare = (typeof STATS_COMPARES)[number];

/** The period in Shanghai days, both inclusive, and the filters: what the report and its exports read. */
export const statsFilterShape = {
  from: dayParam.optional(),
  to: dayParam.optional(),
  township: z
    .string()
    .regex(/^\d{9}$/, 'a 9-digit township code')
    .optional(),
  /** One of the matters' domains (领域); any other word is a 400 saying so, not an empty report. */
  domain: z.enum(MATTER_DOMAINS, { error: `no such domain: one of ${MATTER_DOMAINS.join('、')}` }).optional(),
  source: z.enum(CLUE_SOURCES).optional(),
  /** 环比 (default), 同比 or none. */
  compare: z.enum(STATS_COMPARES).optional(),
};

/** `GET /api/stats`: the period and filters, and the rows per unit; no other parameter. */
export const statsQuerySchema = queryObject({
  ...statsFilterShape,
  /**
   * `township`, `department` or both, comma-separated in either order (the same report): the same
   * measures per unit (STATS_GROUPS). A group named twice or an empty one is refused, not read as
   * once or dropped, as any other value is.
   */
  groupBy: z
    .string()
    .transform((v, ctx) => {
      const parts = v.split(',');
      const unknown = parts.find((p) => !(STATS_GROUPS as readonly string[]).includes(p));
      const twice = parts.find((p, i) => parts.indexOf(p) < i);
      if (unknown !== undefined || twice !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            twice !== undefined && unknown === undefined
              ? `${twice} is named twice: township, department or both, comma-separated`
              : 'township, department or both, comma-separated',
        });
        return z.NEVER;
      }
      // In STATS_GROUPS' order whichever way it was written: one report, one reading.
      return STATS_GROUPS.filter((g) => parts.includes(g));
    })
    .optional(),
});
export type StatsQuery = z.infer<typeof statsQuerySchema>;

/** Longest period one request measures: 366 days (a leap year). */
export const STATS_MAX_DAYS = 366;
/** Without `from`: the last 30 days, today included. */
export const STATS_DEFAULT_DAYS = 30;

/**
 * A statistics period: whole Shanghai days `from` … `to` (both inclusive), and the instants they
 * cover, `start` ≤ createdAt < `end`. `start`/`end` are exactly GET /api/cases's `from`/`to` (its
 * `to` is exclusive), so a case list asked with them holds the cases these figures count.
 */
export interface StatsPeriod {
  from: string;
  to: string;
  start: number;
  end: number;
  days: number;
}

export function statsPeriod(from: string, to: string): StatsPeriod {
  const start = shanghaiDayStart(from);
  const end = shanghaiDayStart(to) + DAY_MS;
  return { from, to, start, end, days: Math.round((end - start) / DAY_MS) };
}

/** The period of the same number of days just before `p` (环比's basis, 上一等长时段). */
export function previousStatsPeriod(p: StatsPeriod): StatsPeriod {
  return statsPeriod(shanghaiDay(p.start - p.days * DAY_MS), shanghaiDay(p.start - DAY_MS));
}

/**
 * A Shanghai day a year earlier: 2026-03-10 → 2025-03-10; a 29 February → the 28th (同比's days).
 */
export function sameDayLastYear(day: string): string {
  const y = String(Number(day.slice(0, 4)) - 1).padStart(4, '0');
  const md = day.slice(5);
  return md === '02-29' ? `${y}-02-28` : `${y}-${md}`;
}

/** The same days a year before `p` (同比's basis, 去年同期). */
export function sameDaysLastYear(p: StatsPeriod): StatsPeriod {
  return statsPeriod(sameDayLastYear(p.from), sameDayLastYear(p.to));
}

/**
 * What a period is compared with, asked at `now` (同期口径): 环比's previous period of the same
 * number of days, or 同比's same days a year earlier; its cases reported by `asOf` (环比: one
 * period's length before now; 同比: the same date and hour a year before), each as it stood
 * then. Both sides have then had the same time: today until 09:30 against yesterday until 09:30 as
 * yesterday stood at 09:30; a finished week against the week before as it stood a week ago; this
 * year so far against last year until the same day and hour. Without it a period still running
 * compares its first hours with a whole period, and its young cases, not yet closed, with cases
 * that have had days more to be closed.
 */
export interface ComparisonBasis {
  /** 环比 or 同比. */
  compare: Exclude<StatsCompare, 'none'>;
  previous: StatsPeriod;
  /**
   * Cases of the previous period reported before this instant are counted (≤ previous.end): those
   * reported at or before `asOf`, as this period counts those reported at or before now.
   */
  until: number;
  /**
   * The instant the previous period's cases are measured as of: 环比, now less the period's length;
   * 同比, the same date and time of day last year.
   */
  asOf: number;
}

export function comparisonBasis(
  period: StatsPeriod,
  now: number,
  compare: ComparisonBasis['compare'] = 'previous',
): ComparisonBasis {
  const previous = compare === 'year' ? sameDaysLastYear(period) : previousStatsPeriod(period);
  // 环比: one period's length before now. 同比: the same date and time of day last year (a 29
  // February taken as the 28th), whether or not a 29 February lies between.
  const asOf =
    compare === 'year'
      ? shanghaiDayStart(sameDayLastYear(shanghaiDay(now))) + (now - startOfShanghaiDay(now))
      : now - (period.end - previous.end);
  return { compare, previous, asOf, until: Math.min(previous.end, Math.max(previous.start, asOf + 1)) };
}

/** The period a query asks for: defaults filled in, or why it cannot be measured. */
export function resolveStatsPeriod(
  q: Pick<StatsQuery, 'from' | 'to'>,
  now: number,
): { period: StatsPeriod } | { error: string; field: 'query.from' | 'query.to' } {
  const to = q.to ?? shanghaiDay(now);
  const from = q.from ?? shanghaiDay(shanghaiDayStart(to) - (STATS_DEFAULT_DAYS - 1) * DAY_MS);
  if (from > to) return { error: 'query.from: must not be after query.to', field: 'query.from' };
  const period = statsPeriod(from, to);
  if (period.days > STATS_MAX_DAYS)
    return { error: `query.to: statistics span at most ${STATS_MAX_DAYS} days`, field: 'query.to' };
  return { period };
}

// ---------------------------------------------------------------- the report (GET /api/stats)

export interface StatsFilters {
  township?: string;
  domain?: string;
  source?: string;
}

/** The measures over one period, with the period they cover. */
export type PeriodKpis = Kpis & StatsPeriod;

/**
 * The previous period's measures: its cases reported before `until`, as they stood at `asOf`. With a
 * ranking asked for (groupBy), the same units measured on it (同期口径) — what 名次较上期 reads: its
 * `townships`, `ranking` and `departments` are the report's own, on the compared period. None when
 * the compared period is no basis (no case in it, or it starts before the records: earlyBasis).
 */
export type PreviousKpis = PeriodKpis & {
  until: number;
  asOf: number;
  townships?: TownshipKpis[];
  ranking?: TownshipKpis[];
  departments?: DepartmentKpis[];
};

/** One township's measures (groupBy=township), by the township the case is located in. */
export interface TownshipKpis extends Kpis {
  code: string;
  name: string;
}

/** One county department's measures (groupBy=department, the county's report), by the case's 承办单位 now. */
export interface DepartmentKpis extends TownshipKpis {
  /** Its short name (城市管理), for a table's narrow column; `name` is the full one. */
  short: string;
}

/**
 * What GET /api/stats answers: every measure for the period and filters (at the top level), the
 * same for the previous period of the same length on the comparison basis (同期口径, ComparisonBasis),
 * 环比 of each measure, and with groupBy=township the measures per township. The page shows this and
 * the export writes this; neither recomputes.
 */
export interface StatsReport extends PeriodKpis {
  /** When the report was made: the period's cases are measured as they stand then. */
  asOf: number;
  /**
   * When the platform's records begin: the first case the county holds (whatever the scope and
   * filters), null with none. A compared period that starts before it is not compared (earlyBasis).
   */
  recordsSince: number | null;
  filters: StatsFilters;
  /**
   * `department`: a department's own report, its 退回率 and 延期率 counted as the departments'
   * ranking counts them (DEPARTMENT_RETURN_RATE_FORMULA, DEPARTMENT_EXTENSION_RATE_FORMULA), and so
   * worded on its page and in its export. Absent otherwise.
   */
  countedAs?: 'department';
  /** What `previous` is: 环比's previous period, 同比's same days last year, or none (neither below). */
  compare: StatsCompare;
  previous?: PreviousKpis;
  change?: Record<MeasureKey, Change>;
  townships?: TownshipKpis[];
  /**
   * groupBy=township asked by a township: every township's measures on the period, domain and source
   * (not the township filter), by the township each case is located in, as the county's own ranking
   * (比学赶超) reads them — the ranking the county publishes (通报) to every township. Figures only:
   * its case lists stay its own. Absent for the county (its `townships` are the ranking) and a department.
   */
  ranking?: TownshipKpis[];
  /**
   * groupBy=department asked by the county: each county department's measures on the same cases, by
   * the department that has the case now (承办部门; a case returned and sent elsewhere counts for where
   * it went), every department listed, a case or not. Absent for a township or a department.
   */
  departments?: DepartmentKpis[];
}

/**
 * The rows of a report's ranking table (排名): the county's ranking as published to a township
 * (`ranking`), else the report's own townships (the county's every township; a department's own
 * cases by township); none without groupBy=township. The page and the export show the same.
 */
export function rankingRows(report: Pick<StatsReport, 'ranking' | 'townships'>): TownshipKpis[] {
  return report.ranking ?? report.townships ?? [];
}

/**
 * The rows of a ranking (`township`: rankingRows; `department`: the departments) on the compared
 * period, for 名次较上期: the published ranking's where the report has one, never a township's own
 * rows in its place. Null where the report gives none (no comparison, or no basis).
 */
export function previousRankingRows(
  report: Pick<StatsReport, 'ranking' | 'previous'>,
  by: 'township' | 'department',
): TownshipKpis[] | null {
  const p = report.previous;
  if (!p) return null;
  if (by === 'department') return p.departments ?? null;
  return (report.ranking ? p.ranking : p.townships) ?? null;
}

/**
 * The compared period starts before the records do (StatsReport.recordsSince), on an earlier day: the
 * day they begin, else null. Its figures cover only part of it, so no change is stated (the page and the export say
 * why).
 */
export function earlyBasis(report: Pick<StatsReport, 'previous' | 'recordsSince'>): string | null {
  const p = report.previous;
  // By days: records that begin during the compared period's first day cover it.
  if (!p || report.recordsSince === null || startOfShanghaiDay(report.recordsSince) <= p.start) return null;
  return shanghaiDay(report.recordsSince);
}

/** A report compared with another period (compare `previous` or `year`). */
export type ComparedReport = StatsReport & Required<Pick<StatsReport, 'previous' | 'change'>>;

export interface StatsReportInput {
  /** The cases in scope and filters reported in the period, as they stand now. */
  facts: readonly CaseFacts[];
  /** Those reported in the previous period before `basis.until`, as they stood at `basis.asOf`. */
  previousFacts: readonly CaseFacts[];
  period: StatsPeriod;
  /** comparisonBasis(period, now, compare); null for no comparison. */
  basis: ComparisonBasis | null;
  now: number;
  /** The first case the county holds (StatsReport.recordsSince); null (default) with none. */
  recordsSince?: number | null;
  filters: StatsFilters;
  /**
   * groupBy=township: the townships to list, in order. With `keepEmpty` false only those with a
   * case in the period are listed (a township user is not shown the county's other townships).
   */
  townships?: ReadonlyArray<{ code: string; name: string }>;
  keepEmpty?: boolean;
  /** The county departments to rank by 承办部门 (StatsReport.departments), in order; none when absent. */
  departments?: ReadonlyArray<{ code: string; name: string; short: string }>;
  /**
   * A department's own report (本单位统计): its 退回率 and 延期率 as its row in the county's
   * departments' ranking counts them (unitRates, over every case on the period and filters: the
   * cases it returned are no longer its), for this period and the compared one, so its page and the
   * leader's ranking say one figure. By the general formula over its own cases its page said 15.3 %
   * where its row said 9.5 %: returns other units made before a case reached it counted against it,
   * and its own returns of cases since sent elsewhere not at all.
   */
  ownRates?: { now: UnitRates; before?: UnitRates };
}

/** A department's 退回率 and 延期率 as the departments' ranking counts them. */
export interface UnitRates {
  returnRate: Ratio;
  extensionRate: Ratio;
}

/** `party`'s (`department:<code>`) UnitRates over `facts` (their `returnedBy` and `extendedNow` read). */
export function unitRates(facts: readonly CaseFacts[], party: string): UnitRates {
  return {
    returnRate: departmentReturnRates(facts).get(party) ?? ratio(0, 0),
    extensionRate: departmentExtensionRates(facts).get(party) ?? ratio(0, 0),
  };
}

const reportedIn = (from: number, to: number) => (c: CaseFacts) => c.createdAt >= from && c.createdAt < to;

/**
 * The report, a step at a time: it yields after each period's and each township's measures, so a
 * server can let other work through between them (statsReportAsync); statsReport runs it in one go.
 */
function* reportSteps(input: StatsReportInput): Generator<void, StatsReport> {
  const { period, basis } = input;
  const now = input.facts.filter(reportedIn(period.start, period.end));
  // A one-day period is also counted by hour, up to `cut` (its cases are those reported before it).
  const measure = (facts: readonly CaseFacts[], p: StatsPeriod, cut: number): PeriodKpis => {
    const k = computeKpis(facts, { from: p.start, to: p.end - 1 });
    if (p.days === 1) k.volume.byHour = countByHour(facts, p.start, cut);
    return { ...p, ...k };
  };
  /** A department's own report: its two rates as its ranking row counts them. */
  const asDepartment = (k: PeriodKpis, rates: UnitRates | undefined): PeriodKpis =>
    rates ? { ...k, ...rates } : k;
  const current = asDepartment(measure(now, period, input.now + 1), input.ownRates?.now);
  yield;
  const report: StatsReport = {
    ...current,
    asOf: input.now,
    recordsSince: input.recordsSince ?? null,
    filters: input.filters,
    compare: basis?.compare ?? 'none',
    ...(input.ownRates ? { countedAs: 'department' as const } : {}),
  };
  const before = basis ? input.previousFacts.filter(reportedIn(basis.previous.start, basis.until)) : [];
  if (basis) {
    const prev = basis.previous;
    const previous: PreviousKpis = {
      ...asDepartment(measure(before, prev, basis.until), input.ownRates?.before),
      until: basis.until,
      asOf: basis.asOf,
    };
    yield;
    report.previous = previous;
    // A compared period without a single case (a year with none of these), or one that starts before
    // the records do (the platform's first year: 同比 against two months of last year), is no basis:
    // no change is stated, rather than every count up several-fold in red.
    const basisOk = previous.volume.total > 0 && !earlyBasis(report);
    report.change = Object.fromEntries(
      MEASURES.map((m) => {
        const c = measureChange(m, current, previous);
        return [m.key, basisOk ? c : { ...c, value: null, verdict: 'neutral' }];
      }),
    ) as Record<MeasureKey, Change>;
  }
  if (input.townships) report.townships = yield* townshipSteps(now, period, input.townships, input.keepEmpty);
  if (input.departments) report.departments = yield* departmentSteps(now, period, input.departments);
  // The same units on the compared period, for each row's 名次较上期: only where it is a basis.
  const previous = report.previous;
  if (basis && previous && previous.volume.total > 0 && !earlyBasis(report)) {
    if (input.townships)
      previous.townships = yield* townshipSteps(before, basis.previous, input.townships, input.keepEmpty);
    if (input.departments)
      previous.departments = yield* departmentSteps(before, basis.previous, input.departments);
  }
  return report;
}

/**
 * Each county department's measures on the cases of `inPeriod` it has now (承办部门), every one
 * listed, with its own 退回率 (departmentReturnRates).
 */
function* departmentSteps(
  inPeriod: readonly CaseFacts[],
  period: StatsPeriod,
  departments: ReadonlyArray<{ code: string; name: string; short: string }>,
): Generator<void, DepartmentKpis[]> {
  const rows = yield* unitSteps(
    inPeriod,
    period,
    departments,
    (c) => (c.assignee?.startsWith('department:') ? c.assignee.slice('department:'.length) : null),
    true,
  );
  const returnRates = departmentReturnRates(inPeriod);
  const extensionRates = departmentExtensionRates(inPeriod);
  return rows.map((r, i) => ({
    ...r,
    short: departments[i]!.short,
    returnRate: returnRates.get(`department:${r.code}`) ?? ratio(0, 0),
    extensionRate: extensionRates.get(`department:${r.code}`) ?? ratio(0, 0),
  }));
}

/**
 * A measure's formula as `report` counts it: a department's own report (countedAs) counts its
 * 退回率 and 延期率 as the departments' ranking does, and says so.
 */
export function formulaOf(
  m: (typeof MEASURES)[number],
  report: Pick<StatsReport, 'countedAs'>,
): { zh: string; en: string } {
  if (report.countedAs === 'department') {
    if (m.key === 'returnRate') return DEPARTMENT_RETURN_RATE_FORMULA;
    if (m.key === 'extensionRate') return DEPARTMENT_EXTENSION_RATE_FORMULA;
  }
  return m.formula;
}

/** The departments' ranking's 延期率 in words (departmentExtensionRates). */
export const DEPARTMENT_EXTENSION_RATE_FORMULA = {
  zh: '延期率 = 本部门承办期间经指挥中心同意延期的立案案件数 ÷ 本部门现承办的立案案件数（改派前原单位获得的延期不计入）',
  en: 'registered cases it has now that were granted more time while it had them ÷ registered cases it has now (a grant the unit before a reassignment had does not count)',
};

/**
 * Each department's 延期率 in its ranking, by party key: of the registered cases it has now, those
 * granted more time on the deadline it runs (CaseFacts.extendedNow), not a grant the unit before a
 * 改派 had. A department with none is absent.
 */
export function departmentExtensionRates(facts: readonly CaseFacts[]): Map<string, Ratio> {
  const counts = new Map<string, { given: number; extended: number }>();
  for (const c of facts) {
    if (!c.dispatched || !c.assignee?.startsWith('department:')) continue;
    let n = counts.get(c.assignee);
    if (!n) counts.set(c.assignee, (n = { given: 0, extended: 0 }));
    n.given++;
    if (c.extendedNow ?? c.extensions > 0) n.extended++;
  }
  return new Map([...counts].map(([p, n]) => [p, ratio(n.extended, n.given)]));
}

/** The departments' ranking's 退回率 in words (departmentReturnRates), where the table says its formula. */
export const DEPARTMENT_RETURN_RATE_FORMULA = {
  zh: '退回率 = 本部门退回的立案案件数 ÷ 派给本部门的立案案件数（含其退回的）',
  en: 'registered cases the department returned ÷ registered cases given to it (those it returned included)',
};

/**
 * Each department's 退回率 in its ranking, by party key, in one pass: the cases it returned ÷ the
 * registered cases it was given — those it has now and those it returned (gone to another unit since,
 * or back to it). By the case's unit now alone, a department's own returns would count against the
 * unit it sent them to (CaseFacts.returnedBy). A department with none given is absent.
 */
export function departmentReturnRates(facts: readonly CaseFacts[]): Map<string, Ratio> {
  const counts = new Map<string, { given: number; returned: number }>();
  const count = (party: string) => {
    let c = counts.get(party);
    if (!c) counts.set(party, (c = { given: 0, returned: 0 }));
    return c;
  };
  for (const c of facts) {
    const by = c.returnedBy?.filter((p) => p.startsWith('department:')) ?? [];
    for (const p of by) {
      const n = count(p);
      n.given++;
      n.returned++;
    }
    if (c.dispatched && c.assignee?.startsWith('department:') && !by.includes(c.assignee))
      count(c.assignee).given++;
  }
  return new Map([...counts].map(([p, n]) => [p, ratio(n.returned, n.given)]));
}

/**
 * Each listed township's measures on the cases reported in `period` (`inPeriod`), by the township
 * each is located in, yielding after each township. With `keepEmpty` false only those with a case are listed.
 */
function townshipSteps(
  inPeriod: readonly CaseFacts[],
  period: StatsPeriod,
  townships: ReadonlyArray<{ code: string; name: string }>,
  keepEmpty = false,
): Generator<void, TownshipKpis[]> {
  return unitSteps(inPeriod, period, townships, (c) => c.township, keepEmpty);
}

/**
 * Each listed unit's measures on the cases of `inPeriod` that `unitOf` gives to it, yielding after
 * each unit. With `keepEmpty` false only those with a case are listed.
 */
function* unitSteps(
  inPeriod: readonly CaseFacts[],
  period: StatsPeriod,
  units: ReadonlyArray<{ code: string; name: string }>,
  unitOf: (c: CaseFacts) => string | null,
  keepEmpty = false,
): Generator<void, TownshipKpis[]> {
  const byUnit = new Map<string, CaseFacts[]>();
  for (const c of inPeriod) {
    const code = unitOf(c);
    if (code === null) continue;
    let list = byUnit.get(code);
    if (!list) byUnit.set(code, (list = []));
    list.push(c);
  }
  const out: TownshipKpis[] = [];
  for (const u of units) {
    if (!keepEmpty && !byUnit.has(u.code)) continue;
    out.push({
      code: u.code,
      name: u.name,
      ...computeKpis(byUnit.get(u.code) ?? [], { from: period.start, to: period.end - 1 }),
    });
    yield;
  }
  return out;
}

/** Runs a generator of steps to its end, the event loop let through between its steps. */
async function runSteps<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

export function statsReport(input: StatsReportInput): StatsReport {
  const steps = reportSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** statsReport with the event loop let through between its steps (a year of cases is ~100 ms). */
export function statsReportAsync(input: StatsReportInput): Promise<StatsReport> {
  return runSteps(reportSteps(input));
}

/**
 * A report's `townships` alone, as statsReportAsync makes them, the event loop let through between
 * townships: the published ranking (StatsReport.ranking) needs no more than this of the county's cases.
 */
export function townshipKpisAsync(
  input: Pick<StatsReportInput, 'facts' | 'period' | 'keepEmpty'> & {
    townships: ReadonlyArray<{ code: string; name: string }>;
  },
): Promise<TownshipKpis[]> {
  const { facts, period, townships, keepEmpty } = input;
  return runSteps(
    townshipSteps(facts.filter(reportedIn(period.start, period.end)), period, townships, keepEmpty),
  );
}
