import { describe, expect, it } from 'vitest';
import { casesQuery, statsQuery, NO_FILTERS } from '../../../client/src/lib/leader/query';
import { barOption, topWithOther, trendOption } from '../../../client/src/lib/leader/charts';

const period = { from: 1000, to: 5000 };

describe('leader queries', () => {
  it('asks /api/stats with an inclusive end and only the filters that are set', () => {
    expect(statsQuery(period, NO_FILTERS)).toBe('from=1000&to=4999');
    expect(statsQuery(period, { township: '140581002', domain: '市容环境', source: 'patrol' })).toBe(
      `from=1000&to=4999&township=140581002&domain=${encodeURIComponent('市容环境')}&source=patrol`,
    );
    expect(statsQuery(period, NO_FILTERS, [['sort', 'volume']])).toBe('from=1000&to=4999&sort=volume');
  });

  it('asks /api/cases with an exclusive end and no domain (filtered on the rows)', () => {
    expect(casesQuery(period, { township: '', domain: '市容环境', source: '' }, '140581101')).toBe(
      'from=1000&to=5000&township=140581101',
    );
  });
});

describe('leader charts', () => {
  it('keeps the top entries and sums the rest as other', () => {
    expect(topWithOther({ a: 5, b: 1, c: 3, d: 0, e: 1 }, 2, '其他', (k) => k.toUpperCase())).toEqual([
      { name: 'A', value: 5, key: 'a' },
      { name: 'C', value: 3, key: 'c' },
      { name: '其他', value: 2, key: '' },
    ]);
    expect(topWithOther({}, 3, '其他')).toEqual([]);
  });

  it('aligns the previous period day by day with this one', () => {
    const o = trendOption(
      [
        { day: '2026-03-01', count: 2 },
        { day: '2026-03-02', count: 3 },
      ],
      [{ day: '2026-02-27', count: 7 }],
      { current: 'now', previous: 'before' },
    );
    expect(o.xAxis.data).toEqual(['03-01', '03-02']);
    expect(o.series[1]!.data).toEqual([7, null]);
  });

  it('lists matters from the top, 30 px a row', () => {
    const o = barOption(
      [
        { name: '占道经营', value: 5 },
        { name: '违法建设', value: 2 },
      ],
      '事项',
    );
    expect(o.yAxis.data).toEqual(['占道经营', '违法建设']);
    expect(o.grid.height).toBe(60);
  });
});
