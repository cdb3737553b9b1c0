// The rule for a team's current task (server/teams/tasks.ts), event by event.
import { describe, expect, it } from 'vitest';
import { TeamTasks, type TaskCase } from '../../../server/teams/tasks';
import type { CaseState } from '../../../shared/workflow';
import type { Store } from '../../../server/store/db';

const caseIn = (status: CaseState, no = '20261122-0001'): TaskCase => ({
  no,
  matterName: '占道经营',
  status,
  parties: ['township:140581002'],
});

describe('a team’s current task', () => {
  it('is the live case with the newest step, and comes back to the other when that one is done', () => {
    const tasks = new TeamTasks();
    let seq = 0;
    expect(
      tasks.apply({ seq: ++seq, caseId: 'a', type: 'start', at: 100, teamId: 'T1' }, caseIn('in_progress')),
    ).toEqual(['T1']);
    tasks.apply({ seq: ++seq, caseId: 'a', type: 'arrive', at: 200 }, caseIn('in_progress'));
    expect(tasks.taskOf('T1')).toMatchObject({ caseId: 'a', stage: 'on_site', since: 200, startedAt: 100 });
    // A second arrival keeps the first's time; an escalation changes nothing anyone sees.
    expect(tasks.apply({ seq: ++seq, caseId: 'a', type: 'arrive', at: 250 }, caseIn('in_progress'))).toEqual(
      [],
    );
    expect(
      tasks.apply({ seq: ++seq, caseId: 'a', type: 'escalate', at: 260 }, caseIn('in_progress')),
    ).toEqual([]);

    // Sent on to another case before the first was resolved: on that one now.
    tasks.apply(
      { seq: ++seq, caseId: 'b', type: 'start', at: 300, teamId: 'T1' },
      caseIn('in_progress', '20261122-0002'),
    );
    expect(tasks.taskOf('T1')).toMatchObject({
      caseId: 'b',
      caseNo: '20261122-0002',
      stage: 'en_route',
      since: 300,
    });
    expect(tasks.apply({ seq: ++seq, caseId: 'b', type: 'resolve', at: 400 }, caseIn('resolved'))).toEqual([
      'T1',
    ]);
    expect(tasks.taskOf('T1')).toMatchObject({ caseId: 'a', stage: 'on_site' });
    // Heard twice (the bus, then a re-read): once.
    expect(tasks.apply({ seq: seq, caseId: 'b', type: 'resolve', at: 400 }, caseIn('resolved'))).toEqual([]);
    tasks.apply({ seq: ++seq, caseId: 'a', type: 'resolve', at: 500 }, caseIn('resolved'));
    expect(tasks.taskOf('T1')).toBeNull();
    expect(tasks.stageOf('T1')).toBeNull();
  });

  it('goes with a start naming another team, or none', () => {
    const tasks = new TeamTasks();
    tasks.apply({ seq: 1, caseId: 'a', type: 'start', at: 100, teamId: 'T1' }, caseIn('in_progress'));
    expect(
      tasks
        .apply({ seq: 2, caseId: 'a', type: 'start', at: 200, teamId: 'T2' }, caseIn('in_progress'))
        .sort(),
    ).toEqual(['T1', 'T2']);
    expect(tasks.taskOf('T1')).toBeNull();
    expect(tasks.taskOf('T2')?.caseId).toBe('a');
    expect(
      tasks.apply({ seq: 3, caseId: 'a', type: 'start', at: 300, teamId: null }, caseIn('in_progress')),
    ).toEqual(['T2']);
    expect(tasks.taskOf('T2')).toBeNull();
    expect(tasks.concerns({ caseId: 'a', type: 'arrive' })).toBe(false);
  });

  it('ends for good when the case goes back to dispatch or is closed', () => {
    const tasks = new TeamTasks();
    tasks.apply({ seq: 1, caseId: 'a', type: 'start', at: 100, teamId: 'T1' }, caseIn('in_progress'));
    tasks.apply({ seq: 2, caseId: 'a', type: 'resolve', at: 200 }, caseIn('resolved'));
    expect(tasks.concerns({ caseId: 'a', type: 'verify_pass' })).toBe(true);
    tasks.apply({ seq: 3, caseId: 'a', type: 'verify_pass', at: 300 }, caseIn('closed'));
    expect(tasks.concerns({ caseId: 'a', type: 'verify_fail' })).toBe(false);
    tasks.apply({ seq: 4, caseId: 'b', type: 'start', at: 100, teamId: 'T1' }, caseIn('in_progress'));
    tasks.apply({ seq: 5, caseId: 'b', type: 'reassign', at: 200 }, caseIn('dispatched'));
    expect(tasks.taskOf('T1')).toBeNull();
  });

  it('is shown only to an account that may see the case', () => {
    const tasks = new TeamTasks();
    tasks.apply({ seq: 1, caseId: 'a', type: 'start', at: 100, teamId: 'T1' }, caseIn('in_progress'));
    expect(tasks.taskOf('T1', { kind: 'township', code: '140581002' })?.caseId).toBe('a');
    expect(tasks.taskOf('T1', { kind: 'township', code: '140581001' })).toBeNull();
    expect(tasks.taskOf('T1', { kind: 'county' })?.caseId).toBe('a');
  });

  it('wants a start, an event on a case a team is on, or any while a re-read runs; tells the others only of task events', async () => {
    const tasks = new TeamTasks();
    expect(tasks.wants({ caseId: 'a', type: 'escalate' })).toBe(false);
    expect(tasks.wants({ caseId: 'a', type: 'start' })).toBe(true);
    tasks.apply({ seq: 1, caseId: 'a', type: 'start', at: 100, teamId: 'T1' }, caseIn('in_progress'));
    expect(tasks.wants({ caseId: 'a', type: 'escalate' })).toBe(true);
    expect(tasks.concerns({ caseId: 'a', type: 'escalate' })).toBe(false);
    expect(tasks.concerns({ caseId: 'a', type: 'overdue' })).toBe(false);
    expect(tasks.concerns({ caseId: 'a', type: 'resolve' })).toBe(true);
    expect(tasks.wants({ caseId: 'b', type: 'arrive' })).toBe(false);
    // A re-read under way notes every case moved meanwhile: all are wanted until it is done.
    let wantedWhileReading: boolean | undefined;
    const store = {
      db: new Proxy(
        {},
        {
          get() {
            wantedWhileReading = tasks.wants({ caseId: 'b', type: 'escalate' });
            throw new Error('no database here');
          },
        },
      ),
    } as unknown as Store;
    await expect(tasks.reload(store, (code) => code)).rejects.toThrow('no database here');
    expect(wantedWhileReading).toBe(true);
    expect(tasks.wants({ caseId: 'b', type: 'escalate' })).toBe(false);
  });
});
