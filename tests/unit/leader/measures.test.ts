// Every measure read from a hand-made KPI result, formatted, and compared (环比) the way the
// leader page and the export show it.
import { describe, expect, it } from 'vitest';
import {
  MEASURES,
  MEASURE_BY_KEY,
  formatChange,
  formatMeasure,
  measureChange,
  ratio,
  type Kpis,
  type MeasureKey,
} from '../../../shared/kpi';

const k: Kpis = {
  volume: { total: 12, byDay: [], byTownship: {}, byMatter: {}, byDomain: {}, bySource: {} },
  registered: 10,
  rectificationRate: ratio(7, 8),
  responseTime: {
    acknowledge: { count: 3, medianMinutes: 15, p90Minutes: 42.5 },
    arrive: { count: 2, medianMinutes: 50, p90Minutes: null },
  },
  closureRate: ratio(6, 10),
  onTimeClosureRate: ratio(5, 6),
  reworkRate: ratio(1, 7),
  returnRate: ratio(0, 10),
  overdue: { cases: 3, deadlines: 4, openNow: 1 },
  turnouts: 21,
};
const m = (key: MeasureKey) => MEASURE_BY_KEY.get(key)!;

describe('measures', () => {
  it('reads each measure from the KPI result', () => {
    expect(Object.fromEntries(MEASURES.map((d) => [d.key, d.value(k)]))).toEqual({
      volume: 12,
      rectificationRate: 7 / 8,
      ackMedian: 15,
      ackP90: 42.5,
      arriveMedian: 50,
      arriveP90: null,
      closureRate: 0.6,
      onTimeClosureRate: 5 / 6,
      reworkRate: 1 / 7,
      returnRate: 0,
      overdue: 3,
      turnouts: 21,
    });
    expect(m('closureRate').ratio!(k)).toEqual({ numerator: 6, denominator: 10, value: 0.6 });
  });

  it('states a formula for every measure in both languages', () => {
    for (const d of MEASURES) {
      expect(d.formula.zh.length).toBeGreaterThan(4);
      expect(d.formula.en.length).toBeGreaterThan(4);
    }
  });

  it('formats rates, minutes and counts', () => {
    expect(formatMeasure(m('rectificationRate'), 0.875)).toBe('87.5%');
    expect(formatMeasure(m('ackMedian'), 15)).toBe('15.0 分钟');
    // Under a minute in seconds: 0.0 分钟 would read as no time at all.
    expect(formatMeasure(m('arriveMedian'), 0.4)).toBe('24 秒');
    expect(formatMeasure(m('arriveMedian'), 0.995)).toBe('1.0 分钟');
    expect(formatMeasure(m('arriveMedian'), 0.4, 'min', 's')).toBe('24 s');
    expect(formatMeasure(m('turnouts'), 21)).toBe('21');
    expect(formatMeasure(m('arriveP90'), null)).toBe('—');
  });

  it('compares rates in points and the rest by ratio, judged by the better direction', () => {
    const before: Kpis = { ...k, closureRate: ratio(5, 10), overdue: { cases: 6, deadlines: 6, openNow: 0 } };
    const closure = measureChange(m('closureRate'), k, before);
    expect(closure.kind).toBe('points');
    expect(closure.value).toBeCloseTo(10, 9);
    expect(closure.verdict).toBe('better');
    // 3 overdue against 6: fewer than 10 before, so by the difference.
    const overdue = measureChange(m('overdue'), k, before);
    expect(overdue).toEqual({ kind: 'difference', value: -3, verdict: 'better' });
    // Against 12 before, by ratio.
    const more = measureChange(m('overdue'), k, {
      ...before,
      overdue: { cases: 12, deadlines: 12, openNow: 0 },
    });
    expect(more.kind).toBe('ratio');
    expect(more.value).toBeCloseTo(-0.75, 9);
    // 0 against 0 is the same; 11 against 0 is +11 and worse (it used to have no comparison at all).
    const none = { ...before, overdue: { cases: 0, deadlines: 0, openNow: 0 } };
    expect(measureChange(m('overdue'), none, none).verdict).toBe('same');
    const eleven = measureChange(
      m('overdue'),
      { ...k, overdue: { cases: 11, deadlines: 11, openNow: 0 } },
      none,
    );
    expect(eleven).toEqual({ kind: 'difference', value: 11, verdict: 'worse' });
    expect(formatChange(eleven)).toBe('+11');
    expect(measureChange(m('volume'), k, k).verdict).toBe('same');
  });
});
