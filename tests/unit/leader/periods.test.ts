import { describe, expect, it } from 'vitest';
import { customPeriod, periodLabel, presetPeriod } from '../../../client/src/lib/leader/periods';
import { isDay } from '../../../shared/time';

// 2026-11-22 01:30 in Shanghai is still 2026-11-21 in UTC: the day must be Shanghai's.
const now = Date.parse('2026-11-21T17:30:00Z');

describe('leader periods', () => {
  it('counts presets in whole Asia/Shanghai days, ending today', () => {
    expect(presetPeriod('today', now)).toEqual({ from: '2026-11-22', to: '2026-11-22' });
    expect(periodLabel(presetPeriod('today', now))).toBe('2026-11-22');
    expect(presetPeriod('7d', now)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(periodLabel(presetPeriod('7d', now))).toBe('2026-11-16 – 2026-11-22');
    expect(presetPeriod('30d', now)).toEqual({ from: '2026-10-24', to: '2026-11-22' });
    expect(presetPeriod('year', now)).toEqual({ from: '2026-01-01', to: '2026-11-22' });
  });

  it('takes a custom range of inclusive days and refuses a reversed or impossible one', () => {
    expect(customPeriod('2026-11-01', '2026-11-03')).toEqual({ from: '2026-11-01', to: '2026-11-03' });
    expect(customPeriod('2026-11-03', '2026-11-01')).toBeNull();
    expect(customPeriod('2026-11-31', '2026-12-01')).toBeNull();
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-13-45')).toBe(false);
    expect(customPeriod('2026-13-45', '2026-12-01')).toBeNull();
  });
});
