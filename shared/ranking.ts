// The ranking of townships or departments (比学赶超), as the leader page shows it and the export
// writes it: sorted by any measure, either way, rows without a figure always last (a township that
// ordered no rectification is not the worst at rectifying); ranked best first; each rank's move since
// the compared period (名次较上期).
import { compareCodes } from './codes';

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

/** Each row's 名次 on `value`, best first (bestFirst of `better`), whichever way a table is sorted. */
export function rankBestFirst<T extends { code: string }>(
  rows: readonly T[],
  value: (row: T) => number | null,
  better: 'up' | 'down' | 'neutral',
): Map<string, number | null> {
  return ranks(sortRows(rows, value, bestFirst(better)), value);
}

/** How many rows `ranks` gave a rank (a figure): what a rank is out of (第 3 / 12). */
export function rankedCount(ranked: ReadonlyMap<string, number | null>): number {
  let n = 0;
  for (const r of ranked.values()) if (r !== null) n++;
  return n;
}

/** A row's 名次较上期: how many places it rose (up) or fell (down), or held (same). */
export interface RankMove {
  kind: 'up' | 'down' | 'same';
  /** Places moved (0 when held). */
  by: number;
  /** Its rank on the compared period… */
  before: number;
  /** …out of the rows ranked then. */
  of: number;
}

/**
 * How a row's rank moved since the compared period, both ranked the same way on the same measure
 * (`ranks`), `of` rows ranked then; null where either period gives it none (no figure, or not listed then).
 */
export function rankMove(
  now: number | null | undefined,
  before: number | null | undefined,
  of: number,
): RankMove | null {
  if (now == null || before == null) return null;
  if (now === before) return { kind: 'same', by: 0, before, of };
  return now < before
    ? { kind: 'up', by: before - now, before, of }
    : { kind: 'down', by: now - before, before, of };
}

/**
 * Each row's 名次较上期 on `value`, the rows and the compared period's (`before`) ranked alike, best
 * first (bestFirst of `better`). None at all (null) unless each period ranks two rows or more: a
 * row alone (a township filter, a department's cases all in one township) is first whatever it did.
 */
export function rankMoves<T extends { code: string }>(
  rows: readonly T[],
  before: readonly T[] | null | undefined,
  value: (row: T) => number | null,
  better: 'up' | 'down' | 'neutral',
): Map<string, RankMove | null> | null {
  if (!before) return null;
  const now = rankBestFirst(rows, value, better);
  const then = rankBestFirst(before, value, better);
  const of = rankedCount(then);
  if (rankedCount(now) < 2 || of < 2) return null;
  return new Map(rows.map((r) => [r.code, rankMove(now.get(r.code), then.get(r.code), of)]));
}
