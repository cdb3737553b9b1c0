// The township ranking table (比学赶超): sorted by any measure, either way, townships without a
// figure always last (a township that ordered no rectification is not the worst at rectifying).
import { compareCodes } from '../../../../shared/codes';
import { formatMeasure, type MeasureDef } from '../../../../shared/kpi';

export type SortDir = 'asc' | 'desc';

export function sortRows<T extends { code: string }>(
  rows: readonly T[],
  value: (row: T) => number | null,
  dir: SortDir,
): T[] {
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return compareCodes(a.code, b.code);
    if (va === null) return 1;
    if (vb === null) return -1;
    return (dir === 'asc' ? va - vb : vb - va) || compareCodes(a.code, b.code);
  });
}

/**
 * The order a measure ranks in, best first (名次 1 is the best, whichever way the table is sorted):
 * highest first where higher is better, lowest first where lower is (response times, overdue),
 * most first for a neutral count (volume, turnouts).
 */
export function bestFirst(better: 'up' | 'down' | 'neutral'): SortDir {
  return better === 'down' ? 'asc' : 'desc';
}

/** Rank numbers by `value` in the given order, ties sharing a rank (1, 2, 2, 4); null values unranked. */
export function ranks<T extends { code: string }>(
  sorted: readonly T[],
  value: (row: T) => number | null,
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  let prev: number | null = null;
  let rank = 0;
  sorted.forEach((row, i) => {
    const v = value(row);
    if (v === null) {
      out.set(row.code, null);
      return;
    }
    if (prev === null || Math.abs(v - prev) > 1e-12) rank = i + 1;
    prev = v;
    out.set(row.code, rank);
  });
  return out;
}

/**
 * A cell of the ranking. A column reads in one unit: a time is in minutes to one decimal (0.5 分钟,
 * never 30 秒 above 3.0 分钟, as the measure cards' single figure may say), and one under three
 * seconds is <0.1 分钟, not 0.0 分钟 (no time at all). Rates and counts as everywhere.
 */
export function formatCell(m: Pick<MeasureDef, 'unit'>, v: number | null, minutesUnit = '分钟'): string {
  if (m.unit !== 'minutes' || v === null || !Number.isFinite(v)) return formatMeasure(m, v);
  return `${v > 0 && v < 0.05 ? '<0.1' : v.toFixed(1)} ${minutesUnit}`;
}

/** A row's 名次较上期: how many places it rose (up) or fell (down), or held (same). */
export interface RankMove {
  kind: 'up' | 'down' | 'same';
  /** Places moved (0 when held). */
  by: number;
  /** Its rank on the compared period. */
  before: number;
}

/**
 * How a row's rank moved since the compared period, both ranked the same way on the same measure
 * (`ranks`); null where either period gives it none (no figure, or not listed then).
 */
export function rankMove(now: number | null | undefined, before: number | null | undefined): RankMove | null {
  if (now == null || before == null) return null;
  if (now === before) return { kind: 'same', by: 0, before };
  return now < before ? { kind: 'up', by: before - now, before } : { kind: 'down', by: now - before, before };
}
