// 派出队伍's picker: free teams first, each saying what it is doing.
import { describe, expect, it } from 'vitest';
import type { Team, TeamTask } from '../../../shared/teams';
import { teamsForPicking, teamState } from '../../../client/src/lib/desk/team-pick';

const task = (stage: TeamTask['stage'], caseNo: string): TeamTask => ({
  caseId: `id-${caseNo}`,
  caseNo,
  matterName: '违法倾倒建筑垃圾',
  stage,
  since: 0,
  startedAt: 0,
});
type T = Pick<Team, 'status' | 'task'> & { name: string };
const team = (name: string, status: Team['status'], t: TeamTask | null = null): T => ({
  name,
  status,
  task: t,
});

describe('teamsForPicking', () => {
  it('puts the free teams first, then those going to a case, then those at one', () => {
    const list = [
      team('一队', 'on_site', task('on_site', '20261206-0001')),
      team('二队', 'offline'),
      team('六队', 'patrol'),
      team('三队', 'en_route', task('en_route', '20261206-0002')),
      team('四队', 'idle'),
      team('五队', 'idle'),
    ];
    expect(teamsForPicking(list).map((x) => x.name)).toEqual([
      '四队',
      '五队',
      '六队',
      '二队',
      '三队',
      '一队',
    ]);
    // The list it was given is left as it was.
    expect(list[0]!.name).toBe('一队');
  });
});

describe('teamState', () => {
  it('names the case a team is on, by its number', () => {
    expect(teamState(team('一队', 'on_site', task('on_site', '20261206-0001')))).toEqual({
      status: 'on_site',
      caseNo: '20261206-0001',
    });
  });
  it('keeps the case a team is on when its GPS has gone quiet (离线, 正在处置 …)', () => {
    expect(teamState(team('一队', 'offline', task('en_route', '20261206-0003')))).toEqual({
      status: 'offline',
      caseNo: '20261206-0003',
    });
  });
  it('names no case for a team with no task', () => {
    expect(teamState(team('四队', 'idle'))).toEqual({ status: 'idle', caseNo: null });
    expect(teamState(team('二队', 'offline'))).toEqual({ status: 'offline', caseNo: null });
  });
});
