import { describe, expect, it } from 'vitest';
import { formatCell } from '../../../client/src/lib/leader/ranking';
import { bestFirst, rankedCount, rankMove, rankMoves, ranks, sortRows } from '../../../shared/ranking';
import { MEASURE_BY_KEY } from '../../../shared/kpi';

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

  it('reads a column of times in one unit, minutes to one decimal (never 30 秒 above 3.0 分钟)', () => {
    const ack = MEASURE_BY_KEY.get('ackMedian')!;
    const column = [0.5, 3, 0.995, 59 / 60, 12.34, 0.04, 0, null].map((v) => formatCell(ack, v));
    expect(column).toEqual([
      '0.5 分钟',
      '3.0 分钟',
      '1.0 分钟',
      '1.0 分钟',
      '12.3 分钟',
      '<0.1 分钟',
      '0.0 分钟',
      '—',
    ]);
    expect(column.some((c) => c.includes('秒'))).toBe(false);
    expect(formatCell(ack, 0.5, 'min')).toBe('0.5 min');
    // Rates and counts as the cards write them.
    expect(formatCell(MEASURE_BY_KEY.get('closureRate')!, 0.125)).toBe('12.5%');
    expect(formatCell(MEASURE_BY_KEY.get('volume')!, 42)).toBe('42');
  });

  it("says how a row's rank moved since the compared period, ranked the same way", () => {
    // This period c, a=d, b; the compared one a, c, d, b unranked there.
    const before = [
      { code: 'a', rate: 0.95 },
      { code: 'b', rate: null },
      { code: 'c', rate: 0.9 },
      { code: 'd', rate: 0.2 },
    ];
    const value = (r: { rate: number | null }) => r.rate;
    const moves = rankMoves(rows, before, value, 'up')!;
    expect(Object.fromEntries(moves)).toEqual({
      a: { kind: 'down', by: 1, before: 1, of: 3 },
      b: null, // no figure in either
      c: { kind: 'up', by: 1, before: 2, of: 3 },
      d: { kind: 'up', by: 1, before: 3, of: 3 }, // tied second now
    });
    // Lower is better (a response time): both periods ranked the other way round alike.
    const lower = rankMoves(rows, before, value, 'down')!;
    expect(lower.get('a')).toEqual({ kind: 'up', by: 2, before: 3, of: 3 });
    expect(lower.get('c')).toEqual({ kind: 'down', by: 1, before: 2, of: 3 });
    expect(rankMove(4, 4, 9)).toEqual({ kind: 'same', by: 0, before: 4, of: 9 });
    // Not listed then (a township's own rows), or no figure now: nothing to say.
    expect(rankMove(2, undefined, 9)).toBeNull();
    expect(rankMove(null, 3, 9)).toBeNull();
    expect(rankedCount(ranks(rows, value))).toBe(3);
  });

  it('moves nothing without a compared ranking, or where a period ranks one row alone', () => {
    const value = (r: { rate: number | null }) => r.rate;
    expect(rankMoves(rows, null, value, 'up')).toBeNull();
    // A township filter: one row in each period, first whatever it did.
    expect(rankMoves([rows[0]!], [{ code: 'a', rate: 0.1 }], value, 'up')).toBeNull();
    // Two rows now, one with a figure then.
    const thenOne = [
      { code: 'a', rate: 0.4 },
      { code: 'c', rate: null },
    ];
    expect(rankMoves(rows, thenOne, value, 'up')).toBeNull();
  });
});
