// ECharts options for the leader page, from plain figures: the trend by day (this period and the
// previous one, aligned by day number) or, for a one-day period, by hour (the day beside the one it
// is compared with, up to the same moment), and the matter, domain and source mixes.
import { AXIS_LINE, PALETTE, SPLIT_LINE, axisLabel, tooltipStyle } from '../chart-theme';

const AXIS = axisLabel(12);
const TOOLTIP = tooltipStyle(13);

/** Longer than this (days), the trend is labelled by month. */
export const LONG_TREND_DAYS = 62;

export function trendOption(
  days: Array<{ day: string; count: number }>,
  previous: Array<{ day: string; count: number }>,
  names: { current: string; previous: string },
  /** Today (Shanghai, YYYY-MM-DD) and how its point is labelled: still counting, so a morning's low
   * figure does not read as a fall (as on the big screen). */
  today?: { day: string; label: (n: number) => string },
) {
  // Past two months a label every few days crowds the axis (a year drew 01-01 01-19 02-06 … edge
  // to edge at 1366 px), and ECharts' own thinning drew a dot at every label it kept and dropped
  // today's: the axis is labelled on the first of each month, and only today's point is drawn.
  const long = days.length > LONG_TREND_DAYS;
  const monthStart = (_: number, value: string) => value.endsWith('-01');
  return {
    animationDuration: 300,
    color: ['#3ea6ff', '#6b7a90'],
    legend: { top: 0, right: 8, textStyle: { color: '#cfe0ff', fontSize: 12 } },
    grid: { left: 40, right: 16, top: 30, bottom: 28 },
    // Each line with its own day: the previous period's day i is not this period's.
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis' as const,
      formatter: (params: TooltipParam[]) =>
        tooltipLines(params[0]?.axisValueLabel ?? '', params, (p) =>
          p.seriesId === 'previous'
            ? (previous[p.dataIndex]?.day.slice(5) ?? '')
            : (days[p.dataIndex]?.day.slice(5) ?? ''),
        ),
    },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.day.slice(5)),
      // Set either way: BaseChart merges a new option into the last (a year's, an hour's).
      // A year beside the ranking (~440 px at 1366) has room for every other month's label: those
      // that would touch the one before are left out.
      axisLabel: { ...AXIS, interval: long ? monthStart : 'auto', hideOverlap: long },
      axisTick: { interval: long ? monthStart : 'auto' },
      axisLine: AXIS_LINE,
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT_LINE },
    series: [
      {
        id: 'current',
        name: names.current,
        type: 'line',
        smooth: true,
        symbolSize: 5,
        ...(long
          ? { symbol: 'none', showAllSymbol: true }
          : { symbol: 'emptyCircle', showAllSymbol: 'auto' }),
        // Days still to come (a custom period ending after today) are not drawn: at 0 they read as a
        // collapse. Today's label goes left of its point, or right when the point is in the chart's
        // first half (it was cut off at the left edge when today began the period).
        data: days.map((d, i) =>
          today && d.day > today.day
            ? null
            : d.day === today?.day
              ? {
                  value: d.count,
                  symbol: 'circle',
                  symbolSize: 9,
                  label: {
                    show: true,
                    position: i < (days.length - 1) / 2 ? 'right' : 'left',
                    color: '#cfe0ff',
                    backgroundColor: 'rgba(6, 22, 52, 0.85)',
                    padding: [2, 6],
                    borderRadius: 3,
                    formatter: today.label(d.count),
                  },
                }
              : d.count,
        ),
        areaStyle: { opacity: 0.15 },
      },
      {
        id: 'previous',
        name: names.previous,
        type: 'line',
        smooth: true,
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 1.5 },
        // The previous period aligned by position: its day i against this period's day i.
        data: days.map((_, i) => previous[i]?.count ?? null),
      },
    ],
  };
}

/** What ECharts passes an axis tooltip's formatter, per series (the fields read here). */
interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  marker?: string;
  dataIndex: number;
  value?: unknown;
  axisValueLabel?: string;
}

/** The point's count: a number, or a point object's `value` (today's, labelled); null for none. */
function countOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number')
    return (v as { value: number }).value;
  return null;
}

function tooltipLines(head: string, params: TooltipParam[], when: (p: TooltipParam) => string): string {
  const esc = (x: string) => x.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    esc(head),
    ...params.map(
      (p) => `${p.marker ?? ''}${esc(p.seriesName ?? '')} ${esc(when(p))}：<b>${countOf(p.value) ?? '—'}</b>`,
    ),
  ].join('<br/>');
}

/** '09:00' for hour 9. */
export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/**
 * A one-day period by hour: the axis the whole day (00:00 … 23:00), this day's hours so far as the
 * line and the compared day's same hours faded beside it; the hour under way (`now`, today only)
 * labelled as still counting, as today's point is on the trend by day.
 */
export function hourTrendOption(
  hours: ReadonlyArray<{ hour: number; count: number }>,
  previous: ReadonlyArray<{ hour: number; count: number }>,
  names: { current: string; previous: string },
  /** The days compared, as the tooltip names them ('12-06', '12-05'). */
  days: { current: string; previous: string },
  now?: { hour: number; label: (n: number) => string },
) {
  const at = (list: ReadonlyArray<{ hour: number; count: number }>) => {
    const byHour = new Map(list.map((h) => [h.hour, h.count]));
    return Array.from({ length: 24 }, (_, h) => byHour.get(h) ?? null);
  };
  const counts = at(hours);
  return {
    animationDuration: 300,
    color: ['#3ea6ff', '#6b7a90'],
    legend: { top: 0, right: 8, textStyle: { color: '#cfe0ff', fontSize: 12 } },
    grid: { left: 40, right: 16, top: 30, bottom: 28 },
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis' as const,
      formatter: (params: TooltipParam[]) => {
        const h = params[0]?.dataIndex ?? 0;
        return tooltipLines(`${hourLabel(h)}–${hourLabel(h + 1)}`, params, (p) =>
          p.seriesId === 'previous' ? days.previous : days.current,
        );
      },
    },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => hourLabel(h)),
      axisLabel: { ...AXIS, interval: 'auto', hideOverlap: false },
      axisTick: { interval: 'auto' },
      axisLine: AXIS_LINE,
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT_LINE },
    series: [
      {
        id: 'current',
        name: names.current,
        type: 'line',
        smooth: true,
        symbolSize: 5,
        symbol: 'emptyCircle',
        showAllSymbol: 'auto',
        data: counts.map((n, h) =>
          n !== null && h === now?.hour
            ? {
                value: n,
                symbol: 'circle',
                symbolSize: 9,
                label: {
                  show: true,
                  // Beside the point, clear of the legend above; right of it in the first hours.
                  position: h < 6 ? 'right' : 'left',
                  color: '#cfe0ff',
                  backgroundColor: 'rgba(6, 22, 52, 0.85)',
                  padding: [2, 6],
                  borderRadius: 3,
                  formatter: now.label(n),
                },
              }
            : n,
        ),
        areaStyle: { opacity: 0.15 },
      },
      {
        id: 'previous',
        name: names.previous,
        type: 'line',
        smooth: true,
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 1.5 },
        data: at(previous),
      },
    ],
  };
}

/** Top `n` entries by count, the rest summed as `otherLabel`. */
export function topWithOther(
  rec: Record<string, number>,
  n: number,
  otherLabel: string,
  name: (k: string) => string = (k) => k,
) {
  const { top, rest } = topAndRest(rec, n, name);
  return rest.count > 0 ? [...top, { name: otherLabel, value: rest.count, key: '' }] : top;
}

/**
 * Top `n` entries by count, and how many kinds and cases the rest are. For a ranked bar chart: a
 * county has dozens of matters, and their sum as one more bar would dwarf the ten it ranks.
 */
export function topAndRest(
  rec: Record<string, number>,
  n: number,
  name: (k: string) => string = (k) => k,
): { top: Array<{ name: string; value: number; key: string }>; rest: { kinds: number; count: number } } {
  const sorted = Object.entries(rec)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    top: sorted.slice(0, n).map(([k, v]) => ({ name: name(k), value: v, key: k })),
    rest: { kinds: Math.max(0, sorted.length - n), count: sorted.slice(n).reduce((s, [, v]) => s + v, 0) },
  };
}

export function pieOption(data: Array<{ name: string; value: number }>, seriesName: string) {
  return {
    animationDuration: 300,
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'item' as const, formatter: '{b}：{c}（{d}%）' },
    // Nothing in the period: no grey ring and no legend naming the series (the panel says so).
    legend: {
      show: data.length > 0,
      type: 'scroll',
      orient: 'vertical',
      right: 0,
      top: 'middle',
      textStyle: { color: '#cfe0ff', fontSize: 12 },
      itemWidth: 10,
      itemHeight: 10,
    },
    series: [
      {
        id: 'mix',
        name: seriesName,
        type: 'pie',
        radius: ['38%', '68%'],
        center: ['34%', '50%'],
        showEmptyCircle: false,
        itemStyle: { borderColor: '#061634', borderWidth: 2 },
        label: { show: false },
        data,
      },
    ],
  };
}

export function barOption(data: Array<{ name: string; value: number }>, seriesName: string) {
  return {
    animationDuration: 300,
    tooltip: { ...TOOLTIP, trigger: 'axis' as const },
    // Rows from the top, 30 px each, whatever the panel's height: one matter is not a giant bar.
    grid: { left: 120, right: 36, top: 8, height: Math.max(30, data.length * 30) },
    xAxis: { type: 'value', show: false, minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: data.map((r) => r.name),
      axisLabel: { ...AXIS, width: 110, overflow: 'truncate' },
      axisTick: { show: false },
      axisLine: { show: false },
    },
    series: [
      {
        id: 'bars',
        name: seriesName,
        type: 'bar',
        barWidth: 12,
        itemStyle: { color: '#3ea6ff', borderRadius: 6 },
        label: { show: true, position: 'right', color: '#e6f0ff', fontSize: 12 },
        data: data.map((r) => r.value),
      },
    ],
  };
}
