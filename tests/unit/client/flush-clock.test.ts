import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushClock } from '../../../client/src/lib/flush-clock';

describe('FlushClock (when the map writes its sources after live changes)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes at once after a quiet period, then at most once a period, every source in one task', () => {
    const clock = new FlushClock(1000);
    const runs: Array<[string, number]> = [];
    const t0 = Date.now();
    const cases = () => runs.push(['cases', Date.now() - t0]);
    const heat = () => runs.push(['heat', Date.now() - t0]);

    clock.schedule(cases);
    clock.schedule(heat);
    clock.schedule(cases); // asked twice, written once
    vi.advanceTimersByTime(0);
    expect(runs).toEqual([
      ['cases', 0],
      ['heat', 0],
    ]);

    // A busy second: three changes, one write a period after the last.
    vi.advanceTimersByTime(200);
    clock.schedule(cases);
    vi.advanceTimersByTime(300);
    clock.schedule(cases);
    clock.schedule(heat);
    vi.advanceTimersByTime(499);
    expect(runs).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(runs.slice(2)).toEqual([
      ['cases', 1000],
      ['heat', 1000],
    ]);

    // Quiet again for more than a period: the next change is written at once.
    vi.advanceTimersByTime(1500);
    clock.schedule(heat);
    vi.advanceTimersByTime(0);
    expect(runs.slice(4)).toEqual([['heat', 2500]]);
  });

  it('is not held back when the wall clock is set back (an NTP correction on a screen that runs for weeks)', () => {
    const clock = new FlushClock(1000);
    const flush = vi.fn();
    clock.schedule(flush);
    vi.advanceTimersByTime(0);
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(1000);
    clock.schedule(flush);
    vi.advanceTimersByTime(0);
    expect(flush).toHaveBeenCalledTimes(2);
  });

  it('forgets a layer that is gone', () => {
    const clock = new FlushClock(1000);
    const cases = vi.fn();
    const heat = vi.fn();
    clock.schedule(cases);
    clock.schedule(heat);
    clock.cancel(heat);
    vi.advanceTimersByTime(0);
    expect(cases).toHaveBeenCalledTimes(1);
    expect(heat).not.toHaveBeenCalled();
    clock.schedule(heat);
    clock.cancel(heat);
    expect(vi.getTimerCount()).toBe(0);
  });
});
