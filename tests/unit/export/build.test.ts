// The export document from a hand-made KPI result: every measure, its basis, 环比 and formula;
// the ranking in the page's order; matters named from the catalogue.
import { describe, expect, it } from 'vitest';
import { buildExport, changeText, previousLabel, rangeLabel } from '../../../server/export/build';
import {
  MEASURES,
  measureChange,
  comparisonBasis,
  previousStatsPeriod,
  ratio,
  statsPeriod,
  type Change,
  type Kpis,
  type MeasureKey,
  type StatsReport,
} from '../../../shared/kpi';

/** When the export is made: 10:00 in Shanghai on the period's last day. */
const NOW = Date.UTC(2026, 2, 2, 2, 0, 0);

function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    volume: {
      total: 10,
      byDay: [
        { day: '2026-03-01', count: 4 },
        { day: '2026-03-02', count: 6 },
      ],
      byTownship: { '140581002': 10 },
      byMatter: { SR01: 7, WJ01: 3 },
      byDomain: { 市容环境: 7, 违法建设: 3 },
      bySource: { grid_worker: 8, hotline_12345: 2 },
    },
    registered: 8,
    rectificationRate: ratio(3, 4),
    responseTime: {
      acknowledge: { count: 8, medianMinutes: 12, p90Minutes: 40 },
      arrive: { count: 6, medianMinutes: 35, p90Minutes: 70 },
    },
    closureRate: ratio(4, 8),
    onTimeClosureRate: ratio(3, 4),
    reworkRate: ratio(1, 5),
    returnRate: ratio(2, 8),
    extensionRate: ratio(1, 8),
    overdue: { cases: 2, deadlines: 3, openNow: 1 },
    turnouts: 17,
    ...over,
  };
}

/** A report as GET /api/stats answers it, for 2026-03-01 … 2026-03-02. */
function report(
  current: Kpis,
  previous: Kpis,
  townships: Array<{ code: string; name: string; kpis: Kpis }>,
): StatsReport {
  const period = statsPeriod('2026-03-01', '2026-03-02');
  // Asked at 10:00 on the period's last day: the previous period is cut at 10:00 of its own.
  const basis = comparisonBasis(period, NOW);
  return {
    ...current,
    ...period,
    asOf: NOW,
    recordsSince: null,
    filters: { domain: '市容环境', source: 'grid_worker' },
    compare: 'previous',
    previous: { ...previous, ...basis.previous, until: basis.until, asOf: basis.asOf },
    change: Object.fromEntries(MEASURES.map((m) => [m.key, measureChange(m, current, previous)])) as Record<
      MeasureKey,
      Change
    >,
    townships: townships.map((t) => ({ code: t.code, name: t.name, ...t.kpis })),
  };
}

describe('export document', () => {
  const previous = kpis({
    volume: { ...kpis().volume, total: 8 },
    rectificationRate: ratio(1, 2),
    turnouts: 17,
  });
  const DOC_INPUT = {
    matters: new Map([['SR01', { name: '占道经营', domain: '市容环境' }]]),
    sort: { key: 'rectificationRate', dir: 'desc' } as const,
    generatedAt: NOW,
    generatedBy: '县领导',
  };
  const doc = buildExport({
    report: report(kpis(), previous, [
      { code: '140581001', name: '北城街道', kpis: kpis({ rectificationRate: ratio(1, 4) }) },
      { code: '140581002', name: '东城街道', kpis: kpis() },
      { code: '140581003', name: '南城街道', kpis: kpis({ rectificationRate: ratio(0, 0) }) },
    ]),
    matters: new Map([['SR01', { name: '占道经营', domain: '市容环境' }]]),
    sort: { key: 'rectificationRate', dir: 'desc' },
    generatedAt: NOW,
    generatedBy: '县领导',
  });

  it('states the period, the comparison period and every filter first', () => {
    expect(Object.fromEntries(doc.filters)).toMatchObject({
      统计时段: '2026-03-01 至 2026-03-02',
      环比时段: '2026-02-27 至 2026-02-28（截至 2026-02-28 10:00）',
      环比口径: '上期案件按其 2026-02-28 10:00（北京时间）时的状态统计（同期口径：两期案件经过同样长的时间）',
      '乡镇（街道）': '全部',
      事项领域: '市容环境',
      线索来源: '网格员',
      导出时间: '2026-03-02 10:00:00（北京时间）',
      导出人: '县领导',
    });
  });

  it('writes each measure with its basis, previous value, 环比 and formula', () => {
    const m = doc.tables[0]!;
    expect(m.rows).toHaveLength(MEASURES.length);
    const row = (label: string) => m.rows.find((r) => r[0] === label)!;
    // 10 against 8: under 10 before, the difference.
    expect(row('案件量')).toEqual(['案件量', 10, null, null, 8, '增加 2', MEASURES[0]!.formula.zh]);
    // 3 / 4 against 1 / 2: a rate over fewer than 30 is not compared (as on the page).
    expect(row('整改率').slice(0, 6)).toEqual(['整改率', 0.75, 3, 4, 0.5, '基数过小，不作比较']);
    expect(row('签收响应（P90）（分钟）').slice(1, 2)).toEqual([40]);
    expect(row('出动人次').slice(4, 6)).toEqual([17, '持平']);
    expect(m.rowFormats!.formats[1]).toBe('0.0%');
    expect(m.rowFormats!.formats[2]).toBe('0.0');
  });

  it('compares a rate in points over a base of 30 or more', () => {
    const big = buildExport({
      report: report(
        kpis({ rectificationRate: ratio(30, 40) }),
        kpis({ rectificationRate: ratio(20, 40) }),
        [],
      ),
      matters: new Map(),
      generatedAt: NOW,
      generatedBy: '县领导',
    });
    expect(big.tables[0]!.rows.find((r) => r[0] === '整改率')!.slice(0, 6)).toEqual([
      '整改率',
      0.75,
      30,
      40,
      0.5,
      '提高 25.0 个百分点',
    ]);
  });

  it('says when its figures are of, not that they equal the page', () => {
    const f = Object.fromEntries(doc.filters);
    expect(f['数据截至']).toBe('2026-03-02 10:00:00（北京时间）');
    expect(f['口径']).toContain('数据截至时刻的统计');
    expect(JSON.stringify(doc.filters)).not.toContain('与领导驾驶舱页面所示数字相同');
  });

  it('ranks townships in the requested order, those without a figure last', () => {
    const ranking = doc.tables.find((t) => t.title === '乡镇排名')!;
    expect(ranking.rows.map((r) => r[0])).toEqual(['东城街道', '北城街道', '南城街道']);
    const col = ranking.columns.indexOf('整改率');
    expect(ranking.rows.map((r) => r[col])).toEqual([0.75, 0.25, null]);
  });

  it('gives each row its 名次 on the sorted measure and its move since the compared period, as the page does', () => {
    const r = report(kpis(), previous, [
      { code: '140581001', name: '北城街道', kpis: kpis({ rectificationRate: ratio(1, 4) }) },
      { code: '140581002', name: '东城街道', kpis: kpis() },
      { code: '140581003', name: '南城街道', kpis: kpis({ rectificationRate: ratio(0, 0) }) },
    ]);
    // The compared period: 北城 first, 东城 second, 南城 third.
    r.previous!.townships = [
      { code: '140581001', name: '北城街道', ...kpis({ rectificationRate: ratio(9, 10) }) },
      { code: '140581002', name: '东城街道', ...kpis({ rectificationRate: ratio(1, 2) }) },
      { code: '140581003', name: '南城街道', ...kpis({ rectificationRate: ratio(1, 10) }) },
    ];
    const table = (sort?: { key: MeasureKey; dir: 'asc' | 'desc' }) =>
      buildExport({ ...DOC_INPUT, report: r, sort }).tables.find((t) => t.title === '乡镇排名')!;
    // Sorted worst first, 名次 still 1 for the best.
    const ranked = table({ key: 'rectificationRate', dir: 'asc' });
    expect(ranked.columns.slice(-3)).toEqual(['名次（整改率）', '上期名次', '较上期名次']);
    expect(ranked.rows.map((row) => [row[0], ...row.slice(-3)])).toEqual([
      ['北城街道', 2, 1, '下降 1 位'],
      ['东城街道', 1, 2, '上升 1 位'],
      ['南城街道', null, null, ''], // no rate now: no rank, no move
    ]);
    expect(ranked.formats?.slice(-3)).toEqual(['0', '0', null]);
    // Without a comparison basis, 名次 alone; without a sort, neither (by code).
    delete r.previous!.townships;
    expect(table({ key: 'rectificationRate', dir: 'desc' }).columns.at(-1)).toBe('名次（整改率）');
    const plain = table();
    expect(plain.columns.at(-1)).toBe('出动人次');
    expect(plain.rows.map((row) => row[1])).toEqual(['140581001', '140581002', '140581003']);
  });

  it('words the moves for 同比, writes them for the departments too, and none for a row alone', () => {
    const dept = (code: string, name: string, rate: Kpis['rectificationRate']) => ({
      code,
      name,
      short: name,
      ...kpis({ rectificationRate: rate }),
    });
    const r: StatsReport = {
      ...report(kpis(), previous, [{ code: '140581002', name: '东城街道', kpis: kpis() }]),
      compare: 'year',
      departments: [dept('cgj', '城管局', ratio(1, 2)), dept('zrzyj', '自然资源局', ratio(3, 4))],
    };
    r.previous!.townships = [{ code: '140581002', name: '东城街道', ...kpis() }];
    r.previous!.departments = [dept('cgj', '城管局', ratio(9, 10)), dept('zrzyj', '自然资源局', ratio(1, 4))];
    const doc = buildExport({ ...DOC_INPUT, report: r });
    const departments = doc.tables.find((t) => t.title === '县直部门排名')!;
    expect(departments.columns.slice(-3)).toEqual(['名次（整改率）', '去年同期名次', '较去年同期名次']);
    // Its 退回率 and 延期率 are counted otherwise than the county's: named so; the townships' as the county's.
    expect(departments.columns).toContain('退回率（本部门退回的÷派给本部门的）');
    expect(departments.columns).toContain('延期率（本部门承办期间获准的）');
    expect(departments.columns).not.toContain('延期率');
    expect(doc.tables.find((t) => t.title === '乡镇排名')!.columns).toContain('延期率');
    expect(departments.rows.map((row) => [row[1], ...row.slice(-3)])).toEqual([
      ['zrzyj', 1, 2, '上升 1 位'],
      ['cgj', 2, 1, '下降 1 位'],
    ]);
    // One township in each period (a township filter): 名次, and no move to speak of.
    expect(doc.tables.find((t) => t.title === '乡镇排名')!.columns.at(-1)).toBe('名次（整改率）');
  });

  it('names matters from the catalogue and lists the mixes by count', () => {
    expect(doc.tables.find((t) => t.title === '事项构成')!.rows).toEqual([
      ['SR01', '占道经营', '市容环境', 7],
      ['WJ01', 'WJ01', '', 3],
    ]);
    expect(doc.tables.find((t) => t.title === '来源构成')!.rows).toEqual([
      ['网格员', 8],
      ['12345热线', 2],
    ]);
    expect(doc.tables.find((t) => t.title === '按日趋势')!.rows).toEqual([
      ['2026-03-01', 4],
      ['2026-03-02', 6],
    ]);
  });

  it('writes 环比 in words, never starting with a sign a spreadsheet would take for a formula', () => {
    expect(changeText({ kind: 'ratio', value: -0.5, verdict: 'better' })).toBe('下降 50.0%');
    expect(changeText({ kind: 'points', value: -2, verdict: 'worse' })).toBe('降低 2.0 个百分点');
    expect(changeText({ kind: 'ratio', value: 0, verdict: 'same' })).toBe('持平');
    expect(changeText({ kind: 'ratio', value: null, verdict: 'neutral' })).toBe('—');
    // As shown: one that rounds to nothing is 持平, not 降低 0.0 个百分点 (the leader page says ±0.0).
    expect(changeText({ kind: 'points', value: -0.04, verdict: 'better' })).toBe('持平');
    expect(changeText({ kind: 'ratio', value: 0.0004, verdict: 'worse' })).toBe('持平');
    expect(changeText({ kind: 'difference', value: -0.4, verdict: 'better' })).toBe('持平');
  });

  it('writes a period as its inclusive days', () => {
    expect(rangeLabel({ from: '2026-03-01', to: '2026-03-01' })).toBe('2026-03-01');
    expect(rangeLabel(previousStatsPeriod(statsPeriod('2026-03-01', '2026-03-07')))).toBe(
      '2026-02-22 至 2026-02-28',
    );
  });

  it('says why it states no 环比 when the previous period starts before the records do', () => {
    const early = report(kpis(), previous, []);
    early.recordsSince = Date.parse('2026-02-28T09:00:00+08:00'); // the second of its two days
    early.change = Object.fromEntries(
      MEASURES.map((m) => [m.key, { ...early.change![m.key], value: null, verdict: 'neutral' }]),
    ) as Record<MeasureKey, Change>;
    const d = buildExport({ ...DOC_INPUT, report: early });
    expect(Object.fromEntries(d.filters)['环比说明']).toBe(
      '上期始于平台首条记录（2026-02-28）之前，数据不全，不作比较',
    );
    expect(d.tables[0]!.rows.map((r) => r[5])).toEqual(MEASURES.map(() => '—'));
    expect(Object.fromEntries(doc.filters)).not.toHaveProperty('环比说明');
  });

  it('names the moment the previous period is cut at while this one still runs', () => {
    const sh = (local: string) => Date.parse(`${local}+08:00`);
    const cut = (from: string, to: string, now: string) => {
      const b = comparisonBasis(statsPeriod(from, to), sh(now));
      return previousLabel({ ...b.previous, until: b.until, asOf: b.asOf } as never);
    };
    expect(cut('2026-03-08', '2026-03-08', '2026-03-08T01:45:00')).toBe('2026-03-07（截至 01:45）');
    expect(cut('2026-03-02', '2026-03-08', '2026-03-08T01:45:00')).toBe(
      '2026-02-23 至 2026-03-01（截至 2026-03-01 01:45）',
    );
    expect(cut('2026-03-02', '2026-03-08', '2026-03-09T01:45:00')).toBe('2026-02-23 至 2026-03-01');
  });
});
