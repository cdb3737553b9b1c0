// Which sends of a case went back to a unit that had returned it (退回未同意，重新派遣): the desk's
// banner and row read the last (CaseView.redispatch, server/cases/view.ts), the big screen's
// timeline marks each (shared/cases caseSends).
import { describe, expect, it } from 'vitest';
import { caseSends, lastReturnOf, type CaseView } from '../../../shared/cases';
import { addReturnHistory, redispatchOf } from '../../../server/cases/view';

const DC = { kind: 'township', code: '140581002', name: '东城街道' } as const;
const BC = { kind: 'township', code: '140581001', name: '北城街道' } as const;
const CGJ = { kind: 'department', code: 'cgj', name: '城管局' } as const;
let seq = 0;
const ev = (type: string, payload: Record<string, unknown>) => ({
  seq: ++seq,
  type,
  at: seq * 1000,
  payload,
});

describe('caseSends', () => {
  it('marks a send to a unit that returned the case before, and no other', () => {
    const events = [
      ev('created', {}),
      ev('dispatch', { assignee: DC, auto: true }),
      ev('return', { returnedBy: DC, reason: '非本街道职权' }),
      ev('dispatch', { assignee: CGJ }),
      ev('return', { returnedBy: CGJ, reason: '不属本部门' }),
      ev('reassign', { assignee: DC, reason: '经协调，由属地办理' }),
    ];
    expect(caseSends(events).map((s) => [s.event.type, s.to, s.again])).toEqual([
      ['dispatch', 'township:140581002', false],
      ['dispatch', 'department:cgj', false],
      ['reassign', 'township:140581002', true],
    ]);
    expect(redispatchOf(DC, events)).toEqual({ at: events[5]!.at, note: '经协调，由属地办理' });
  });

  it('passes over a send naming no unit, and does not mark one to a unit that never returned the case', () => {
    const events = [
      ev('dispatch', { assignee: DC }),
      ev('return', { returnedBy: DC }),
      ev('dispatch', {}),
      ev('dispatch', { assignee: BC, note: '北城街道办理' }),
    ];
    expect(caseSends(events).map((s) => s.again)).toEqual([false, false]);
    // The case is with 北城, which never returned it: no 重新派遣.
    expect(redispatchOf(BC, events)).toBeNull();
    // A timeline from the client may carry entries with no payload.
    expect(caseSends([{ type: 'dispatch' }, { type: 'return' }])).toEqual([]);
  });
});

describe('lastReturnOf', () => {
  it('reads the last 退回: who, when, why; nothing when there is none', () => {
    const events = [
      ev('dispatch', { assignee: DC }),
      ev('return', { returnedBy: DC, reason: '不在本街道' }),
      ev('dispatch', { assignee: BC }),
      ev('return', { returnedBy: BC, reason: '位置有误' }),
    ];
    expect(lastReturnOf(events)).toEqual({ at: events[3]!.at, by: BC, reason: '位置有误' });
    expect(lastReturnOf(events.slice(0, 1))).toBeNull();
    // A return naming no unit (or one not a unit) says so rather than inventing one.
    expect(lastReturnOf([ev('return', { returnedBy: null, reason: 'x' })])).toMatchObject({ by: null });
    expect(lastReturnOf([ev('return', { returnedBy: { name: 1 } })])).toMatchObject({ by: null, reason: '' });
  });

  it('is on a returned case’s view only (addReturnHistory)', () => {
    const events = [ev('dispatch', { assignee: DC }), ev('return', { returnedBy: DC, reason: '位置有误' })];
    const returned = { status: 'returned', assignee: null } as CaseView;
    addReturnHistory(returned, events);
    expect(returned.lastReturn).toEqual({ at: events[1]!.at, by: DC, reason: '位置有误' });
    const sentOn = { status: 'dispatched', assignee: BC } as CaseView;
    addReturnHistory(sentOn, [...events, ev('dispatch', { assignee: BC })]);
    expect(sentOn.lastReturn).toBeUndefined();
  });
});
