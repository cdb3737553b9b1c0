// The statistics export as a document: the filters, then the measures (value, basis, previous
// period, 环比, formula), the trend by day, the township ranking (every measure per township),
// and the matter, domain and source mix. Pure: figures in, document out.
import { SOURCE_LABELS, type ClueSource } from '../../shared/cases';
import type { Kpis } from '../../shared/kpi';
import { MEASURES, formatChange, measureChange, type MeasureKey } from '../../shared/measures';
import { shanghaiDay } from '../../shared/time';
import type { Cell, ExportDocument, ExportTable } from './document';

export interface ExportInput {
  /** The measured range, epoch ms, both ends inclusive (as GET /api/stats reads from/to). */
  from: number;
  to: number;
  current: Kpis;
  previous: Kpis;
  townships: Array<{ code: string; name: string; kpis: Kpis }>;
  filters: { township?: { code: string; name: string }; domain?: string; source?: string };
  matters: ReadonlyMap<string, { name: string; domain: string }>;
  /** Order of the ranking table (the page's current sort); default by township code. */
  sort?: { key: MeasureKey; dir: 'asc' | 'desc' };
  generatedAt: number;
  generatedBy: string;
}

const FORMAT = { count: '0', rate: '0.0%', minutes: '0.0' } as const;

export function rangeLabel(from: number, to: number): string {
  const a = shanghaiDay(from);
  const b = shanghaiDay(to);
  return a === b ? a : `${a} 至 ${b}`;
}

/** The period of the same length just before [from, to] (both inclusive). */
export function previousRange(from: number, to: number): { from: number; to: number } {
  const len = to - from + 1;
  return { from: from - len, to: from - 1 };
}

function stamp(t: number): string {
  const iso = new Date(t + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}（北京时间）`;
}

const sourceLabel = (s: string) => SOURCE_LABELS[s as ClueSource] ?? s;

export function buildExport(input: ExportInput): ExportDocument {
  const prev = previousRange(input.from, input.to);
  const filters: Array<[string, string]> = [
    ['统计时段', rangeLabel(input.from, input.to)],
    ['环比时段', rangeLabel(prev.from, prev.to)],
    [
      '乡镇（街道）',
      input.filters.township ? `${input.filters.township.name}（${input.filters.township.code}）` : '全部',
    ],
    ['事项领域', input.filters.domain ?? '全部'],
    ['线索来源', input.filters.source ? sourceLabel(input.filters.source) : '全部'],
    ['导出时间', stamp(input.generatedAt)],
    ['导出人', input.generatedBy],
    ['口径', '与 GET /api/stats 相同：按案件上报时间归入时段，日界以北京时间（Asia/Shanghai）为准'],
  ];

  const measures: ExportTable = {
    title: '指标',
    columns: ['指标', '数值', '分子', '分母', '上期数值', '环比', '计算公式'],
    rows: MEASURES.map((m) => {
      const r = m.ratio?.(input.current);
      return [
        m.label.zh,
        m.value(input.current),
        r ? r.numerator : null,
        r ? r.denominator : null,
        m.value(input.previous),
        formatChange(measureChange(m, input.current, input.previous), '个百分点'),
        m.formula.zh,
      ];
    }),
    formats: [null, null, '0', '0', null, null, null],
    // Each row has its own unit: a rate row shows 87.5 %, a minutes row 12.3, in both value columns.
    rowFormats: { columns: [1, 4], formats: MEASURES.map((m) => FORMAT[m.unit]) },
  };

  const trend: ExportTable = {
    title: '按日趋势',
    columns: ['日期', '案件量'],
    rows: input.current.volume.byDay.map((d) => [d.day, d.count]),
    formats: [null, '0'],
  };

  const rankingRows = [...input.townships];
  if (input.sort) {
    const m = MEASURES.find((x) => x.key === input.sort!.key)!;
    const dir = input.sort.dir === 'asc' ? 1 : -1;
    rankingRows.sort((a, b) => {
      const va = m.value(a.kpis);
      const vb = m.value(b.kpis);
      if (va === null || vb === null) return va === vb ? a.code.localeCompare(b.code) : va === null ? 1 : -1;
      return (va - vb) * dir || a.code.localeCompare(b.code);
    });
  } else rankingRows.sort((a, b) => a.code.localeCompare(b.code));
  const ranking: ExportTable = {
    title: '乡镇排名',
    columns: ['乡镇（街道）', '代码', ...MEASURES.map((m) => m.label.zh)],
    rows: rankingRows.map((t): Cell[] => [t.name, t.code, ...MEASURES.map((m) => m.value(t.kpis))]),
    formats: [null, null, ...MEASURES.map((m) => FORMAT[m.unit])],
  };

  const byCount = (rec: Record<string, number>) =>
    Object.entries(rec).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const matters: ExportTable = {
    title: '事项构成',
    columns: ['事项编码', '事项名称', '领域', '案件量'],
    rows: byCount(input.current.volume.byMatter).map(([code, n]) => [
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
    rows: byCount(input.current.volume.byDomain),
    formats: [null, '0'],
  };
  const sources: ExportTable = {
    title: '来源构成',
    columns: ['来源', '案件量'],
    rows: byCount(input.current.volume.bySource).map(([s, n]) => [sourceLabel(s), n]),
    formats: [null, '0'],
  };

  return {
    title: '高平市基层综合执法统计',
    filters,
    tables: [measures, trend, ranking, matters, domains, sources],
  };
}
