// A case's facts at an earlier instant, replayed from its events (server/cases/facts-as-of.ts), on
// hand-made trails whose facts at each moment are worked out below. That the replay to the end gives
// the row's own facts is checked on every case of a generated week (tests/integration/demo).
import { describe, expect, it } from 'vitest';
import { factsAsOf, type FactEvent } from '../../../server/cases/facts-as-of';
import type { CaseFacts } from '../../../shared/kpi';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The row as it stands at the end: closed on time, with everything counted. */
const row: CaseFacts = {
  createdAt: 0,
  township: '140581002',
  assignee: 'department:cgj',
  matterCode: 'SR01',
  domain: '市容环境',
  source: 'grid_worker',
  status: 'closed',
  dispatched: true,
  ackMs: 10 * MIN,
  arriveMs: 40 * MIN,
  closedOnTime: true,
  rectifyOrders: 1,
  rectified: 1,
  reworks: 1,
  returns: 1,
  extensions: 0,
  overdueCount: 2,
  overdueNow: false,
  turnouts: 5,
};

const ev = (type: string, atMin: number, payload: Record<string, unknown> = {}): FactEvent => ({
  type,
  at: atMin * MIN,
  payload,
});

// Dispatched on intake; returned; dispatched again at 60; acknowledged at 70 (10 min after that
// dispatch), 3 sent, on site at 100; rectification ordered and done; resolved at 200; sent back
// (返工) at 300; 2 more sent; resolved again; verified at 500. Its acknowledge deadline of the first
// dispatch (due 60) was never missed (returned at 20); the arrive deadline of the second (due at 90)
// was noticed missed by a scan running late, at 95; the finish deadline (due 250) ran again after
// the 返工 at 300 and was marked missed at 310.
const trail: FactEvent[] = [
  ev('created', 0),
  ev('dispatch', 0, { auto: true, assignee: { kind: 'township', code: '140581002', name: '东城街道' } }),
  ev('return', 20, { from: 'dispatched', to: 'returned' }),
  ev('dispatch', 60, { assignee: { kind: 'department', code: 'cgj', name: '城市管理局' } }),
  ev('acknowledge', 70),
  ev('start', 75, { personnel: 3 }),
  ev('overdue', 95, { deadline: 'arrive', dueAt: 90 * MIN }),
  ev('arrive', 100),
  ev('escalate', 110),
  ev('order_rectification', 120, { deadline: 1e12 }),
  ev('report_rectified', 150),
  ev('resolve', 200),
  ev('verify_fail', 300, { reason: '仍有占道' }),
  ev('overdue', 310, { deadline: 'finish', dueAt: 250 * MIN }),
  ev('start', 320, { personnel: 2 }),
  ev('resolve', 400),
  ev('merged_in', 450, { from: 'x' }),
  ev('verify_pass', 500),
];

const at = (minutes: number) => factsAsOf(row, trail, minutes * MIN);

describe('a case as it stood', () => {
  it('replayed to the end is the row', () => {
    expect(factsAsOf(row, trail, Infinity)).toEqual(row);
  });

  it('just reported and dispatched: nothing more', () => {
    expect(at(5)).toMatchObject({
      status: 'dispatched',
      dispatched: true,
      ackMs: null,
      returns: 0,
      turnouts: 0,
      overdueCount: 0,
      closedOnTime: null,
    });
  });

  it('returned: counted once, no clock running', () => {
    expect(at(30)).toMatchObject({ status: 'returned', returns: 1, overdueNow: false });
  });

  it('has the unit it was dispatched to, none while returned', () => {
    expect(at(5).assignee).toBe('township:140581002');
    expect(at(30).assignee).toBeNull();
    expect(at(80).assignee).toBe('department:cgj');
    expect(factsAsOf(row, trail, -1).assignee).toBeNull();
  });

  it('measures the response from the dispatch it answered', () => {
    expect(at(80)).toMatchObject({ status: 'in_progress', ackMs: 10 * MIN, turnouts: 3, arriveMs: null });
  });

  it('counts a miss from its due time, not from when a late scan noticed it', () => {
    // At 92 the arrive deadline (due 90) was missed and unmet, though the scan marked it at 95.
    expect(at(92)).toMatchObject({ overdueCount: 1, overdueNow: true });
    expect(at(89)).toMatchObject({ overdueCount: 0, overdueNow: false });
    // On site at 100: still missed once, no longer running.
    expect(at(100)).toMatchObject({ overdueCount: 1, overdueNow: false, arriveMs: 40 * MIN });
  });

  it('follows rectification, resolution and a 返工', () => {
    expect(at(130)).toMatchObject({ status: 'rectifying', rectifyOrders: 1, rectified: 0 });
    expect(at(250)).toMatchObject({ status: 'resolved', rectified: 1, reworks: 0, overdueCount: 1 });
    // Sent back at 300: the finish deadline (due 250) runs again and is missed from then on.
    expect(at(299)).toMatchObject({ status: 'resolved', overdueCount: 1, overdueNow: false });
    expect(at(305)).toMatchObject({ status: 'in_progress', reworks: 1, overdueCount: 2, overdueNow: true });
  });

  it('counts an extension (延期) from its grant, and none asked or refused', () => {
    // Acknowledged at 10; 5 days asked at 20, 3 granted at 30 (the 办结 deadline moves 3 days on:
    // not missed here); 2 more asked at 60, refused at 70; still at work.
    const extended: CaseFacts = { ...row, status: 'accepted', closedOnTime: null, extensions: 1 };
    const t = [
      ev('created', 0),
      ev('dispatch', 0, { auto: true, assignee: { kind: 'township', code: '140581002', name: '东城街道' } }),
      ev('acknowledge', 10),
      ev('request_extension', 20, { days: 5, reason: '待鉴定' }),
      ev('approve_extension', 30, { days: 3, requestedDays: 5 }),
      ev('request_extension', 60, { days: 2, reason: '待复查' }),
      ev('deny_extension', 70, { reason: '可按期办结' }),
    ];
    const then = (minutes: number) => factsAsOf(extended, t, minutes * MIN);
    expect(then(25)).toMatchObject({ status: 'accepted', extensions: 0 });
    expect(then(30)).toMatchObject({ extensions: 1 });
    expect(then(75)).toMatchObject({ extensions: 1, overdueCount: 0, overdueNow: false });
    expect(factsAsOf(extended, t, Infinity).extensions).toBe(extended.extensions);
  });

  it('is closed, and on time as its row says, only once verified', () => {
    expect(at(499)).toMatchObject({ status: 'resolved', closedOnTime: null, turnouts: 5 });
    expect(at(500)).toMatchObject({ status: 'closed', closedOnTime: true, overdueNow: false });
  });

  it('before its report: as reported, nothing done', () => {
    expect(factsAsOf(row, trail, -1)).toMatchObject({ status: 'reported', dispatched: false, turnouts: 0 });
  });

  it('a 不予立案 and a 合并 end the case without a dispatch', () => {
    expect(factsAsOf(row, [ev('created', 0), ev('reject', 5)], 10 * MIN)).toMatchObject({
      status: 'rejected',
      dispatched: false,
      closedOnTime: null,
    });
    expect(factsAsOf(row, [ev('created', 0), ev('merge', 5, { into: 'y' })], 10 * MIN).status).toBe(
      'rejected',
    );
  });

  it('reads a reassignment as a fresh dispatch with fresh clocks', () => {
    const t = [
      ev('created', 0),
      ev('dispatch', 0),
      ev('overdue', 61, { deadline: 'acknowledge', dueAt: HOUR }),
      ev('reassign', 90),
      ev('acknowledge', 100),
    ];
    expect(factsAsOf(row, t, 80 * MIN)).toMatchObject({ overdueNow: true, overdueCount: 1 });
    // Reassigned at 90: the missed clock is replaced by a new one; acknowledged 10 min after it.
    expect(factsAsOf(row, t, 95 * MIN)).toMatchObject({
      status: 'dispatched',
      overdueNow: false,
      overdueCount: 1,
    });
    expect(factsAsOf(row, t, 100 * MIN)).toMatchObject({ status: 'accepted', ackMs: 10 * MIN });
  });
});
