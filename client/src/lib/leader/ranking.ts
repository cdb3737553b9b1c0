// The township ranking table (比学赶超): sorted by any measure, either way, townships without a
// figure always last (a township that ordered no rectification is not the worst at rectifying).
import { compareCodes } from '../../../../shared/codes';

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
