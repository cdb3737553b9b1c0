// ECharts options for the big screen's panels, built from plain figures (no ECharts import), in
// one dark, large-type look that reads from across the room. No animation: the figures change
// every few seconds all day, and a tween is a dozen canvas redraws on the main thread each time.
import type { ScreenStats } from './screen-stats';
import { AXIS_LINE, PALETTE, SPLIT_LINE, axisLabel, tooltipStyle } from './chart-theme';
import type { Translate } from './translate';
import { formatMinutes } from '../../../shared/time';

const AXIS = axisLabel(15);
const TOOLTIP = { trigger: 'axis' as const, ...tooltipStyle(16) };

/** The words the charts show (series names, units), in the page's language. */
export interface ChartWords {
  volume: string;
  /** Beside today's point of the volume line, the count so far: the day is not over. */
  todaySoFar: (n: number) => string;
  rate: string;
  minutes: string;
  /** The unit of a duration under a minute (the tooltip of 响应时长 says it in seconds). */
  seconds: string;
  median: string;
  p90: string;
  domain: string;
  /** The slice of the domains beyond the largest few. */
  other: string;
  /** A matter domain in the page's language (the catalogue names them in Chinese). */
  domainName?: (domain: string) => string;
}

/** The charts' words in the page's language (screen.charts.*). */
export function chartWords(t: Translate, domainName?: (domain: string) => string): ChartWords {
  return {
    domainName,
    volume: t('screen.charts.volume'),
    todaySoFar: (n) => t('screen.charts.todaySoFar', { n }),
    rate: t('screen.charts.rate'),
    minutes: t('screen.charts.minutes'),
    seconds: t('screen.charts.seconds'),
    median: t('screen.charts.median'),
    p90: t('screen.charts.p90'),
    domain: t('screen.charts.domain'),
    other: t('screen.charts.other'),
  };
}

export function volumeOption(s: Pick<ScreenStats, 'days' | 'volume'>, w: ChartWords) {
  // The last day is today, still counting: its point is marked and labelled as so far, so a
  // morning's low figure does not read as a fall.
  const last = s.volume.length - 1;
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 24, bottom: 30 },
    tooltip: TOOLTIP,
    xAxis: {
      type: 'category',
      data: s.days.map((d) => d.slice(5)),
      axisLabel: { ...AXIS, interval: 6 },
      axisLine: AXIS_LINE,
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT_LINE },
    series: [
      {
        id: 'volume',
        name: w.volume,
        type: 'line',
        smooth: true,
        symbol: 'none',
        data: s.volume.map((v, i) =>
          i === last
            ? {
                value: v,
                symbol: 'circle',
                symbolSize: 9,
                itemStyle: { color: '#061634', borderColor: '#3ea6ff', borderWidth: 2 },
                label: {
                  show: true,
                  position: 'left',
                  color: '#cfe0ff',
                  fontSize: 14,
                  // On a plate: the line runs through where the label goes.
                  backgroundColor: 'rgba(6, 22, 52, 0.85)',
                  padding: [2, 6],
                  borderRadius: 3,
                  formatter: w.todaySoFar(v),
                },
              }
            : v,
        ),
        lineStyle: { width: 3, color: '#3ea6ff' },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: 'rgba(62,166,255,0.55)' },
              { offset: 1, color: 'rgba(62,166,255,0.02)' },
            ],
          },
        },
      },
    ],
  };
}

export function rectificationOption(s: Pick<ScreenStats, 'rectification'>, w: ChartWords) {
  // Ranked best first; ECharts draws category axes bottom-up, so reverse for top-down reading.
  const rows = [...s.rectification].reverse();
  return {
    animation: false,
    grid: { left: 96, right: 64, top: 8, bottom: 28 },
    tooltip: {
      ...TOOLTIP,
      valueFormatter: (v: unknown, i: number) =>
        typeof v === 'number' && rows[i]?.rate != null ? `${v.toFixed(1)}%` : '—',
    },
    xAxis: {
      type: 'value',
      max: 100,
      interval: 25,
      axisLabel: { ...AXIS, fontSize: 14, formatter: '{value}%' },
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLabel: { ...AXIS, fontSize: 16 },
      axisLine: { show: false },
      axisTick: { show: false },
    },
    series: [
      {
        id: 'rate',
        name: w.rate,
        type: 'bar',
        barWidth: 14,
        showBackground: true,
        backgroundStyle: { color: 'rgba(62,166,255,0.08)', borderRadius: 7 },
        itemStyle: { borderRadius: 7 },
        // A township with nothing ordered to rectify has no rate: a bar of nought labelled —, as
        // ECharts draws no label for a missing value and a blank row reads as 0 %.
        data: rows.map((r) => ({
          value: r.rate === null ? 0 : Math.round(r.rate * 1000) / 10,
          noRate: r.rate === null,
          itemStyle: {
            color:
              r.rate === null ? '#4a5568' : r.rate >= 0.9 ? '#21c07a' : r.rate >= 0.7 ? '#ffcc4d' : '#ff4d4f',
          },
        })),
        label: {
          show: true,
          position: 'right',
          color: '#e6f0ff',
          fontSize: 16,
          formatter: (p: { value?: number; data?: { noRate?: boolean } }) =>
            // One decimal always (96.0 %, as the leader page writes it; "96%" beside "95.7%" read
            // as rounded differently).
            p?.data?.noRate || typeof p?.value !== 'number' ? '—' : `${p.value.toFixed(1)}%`,
        },
      },
    ],
  };
}

export function responseOption(s: Pick<ScreenStats, 'response'>, w: ChartWords) {
  const rows = s.response;
  // To the hundredth of a minute, so a response of seconds is not rounded to nothing; a bar of
  // any measured value (0 too) is drawn at least 3 px tall, none where nothing was measured.
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    animation: false,
    legend: {
      top: 0,
      right: 8,
      textStyle: { color: '#cfe0ff', fontSize: 16 },
      itemWidth: 18,
      itemHeight: 12,
    },
    grid: { left: 52, right: 16, top: 36, bottom: 34 },
    tooltip: {
      ...TOOLTIP,
      // As the leader's page says a time (shared/time.ts): seconds under a minute.
      valueFormatter: (v: unknown) => formatMinutes(typeof v === 'number' ? v : null, w.minutes, w.seconds),
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.name.replace(/(街道|镇|乡)$/, '')),
      axisLabel: { ...AXIS, interval: 0 },
      axisLine: AXIS_LINE,
    },
    yAxis: { type: 'value', name: w.minutes, nameTextStyle: AXIS, axisLabel: AXIS, splitLine: SPLIT_LINE },
    series: [
      {
        id: 'median',
        name: w.median,
        type: 'bar',
        barGap: '10%',
        barMaxWidth: 16,
        barMinHeight: 3,
        itemStyle: { color: '#38d9f5', borderRadius: [4, 4, 0, 0] },
        data: rows.map((r) => round(r.medianMin)),
      },
      {
        id: 'p90',
        name: w.p90,
        type: 'bar',
        barMaxWidth: 16,
        barMinHeight: 3,
        itemStyle: { color: '#ff9f1c', borderRadius: [4, 4, 0, 0] },
        data: rows.map((r) => round(r.p90Min)),
      },
    ],
  };
}

export function domainOption(s: Pick<ScreenStats, 'domains'>, w: ChartWords) {
  return {
    animation: false,
    color: PALETTE,
    tooltip: { ...TOOLTIP, trigger: 'item' as const },
    // Nothing to show: no grey ring and no legend naming the series (the panel says 暂无数据).
    legend: {
      show: s.domains.length > 0,
      orient: 'vertical',
      right: 4,
      top: 'middle',
      textStyle: { color: '#cfe0ff', fontSize: 15 },
      itemWidth: 12,
      itemHeight: 12,
      itemGap: 6,
    },
    series: [
      {
        id: 'domains',
        name: w.domain,
        type: 'pie',
        radius: ['42%', '72%'],
        center: ['32%', '50%'],
        showEmptyCircle: false,
        itemStyle: { borderColor: '#061634', borderWidth: 2 },
        label: { show: false },
        data: domainSlices(s.domains, w.other).map((d) => ({
          ...d,
          name: d.name === w.other ? d.name : (w.domainName?.(d.name) ?? d.name),
        })),
      },
    ],
  };
}

/** The legend has room for nine: past that, the eight largest and one slice for the rest (其他). */
export const DOMAIN_SLICES = 9;
export function domainSlices<T extends { name: string; value: number }>(
  domains: readonly T[],
  other: string,
): Array<{ name: string; value: number }> {
  if (domains.length <= DOMAIN_SLICES) return [...domains];
  // Cases without a domain are counted as 其他 already: they join the rest, not a second 其他.
  const own = domains.filter((d) => d.name !== other).sort((a, b) => b.value - a.value);
  const rest = [...own.slice(DOMAIN_SLICES - 1), ...domains.filter((d) => d.name === other)];
  return [...own.slice(0, DOMAIN_SLICES - 1), { name: other, value: rest.reduce((n, d) => n + d.value, 0) }];
}
