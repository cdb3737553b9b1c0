import { describe, expect, it } from 'vitest';
import { shanghaiDay, shanghaiDayStart, shanghaiDaysBetween, startOfShanghaiDay } from '../../../shared/time';

describe('Asia/Shanghai days', () => {
  it('puts 23:30 UTC on the next Shanghai day', () => {
    expect(shanghaiDay(Date.UTC(2026, 0, 31, 15, 59, 59))).toBe('2026-01-31');
    expect(shanghaiDay(Date.UTC(2026, 0, 31, 16, 0, 0))).toBe('2026-02-01');
  });
  it('starts a day at 16:00 UTC the day before', () => {
    expect(startOfShanghaiDay(Date.UTC(2026, 1, 1, 3))).toBe(Date.UTC(2026, 0, 31, 16));
    expect(shanghaiDayStart('2026-02-01')).toBe(Date.UTC(2026, 0, 31, 16));
    expect(() => shanghaiDayStart('2026-2-1')).toThrow();
  });
  it('lists the days of a range inclusively', () => {
    expect(shanghaiDaysBetween(Date.UTC(2026, 0, 31, 15), Date.UTC(2026, 1, 1, 17))).toEqual([
      '2026-01-31',
      '2026-02-01',
      '2026-02-02',
    ]);
  });
});
