// The big screen's chart options: the words come from the page's language (none of them written
// into the options in Chinese), and today's point of the 30-day line is marked as a count so far.
import { describe, expect, it } from 'vitest';
import {
  chartWords,
  domainOption,
  domainSlices,
  rectificationOption,
  responseOption,
  volumeOption,
} from '../../../client/src/lib/chart-options';
import { translator } from './fixtures';

// The words as the view makes them, from the UI's messages.
const enT = translator('en');
const EN = chartWords(enT, (d) => enT(`leader.domainNames.${d}`)); // as useDomainName, every domain known
const ZH = chartWords(translator('zh-CN'));
const STATS = {
  days: ['2026-03-08', '2026-03-09', '2026-03-10'],
  volume: [52, 61, 9],
  rectification: [{ code: 'T1', name: 'Dongcheng', ordered: 4, rectified: 3, rate: 0.75 }],
  response: [{ code: 'T1', name: 'Dongcheng', medianMin: 21.4, p90Min: 48, samples: 6 }],
  domains: [{ name: '市容环境', value: 5 }], // as the API names them
};
const HAN = /\p{Script=Han}/u;
/** Every string in an option, functions called with a sample value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'function') return strings(v(12) ?? '');
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe('chart options', () => {
  it('speak English on an English page: series names, units and labels', () => {
    const all = [
      volumeOption(STATS, EN),
      rectificationOption(STATS, EN),
      responseOption(STATS, EN),
      domainOption(STATS, EN),
    ].flatMap(strings);
    expect(all.filter((s) => HAN.test(s))).toEqual([]);
    expect(all).toEqual(
      expect.arrayContaining(['Cases', 'Median', 'min', 'Matter domain', 'City appearance']),
    );
  });

  it('label a township with nothing ordered to rectify —, not a blank row that reads as 0 %', () => {
    const opt = rectificationOption(
      {
        rectification: [
          { code: 'T1', name: 'Dongcheng', ordered: 4, rectified: 3, rate: 0.75 },
          { code: 'T2', name: 'Beicheng', ordered: 0, rectified: 0, rate: null },
        ],
      },
      ZH,
    );
    // Drawn bottom-up: the ranked list reversed.
    expect(opt.yAxis.data).toEqual(['Beicheng', 'Dongcheng']);
    const data = opt.series[0]!.data;
    // A value ECharts draws (a null bar gets no label at all), with the label —.
    expect(data.map((d) => d.value)).toEqual([0, 75]);
    const label = (i: number) => opt.series[0]!.label.formatter({ value: data[i]!.value, data: data[i] });
    expect([label(0), label(1)]).toEqual(['—', '75.0%']);
    const tip = opt.tooltip.valueFormatter;
    expect([tip(0, 0), tip(75, 1)]).toEqual(['—', '75.0%']);
  });

  it('draw a response of seconds, and say it in seconds; draw nothing where none was measured', () => {
    const opt = responseOption(
      {
        response: [
          { code: 'T1', name: 'Dongcheng', medianMin: 0.04, p90Min: 0.5, samples: 3 },
          { code: 'T2', name: 'Beicheng', medianMin: null, p90Min: null, samples: 0 },
          { code: 'T3', name: 'Nancheng', medianMin: 21.44, p90Min: 48, samples: 6 },
        ],
      },
      ZH,
    );
    const [median, p90] = opt.series;
    // 2.4 s is not rounded to 0, and every measured bar is drawn at least 3 px tall.
    expect(median!.data).toEqual([0.04, null, 21.44]);
    expect(p90!.data).toEqual([0.5, null, 48]);
    expect([median!.barMinHeight, p90!.barMinHeight]).toEqual([3, 3]);
    const tip = opt.tooltip.valueFormatter;
    expect([tip(0.04), tip(0.5), tip(21.44), tip(null)]).toEqual(['2 秒', '30 秒', '21.4 分钟', '—']);
    expect(responseOption({ response: [] }, EN).tooltip.valueFormatter(0.5)).toBe('30 s');
  });

  it('mark only today, the last day, as counted so far', () => {
    const data = (volumeOption(STATS, ZH).series[0]!.data as unknown[]).map((d) =>
      typeof d === 'number' ? d : (d as { value: number; label: { formatter: string } }),
    );
    expect(data.slice(0, 2)).toEqual([52, 61]);
    expect(data[2]).toMatchObject({ value: 9, label: { show: true, formatter: '今日 9（进行中）' } });
    expect(volumeOption(STATS, EN).series[0]!.data.at(-1)).toMatchObject({
      label: { formatter: 'Today 9 (so far)' },
    });
  });
});

describe('the domains chart', () => {
  it('keeps the largest eight and puts the rest in one slice, so the shares add up to every case', () => {
    const domains = Array.from({ length: 13 }, (_, i) => ({ name: `D${i}`, value: 13 - i }));
    const slices = domainSlices(domains, '其他');
    expect(slices).toHaveLength(9);
    expect(slices.slice(0, 8).map((d) => d.name)).toEqual(['D0', 'D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7']);
    expect(slices[8]).toEqual({ name: '其他', value: 5 + 4 + 3 + 2 + 1 });
    expect(slices.reduce((n, d) => n + d.value, 0)).toBe(domains.reduce((n, d) => n + d.value, 0));
    // Cases with no domain (其他 already) join the rest: one 其他 slice.
    const withOther = [...domains, { name: '其他', value: 20 }];
    const folded = domainSlices(withOther, '其他');
    expect(folded.filter((d) => d.name === '其他')).toEqual([{ name: '其他', value: 15 + 20 }]);
    expect(folded).toHaveLength(9);
    // Nine or fewer: all of them, as they are.
    expect(domainSlices(domains.slice(0, 9), '其他')).toEqual(domains.slice(0, 9));
  });
});
