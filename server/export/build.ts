// The statistics export as a document: the filters, then the measures (value, basis, previous
// period, 环比, formula), the trend by day, the township ranking (every measure per township), the
// county departments' (the county's file), and the matter, domain and source mix. Pure: the report of GET /api/stats in, document out; it
// computes no figure of its own, so the file says what the page and the API say.
import { SOURCE_LABELS, type ClueSource } from '../../shared/cases';
import {
  MEASURES,
  changeFigure,
  earlyBasis,
  formulaOf,
  previousRankingRows,
  rankingRows,
  smallBasis,
  type Change,
  type MeasureKey,
  type StatsReport,
  type TownshipKpis,
} from '../../shared/kpi';
import { COMPARE_WORDS } from '../../shared/compare-words';
import { rankBestFirst, rankMoves, sortRows } from '../../shared/ranking';
import type { Cell, ExportDocument, ExportTable } from './document';

export interface ExportInput {
  /** What GET /api/stats answers for the filters, with groupBy=township,department. */
  report: StatsReport;
  /** The township filter's name, when there is one. */
  townshipName?: string;
  matters: ReadonlyMap<string, { name: string; domain: string }>;
  /** Order of the ranking table (the page's current sort); default by township code. */
  sort?: { key: MeasureKey; dir: 'asc' | 'desc' };
  generatedAt: number;
  generatedBy: string;
}

const FORMAT = { count: '0', rate: '0.0%', minutes: '0.0' } as const;

/**
 * 环比 in words, as a Chinese report writes it: 增长 12.5% / 下降 3.0%, 提高 / 降低 2.0 个百分点, 增加 / 减少 3,
 * 持平; '—' with nothing to compare. Words rather than a leading + or −, which a spreadsheet would
 * read as the start of a formula (and the CSV writer would have to defuse).
 */
export function changeText(c: Change): string {
  if (c.value === null) return '—';
  // As shown: a change that rounds to nothing (−0.04 个百分点) is 持平, as the leader page says ±0.0.
  const shown = changeFigure(c);
  if (Number(shown) === 0) return '持平';
  if (c.kind === 'points') return `${c.value > 0 ? '提高' : '降低'} ${shown} 个百分点`;
  if (c.kind === 'difference') return `${c.value > 0 ? '增加' : '减少'} ${shown}`;
  return `${c.value > 0 ? '增长' : '下降'} ${shown}%`;
}

/** '2026-03-02', or '2026-03-01 至 2026-03-07': a period's days, both inclusive. */
export function rangeLabel(p: { from: string; to: string }): string {
  return p.from === p.to ? p.from : `${p.from} 至 ${p.to}`;
}

function stamp(t: number): string {
  const iso = new Date(t + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}（北京时间）`;
}

/**
 * The compared period as 环比 or 同比 reads it: its days, and while this period still runs, the
 * moment it is cut at (同期口径): '2026-03-01（截至 09:30）',
 * '2026-02-22 至 2026-02-28（截至 2026-02-28 09:30）'.
 */
export function previousLabel(p: NonNullable<StatsReport['previous']>): string {
  if (p.until >= p.end) return rangeLabel(p);
  return `${rangeLabel(p)}（截至 ${p.from === p.to ? minute(p.asOf).slice(11) : minute(p.asOf)}）`;
}

/** '2026-03-02 09:30', Shanghai time. */
function minute(t: number): string {
  const iso = new Date(t + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

const sourceLabel = (s: string) => SOURCE_LABELS[s as ClueSource] ?? s;

/** A measure's name in the file, with its unit where the number alone would not say it (minutes). */
export const exportName = (m: (typeof MEASURES)[number]) =>
  m.unit === 'minutes' ? `${m.label.zh}（分钟）` : m.label.zh;

/**
 * The departments' sheet's names for the two measures counted otherwise there (as the page's
 * formulas say, shared/kpi.ts DEPARTMENT_*_FORMULA): read beside the measures sheet's, they differ.
 */
export const DEPARTMENT_COLUMN_NAMES: Partial<Record<MeasureKey, string>> = {
  returnRate: '退回率（本部门退回的÷派给本部门的）',
  extensionRate: '延期率（本部门承办期间获准的）',
};

export function buildExport(input: ExportInput): ExportDocument {
  const { report } = input;
  const township = report.filters.township;
  const { previous: prev, change } = report;
  // 环比 or 同比 and the words for it; null when the report compares with nothing.
  const cmp =
    report.compare !== 'none' && prev && change
      ? {
          word: COMPARE_WORDS[report.compare].change,
          prevWord: COMPARE_WORDS[report.compare].prev,
          prev,
          change,
        }
      : null;
  // The compared period starts before the records do: its figures are written, no change is.
  const early = cmp ? earlyBasis(report) : null;
  const filters: Array<[string, string]> = [
    ['统计时段', rangeLabel(report)],
    ...(cmp
      ? ([
          [`${cmp.word}时段`, previousLabel(cmp.prev)],
          [
            `${cmp.word}口径`,
            `${cmp.prevWord}案件按其 ${minute(cmp.prev.asOf)}（北京时间）时的状态统计（同期口径：两期案件经过同样长的时间）`,
          ],
          ...(early
            ? [[`${cmp.word}说明`, `${cmp.prevWord}始于平台首条记录（${early}）之前，数据不全，不作比较`]]
            : []),
        ] as Array<[string, string]>)
      : ([['对比', '不比较']] as Array<[string, string]>)),
    ['乡镇（街道）', township ? `${input.townshipName ?? township}（${township}）` : '全部'],
    ['事项领域', report.filters.domain ?? '全部'],
    ['线索来源', report.filters.source ? sourceLabel(report.filters.source) : '全部'],
    ['导出时间', stamp(input.generatedAt)],
    ['导出人', input.generatedBy],
    // The figures are the report's as it was made for this file: a period that takes in today moves
    // on as cases come in, so the page, read at another moment, may show others.
    ['数据截至', stamp(report.asOf)],
    [
      '口径',
      '按案件上报时间归入时段，日界以北京时间为准，起止日均含；数字为数据截至时刻的统计，与其后在领导驾驶舱所见可能不同（统计时段含今日时随新案件变化）',
    ],
  ];

  const measures: ExportTable = {
    title: '指标',
    columns: ['指标', '数值', '分子', '分母', ...(cmp ? [`${cmp.prevWord}数值`, cmp.word] : []), '计算公式'],
    rows: MEASURES.map((m) => {
      const r = m.ratio?.(report);
      return [
        exportName(m),
        m.value(report),
        r ? r.numerator : null,
        r ? r.denominator : null,
        ...(cmp
          ? [
              m.value(cmp.prev),
              // As on the page: a rate or time over a handful of cases is not compared.
              cmp.change[m.key].value !== null && smallBasis(m, report, cmp.prev)
                ? '基数过小，不作比较'
                : changeText(cmp.change[m.key]),
            ]
          : []),
        formulaOf(m, report).zh,
      ];
    }),
    formats: [null, null, '0', '0', ...(cmp ? [null, null] : []), null],
    // Each row has its own unit: a rate row shows 87.5 %, a minutes row 12.3, in both value columns.
    rowFormats: { columns: cmp ? [1, 4] : [1], formats: MEASURES.map((m) => FORMAT[m.unit]) },
  };

  const trend: ExportTable = {
    title: '按日趋势',
    columns: ['日期', '案件量'],
    rows: report.volume.byDay.map((d) => [d.day, d.count]),
    formats: [null, '0'],
  };

  // In the page's order (its sort) with each row's 名次 on that measure and, where the report compares
  // with a period that is a basis, its move since (名次较上期), as the page shows them; else by code.
  const sortBy = input.sort ? MEASURES.find((x) => x.key === input.sort!.key)! : null;
  const rankTable = (
    title: string,
    nameColumn: string,
    rows: readonly TownshipKpis[],
    before: readonly TownshipKpis[] | null,
    /** A measure counted otherwise in this table, named so (the departments' 退回率 and 延期率). */
    names: Partial<Record<MeasureKey, string>> = {},
  ): ExportTable => {
    const value = (t: TownshipKpis) => (sortBy ? sortBy.value(t) : null);
    const rankOf = sortBy && rankBestFirst(rows, value, sortBy.better);
    const moves = sortBy && rankMoves(rows, before, value, sortBy.better);
    const prevWord = cmp?.prevWord ?? '上期';
    const moveCells = (code: string): Cell[] => {
      const m = moves?.get(code);
      if (!m) return [null, ''];
      return [m.before, m.kind === 'same' ? '持平' : `${m.kind === 'up' ? '上升' : '下降'} ${m.by} 位`];
    };
    return {
      title,
      columns: [
        nameColumn,
        '代码',
        ...MEASURES.map((m) => names[m.key] ?? exportName(m)),
        ...(sortBy ? [`名次（${sortBy.label.zh}）`] : []),
        ...(moves ? [`${prevWord}名次`, `较${prevWord}名次`] : []),
      ],
      // Without a sort every value is null: by code.
      rows: sortRows(rows, value, input.sort?.dir ?? 'asc').map((t): Cell[] => [
        t.name,
        t.code,
        ...MEASURES.map((m) => m.value(t)),
        ...(rankOf ? [rankOf.get(t.code) ?? null] : []),
        ...(moves ? moveCells(t.code) : []),
      ]),
      formats: [
        null,
        null,
        ...MEASURES.map((m) => FORMAT[m.unit]),
        ...(rankOf ? ['0'] : []),
        ...(moves ? ['0', null] : []),
      ],
    };
  };
  // A township's file: the county's ranking it is published (report.ranking), as its page shows it.
  const ranking = rankTable(
    '乡镇排名',
    '乡镇（街道）',
    rankingRows(report),
    previousRankingRows(report, 'township'),
  );
  // The county's file: the departments too, by the department that has each case now (承办部门).
  const departments = report.departments
    ? [
        rankTable(
          '县直部门排名',
          '县直部门（按承办部门）',
          report.departments,
          previousRankingRows(report, 'department'),
          DEPARTMENT_COLUMN_NAMES,
        ),
      ]
    : [];

  const byCount = (rec: Record<string, number>) =>
    Object.entries(rec).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const matters: ExportTable = {
    title: '事项构成',
    columns: ['事项编码', '事项名称', '领域', '案件量'],
    rows: byCount(report.volume.byMatter).map(([code, n]) => [
      code,
      input.matters.get(code)?.name ?? code,
      input.matters.get(code)?.domain ?? '',
      n,
    ]),
    formats: [null, null, null, '0'],
  };
  const domains: ExportTable = {
    title: '领域构成',
    columns: ['领域', '案件量'],
    rows: byCount(report.volume.byDomain),
    formats: [null, '0'],
  };
  const sources: ExportTable = {
    title: '来源构成',
    columns: ['来源', '案件量'],
    rows: byCount(report.volume.bySource).map(([s, n]) => [sourceLabel(s), n]),
    formats: [null, '0'],
  };

  return {
    title: '高平市基层综合执法统计',
    filters,
    tables: [measures, trend, ranking, ...departments, matters, domains, sources],
  };
}
