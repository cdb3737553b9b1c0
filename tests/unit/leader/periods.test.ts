import { describe, expect, it } from 'vitest';
import {
  customPeriod,
  customProblem,
  periodLabel,
  presetPeriod,
  previousCut,
} from '../../../client/src/lib/leader/periods';
import { comparisonBasis, statsPeriod } from '../../../shared/kpi';
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

  it('says what stops a custom range before asking the server: before 1971, or starting after today', () => {
    expect(customProblem('2026-11-01', '2026-11-22', now)).toBeNull();
    // Running on past today is a period that still runs (cut as it is now); starting after it, nothing to count.
    expect(customProblem('2026-11-16', '2026-11-30', now)).toBeNull();
    expect(customProblem('2026-11-23', '2026-11-30', now)).toBe('future');
    expect(customProblem('1960-01-01', '1960-01-05', now)).toBe('tooEarly');
    expect(customProblem('1970-12-31', '1971-01-05', now)).toBe('tooEarly');
    expect(customProblem('1971-01-01', '1971-01-05', now)).toBeNull();
    expect(customProblem('2026-11-03', '2026-11-01', now)).toBe('reversed');
    expect(customProblem('2025-01-01', '2026-11-01', now)).toBe('tooLong');
    expect(customProblem('', '2026-11-01', now)).toBe('incomplete');
  });

  it("names where 环比's previous period is cut while this one runs, and nothing when it is whole", () => {
    const sh = (local: string) => Date.parse(`${local}+08:00`);
    const basis = (from: string, to: string, now: string) => {
      const b = comparisonBasis(statsPeriod(from, to), sh(now));
      return { ...b.previous, until: b.until, asOf: b.asOf };
    };
    expect(previousCut(basis('2026-11-22', '2026-11-22', '2026-11-22T03:50:00'))).toBe('03:50');
    expect(previousCut(basis('2026-10-24', '2026-11-22', '2026-11-22T03:50:00'))).toBe('10-23 03:50');
    expect(previousCut(basis('2026-10-24', '2026-11-21', '2026-11-22T03:50:00'))).toBeNull();
  });
});
