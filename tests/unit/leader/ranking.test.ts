import { describe, expect, it } from 'vitest';
import { bestFirst, ranks, sortRows } from '../../../client/src/lib/leader/ranking';

const rows = [
  { code: 'a', rate: 0.5 },
  { code: 'b', rate: null },
  { code: 'c', rate: 0.9 },
  { code: 'd', rate: 0.5 },
];

describe('township ranking', () => {
  it('sorts either way with missing figures last', () => {
    expect(sortRows(rows, (r) => r.rate, 'desc').map((r) => r.code)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortRows(rows, (r) => r.rate, 'asc').map((r) => r.code)).toEqual(['a', 'd', 'c', 'b']);
  });

  it('gives ties the same rank and leaves missing figures unranked', () => {
    const sorted = sortRows(rows, (r) => r.rate, 'desc');
    expect(Object.fromEntries(ranks(sorted, (r) => r.rate))).toEqual({ c: 1, a: 2, d: 2, b: null });
  });

  it('numbers 名次 best first whichever way the table is sorted', () => {
    // Response time: lower is better. Shown slowest first, the fastest is still 名次 1.
    const times = [
      { code: 'fast', min: 10 },
      { code: 'slow', min: 30 },
      { code: 'mid', min: 20 },
    ];
    const best = ranks(
      sortRows(times, (r) => r.min, bestFirst('down')),
      (r) => r.min,
    );
    expect(sortRows(times, (r) => r.min, 'desc').map((r) => [r.code, best.get(r.code)])).toEqual([
      ['slow', 3],
      ['mid', 2],
      ['fast', 1],
    ]);
    expect(bestFirst('up')).toBe('desc');
    expect(bestFirst('neutral')).toBe('desc');
  });
});
