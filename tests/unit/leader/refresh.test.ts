// When the leader page asks GET /api/stats again by itself: a period that takes in today, the tab
// seen, the figures a minute old.
import { describe, expect, it } from 'vitest';
import { periodRuns, refreshDue, REFRESH_MS } from '../../../client/src/lib/leader/refresh';
import { presetPeriod } from '../../../client/src/lib/leader/periods';

const sh = (local: string) => Date.parse(`${local}+08:00`);

describe('leader page refresh', () => {
  it('runs a period that takes in today: every preset, a custom range until its last day has passed', () => {
    const now = sh('2026-12-06T09:48:00');
    for (const p of ['today', '7d', '30d', 'year'] as const)
      expect(periodRuns(p, presetPeriod(p, now), now), p).toBe(true);
    // A preset asked for yesterday still runs after midnight: the next load asks for the new day.
    expect(periodRuns('today', presetPeriod('today', sh('2026-12-05T23:59:00')), now)).toBe(true);
    expect(periodRuns('custom', { from: '2026-12-01', to: '2026-12-06' }, now)).toBe(true);
    expect(periodRuns('custom', { from: '2026-12-01', to: '2026-12-31' }, now)).toBe(true);
    expect(periodRuns('custom', { from: '2026-11-01', to: '2026-12-05' }, now)).toBe(false);
  });

  it('asks again once a minute while the tab is seen and the period runs', () => {
    const askedAt = sh('2026-12-06T09:48:00');
    const due = (o: Partial<Parameters<typeof refreshDue>[0]>) =>
      refreshDue({ visible: true, runs: true, askedAt, now: askedAt + REFRESH_MS, ...o });
    expect(REFRESH_MS).toBe(60_000);
    expect(due({})).toBe(true);
    expect(due({ visible: false })).toBe(false);
    expect(due({ runs: false })).toBe(false);
    // A load the leader asked for half a minute ago: the next tick, not this one.
    expect(due({ now: askedAt + 30_000 })).toBe(false);
    // A tab shown again after ten minutes catches up at once.
    expect(due({ now: askedAt + 600_000 })).toBe(true);
  });
});
