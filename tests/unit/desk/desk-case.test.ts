import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import {
  isCooperatingCase,
  isOwnCase,
  isRework,
  partyParam,
  replacesSnapshot,
  rowMoment,
  toTabCase,
} from '../../../client/src/lib/desk/desk-case';
import { formatShanghai, placeOf } from '../../../client/src/lib/desk/format';

const DONGCHENG = { kind: 'township' as const, code: '140581002', name: '东城街道' };

function view(over: Partial<CaseView> = {}): CaseView {
  return {
    id: 'c1',
    version: 3,
    status: 'in_progress',
    assignee: DONGCHENG,
    deadlines: { acknowledge: 1000, arrive: 2000, finish: 9000, rectify: null },
    deadlineState: {
      acknowledge: { dueAt: 1000, metAt: 500, overdueAt: null },
      arrive: { dueAt: 2000, metAt: null, overdueAt: null },
      finish: { dueAt: 9000, metAt: null, overdueAt: null },
    },
    resolvedAt: null,
    arrivedAt: null,
    overdue: false,
    createdAt: 1,
    updatedAt: 2,
    ...over,
  } as CaseView;
}

describe('desk cases', () => {
  it('shows, and orders 已办理 by, when the work left the desk; work in hand by its dispatch', () => {
    const at = { createdAt: 1, dispatchedAt: 10, resolvedAt: 50, closedAt: 90, updatedAt: 95 };
    expect(rowMoment(view({ ...at, status: 'closed' }))).toEqual({ kind: 'closed', at: 90 });
    // Escalated (督办) after it was resolved: still shown at its resolution.
    expect(rowMoment(view({ ...at, status: 'resolved', closedAt: null }))).toEqual({
      kind: 'resolved',
      at: 50,
    });
    expect(rowMoment(view({ ...at, status: 'returned', resolvedAt: null, closedAt: null }))).toEqual({
      kind: 'returned',
      at: 95,
    });
    // A 返工 in hand carries its earlier resolution; it shows when it was dispatched.
    expect(rowMoment(view({ ...at, status: 'in_progress', closedAt: null }))).toEqual({
      kind: 'dispatched',
      at: 10,
    });
    expect(rowMoment(view({ ...at, status: 'reported', dispatchedAt: null }))).toEqual({
      kind: 'reported',
      at: 1,
    });
    expect(toTabCase(view({ ...at, status: 'closed' }), DONGCHENG).doneAt).toBe(90);
  });

  it("is the desk's own work only while assigned to its party", () => {
    expect(isOwnCase(view(), { kind: 'township', code: '140581002' })).toBe(true);
    expect(isOwnCase(view(), { kind: 'township', code: '140581101' })).toBe(false);
    expect(isOwnCase(view({ assignee: null }), { kind: 'township', code: '140581002' })).toBe(false);
    expect(isOwnCase(view(), null)).toBe(false);
    expect(partyParam({ kind: 'department', code: 'zrzyj' })).toBe('department:zrzyj');
  });

  it('knows a task it cooperates on (协办): another unit’s, with its own unit among the cooperating', () => {
    const cgj = { kind: 'department' as const, code: 'cgj', name: '城管局' };
    const helped = view({ assignee: cgj, cooperating: [DONGCHENG] });
    expect(isCooperatingCase(helped, DONGCHENG)).toBe(true);
    expect(toTabCase(helped, DONGCHENG).cooperating).toBe(true);
    expect(isCooperatingCase(helped, cgj)).toBe(false); // the department leads it
    expect(isCooperatingCase(helped, { kind: 'township', code: '140581001' })).toBe(false);
    expect(isCooperatingCase(view({ cooperating: [DONGCHENG] }), DONGCHENG)).toBe(false); // its own
    expect(isCooperatingCase(helped, null)).toBe(false);
    expect(toTabCase(view(), DONGCHENG).cooperating).toBe(false);
  });

  it('knows rework: handled again after a resolution, or a verify_fail in the timeline', () => {
    expect(isRework(view())).toBe(false);
    expect(isRework(view({ resolvedAt: 5000 }))).toBe(true);
    expect(isRework(view({ status: 'resolved', resolvedAt: 5000 }))).toBe(false);
    const ev = (type: string) => ({ type }) as NonNullable<CaseView['timeline']>[number];
    expect(
      isRework(view({ resolvedAt: 5000, timeline: [ev('resolve'), ev('verify_fail'), ev('arrive')] })),
    ).toBe(true);
    expect(isRework(view({ resolvedAt: null, timeline: [ev('acknowledge')] }))).toBe(false);
    expect(toTabCase(view({ resolvedAt: 5000 }), DONGCHENG).rework).toBe(true);
  });

  it('counts down only the deadlines not yet met', () => {
    expect(toTabCase(view(), DONGCHENG).deadlines).toEqual({
      acknowledge: null,
      arrive: 2000,
      finish: 9000,
      rectify: null,
    });
  });

  it('shows times in Asia/Shanghai and the place as its chain of units', () => {
    expect(formatShanghai(Date.parse('2026-11-22T01:05:00Z'))).toBe('11-22 09:05');
    expect(formatShanghai(Date.parse('2026-11-22T16:30:00Z'), true)).toBe('2026-11-23 00:30');
    expect(formatShanghai(null)).toBe('—');
    expect(placeOf({ township: { name: '东城街道' }, first: { name: '城东社区' } })).toBe(
      '东城街道 · 城东社区',
    );
    expect(placeOf(null)).toBe('');
  });

  it('takes the overdue mark heard live although the version did not change, and never undoes it', () => {
    const before = view();
    const marked = view({
      overdue: true,
      deadlineState: {
        ...before.deadlineState,
        arrive: { dueAt: 2000, metAt: null, overdueAt: 2001 },
      },
    });
    // The mark's event: same version, one more deadline marked → the desk shows 超时.
    expect(replacesSnapshot(marked, 3, before, false)).toBe(true);
    // An earlier event of the same version arriving after it (another server process) is not kept.
    expect(replacesSnapshot(before, 3, marked, false)).toBe(false);
    // The same snapshot again (a resync page) changes nothing.
    expect(replacesSnapshot(marked, 3, marked, false)).toBe(false);
    // Not held (left the desk): only a newer version brings it back.
    expect(replacesSnapshot(marked, 3, undefined, false)).toBe(false);
    expect(replacesSnapshot(view({ version: 4 }), 3, marked, false)).toBe(true);
    expect(replacesSnapshot(view({ version: 2 }), 3, marked, true)).toBe(false);
    // A read is current: it replaces the same version, marks or not.
    expect(replacesSnapshot(before, 3, marked, true)).toBe(true);
  });
});
