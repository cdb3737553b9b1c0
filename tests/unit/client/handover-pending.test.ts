// A handover as kept: what is left open and what the shift did, read the same from a handover
// written before 延期 (no 延期审批 kind, no 同意延期 / 不同意延期 counts) as from one written since.
import { describe, expect, it } from 'vitest';
import { activityOf, pendingOf } from '../../../client/src/lib/handover-pending';
import type { ShiftSummary } from '../../../shared/handovers';

const now: Pick<ShiftSummary, 'activity' | 'pending'> = {
  activity: {
    reported: 5,
    dispatched: 4,
    reassigned: 0,
    rejected: 1,
    returned: 0,
    resolved: 2,
    closed: 2,
    reworked: 0,
    escalated: 1,
    extended: 2,
    extensionDenied: 0,
    overdue: 1,
  },
  pending: {
    reported: { count: 1, cases: [{ id: 'a', no: '20260501-0001' }] },
    returned: { count: 0, cases: [] },
    overdue: { count: 0, cases: [] },
    extension: { count: 1, cases: [{ id: 'b', no: '20260501-0002' }] },
    resolved: { count: 0, cases: [] },
  },
};

/** The same summary as a handover kept before 延期 holds it: those keys absent from the stored JSON. */
const before = JSON.parse(
  JSON.stringify(now, (k, v: unknown) =>
    ['extended', 'extensionDenied', 'extension'].includes(k) ? undefined : v,
  ),
) as typeof now;

describe('a kept handover', () => {
  it('reads each count and kind it holds, a zero as zero', () => {
    expect(activityOf(now, 'extended')).toBe(2);
    expect(activityOf(now, 'extensionDenied')).toBe(0);
    expect(pendingOf(now, 'extension')).toEqual({ count: 1, cases: [{ id: 'b', no: '20260501-0002' }] });
  });

  it('reads a count it predates as not recorded (null), and a kind it predates as none', () => {
    expect(activityOf(before, 'extended')).toBeNull();
    expect(activityOf(before, 'extensionDenied')).toBeNull();
    expect(activityOf(before, 'reported')).toBe(5);
    expect(pendingOf(before, 'extension')).toEqual({ count: 0, cases: [] });
    expect(pendingOf(before, 'reported').count).toBe(1);
  });
});
