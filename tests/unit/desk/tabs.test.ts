import { describe, expect, it } from 'vitest';
import {
  casesInTab,
  countTabs,
  deskTabs,
  isNewTask,
  tabDeadline,
  tabOf,
  type TabCase,
} from '../../../client/src/lib/desk/tabs';

const H = 3600_000;
function c(id: string, status: string, extra: Partial<TabCase> & { arrivedAt?: number | null } = {}) {
  return {
    id,
    status,
    createdAt: 0,
    updatedAt: 0,
    deadlines: { acknowledge: null, arrive: null, finish: null, rectify: null },
    ...extra,
  };
}

describe('desk tabs', () => {
  it('puts each state in the tab a clerk looks for it in', () => {
    expect(tabOf(c('a', 'dispatched'))).toBe('acknowledge');
    expect(tabOf(c('a', 'accepted'))).toBe('in_progress');
    expect(tabOf(c('a', 'in_progress'))).toBe('in_progress');
    expect(tabOf(c('a', 'in_progress', { rework: true }))).toBe('rework');
    expect(tabOf(c('a', 'rectifying'))).toBe('rectifying');
    expect(tabOf(c('a', 'resolved'))).toBe('done');
    expect(tabOf(c('a', 'closed'))).toBe('done');
    expect(tabOf(c('a', 'returned'))).toBe('done');
    // Still with the command centre: not the desk's work.
    expect(tabOf(c('a', 'reported'))).toBeNull();
    expect(tabOf(c('a', 'rejected'))).toBeNull();
  });

  it('puts another unit’s task the desk cooperates on (协办) in its own tab while open, and nowhere once closed', () => {
    for (const s of ['dispatched', 'accepted', 'in_progress', 'rectifying', 'resolved'])
      expect(tabOf(c('a', s, { cooperating: true })), s).toBe('cooperating');
    expect(tabOf(c('a', 'in_progress', { cooperating: true, rework: true }))).toBe('cooperating');
    for (const s of ['closed', 'returned', 'reported', 'rejected'])
      expect(tabOf(c('a', s, { cooperating: true })), s).toBeNull();
    // Its row counts down the lead unit's clock: 签收, then 到场/办结, 整改; none once resolved.
    const d = { acknowledge: 1 * H, arrive: 2 * H, finish: 3 * H, rectify: 4 * H };
    expect(tabDeadline(c('a', 'dispatched', { cooperating: true, deadlines: d }), false)).toBe(1 * H);
    expect(tabDeadline(c('a', 'in_progress', { cooperating: true, deadlines: d }), false)).toBe(2 * H);
    expect(tabDeadline(c('a', 'in_progress', { cooperating: true, deadlines: d }), true)).toBe(3 * H);
    expect(tabDeadline(c('a', 'rectifying', { cooperating: true, deadlines: d }), true)).toBe(4 * H);
    expect(tabDeadline(c('a', 'resolved', { cooperating: true, deadlines: d }), true)).toBeNull();
  });

  it('shows 协办 on a township’s desk only: a department is never the cooperating party', () => {
    expect(deskTabs({ kind: 'township' })).toContain('cooperating');
    expect(deskTabs({ kind: 'department' })).not.toContain('cooperating');
    expect(deskTabs({ kind: 'department' })).toHaveLength(5);
  });

  it('counts every tab, zero included', () => {
    const counts = countTabs([
      c('1', 'dispatched'),
      c('2', 'dispatched'),
      c('3', 'in_progress', { rework: true }),
      c('4', 'closed'),
      c('5', 'reported'),
      c('6', 'dispatched', { cooperating: true }),
    ]);
    expect(counts).toEqual({
      acknowledge: 2,
      in_progress: 0,
      rectifying: 0,
      rework: 1,
      done: 1,
      cooperating: 1,
    });
  });

  it('orders open tabs by the nearest deadline, overdue first, no deadline last', () => {
    const now = 100 * H;
    const rows = casesInTab(
      [
        c('later', 'dispatched', {
          deadlines: { acknowledge: now + 2 * H, arrive: null, finish: null, rectify: null },
        }),
        c('none', 'dispatched'),
        c('over', 'dispatched', {
          deadlines: { acknowledge: now - H, arrive: null, finish: null, rectify: null },
        }),
        c('soon', 'dispatched', {
          deadlines: { acknowledge: now + H, arrive: null, finish: null, rectify: null },
        }),
        c('other-tab', 'in_progress'),
      ],
      'acknowledge',
    );
    expect(rows.map((r) => r.id)).toEqual(['over', 'soon', 'later', 'none']);
  });

  it('uses the arrival deadline until the team has arrived, then the finish deadline', () => {
    const dl = { acknowledge: null, arrive: 5 * H, finish: 10 * H, rectify: null };
    const rows = casesInTab(
      [
        c('arrived', 'in_progress', { deadlines: { ...dl, finish: 4 * H }, arrivedAt: 1 }),
        c('not-arrived', 'in_progress', { deadlines: dl }),
      ],
      'in_progress',
    );
    expect(rows.map((r) => r.id)).toEqual(['arrived', 'not-arrived']);
  });

  it('shows the done tab newest first', () => {
    const rows = casesInTab(
      [c('old', 'closed', { updatedAt: 1 }), c('new', 'resolved', { updatedAt: 9 })],
      'done',
    );
    expect(rows.map((r) => r.id)).toEqual(['new', 'old']);
    // By when each left the desk (its row shows that time), not by a later touch such as a 督办.
    const byDone = casesInTab(
      [
        c('escalated-later', 'resolved', { doneAt: 5, updatedAt: 50 }),
        c('closed-last', 'closed', { doneAt: 20, updatedAt: 20 }),
      ],
      'done',
    );
    expect(byDone.map((r) => r.id)).toEqual(['closed-last', 'escalated-later']);
  });

  it('announces a task only when it newly waits for acknowledgement', () => {
    expect(isNewTask(undefined, { status: 'dispatched' })).toBe(true);
    expect(isNewTask({ status: 'returned' }, { status: 'dispatched' })).toBe(true);
    expect(isNewTask({ status: 'dispatched' }, { status: 'dispatched' })).toBe(false);
    expect(isNewTask(undefined, { status: 'accepted' })).toBe(false);
  });
});
