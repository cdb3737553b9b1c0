import { describe, expect, it } from 'vitest';
import { casesQuery, matchesFilters, statsQuery, NO_FILTERS } from '../../../client/src/lib/leader/query';
import {
  barOption,
  hourTrendOption,
  pieOption,
  topAndRest,
  topWithOther,
  trendOption,
} from '../../../client/src/lib/leader/charts';
import { statsPeriod } from '../../../shared/kpi';

const period = { from: '2026-03-01', to: '2026-03-07' };

describe('leader queries', () => {
  it('asks /api/stats for inclusive days and only the filters that are set', () => {
    expect(statsQuery(period, NO_FILTERS)).toBe('from=2026-03-01&to=2026-03-07');
    expect(statsQuery(period, { township: '140581002', domain: '市容环境', source: 'patrol' })).toBe(
      `from=2026-03-01&to=2026-03-07&township=140581002&domain=${encodeURIComponent('市容环境')}&source=patrol`,
    );
    expect(statsQuery(period, NO_FILTERS, [['groupBy', 'township']])).toBe(
      'from=2026-03-01&to=2026-03-07&groupBy=township',
    );
  });

  it('asks /api/cases for the very instants the stats measured, the domain kept on the rows', () => {
    const p = statsPeriod('2026-03-01', '2026-03-07');
    // 2026-03-01 00:00 Shanghai is 2026-02-28 16:00 UTC; the end is 2026-03-08 00:00 Shanghai, exclusive.
    expect(
      casesQuery(
        p,
        { township: '', domain: '市容环境', source: '' },
        { kind: 'township', code: '140581101' },
      ),
    ).toBe(`from=${Date.UTC(2026, 1, 28, 16)}&to=${Date.UTC(2026, 2, 7, 16)}&township=140581101`);
    // A department's row: the cases assigned to it now, the filters' township kept.
    expect(
      casesQuery(
        p,
        { township: '140581002', domain: '', source: 'public' },
        { kind: 'department', code: 'cgj' },
      ),
    ).toBe(
      `from=${Date.UTC(2026, 1, 28, 16)}&to=${Date.UTC(2026, 2, 7, 16)}&township=140581002&assignee=department%3Acgj&source=public`,
    );
    // A period still running (今日, the last 7 days): up to the moment its figures were read, no later.
    const asOf = Date.UTC(2026, 2, 3, 1, 30);
    expect(casesQuery({ ...p, asOf }, NO_FILTERS)).toBe(`from=${Date.UTC(2026, 1, 28, 16)}&to=${asOf + 1}`);
    expect(casesQuery({ ...p, asOf: Date.UTC(2026, 2, 9) }, NO_FILTERS)).toBe(
      `from=${Date.UTC(2026, 1, 28, 16)}&to=${Date.UTC(2026, 2, 7, 16)}`,
    );
    expect(matchesFilters({ domain: '市容环境' }, { ...NO_FILTERS, domain: '市容环境' })).toBe(true);
    expect(matchesFilters({ domain: '违法建设' }, { ...NO_FILTERS, domain: '市容环境' })).toBe(false);
    expect(matchesFilters({ domain: '违法建设' }, NO_FILTERS)).toBe(true);
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
    // For the ranked bars: the ten, and the rest counted apart rather than drawn as an 11th bar.
    expect(topAndRest({ a: 5, b: 1, c: 3, d: 0, e: 1 }, 2)).toEqual({
      top: [
        { name: 'a', value: 5, key: 'a' },
        { name: 'c', value: 3, key: 'c' },
      ],
      rest: { kinds: 2, count: 2 },
    });
    expect(topAndRest({ a: 5 }, 10).rest).toEqual({ kinds: 0, count: 0 });
  });

  it('draws no grey ring and no legend for a mix with nothing in it (the panel says 本期无案件)', () => {
    const empty = pieOption([], '来源构成');
    expect(empty.legend.show).toBe(false);
    expect(empty.series[0]!.showEmptyCircle).toBe(false);
    expect(pieOption([{ name: '网格员', value: 2 }], '来源构成').legend.show).toBe(true);
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

  it("labels today's point as still counting, and no other", () => {
    const days = [
      { day: '2026-03-01', count: 40 },
      { day: '2026-03-02', count: 4 },
    ];
    const o = trendOption(
      days,
      [],
      { current: 'now', previous: 'before' },
      {
        day: '2026-03-02',
        label: (n) => `今日 ${n}（进行中）`,
      },
    );
    const data = o.series[0]!.data as Array<number | { value: number; label: { formatter: string } }>;
    expect(data[0]).toBe(40);
    expect(data[1]).toMatchObject({ value: 4, label: { show: true, formatter: '今日 4（进行中）' } });
    // A period that ended before today has no such point.
    expect(
      trendOption(days, [], { current: 'now', previous: 'before' }, { day: '2026-03-09', label: String })
        .series[0]!.data,
    ).toEqual([40, 4]);
  });

  it('draws no day still to come, and labels today right of its point when it begins the period', () => {
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'].map((day, i) => ({
      day,
      count: i ? 0 : 217,
    }));
    const words = { current: 'now', previous: 'before' };
    const o = trendOption(days, [], words, { day: '2026-03-01', label: (n) => `今日 ${n}（进行中）` });
    const data = o.series[0]!.data as Array<null | { value: number; label: { position: string } }>;
    expect(data.slice(1)).toEqual([null, null, null]);
    expect(data[0]).toMatchObject({ value: 217, label: { position: 'right' } });
    // Today last: its label left of it, inside the chart.
    const ending = trendOption(days, [], words, { day: '2026-03-04', label: String }).series[0]!.data;
    expect(ending.slice(0, 3)).toEqual([217, 0, 0]);
    expect(ending[3]).toMatchObject({ value: 0, label: { position: 'left' } });
  });

  it('labels a trend of more than two months on the first of each month, with only today drawn as a point', () => {
    const year = Array.from({ length: 340 }, (_, i) => ({
      day: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      count: i % 7,
    }));
    const today = { day: year[339]!.day, label: (n: number) => `今日 ${n}（进行中）` };
    const o = trendOption(year, [], { current: 'now', previous: 'before' }, today);
    const shown = (o.xAxis.data as string[]).filter((v, i) =>
      (o.xAxis.axisLabel as { interval: (i: number, v: string) => boolean }).interval(i, v),
    );
    expect(shown).toEqual([
      '01-01',
      '02-01',
      '03-01',
      '04-01',
      '05-01',
      '06-01',
      '07-01',
      '08-01',
      '09-01',
      '10-01',
      '11-01',
      '12-01',
    ]);
    expect(o.series[0]).toMatchObject({ symbol: 'none', showAllSymbol: true });
    expect(o.series[0]!.data[339]).toMatchObject({
      symbol: 'circle',
      label: { show: true, formatter: '今日 3（进行中）' },
    });
    // Thirty days keep ECharts' own spacing of labels and every point.
    const month = trendOption(year.slice(0, 30), [], { current: 'now', previous: 'before' });
    // (Said outright, 'auto' and every point, so that an option merged over a year's drops its own.)
    expect(month.xAxis.axisLabel).toMatchObject({ interval: 'auto', hideOverlap: false });
    expect(month.xAxis.axisTick).toEqual({ interval: 'auto' });
    expect(month.series[0]).toMatchObject({ symbol: 'emptyCircle', showAllSymbol: 'auto' });
    // A year beside the ranking (~440 px) leaves out a month's label that would touch the last.
    expect(o.xAxis.axisLabel).toMatchObject({ hideOverlap: true });
  });

  it("names each tooltip line with its own period's day, not this period's", () => {
    const o = trendOption(
      [
        { day: '2026-03-01', count: 2 },
        { day: '2026-03-02', count: 3 },
      ],
      [
        { day: '2026-02-27', count: 7 },
        { day: '2026-02-28', count: 1 },
      ],
      { current: '本期', previous: '上期' },
    );
    const html = o.tooltip.formatter([
      { seriesId: 'current', seriesName: '本期', dataIndex: 1, value: 3, axisValueLabel: '03-02' },
      { seriesId: 'previous', seriesName: '上期', dataIndex: 1, value: 1, axisValueLabel: '03-02' },
    ]);
    expect(html.split('<br/>')).toEqual(['03-02', '本期 03-02：<b>3</b>', '上期 02-28：<b>1</b>']);
  });

  it('draws a one-day period by hour: the whole day on the axis, the day so far beside the day compared', () => {
    const today = Array.from({ length: 10 }, (_, hour) => ({ hour, count: hour === 9 ? 4 : 1 }));
    const yesterday = Array.from({ length: 10 }, (_, hour) => ({ hour, count: 2 }));
    const o = hourTrendOption(
      today,
      yesterday,
      { current: '本期', previous: '上期' },
      { current: '12-06', previous: '12-05' },
      { hour: 9, label: (n) => `本小时 ${n}（进行中）` },
    );
    expect(o.xAxis.data).toHaveLength(24);
    expect(o.xAxis.data.slice(0, 3)).toEqual(['00:00', '01:00', '02:00']);
    expect(o.xAxis.data[23]).toBe('23:00');
    const [current, previous] = o.series;
    // The day's line stops at the hour under way, which is labelled as still counting.
    expect(current!.data.slice(0, 9)).toEqual(new Array(9).fill(1));
    expect(current!.data[9]).toMatchObject({
      value: 4,
      label: { show: true, formatter: '本小时 4（进行中）' },
    });
    expect(current!.data.slice(10)).toEqual(new Array(14).fill(null));
    expect(previous!.data).toEqual([...new Array(10).fill(2), ...new Array(14).fill(null)]);
    expect(previous).toMatchObject({ symbol: 'none', lineStyle: { type: 'dashed' } });
    const html = o.tooltip.formatter([
      { seriesId: 'current', seriesName: '本期', dataIndex: 9, value: current!.data[9] },
      { seriesId: 'previous', seriesName: '上期', dataIndex: 9, value: 2 },
    ]);
    expect(html.split('<br/>')).toEqual(['09:00–10:00', '本期 12-06：<b>4</b>', '上期 12-05：<b>2</b>']);
    // A finished day: every hour a plain point.
    const whole = hourTrendOption(
      Array.from({ length: 24 }, (_, hour) => ({ hour, count: hour })),
      [],
      { current: '本期', previous: '上期' },
      { current: '12-01', previous: '11-30' },
    );
    expect(whole.series[0]!.data).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(whole.series[1]!.data).toEqual(new Array(24).fill(null));
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
