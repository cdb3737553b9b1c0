// How simulated people work a case: every state has its next step and its actor; the scripts mix
// the lifecycle paths in the intended proportions; on-time work meets the matter's limits and late
// work misses them.
import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import {
  HISTORY_TIMING,
  LIVE_TIMING,
  SCRIPT_ODDS,
  drawScript,
  escalation,
  freshProgress,
  noteRefused,
  nextDeadline,
  nextStep,
  noteDone,
  teamOf,
  type CaseScript,
  type CaseState,
} from '../../../server/demo/lifecycle';
import { mulberry, type MatterInfo } from '../../../server/demo/world';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 2, 2, 4);
const matter: MatterInfo = {
  code: 'SR01',
  name: '占道经营',
  domain: '市容环境',
  department: 'cgj',
  limits: { acknowledge: 1, arrive: 2, finish: 72, rectify: 7 },
  delegatedTownships: ['140581002'],
};
const township = { kind: 'township' as const, code: '140581002', name: '东城街道' };
const plain: CaseScript = {
  returnFirst: false,
  rejectAfterReturn: false,
  reassignAfterReturn: false,
  rejectReported: false,
  mergeDuplicate: false,
  lateAck: false,
  lateArrive: false,
  lateFinish: false,
  rectify: false,
  rectifyLate: false,
  rework: false,
  escalate: false,
  extend: false,
  extendDenied: false,
  personnel: 3,
};

function state(over: Partial<CaseState> = {}): CaseState {
  return {
    status: 'dispatched',
    duplicateOf: null,
    route: { assignee: township, cooperating: [], reason: '', needsReview: false },
    assignee: township,
    location: {
      township: { code: township.code, name: township.name },
      first: { code: 'f', name: 'f' },
      second: { code: 's', name: 's' },
      micro: { code: 'm', name: 'm' },
      dedicated: [],
      nearBoundary: false,
    },
    arrivedAt: null,
    dispatchedAt: NOW,
    deadlines: { acknowledge: NOW + HOUR, arrive: NOW + 2 * HOUR, finish: NOW + 72 * HOUR, rectify: null },
    deadlineState: {
      acknowledge: { dueAt: NOW + HOUR, metAt: null, overdueAt: null },
      arrive: { dueAt: NOW + 2 * HOUR, metAt: null, overdueAt: null },
      finish: { dueAt: NOW + 72 * HOUR, metAt: null, overdueAt: null },
    },
    overdue: false,
    escalations: 0,
    extensionRequest: null,
    ...over,
  } satisfies Partial<CaseView> as CaseState;
}

const step = (c: CaseState, script: CaseScript = plain, progress = freshProgress(), rand = mulberry(1)) =>
  nextStep(c, matter, script, progress, HISTORY_TIMING, NOW, rand, 'T140581002');

describe('the next step on a case', () => {
  it('walks the plain path: acknowledge, start with the team, arrive, resolve, verify', () => {
    expect(step(state())).toMatchObject({ actor: 'assignee', body: { action: 'acknowledge' } });
    expect(step(state({ status: 'accepted' }))).toMatchObject({
      actor: 'assignee',
      body: { action: 'start', teamId: 'T140581002', personnel: 3 },
    });
    expect(step(state({ status: 'in_progress' }))!.body.action).toBe('arrive');
    expect(step(state({ status: 'in_progress', arrivedAt: NOW }))!.body.action).toBe('resolve');
    expect(step(state({ status: 'resolved' }))).toMatchObject({
      actor: 'command',
      body: { action: 'verify_pass' },
    });
    expect(step(state({ status: 'closed' }))).toBeNull();
    expect(step(state({ status: 'rejected' }))).toBeNull();
  });

  it('has the command centre review what waits: merge duplicates, refuse some, dispatch the rest', () => {
    const reported = state({ status: 'reported', assignee: null, dispatchedAt: null });
    expect(step(reported)).toMatchObject({ actor: 'command', body: { action: 'dispatch' } });
    expect(step({ ...reported, duplicateOf: 'c1' }, { ...plain, mergeDuplicate: true })).toMatchObject({
      body: { action: 'merge', into: 'c1' },
    });
    expect(step(reported, { ...plain, rejectReported: true })!.body.action).toBe('reject');
    // The original finished before the merge (refused, 422): dealt with as a case of its own, never
    // merged again (which would be refused for ever, the clue left waiting in the queue).
    const refused = freshProgress();
    noteRefused(refused, 'merge');
    expect(
      step({ ...reported, duplicateOf: 'c1' }, { ...plain, mergeDuplicate: true }, refused)!.body.action,
    ).toBe('dispatch');
    const other = freshProgress();
    noteRefused(other, 'dispatch');
    expect(
      step({ ...reported, duplicateOf: 'c1' }, { ...plain, mergeDuplicate: true }, other)!.body.action,
    ).toBe('merge');
  });

  it('returns a task once, then the command centre reassigns, re-dispatches or refuses it', () => {
    const progress = freshProgress();
    const script = { ...plain, returnFirst: true };
    const first = step(state(), script, progress)!;
    expect(first).toMatchObject({ actor: 'assignee', body: { action: 'return' } });
    noteDone(progress, 'return');
    expect(step(state(), script, progress)!.body.action).toBe('acknowledge');
    const returned = state({ status: 'returned', assignee: null });
    expect(step(returned, script, progress)!.body.action).toBe('dispatch');
    expect(step(returned, { ...script, reassignAfterReturn: true }, progress)).toMatchObject({
      body: { action: 'reassign', assignee: { kind: 'department', code: 'cgj' } },
    });
    expect(step(returned, { ...script, rejectAfterReturn: true }, progress)!.body.action).toBe('reject');
  });

  it('orders rectification once before resolving, and reports it rectified', () => {
    const script = { ...plain, rectify: true };
    const order = step(state({ status: 'in_progress', arrivedAt: NOW }), script)!;
    expect(order.body.action).toBe('order_rectification');
    // On time: a deadline inside the finish limit, so the case can still close on time.
    const deadline = (order.body as { deadline?: number }).deadline!;
    expect(deadline).toBeGreaterThan(NOW);
    expect(deadline).toBeLessThan(NOW + 72 * HOUR);
    const rectifying = state({
      status: 'rectifying',
      arrivedAt: NOW,
      deadlines: { acknowledge: null, arrive: null, finish: NOW + 72 * HOUR, rectify: deadline },
      deadlineState: { rectify: { dueAt: deadline, metAt: null, overdueAt: null } },
    });
    const done = step(rectifying, script)!;
    expect(done.body.action).toBe('report_rectified');
    expect(NOW + done.delayMs).toBeLessThan(deadline);
    const late = step(rectifying, { ...script, rectifyLate: true })!;
    expect(NOW + late.delayMs).toBeGreaterThan(deadline);
    // Back in progress with the rectification recorded: resolve, no second order.
    expect(step({ ...rectifying, status: 'in_progress' }, script)!.body.action).toBe('resolve');
  });

  it('goes back to the site after 整改完成 or 返工 (another 到场), then resolves', () => {
    const progress = freshProgress();
    const back = state({ status: 'in_progress', arrivedAt: NOW - HOUR });
    expect(step(back, plain, progress)!.body.action).toBe('resolve');
    progress.revisit = true; // as noteDone sets it on 整改完成 / 核查不通过
    const again = step(back, { ...plain, lateArrive: true }, progress)!;
    expect(again).toMatchObject({ actor: 'assignee', body: { action: 'arrive' } });
    // No arrival deadline runs any more: on time, whatever the script said of the first 到场.
    expect(again.delayMs).toBeLessThanOrEqual(40 * 60_000);
    noteDone(progress, 'arrive');
    expect(step(back, plain, progress)!.body.action).toBe('resolve');
  });

  it('asks once for more time while the deadline is a way off; the command centre grants or refuses it before the deadline', () => {
    const working = state({ status: 'in_progress', arrivedAt: NOW });
    const asks = { ...plain, extend: true };
    const ask = step(working, asks)!;
    expect(ask.actor).toBe('assignee');
    expect(ask.body).toMatchObject({ action: 'request_extension', reason: expect.any(String) });
    const days = (ask.body as { days: number }).days;
    expect(days).toBeGreaterThanOrEqual(2);
    expect(days).toBeLessThanOrEqual(5);
    expect(ask.delayMs).toBeLessThan(72 * HOUR);
    // Asked: the next step is the command centre's answer, before the deadline.
    const waiting = state({
      status: 'in_progress',
      arrivedAt: NOW,
      extensionRequest: {
        days,
        reason: 'x',
        at: NOW,
        by: 'x',
        finishDue: NOW + 72 * HOUR,
        until: NOW + 99 * HOUR,
      },
    });
    const grant = step(waiting, asks)!;
    expect(grant).toMatchObject({ actor: 'command', body: { action: 'approve_extension' } });
    expect(grant.delayMs).toBeLessThan(72 * HOUR);
    // Asked with half an hour left: answered within a quarter of an hour, before the deadline.
    const soon = step(
      {
        ...waiting,
        deadlineState: { finish: { dueAt: NOW + HOUR / 2, metAt: null, overdueAt: null } },
      },
      asks,
    )!;
    expect(soon.body.action).toBe('approve_extension');
    expect(soon.delayMs).toBeLessThanOrEqual(HOUR / 4);
    expect(step(waiting, { ...asks, extendDenied: true })).toMatchObject({
      actor: 'command',
      body: { action: 'deny_extension', reason: expect.any(String) },
    });
    // Once asked, never again; near the deadline, not at all: the work is resolved.
    const progress = freshProgress();
    noteDone(progress, 'request_extension');
    expect(step(working, asks, progress)!.body.action).toBe('resolve');
    const late = state({
      status: 'in_progress',
      arrivedAt: NOW,
      deadlineState: { finish: { dueAt: NOW + HOUR, metAt: null, overdueAt: null } },
    });
    expect(step(late, asks)!.body.action).toBe('resolve');
  });

  it('fails the check once for rework, then passes it', () => {
    const progress = freshProgress();
    const script = { ...plain, rework: true };
    expect(step(state({ status: 'resolved' }), script, progress)!.body.action).toBe('verify_fail');
    noteDone(progress, 'verify_fail');
    expect(step(state({ status: 'resolved' }), script, progress)!.body.action).toBe('verify_pass');
  });

  it('acknowledges within the limit on time and after it when late', () => {
    const rand = mulberry(5);
    for (let i = 0; i < 200; i++) {
      const onTime = step(state(), plain, freshProgress(), rand)!;
      expect(onTime.delayMs).toBeLessThan(HOUR);
      const late = step(state(), { ...plain, lateAck: true }, freshProgress(), rand)!;
      expect(late.delayMs).toBeGreaterThan(HOUR);
      const resolve = step(state({ status: 'in_progress', arrivedAt: NOW }), plain, freshProgress(), rand)!;
      expect(resolve.delayMs).toBeLessThan(72 * HOUR);
      const lateResolve = step(
        state({ status: 'in_progress', arrivedAt: NOW }),
        { ...plain, lateFinish: true },
        freshProgress(),
        rand,
      )!;
      expect(lateResolve.delayMs).toBeGreaterThan(72 * HOUR);
    }
  });

  it('works in seconds live, except what is meant to be late', () => {
    const rand = mulberry(8);
    for (let i = 0; i < 100; i++) {
      expect(LIVE_TIMING.acknowledge(rand, HOUR, false)).toBeLessThan(60_000);
      expect(LIVE_TIMING.acknowledge(rand, HOUR, true)).toBeGreaterThan(HOUR);
      expect(LIVE_TIMING.verify(rand)).toBeLessThan(60_000);
    }
  });
});

describe('chasing overdue work (督办)', () => {
  const overdue = state({
    overdue: true,
    deadlineState: { acknowledge: { dueAt: NOW - HOUR, metAt: null, overdueAt: NOW - HOUR / 2 } },
  });

  it('escalates an overdue open case once, naming what is late', () => {
    const script = { ...plain, escalate: true };
    expect(escalation(overdue, script, freshProgress())).toEqual({
      action: 'escalate',
      reason: '签收超时，请加快处置并反馈',
    });
    expect(escalation(overdue, plain, freshProgress())).toBeNull();
    expect(escalation({ ...overdue, escalations: 1 }, script, freshProgress())).toBeNull();
    expect(escalation(state(), script, freshProgress())).toBeNull();
    expect(escalation({ ...overdue, status: 'closed' }, script, freshProgress())).toBeNull();
  });

  it('knows the next running deadline', () => {
    expect(nextDeadline(state())).toBe(NOW + HOUR);
    expect(nextDeadline(overdue)).toBeNull();
  });
});

describe('the scripts', () => {
  it('mix the paths in the intended proportions', () => {
    const rand = mulberry(11);
    const n = 20_000;
    const count: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const s = drawScript(rand);
      for (const [k, v] of Object.entries(s)) if (v === true) count[k] = (count[k] ?? 0) + 1;
      expect(s.personnel).toBeGreaterThanOrEqual(2);
      if (s.rejectAfterReturn || s.reassignAfterReturn) expect(s.returnFirst).toBe(true);
      if (s.rectifyLate) expect(s.rectify).toBe(true);
      if (s.extendDenied) expect(s.extend).toBe(true);
    }
    for (const k of [
      'returnFirst',
      'lateAck',
      'lateFinish',
      'rectify',
      'rework',
      'escalate',
      'extend',
    ] as const)
      expect(count[k]! / n).toBeCloseTo(SCRIPT_ODDS[k], 1);
  });

  it('name the demo teams the way the seed does', () => {
    expect(teamOf(township)).toBe('T140581002');
    expect(teamOf({ kind: 'department', code: 'zrzyj' })).toBe('Dzrzyj');
  });
});

describe('what a step done leaves to do', () => {
  it('sends the team back after 整改完成 and 核查不通过, until its next 到场', () => {
    const p = freshProgress();
    for (const [action, revisit] of [
      ['acknowledge', false],
      ['report_rectified', true],
      ['escalate', true],
      ['arrive', false],
      ['verify_fail', true],
      ['arrive', false],
    ] as const) {
      noteDone(p, action);
      expect(p.revisit, action).toBe(revisit);
    }
  });
});
