import { describe, expect, it } from 'vitest';
import { computeChange, formatChange, showsNoChange } from '../../../shared/kpi';

describe('环比', () => {
  it('changes counts and durations by ratio', () => {
    const c = computeChange(120, 100, 'ratio', 'neutral');
    expect(c.value).toBeCloseTo(0.2, 12);
    expect(c.verdict).toBe('neutral');
    expect(formatChange(c)).toBe('+20.0%');
  });

  it('changes rates by percentage points', () => {
    const c = computeChange(0.9, 0.85, 'points', 'up');
    expect(c.value).toBeCloseTo(5, 9);
    expect(c.verdict).toBe('better');
    expect(formatChange(c, '个百分点')).toBe('+5.0个百分点');
  });

  it('judges by the better direction of the measure', () => {
    expect(computeChange(30, 40, 'ratio', 'down').verdict).toBe('better'); // faster response
    expect(computeChange(5, 2, 'ratio', 'down').verdict).toBe('worse'); // more overdue
    expect(computeChange(0.8, 0.9, 'points', 'up').verdict).toBe('worse');
    expect(computeChange(3, 3, 'ratio', 'down').verdict).toBe('same');
  });

  it('has nothing to compare against an empty period or a missing figure', () => {
    expect(computeChange(5, 0, 'ratio', 'neutral').value).toBeNull();
    expect(formatChange(computeChange(5, 0, 'ratio', 'neutral'))).toBe('—');
    expect(computeChange(0, 0, 'ratio', 'down').value).toBe(0);
    expect(computeChange(null, 0.5, 'points', 'up').value).toBeNull();
    expect(formatChange(computeChange(90, 100, 'ratio', 'up'))).toBe('−10.0%');
  });

  it('signs a change as it is shown: one that rounds to nothing reads ±0.0 and is neither better nor worse', () => {
    // 延期率 4.20 % → 4.16 %: −0.04 个百分点, shown −0.0 in green before.
    const tiny = computeChange(0.0416, 0.042, 'points', 'down');
    expect(tiny.verdict).toBe('better');
    expect(formatChange(tiny, '个百分点')).toBe('±0.0个百分点');
    expect(showsNoChange(tiny)).toBe(true);
    expect(formatChange(computeChange(1000.4, 1000, 'ratio', 'neutral'))).toBe('±0.0%');
    expect(formatChange(computeChange(0.9, 0.85, 'points', 'up'), '个百分点')).toBe('+5.0个百分点');
    expect(showsNoChange(computeChange(0.9, 0.85, 'points', 'up'))).toBe(false);
    expect(formatChange(computeChange(3, 3, 'difference', 'down'))).toBe('±0');
    expect(showsNoChange(computeChange(5, 0, 'ratio', 'neutral'))).toBe(false);
  });
});
