// The big screen's chart options: the words come from the page's language (none of them written
// into the options in Chinese), and today's point of the 30-day line is marked as a count so far.
import { describe, expect, it } from 'vitest';
import {
  chartWords,
  domainOption,
  rectificationOption,
  responseOption,
  volumeOption,
} from '../../../client/src/lib/chart-options';
import { translator } from './fixtures';

// The words as the view makes them, from the UI's messages.
const EN = chartWords(translator('en'));
const ZH = chartWords(translator('zh-CN'));
const STATS = {
  days: ['2026-03-08', '2026-03-09', '2026-03-10'],
  volume: [52, 61, 9],
  rectification: [{ code: 'T1', name: 'Dongcheng', ordered: 4, rectified: 3, rate: 0.75 }],
  response: [{ code: 'T1', name: 'Dongcheng', medianMin: 21.4, p90Min: 48, samples: 6 }],
  domains: [{ name: 'City appearance', value: 5 }],
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
    expect(all).toEqual(expect.arrayContaining(['Cases', 'Median', 'min', 'Matter domain']));
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
