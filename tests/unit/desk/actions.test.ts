import { describe, expect, it } from 'vitest';
import {
  actionPayload,
  emptyForm,
  finishDuePreview,
  followMembers,
  isAssigneeOf,
  offeredActions,
  parseShanghaiLocal,
  toShanghaiLocal,
  validateAction,
} from '../../../client/src/lib/desk/actions';

const limits = { maxText: 10, maxPhotos: 2 };

describe('desk actions', () => {
  // These run against the real lifecycle table in shared/workflow.ts.
  const mine = { role: 'township', isAssignee: true, arrived: false } as const;
  it('offers only what the lifecycle table allows, in the order a clerk works', () => {
    expect(offeredActions({ ...mine, state: 'dispatched' })).toEqual(['acknowledge', 'return']);
    expect(offeredActions({ ...mine, state: 'accepted' })).toEqual(['start']);
    expect(offeredActions({ ...mine, state: 'in_progress' })).toEqual([
      'arrive',
      'order_rectification',
      'resolve',
    ]);
    expect(offeredActions({ ...mine, state: 'rectifying' })).toEqual(['report_rectified']);
    expect(offeredActions({ ...mine, state: 'resolved' })).toEqual([]);
    expect(offeredActions({ ...mine, state: 'closed' })).toEqual([]);
  });

  it("offers nothing on a case that is not the user's, nor to a leader or the commander", () => {
    expect(offeredActions({ ...mine, state: 'dispatched', isAssignee: false })).toEqual([]);
    expect(offeredActions({ ...mine, state: 'dispatched', role: 'leader' })).toEqual([]);
    expect(offeredActions({ ...mine, state: 'dispatched', role: 'commander' })).toEqual([]);
    // admin may stand in for any assignee (shared/workflow.ts)
    expect(offeredActions({ ...mine, state: 'dispatched', role: 'admin', isAssignee: false })).toEqual([
      'acknowledge',
      'return',
    ]);
  });

  it('does not offer arrival twice', () => {
    expect(offeredActions({ ...mine, state: 'in_progress', arrived: true })).toEqual([
      'order_rectification',
      'resolve',
    ]);
  });

  it("knows the user's own party", () => {
    expect(
      isAssigneeOf({ kind: 'township', code: '140581002' }, { kind: 'township', code: '140581002' }),
    ).toBe(true);
    expect(
      isAssigneeOf({ kind: 'township', code: '140581002' }, { kind: 'township', code: '140581001' }),
    ).toBe(false);
    expect(isAssigneeOf({ kind: 'department', code: 'zrzyj' }, { kind: 'township', code: 'zrzyj' })).toBe(
      false,
    );
    expect(isAssigneeOf({ kind: 'county' }, null)).toBe(false);
  });

  it('requires a reason to return, a team and members to start, a result to resolve', () => {
    expect(validateAction('return', emptyForm(), 0, limits)).toEqual({ reason: 'required' });
    expect(validateAction('return', { ...emptyForm(), reason: '   ' }, 0, limits)).toEqual({
      reason: 'required',
    });
    expect(validateAction('return', { ...emptyForm(), reason: 'x'.repeat(11) }, 0, limits)).toEqual({
      reason: 'tooLong',
    });
    expect(validateAction('start', emptyForm(), 0, limits)).toEqual({
      teamId: 'required',
      memberIds: 'noMembers',
    });
    expect(validateAction('start', emptyForm(), 0, { ...limits, hasTeams: false })).toEqual({});
    expect(validateAction('resolve', emptyForm(), 0, limits)).toEqual({ result: 'required' });
    expect(
      validateAction('resolve', { ...emptyForm(), result: '已清理', photoIds: ['a', 'b', 'c'] }, 0, limits),
    ).toEqual({ photoIds: 'tooMany' });
    expect(validateAction('acknowledge', emptyForm(), 0, limits)).toEqual({});
  });

  it('wants a rectification deadline in the future, read in Asia/Shanghai', () => {
    const now = Date.parse('2026-11-22T02:00:00Z'); // 10:00 in Shanghai
    expect(validateAction('order_rectification', emptyForm(), now, limits)).toEqual({ deadline: 'required' });
    expect(
      validateAction('order_rectification', { ...emptyForm(), deadline: '2026-11-22T09:59' }, now, limits),
    ).toEqual({ deadline: 'notFuture' });
    expect(
      validateAction('order_rectification', { ...emptyForm(), deadline: '2026-11-25T18:00' }, now, limits),
    ).toEqual({});
    expect(parseShanghaiLocal('2026-11-25T18:00')).toBe(Date.parse('2026-11-25T10:00:00Z'));
    expect(toShanghaiLocal(Date.parse('2026-11-25T10:00:00Z'))).toBe('2026-11-25T18:00');
  });

  it('sends trimmed text, the team with its head count and who went, and the photos', () => {
    const form = {
      ...emptyForm(),
      result: ' 已清理完毕 ',
      photoIds: ['p1'],
      teamId: 't1',
      memberIds: ['m1', 'm2'],
      memberNames: ['张伟', '李娜'],
    };
    expect(actionPayload('resolve', form)).toEqual({ result: '已清理完毕', evidence: ['p1'] });
    expect(actionPayload('start', form)).toEqual({
      teamId: 't1',
      personnel: 2,
      note: '出动队员：张伟、李娜',
    });
    expect(actionPayload('report_rectified', { ...form, note: '已拆除' })).toEqual({
      note: '已拆除',
      photos: ['p1'],
    });
    expect(actionPayload('acknowledge', form)).toEqual({});
  });

  describe('finishDuePreview (整改期间不计入办结时限)', () => {
    const now = Date.parse('2026-12-05T12:53:00+08:00');
    const finish = { dueAt: Date.parse('2026-12-06T12:53:00+08:00'), metAt: null, overdueAt: null };
    it('says where the finish deadline moves: the 24 h left, after the rectification', () => {
      expect(finishDuePreview(finish, '2026-12-08T18:00', now)).toEqual({
        moves: true,
        at: Date.parse('2026-12-09T18:00:00+08:00'),
      });
    });
    it('says a finish deadline already past does not move', () => {
      expect(finishDuePreview({ ...finish, dueAt: now - 1 }, '2026-12-08T18:00', now)).toEqual({
        moves: false,
        at: now - 1,
      });
      const marked = { ...finish, overdueAt: now };
      expect(finishDuePreview(marked, '2026-12-08T18:00', now)).toEqual({ moves: false, at: finish.dueAt });
    });
    it('says nothing without a running finish clock or a valid future deadline', () => {
      expect(finishDuePreview(undefined, '2026-12-08T18:00', now)).toBeNull();
      expect(finishDuePreview({ ...finish, metAt: now }, '2026-12-08T18:00', now)).toBeNull();
      expect(finishDuePreview(finish, '', now)).toBeNull();
      expect(finishDuePreview(finish, '2026-12-01T18:00', now)).toBeNull();
    });
  });

  describe('the members ticked while the team changes (npm run teams -- member …)', () => {
    const form = { memberIds: ['T1-m01', 'T1-m02', 'T1-m03'], memberNames: ['队员01', '队员02', '队员03'] };

    it('untick one taken off, and send one renamed under the name they have now', () => {
      const members = [
        { id: 'T1-m01', name: '王建国' },
        { id: 'T1-m03', name: '队员03' },
        { id: 'T1-m04', name: '李明' },
      ];
      const now = followMembers(form, members)!;
      expect(now).toEqual({ memberIds: ['T1-m01', 'T1-m03'], memberNames: ['王建国', '队员03'] });
      // As sent: the head count and the note follow (出动人次 2, not 3).
      const payload = actionPayload('start', { ...emptyForm(), teamId: 'T1', ...now });
      expect(payload).toMatchObject({ teamId: 'T1', personnel: 2, note: '出动队员：王建国、队员03' });
    });

    it('change nothing when the ticked members are as they were', () => {
      const same = form.memberIds.map((id, i) => ({ id, name: form.memberNames[i]! }));
      expect(followMembers(form, [...same, { id: 'T1-m09', name: '新队员' }])).toBeNull();
    });
  });
});
