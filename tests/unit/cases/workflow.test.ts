import { describe, expect, it } from 'vitest';
import {
  CASE_ACTIONS,
  CASE_STATES,
  FINAL_STATES,
  TRANSITIONS,
  availableActions,
  nextState,
  roleMay,
} from '../../../shared/workflow';
import { caseActionSchema } from '../../../shared/cases';

describe('workflow table', () => {
  it('follows DESIGN.md §4 transition by transition', () => {
    const expected: Array<[string, string, string | undefined]> = [
      ['reported', 'dispatch', 'dispatched'],
      ['reported', 'reject', 'rejected'],
      ['reported', 'merge', 'rejected'],
      ['dispatched', 'acknowledge', 'accepted'],
      ['dispatched', 'return', 'returned'],
      ['returned', 'dispatch', 'dispatched'],
      ['returned', 'reject', 'rejected'],
      ['dispatched', 'reassign', 'dispatched'],
      ['accepted', 'reassign', 'dispatched'],
      ['returned', 'reassign', 'dispatched'],
      ['accepted', 'start', 'in_progress'],
      ['in_progress', 'arrive', 'in_progress'],
      ['in_progress', 'order_rectification', 'rectifying'],
      ['rectifying', 'report_rectified', 'in_progress'],
      ['in_progress', 'resolve', 'resolved'],
      ['resolved', 'verify_pass', 'closed'],
      ['resolved', 'verify_fail', 'in_progress'],
      ['rectifying', 'escalate', 'rectifying'],
      ['reported', 'escalate', 'reported'],
      // refusals
      ['reported', 'acknowledge', undefined],
      ['accepted', 'acknowledge', undefined],
      ['in_progress', 'reassign', undefined],
      ['rectifying', 'resolve', undefined],
      ['returned', 'merge', undefined],
      ['dispatched', 'verify_pass', undefined],
    ];
    for (const [from, action, to] of expected)
      expect(nextState(from as never, action as never), `${from} --${action}-->`).toBe(to);
  });

  it('makes closed and rejected final: no action leaves them', () => {
    for (const s of FINAL_STATES) for (const a of CASE_ACTIONS) expect(nextState(s, a)).toBeUndefined();
  });

  it('leaves no state but the final ones without a way out', () => {
    for (const s of CASE_STATES) {
      const out = TRANSITIONS.filter((t) => t.from.includes(s) && t.to !== null && t.to !== s);
      expect(out.length > 0, s).toBe(!FINAL_STATES.includes(s));
    }
  });

  it('gives each action to the command centre or the assignee, never to the leader', () => {
    for (const a of CASE_ACTIONS) expect(roleMay('leader', a)).toBe(false);
    expect(roleMay('commander', 'dispatch')).toBe(true);
    expect(roleMay('commander', 'acknowledge')).toBe(false);
    expect(roleMay('township', 'acknowledge')).toBe(true);
    expect(roleMay('department', 'resolve')).toBe(true);
    expect(roleMay('township', 'verify_pass')).toBe(false);
    for (const a of CASE_ACTIONS) expect(roleMay('admin', a)).toBe(true);
  });

  it('offers each user only the actions they may take now', () => {
    expect(availableActions('dispatched', 'township', true)).toEqual(['acknowledge', 'return']);
    expect(availableActions('dispatched', 'township', false)).toEqual([]);
    expect(availableActions('dispatched', 'commander', false)).toEqual(['reassign', 'escalate']);
    expect(availableActions('resolved', 'commander', false)).toEqual([
      'verify_pass',
      'verify_fail',
      'escalate',
    ]);
    expect(availableActions('closed', 'admin', true)).toEqual([]);
    expect(availableActions('in_progress', 'leader', false)).toEqual([]);
  });

  it('has a payload schema for every action', () => {
    for (const a of CASE_ACTIONS) {
      const r = caseActionSchema.safeParse({ action: a, version: 1 });
      // Either valid as is, or refused for a missing field of that action, never for the action.
      if (!r.success) expect(r.error.issues[0]!.path[0]).not.toBe('action');
    }
  });
});
