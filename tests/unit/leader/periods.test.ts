import { describe, expect, it } from 'vitest';
import {
  customPeriod,
  daysOf,
  periodLabel,
  presetPeriod,
  previousPeriod,
} from '../../../client/src/lib/leader/periods';

// 2026-11-22 01:30 in Shanghai is still 2026-11-21 in UTC: the day must be Shanghai's.
const now = Date.parse('2026-11-21T17:30:00Z');

describe('leader periods', () => {
  it('counts presets in whole Asia/Shanghai days, ending tonight', () => {
    const today = presetPeriod('today', now);
    expect(periodLabel(today)).toBe('2026-11-22');
    expect(new Date(today.from).toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(daysOf(presetPeriod('7d', now))).toHaveLength(7);
    expect(periodLabel(presetPeriod('7d', now))).toBe('2026-11-16 – 2026-11-22');
    expect(daysOf(presetPeriod('30d', now))).toHaveLength(30);
    expect(periodLabel(presetPeriod('year', now))).toBe('2026-01-01 – 2026-11-22');
  });

  it('compares with the period of the same length just before', () => {
    expect(periodLabel(previousPeriod(presetPeriod('today', now)))).toBe('2026-11-21');
    expect(periodLabel(previousPeriod(presetPeriod('7d', now)))).toBe('2026-11-09 – 2026-11-15');
    const year = presetPeriod('year', now);
    const prev = previousPeriod(year);
    expect(prev.to).toBe(year.from);
    expect(prev.to - prev.from).toBe(year.to - year.from);
  });

  it('takes a custom range of inclusive days and refuses a reversed one', () => {
    expect(daysOf(customPeriod('2026-11-01', '2026-11-03')!)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
    ]);
    expect(customPeriod('2026-11-03', '2026-11-01')).toBeNull();
    expect(customPeriod('2026-11-31', '2026-12-01')).toBeNull();
  });
});
