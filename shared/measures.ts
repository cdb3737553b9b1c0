// The measures as leaders read them (领导驾驶舱) and as the export writes them: name, formula in
// words, unit, which way is better, and how to read each from the KPI result of shared/kpi.ts.
// One list, so the tooltip on the page and the column in the file cannot disagree.
import type { Kpis, Ratio } from './kpi';

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
    label: { zh: '签收响应（中位数）', en: 'Acknowledge time (median)' },
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
    label: { zh: '签收响应（P90）', en: 'Acknowledge time (P90)' },
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
      zh: '按期结案率 = 在办结时限内办结的已结案案件数 ÷ 有办结时限的已结案案件数',
      en: 'closed cases resolved within their finish deadline ÷ closed cases that had one',
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
    key: 'overdue',
    unit: 'count',
    better: 'down',
    label: { zh: '超时案件', en: 'Overdue cases' },
    formula: {
      zh: '统计期内上报、有任一时限（签收、到场、办结、整改）被标记超时的案件数',
      en: 'cases reported in the period with any deadline (acknowledge, arrive, finish, rectify) missed',
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
 * "+50 %" of a 4 % return rate says less than "+2 pp". Whether a change is good depends on the measure.
 */
export type ChangeKind = 'ratio' | 'points';
export type Verdict = 'better' | 'worse' | 'same' | 'neutral';

export interface Change {
  kind: ChangeKind;
  /** ratio: (now − before) ÷ before; points: (now − before) × 100. Null when not comparable. */
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
    else if (before !== 0) value = (now - before) / before;
    else if (now === 0) value = 0;
  }
  let verdict: Verdict = 'neutral';
  if (value !== null && Math.abs(value) < 1e-9) verdict = 'same';
  else if (value !== null && better !== 'neutral')
    verdict = value > 0 === (better === 'up') ? 'better' : 'worse';
  return { kind, value, verdict };
}

/** '+12.5%', '−3.0pp' (or another unit for points), '—' when there is nothing to compare. */
export function formatChange(c: Change, pointsUnit = 'pp'): string {
  if (c.value === null) return '—';
  const sign = c.value > 0 ? '+' : c.value < 0 ? '−' : '±';
  const abs = Math.abs(c.value);
  return c.kind === 'points' ? `${sign}${abs.toFixed(1)}${pointsUnit}` : `${sign}${(abs * 100).toFixed(1)}%`;
}

/** The change of measure `m` between two KPI results. */
export function measureChange(m: MeasureDef, now: Kpis, before: Kpis): Change {
  return computeChange(m.value(now), m.value(before), m.unit === 'rate' ? 'points' : 'ratio', m.better);
}

/** A measure's value as text: '87.5%', '12.3 分钟', '42'; '—' when there is no basis. */
export function formatMeasure(m: Pick<MeasureDef, 'unit'>, v: number | null, minutesUnit = '分钟'): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (m.unit === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (m.unit === 'minutes') return `${v.toFixed(1)} ${minutesUnit}`;
  return String(Math.round(v));
}
