import { describe, expect, it } from 'vitest';
import {
  actionOf,
  applyCaseEvents,
  parseCaseEvent,
  type CaseEvent,
} from '../../../client/src/lib/case-events';
import type { CaseItem } from '../../../client/src/lib/case-model';
import { makeCase } from './fixtures';

const ev = (seq: number, caseId: string, type: string, extra: Partial<CaseEvent> = {}): CaseEvent => ({
  seq,
  caseId,
  type,
  actor: 'commander',
  at: seq * 1000,
  payload: {},
  case: null,
  ...extra,
});

describe('applyCaseEvents', () => {
  it('applies events in seq order whatever order they arrive in', () => {
    const cases = new Map<string, CaseItem>([['A', makeCase({ id: 'A', status: 'dispatched' })]]);
    const r = applyCaseEvents(cases, 10, [ev(12, 'A', 'start'), ev(11, 'A', 'acknowledge')]);
    expect(r.applied.map((e) => e.seq)).toEqual([11, 12]);
    expect(cases.get('A')!.status).toBe('in_progress');
    expect(cases.get('A')!.acknowledgedAt).toBe(11_000);
    expect(r.lastSeq).toBe(12);
  });

  it('skips events already seen (resync overlap, recovery replay)', () => {
    const cases = new Map<string, CaseItem>([['A', makeCase({ id: 'A', status: 'accepted', version: 3 })]]);
    const r = applyCaseEvents(cases, 12, [ev(11, 'A', 'acknowledge'), ev(12, 'A', 'start')]);
    expect(r.applied).toEqual([]);
    expect(cases.get('A')!.status).toBe('accepted');
    expect(cases.get('A')!.version).toBe(3);
  });

  it('stops at a gap and asks for a resync, keeping the last applied seq', () => {
    const cases = new Map<string, CaseItem>([['A', makeCase({ id: 'A', status: 'dispatched' })]]);
    const r = applyCaseEvents(cases, 10, [ev(11, 'A', 'acknowledge'), ev(13, 'A', 'start')]);
    expect(r.gap).toBe(true);
    expect(r.lastSeq).toBe(11);
    expect(cases.get('A')!.status).toBe('accepted');
  });

  it('takes the snapshot an event carries, but never an older version over a newer one', () => {
    const cases = new Map<string, CaseItem>([
      ['A', makeCase({ id: 'A', status: 'in_progress', version: 5 })],
    ]);
    applyCaseEvents(cases, null, [
      ev(1, 'A', 'dispatch', { case: makeCase({ id: 'A', status: 'dispatched', version: 2 }) }),
    ]);
    expect(cases.get('A')!.status).toBe('in_progress');
    applyCaseEvents(cases, null, [
      ev(2, 'A', 'resolve', { case: makeCase({ id: 'A', status: 'resolved', version: 6 }) }),
    ]);
    expect(cases.get('A')!.status).toBe('resolved');
  });

  it('names unknown cases and dispatches without an assignee as stale, to be fetched', () => {
    const cases = new Map<string, CaseItem>([['A', makeCase({ id: 'A' })]]);
    const r = applyCaseEvents(cases, null, [ev(1, 'NEW', 'created'), ev(2, 'A', 'dispatched')]);
    expect(r.stale.sort()).toEqual(['A', 'NEW']);
    expect(cases.get('A')!.status).toBe('dispatched');
  });

  it('marks overdue and escalation without changing the state', () => {
    const cases = new Map<string, CaseItem>([['A', makeCase({ id: 'A', status: 'dispatched' })]]);
    applyCaseEvents(cases, null, [ev(1, 'A', 'case.overdue'), ev(2, 'A', 'escalated')]);
    expect(cases.get('A')).toMatchObject({ status: 'dispatched', overdue: true, escalated: true });
  });
});

describe('parseCaseEvent', () => {
  it('refuses payloads without a positive integer seq or a case id', () => {
    expect(parseCaseEvent({ seq: 0, caseId: 'A' })).toBeNull();
    expect(parseCaseEvent({ seq: 1.5, caseId: 'A' })).toBeNull();
    expect(parseCaseEvent({ seq: 3 })).toBeNull();
    expect(parseCaseEvent('x')).toBeNull();
  });
  it('reads actor objects and ISO times', () => {
    const e = parseCaseEvent({
      seq: 3,
      caseId: 'A',
      type: 'dispatch',
      actor: { displayName: '坐席一' },
      at: '2026-01-01T00:00:00Z',
    });
    expect(e).toMatchObject({ seq: 3, caseId: 'A', actor: '坐席一', at: Date.parse('2026-01-01T00:00:00Z') });
  });
  it('maps past-tense and prefixed event names to actions', () => {
    expect(actionOf('case:acknowledged')).toBe('acknowledge');
    expect(actionOf('rectification_ordered')).toBe('order_rectification');
    expect(actionOf('verify_pass')).toBe('verify_pass');
  });
});
