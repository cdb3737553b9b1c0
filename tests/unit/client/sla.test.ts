import { describe, expect, it } from 'vitest';
import {
  currentSla,
  formatCountdown,
  slaLevel,
  DISPATCH_LIMIT_MS,
  VERIFY_LIMIT_MS,
} from '../../../client/src/lib/sla';
import { buildQueue } from '../../../client/src/lib/queue';
import { makeCase } from './fixtures';

const H = 3600_000;

describe('slaLevel: amber within 20 % of the limit, red past it', () => {
  const start = 0;
  const deadline = 10 * H;
  it('is ok with more than 20 % of the time left', () => {
    expect(slaLevel(start, deadline, 7.9 * H)).toBe('ok');
  });
  it('turns amber at exactly 20 % left and stays amber to the deadline', () => {
    expect(slaLevel(start, deadline, 8 * H)).toBe('amber');
    expect(slaLevel(start, deadline, deadline)).toBe('amber');
  });
  it('is red one millisecond past the deadline', () => {
    expect(slaLevel(start, deadline, deadline + 1)).toBe('red');
  });
});

describe('currentSla picks the clock of the state', () => {
  it('reported: the command centre dispatch limit from the report time', () => {
    const c = makeCase({ status: 'reported', createdAt: 1000 });
    expect(currentSla(c)).toEqual({ kind: 'dispatch', start: 1000, deadline: 1000 + DISPATCH_LIMIT_MS });
  });
  it('dispatched: acknowledge deadline, measured from dispatch', () => {
    const c = makeCase({
      status: 'dispatched',
      dispatchedAt: 5000,
      deadlines: { acknowledge: 5000 + 2 * H, arrive: null, finish: null, rectify: null },
    });
    expect(currentSla(c)).toEqual({ kind: 'acknowledge', start: 5000, deadline: 5000 + 2 * H });
  });
  it('in progress: arrival until arrived, then the finish deadline', () => {
    const deadlines = { acknowledge: 2 * H, arrive: 6 * H, finish: 72 * H, rectify: null };
    expect(currentSla(makeCase({ status: 'in_progress', dispatchedAt: 0, deadlines }))?.kind).toBe('arrive');
    expect(
      currentSla(makeCase({ status: 'in_progress', dispatchedAt: 0, arrivedAt: H, deadlines }))?.kind,
    ).toBe('finish');
  });
  it('resolved: the command centre verifies within a day of the report of it done', () => {
    const c = makeCase({ status: 'resolved', resolvedAt: 9 * H, updatedAt: 9 * H });
    expect(currentSla(c)).toEqual({ kind: 'verify', start: 9 * H, deadline: 9 * H + VERIFY_LIMIT_MS });
  });
  it('returned: 30 minutes from the 退回, however often it is touched after (督办)', () => {
    // Returned at 0:00, escalated 20 minutes later (updatedAt moved): 10 minutes left, not 30.
    const c = makeCase({ status: 'returned', statusSince: 0, updatedAt: 20 * 60_000 });
    expect(currentSla(c)).toEqual({ kind: 'dispatch', start: 0, deadline: DISPATCH_LIMIT_MS });
    // From a server that does not say when (no statusSince): the last change, as before.
    expect(currentSla(makeCase({ status: 'returned', updatedAt: 5000 }))?.start).toBe(5000);
  });
  it('rectifying: from the order to rectify, not from a later 督办', () => {
    const c = makeCase({
      status: 'rectifying',
      dispatchedAt: 0,
      statusSince: 3 * H,
      updatedAt: 30 * H,
      deadlines: { acknowledge: 2 * H, arrive: 6 * H, finish: 72 * H, rectify: 3 * H + 7 * 24 * H },
    });
    expect(currentSla(c)).toEqual({ kind: 'rectify', start: 3 * H, deadline: 3 * H + 7 * 24 * H });
  });
  it('closed: no clock', () => {
    expect(currentSla(makeCase({ status: 'closed' }))).toBeNull();
  });
});

describe('formatCountdown', () => {
  it('shows minutes and seconds, hours when needed, a minus sign past the deadline', () => {
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(3 * H + 5 * 60_000 + 9000)).toBe('3:05:09');
    expect(formatCountdown(-42_000)).toBe('-0:42');
    expect(formatCountdown(50 * H)).toBe('2天2时');
    // From a day on, never "42:28:55".
    expect(formatCountdown(42 * H + 28 * 60_000)).toBe('1天18时');
    expect(formatCountdown(24 * H)).toBe('1天0时');
    expect(formatCountdown(24 * H - 1000)).toBe('23:59:59');
    expect(formatCountdown(-50 * H, (_key, v) => `${v!.d}d ${v!.h}h`)).toBe('-2d 2h');
  });
});

describe('buildQueue', () => {
  it('puts awaiting, returned and overdue cases in their buckets, red before amber before ok', () => {
    const now = 100 * 60_000;
    const cases = [
      makeCase({ id: 'fresh', status: 'reported', createdAt: now - 60_000 }), // ok
      makeCase({ id: 'late', status: 'reported', createdAt: now - 31 * 60_000 }), // red
      makeCase({ id: 'close', status: 'reported', createdAt: now - 25 * 60_000 }), // amber (5 of 30 min left)
      makeCase({ id: 'back', status: 'returned', updatedAt: now - 2 * 60_000 }),
      makeCase({ id: 'slow', status: 'dispatched', overdue: true }),
      makeCase({ id: 'fine', status: 'dispatched' }),
      makeCase({ id: 'done', status: 'closed', overdue: true }),
      // Reported done 20 h ago: 4 of its 24 h to verify left, amber; not counted as overdue work.
      makeCase({ id: 'check', status: 'resolved', resolvedAt: now - 20 * H, overdue: false }),
    ];
    const q = buildQueue(cases, now);
    expect(q.map((e) => [e.item.id, e.bucket, e.level])).toEqual([
      ['late', 'awaiting', 'red'],
      ['slow', 'overdue', 'red'],
      ['close', 'awaiting', 'amber'],
      ['check', 'verify', 'amber'],
      ['back', 'returned', 'ok'], // 28 minutes left
      ['fresh', 'awaiting', 'ok'], // 29 minutes left
    ]);
    expect(buildQueue(cases, now, 'returned').map((e) => e.item.id)).toEqual(['back']);
    expect(buildQueue(cases, now, 'verify').map((e) => e.item.id)).toEqual(['check']);
  });

  it('runs an overdue case on the deadline it missed, not the clock its state still runs: the longest overdue first', () => {
    const now = 100 * H;
    const cases = [
      // Being rectified, with 34 h of its 整改 left, but its 办结 fell due two days ago.
      makeCase({
        id: 'rectifying',
        status: 'rectifying',
        overdue: true,
        updatedAt: now - H,
        deadlines: { acknowledge: null, arrive: null, finish: now - 48 * H, rectify: now + 34 * H },
        missed: { kind: 'finish', dueAt: now - 48 * H },
      }),
      // Not yet acknowledged, an hour past that.
      makeCase({
        id: 'unacknowledged',
        status: 'dispatched',
        overdue: true,
        dispatchedAt: now - 2 * H,
        deadlines: { acknowledge: now - H, arrive: now + H, finish: null, rectify: null },
        missed: { kind: 'acknowledge', dueAt: now - H },
      }),
    ];
    const q = buildQueue(cases, now, 'overdue');
    expect(q.map((e) => [e.item.id, e.sla?.kind, e.remainingMs, e.level])).toEqual([
      ['rectifying', 'finish', -48 * H, 'red'],
      ['unacknowledged', 'acknowledge', -H, 'red'],
    ]);
  });
});
