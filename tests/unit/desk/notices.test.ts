import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import {
  arrivalNotice,
  dismissKind,
  dismissNotice,
  forgetCase,
  isMoot,
  isRedispatch,
  isStillNew,
  noticesOf,
  NOTICES_PER_KIND,
  pushNotice,
  refreshNoticeCases,
  restoreNews,
  storeNews,
  type Notice,
  type NoticeKind,
} from '../../../client/src/lib/desk/notices';

const view = (id: string, version = 1) => ({ id, version, no: `NO-${id}` }) as CaseView;
const notice = (kind: NoticeKind, id: string, at: number, reason = ''): Notice => ({
  kind,
  case: view(id),
  at,
  reason,
});
const ids = (list: Notice[], kind: NoticeKind) => noticesOf(list, kind).map((n) => n.case.id);

describe("the desk's notices", () => {
  it('keeps every notice of a kind, newest first, each kind apart', () => {
    let list: Notice[] = [];
    list = pushNotice(list, notice('escalation', 'a', 1, '请尽快到场'));
    list = pushNotice(list, notice('merged', 'a', 2));
    list = pushNotice(list, notice('escalation', 'b', 3, '已超时'));
    expect(ids(list, 'escalation')).toEqual(['b', 'a']);
    expect(ids(list, 'merged')).toEqual(['a']);
    expect(ids(list, 'rework')).toEqual([]);
  });

  it('lists a case once per kind: news of it again replaces its entry and comes first', () => {
    let list: Notice[] = [];
    list = pushNotice(list, notice('escalation', 'a', 1, '第一次督办'));
    list = pushNotice(list, notice('escalation', 'b', 2));
    list = pushNotice(list, notice('escalation', 'a', 3, '第二次督办'));
    expect(ids(list, 'escalation')).toEqual(['a', 'b']);
    expect(noticesOf(list, 'escalation')[0]!.reason).toBe('第二次督办');
  });

  it('puts away the newest (the banner’s), then the next shows; or one case’s; or the whole kind', () => {
    let list: Notice[] = [];
    for (const [i, id] of ['a', 'b', 'c'].entries()) list = pushNotice(list, notice('rework', id, i));
    list = pushNotice(list, notice('escalation', 'a', 9));
    expect(ids(dismissNotice(list, 'rework'), 'rework')).toEqual(['b', 'a']);
    expect(ids(dismissNotice(list, 'rework', 'b'), 'rework')).toEqual(['c', 'a']);
    // Another kind's notice of the same case stays.
    expect(ids(dismissNotice(list, 'rework', 'a'), 'escalation')).toEqual(['a']);
    expect(ids(dismissKind(list, 'rework'), 'rework')).toEqual([]);
    expect(ids(dismissKind(list, 'rework'), 'escalation')).toEqual(['a']);
    // Nothing to put away: the same notices.
    expect(dismissNotice(list, 'merged')).toEqual(list);
    expect(dismissNotice(list, 'rework', 'zzz')).toEqual(list);
  });

  it('keeps at most NOTICES_PER_KIND of a kind, dropping the oldest, other kinds untouched', () => {
    let list: Notice[] = [notice('merged', 'm', 0)];
    for (let i = 0; i < NOTICES_PER_KIND + 5; i++) list = pushNotice(list, notice('arrival', `c${i}`, i));
    const arrivals = ids(list, 'arrival');
    expect(arrivals).toHaveLength(NOTICES_PER_KIND);
    expect(arrivals[0]).toBe(`c${NOTICES_PER_KIND + 4}`);
    expect(arrivals.at(-1)).toBe('c5');
    expect(ids(list, 'merged')).toEqual(['m']);
  });

  it("follows its case's newer snapshot, and leaves the list as it is when it holds no such case", () => {
    const list = [notice('escalation', 'a', 1), notice('rework', 'b', 2), notice('merged', 'a', 3)];
    const newer = view('a', 5);
    const out = refreshNoticeCases(list, newer);
    expect(out.filter((n) => n.case.id === 'a').map((n) => n.case.version)).toEqual([5, 5]);
    expect(out[1]).toBe(list[1]);
    expect(refreshNoticeCases(list, view('zzz'))).toBe(list);
    expect(refreshNoticeCases(out, newer)).toBe(out);
  });

  it("drops a new task's notice once a colleague has acknowledged it, and keeps the task's other news", () => {
    const waiting = { ...view('a', 1), status: 'dispatched' } as CaseView;
    const list = [{ ...notice('arrival', 'a', 1), case: waiting }, notice('escalation', 'a', 2)];
    // Still waiting for 签收 (a 督办 counted a version): the new-task notice stays.
    const chased = refreshNoticeCases(list, { ...waiting, version: 2 } as CaseView);
    expect(noticesOf(chased, 'arrival').map((n) => n.case.version)).toEqual([2]);
    // Acknowledged elsewhere: no longer news; the 督办 stays, with the task as it is now.
    const taken = refreshNoticeCases(chased, { ...waiting, version: 3, status: 'accepted' } as CaseView);
    expect(ids(taken, 'arrival')).toEqual([]);
    expect(noticesOf(taken, 'escalation').map((n) => n.case.status)).toEqual(['accepted']);
  });

  it("drops any notice its case's state makes moot: out of 返工, a chased task done, a merged-into case closed", () => {
    // A task sent back (核查不通过: in hand again, resolved once), chased and reported again meanwhile.
    const rework = { ...view('a', 5), status: 'in_progress', resolvedAt: 1 } as CaseView;
    const list = [
      { ...notice('rework', 'a', 1), case: rework },
      { ...notice('escalation', 'a', 2), case: rework },
      { ...notice('merged', 'a', 3), case: rework },
      notice('rework', 'b', 4),
    ];
    // Still in 返工 (a team sent, arrived): all stays.
    const arrived = refreshNoticeCases(list, { ...rework, version: 6, arrivedAt: 9 } as CaseView);
    expect(arrived.map((n) => `${n.kind}:${n.case.id}`)).toEqual(list.map((n) => `${n.kind}:${n.case.id}`));
    // Rectification ordered: the rework is under way, out of 返工; the 督办 and the report stay.
    const ordered = refreshNoticeCases(list, { ...rework, version: 7, status: 'rectifying' } as CaseView);
    expect(ordered.map((n) => `${n.kind}:${n.case.id}`)).toEqual(['escalation:a', 'merged:a', 'rework:b']);
    // Done again (办结): nothing left to chase either.
    const resolved = refreshNoticeCases(list, { ...rework, version: 8, status: 'resolved' } as CaseView);
    expect(resolved.map((n) => `${n.kind}:${n.case.id}`)).toEqual(['merged:a', 'rework:b']);
    // Closed (结案): no news of it is left; another case's stays.
    const closed = refreshNoticeCases(resolved, { ...rework, version: 9, status: 'closed' } as CaseView);
    expect(closed.map((n) => `${n.kind}:${n.case.id}`)).toEqual(['rework:b']);
  });

  it('says which news each state makes moot, and which tasks still look new (新)', () => {
    const at = (status: string, resolvedAt: number | null = null) =>
      ({ status, resolvedAt }) as Pick<CaseView, 'status' | 'resolvedAt'>;
    const moot = (kind: NoticeKind) =>
      [
        at('dispatched'),
        at('accepted'),
        at('in_progress'),
        at('in_progress', 1),
        at('rectifying', 1),
        at('resolved', 1),
        at('closed', 1),
        at('returned'),
      ].map((c) => (isMoot(kind, c) ? 1 : 0));
    expect(moot('arrival')).toEqual([0, 1, 1, 1, 1, 1, 1, 1]);
    expect(moot('rework')).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
    expect(moot('escalation')).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(moot('merged')).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    // A timeline says outright whether the task is rework: sent back, not resolved since.
    const timeline = (...types: string[]) => types.map((type) => ({ type })) as CaseView['timeline'];
    const sentBack = {
      status: 'in_progress' as const,
      resolvedAt: 1,
      timeline: timeline('resolve', 'verify_fail'),
    };
    expect(isMoot('rework', sentBack)).toBe(false);
    expect(isMoot('rework', { ...sentBack, timeline: timeline('verify_fail', 'resolve') })).toBe(true);
    const states = ['dispatched', 'accepted', 'closed'] as const;
    expect(states.map((status) => isStillNew({ status }))).toEqual([true, false, false]);
  });

  it('forgets every notice of a case that has left the desk, and keeps the list when it had none', () => {
    const list = [notice('escalation', 'a', 1), notice('rework', 'b', 2), notice('merged', 'a', 3)];
    expect(forgetCase(list, 'a').map((n) => `${n.kind}:${n.case.id}`)).toEqual(['rework:b']);
    expect(forgetCase(list, 'zzz')).toBe(list);
  });
});

describe('the news kept in the browser', () => {
  const cases = new Map(
    ['a', 'b', 'c'].map((id) => [id, { ...view(id, 4), status: 'dispatched' } as CaseView]),
  );
  const caseOf = (id: string) => cases.get(id);

  it('comes back in its order with the cases as they are now, 新 marks too', () => {
    let list: Notice[] = [];
    list = pushNotice(list, notice('escalation', 'a', 1, '请尽快到场'));
    list = pushNotice(list, {
      ...notice('merged', 'b', 2, '重复上报'),
      merged: { no: '20261205-0009', source: 'hotline_12345', description: '垃圾还在' },
    });
    list = pushNotice(list, notice('escalation', 'c', 3, '已超时'));
    list = pushNotice(list, notice('arrival', 'c', 4));
    const raw = JSON.stringify(storeNews(list, new Set(['c'])));
    const back = restoreNews(raw, caseOf);
    expect(back.notices.map((n) => `${n.kind}:${n.case.id}:${n.reason}`)).toEqual([
      'arrival:c:',
      'escalation:c:已超时',
      'merged:b:重复上报',
      'escalation:a:请尽快到场',
    ]);
    expect(back.notices.every((n) => n.case.version === 4)).toBe(true);
    expect(back.notices[2]!.merged).toEqual({
      no: '20261205-0009',
      source: 'hotline_12345',
      description: '垃圾还在',
    });
    expect([...back.fresh]).toEqual(['c']);
  });

  it('drops a new task acknowledged meanwhile, and keeps one still waiting for 签收', () => {
    const waiting = { ...view('a', 2), status: 'dispatched' } as CaseView;
    const taken = { ...view('b', 3), status: 'accepted' } as CaseView;
    const now = new Map([
      ['a', waiting],
      ['b', taken],
    ]);
    const raw = JSON.stringify({
      v: 1,
      notices: [
        { kind: 'arrival', caseId: 'b', at: 2, reason: '' },
        { kind: 'arrival', caseId: 'a', at: 1, reason: '' },
        { kind: 'escalation', caseId: 'b', at: 1, reason: '请尽快' },
      ],
      fresh: ['a', 'b'],
    });
    const back = restoreNews(raw, (id) => now.get(id));
    expect(back.notices.map((n) => `${n.kind}:${n.case.id}`)).toEqual(['arrival:a', 'escalation:b']);
  });

  it('drops what its case has made moot meanwhile: a 返工 done again, 新 marks of tasks acknowledged or closed', () => {
    const now = new Map([
      ['a', { ...view('a', 2), status: 'dispatched' } as CaseView],
      ['b', { ...view('b', 9), status: 'closed', resolvedAt: 5 } as CaseView],
      ['c', { ...view('c', 4), status: 'in_progress', resolvedAt: 3 } as CaseView],
      ['d', { ...view('d', 3), status: 'accepted' } as CaseView],
    ]);
    const raw = JSON.stringify({
      v: 1,
      notices: [
        { kind: 'rework', caseId: 'b', at: 3, reason: '仍未清理' },
        { kind: 'rework', caseId: 'c', at: 2, reason: '仍有垃圾' },
        { kind: 'escalation', caseId: 'b', at: 1, reason: '请尽快' },
      ],
      fresh: ['a', 'b', 'd'],
    });
    const back = restoreNews(raw, (id) => now.get(id));
    expect(back.notices.map((n) => `${n.kind}:${n.case.id}`)).toEqual(['rework:c']);
    expect([...back.fresh]).toEqual(['a']);
  });

  it('drops what is no longer on the desk, and anything malformed, without throwing', () => {
    const raw = JSON.stringify({
      v: 1,
      notices: [
        { kind: 'escalation', caseId: 'gone', at: 1, reason: '' },
        { kind: 'shout', caseId: 'a', at: 1, reason: '' },
        { kind: 'escalation', caseId: 'a', at: 'soon', reason: '' },
        { kind: 'rework', caseId: 'b', at: 2, reason: 7 },
        null,
        { kind: 'rework', caseId: 'c', at: 3, reason: '仍未清理' },
      ],
      fresh: ['gone', 'a', 5],
    });
    // c is back in hand after verification (返工): its rework notice is still news.
    const sentBack = { ...cases.get('c')!, status: 'in_progress', resolvedAt: 1 } as CaseView;
    const back = restoreNews(raw, (id) => (id === 'c' ? sentBack : caseOf(id)));
    expect(back.notices.map((n) => `${n.kind}:${n.case.id}`)).toEqual(['rework:c']);
    expect([...back.fresh]).toEqual(['a']);
    for (const bad of [null, '', '{', '[]', '{"v":2,"notices":[],"fresh":[]}', '{"v":1}'])
      expect(restoreNews(bad, caseOf)).toEqual({ notices: [], fresh: new Set() });
  });

  it("says a task the unit had returned and the centre sent back is a re-dispatch, with the centre's note", () => {
    const base = { id: 'x', version: 3, no: 'NO-x', dispatchedAt: 100, updatedAt: 100 } as CaseView;
    const plain = arrivalNotice(base);
    expect(plain).toMatchObject({ kind: 'arrival', at: 100, reason: '' });
    expect(isRedispatch(plain)).toBe(false);
    const again = arrivalNotice({ ...base, redispatch: { at: 124, note: '经协调，重新派遣' } });
    expect(again).toMatchObject({ kind: 'arrival', at: 124, reason: '经协调，重新派遣' });
    expect(isRedispatch(again)).toBe(true);
    // Only a new task's notice is one.
    expect(isRedispatch({ ...again, kind: 'escalation' })).toBe(false);
  });
});
