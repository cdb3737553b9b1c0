import { describe, expect, it } from 'vitest';
import {
  feedEntry,
  isNewer,
  mergeFeed,
  parseCaseEvent,
  type CaseEvent,
} from '../../../client/src/lib/case-events';
import { makeCase } from './fixtures';

/** A case event as the server sends it (shared/realtime CaseEventMessage), with a raw case. */
const wire = (seq: number, caseId: string, version: number, over: Record<string, unknown> = {}) => ({
  seq,
  caseId,
  type: 'dispatch',
  actor: { id: 'u1', username: 'commander', displayName: '坐席一', role: 'commander' },
  at: 1_700_000_000_000 + seq,
  payload: { from: 'reported', to: 'dispatched' },
  case: { ...makeCase({ id: caseId, version, status: 'dispatched' }) },
  ...over,
});

describe('parseCaseEvent', () => {
  it('reads the case:event contract: seq, case id, type, actor, time, payload and the case', () => {
    const e = parseCaseEvent(wire(7, 'A', 3))!;
    expect(e).toMatchObject({ seq: 7, caseId: 'A', type: 'dispatch', actor: '坐席一' });
    expect(e.case).toMatchObject({ id: 'A', version: 3, status: 'dispatched' });
    expect(e.payload).toEqual({ from: 'reported', to: 'dispatched' });
  });

  it('refuses what is not an event: no positive integer seq, no case id, no type', () => {
    expect(parseCaseEvent(wire(0, 'A', 1))).toBeNull();
    expect(parseCaseEvent(wire(1.5, 'A', 1))).toBeNull();
    expect(parseCaseEvent({ ...wire(3, 'A', 1), caseId: undefined, case: null })).toBeNull();
    expect(parseCaseEvent({ ...wire(3, 'A', 1), type: undefined })).toBeNull();
    expect(parseCaseEvent('x')).toBeNull();
  });

  it('refuses an event whose case is another case', () => {
    expect(parseCaseEvent({ ...wire(3, 'A', 1), caseId: 'B' })).toBeNull();
  });

  it('keeps an event whose case cannot be read (the store fetches the case instead)', () => {
    const e = parseCaseEvent({ ...wire(4, 'A', 1), case: { id: 'A' } })!;
    expect(e.case).toBeNull();
    expect(e.caseId).toBe('A');
  });
});

describe('isNewer', () => {
  it('keeps the highest version per case; an equal version is a fresher read of it', () => {
    const v5 = makeCase({ version: 5 });
    expect(isNewer(makeCase({ version: 4 }), v5)).toBe(false);
    expect(isNewer(makeCase({ version: 5 }), v5)).toBe(true);
    expect(isNewer(makeCase({ version: 6 }), v5)).toBe(true);
    expect(isNewer(makeCase({ version: 1 }), undefined)).toBe(true);
  });
});

describe('mergeFeed', () => {
  const entry = (seq: number) => feedEntry(parseCaseEvent(wire(seq, `C${seq}`, 1)) as CaseEvent);

  it('puts the newest first and keeps each seq once', () => {
    let feed = mergeFeed([], [entry(1), entry(2)], 10);
    feed = mergeFeed(feed, [entry(3), entry(2)], 10);
    expect(feed.map((e) => e.seq)).toEqual([3, 2, 1]);
  });

  it('slots an event that arrives late into its place by seq', () => {
    const feed = mergeFeed(mergeFeed([], [entry(10), entry(12)], 10), [entry(11)], 10);
    expect(feed.map((e) => e.seq)).toEqual([12, 11, 10]);
  });

  it('keeps at most `max` entries, dropping the oldest', () => {
    const feed = mergeFeed([], [1, 2, 3, 4, 5].map(entry), 3);
    expect(feed.map((e) => e.seq)).toEqual([5, 4, 3]);
  });
});

describe('feedEntry', () => {
  it('names the unit a dispatch or a reassignment sent the case to, and nothing for other events', () => {
    const to = (type: string, payload: Record<string, unknown>) =>
      feedEntry(parseCaseEvent(wire(9, 'A', 2, { type, payload })) as CaseEvent).to;
    const north = { kind: 'township', code: '140581003', name: '北城街道' };
    expect(to('dispatch', { assignee: north })).toBe('北城街道');
    expect(to('reassign', { assignee: north, previous: { name: '东城街道' } })).toBe('北城街道');
    expect(to('acknowledge', { assignee: north })).toBeUndefined();
    expect(to('dispatch', { assignee: { name: 42 } })).toBeUndefined();
    expect(to('dispatch', {})).toBeUndefined();
  });

  // QA: 督办 on a case in 南城街道 held by 东城街道 read "督办 南城街道 占道经营"; the unit comes from
  // the event's holder (who had the task then), never from the case it carries (the case now).
  it('names the unit that acted, or that the centre chased or answered, as the event says it had the task', () => {
    const of = (type: string, payload: Record<string, unknown>, status = 'accepted') => {
      const e = feedEntry(
        parseCaseEvent(
          wire(9, 'A', 2, {
            type,
            payload,
            // The case as it is now: reassigned since to 建宁乡.
            case: makeCase({
              id: 'A',
              version: 2,
              status: status as 'accepted',
              assignee: { kind: 'township', code: '140581104', name: '建宁乡' },
            }),
          }),
        ) as CaseEvent,
      );
      return { to: e.to, by: e.by };
    };
    const east = { kind: 'township', code: '140581002', name: '东城街道' };
    for (const action of [
      'acknowledge',
      'start',
      'arrive',
      'order_rectification',
      'report_rectified',
      'resolve',
      'request_extension',
      'return',
    ])
      expect(of(action, { holder: east }), action).toEqual({ to: undefined, by: '东城街道' });
    for (const action of ['escalate', 'verify_pass', 'verify_fail', 'approve_extension', 'deny_extension'])
      expect(of(action, { holder: east }), action).toEqual({ to: '东城街道', by: undefined });
    // Late (超时): the unit that had it.
    expect(of('overdue', { deadline: 'arrive', holder: east })).toEqual({ to: undefined, by: '东城街道' });
    // A return written before holder was: its returnedBy.
    expect(of('return', { returnedBy: east }, 'returned')).toEqual({ to: undefined, by: '东城街道' });
    // An event that names nobody names nobody: not the assignee the case has now.
    expect(of('acknowledge', {})).toEqual({ to: undefined, by: undefined });
    expect(of('escalate', {})).toEqual({ to: undefined, by: undefined });
    expect(of('created', { holder: east })).toEqual({ to: undefined, by: undefined });
    // A reassignment names where it went, not who had it.
    expect(of('reassign', { holder: east, previous: east, assignee: { name: '建宁乡' } })).toEqual({
      to: '建宁乡',
      by: undefined,
    });
  });
});
