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
  smallBasis,
  SMALL_BASE,
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
  extensionRate: ratio(2, 10),
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
      extensionRate: 0.2,
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
    // Against 12 before, still by the difference; against 40, by ratio.
    const twelve = { ...before, overdue: { cases: 12, deadlines: 12, openNow: 0 } };
    expect(measureChange(m('overdue'), k, twelve)).toEqual({
      kind: 'difference',
      value: -9,
      verdict: 'better',
    });
    const more = measureChange(m('overdue'), k, {
      ...before,
      volume: { ...k.volume, total: 100 },
      overdue: { cases: 40, deadlines: 40, openNow: 0 },
    });
    expect(more.kind).toBe('ratio');
    expect(more.value).toBeCloseTo(-37 / 40, 9);
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

  it("states a count's change off a small base as its difference: 468 against 10 is +458, not +4580 %", () => {
    expect(SMALL_BASE).toBe(30);
    const at = (total: number): Kpis => ({ ...k, volume: { ...k.volume, total }, turnouts: total });
    const today = measureChange(m('volume'), at(468), at(10));
    expect(today).toEqual({ kind: 'difference', value: 458, verdict: 'neutral' });
    expect(formatChange(today)).toBe('+458');
    expect(formatChange(measureChange(m('turnouts'), at(770), at(29)))).toBe('+741');
    // 出动人次 over 30 people but off 15 cases before: still its difference (799 against 53 read
    // +1407.5 %); off 30 cases or more, a ratio.
    const turnouts = (n: number, cases: number): Kpis => ({ ...at(cases), turnouts: n });
    expect(formatChange(measureChange(m('turnouts'), turnouts(799, 248), turnouts(53, 15)))).toBe('+746');
    expect(formatChange(measureChange(m('turnouts'), turnouts(120, 40), turnouts(100, 30)))).toBe('+20.0%');
    // From 30 before, a ratio again.
    expect(formatChange(measureChange(m('volume'), at(45), at(30)))).toBe('+50.0%');
  });

  it('marks a rate or a time over fewer than 30 cases in either period as no basis for comparing', () => {
    const big: Kpis = {
      ...k,
      rectificationRate: ratio(28, 30),
      closureRate: ratio(60, 100),
      responseTime: {
        acknowledge: { count: 30, medianMinutes: 15, p90Minutes: 40 },
        arrive: { count: 29, medianMinutes: 50, p90Minutes: 80 },
      },
    };
    // 0 / 1 against 28 / 30 is not "+93.3 个百分点".
    const tiny = { ...big, rectificationRate: ratio(0, 1) };
    expect(smallBasis(m('rectificationRate'), big, tiny)).toEqual({ now: 30, before: 1 });
    expect(smallBasis(m('rectificationRate'), tiny, big)).toEqual({ now: 1, before: 30 });
    expect(smallBasis(m('rectificationRate'), big, big)).toBeNull();
    expect(smallBasis(m('closureRate'), big, big)).toBeNull();
    // Times by the cases measured: 30 acknowledged is enough, 29 arrived is not.
    expect(smallBasis(m('ackMedian'), big, big)).toBeNull();
    expect(smallBasis(m('ackP90'), big, big)).toBeNull();
    expect(smallBasis(m('arriveMedian'), big, big)).toEqual({ now: 29, before: 29 });
    expect(smallBasis(m('arriveP90'), big, big)).toEqual({ now: 29, before: 29 });
    // A count never: its difference says it.
    expect(smallBasis(m('volume'), big, tiny)).toBeNull();
    expect(smallBasis(m('turnouts'), big, tiny)).toBeNull();
  });
});
