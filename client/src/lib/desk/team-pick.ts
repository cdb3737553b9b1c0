// 派出队伍's team picker: each team with what it is doing now, the free ones first. A busy team stays
// selectable (a second task may be the right call); the clerk sees that it is on one.
import type { Team } from '@shared/teams';

/**
 * Free first (no task: standing by, then on its rounds, then not reporting a position), then those
 * on a task: still going there, then at the scene.
 */
function rank(tm: Pick<Team, 'status' | 'task'>): number {
  if (tm.task) return tm.task.stage === 'en_route' ? 3 : 4;
  return tm.status === 'idle' ? 0 : tm.status === 'offline' ? 2 : 1;
}

/** The teams in the picker's order; equal ones keep their order (the unit's own). */
export function teamsForPicking<T extends Pick<Team, 'status' | 'task'>>(teams: readonly T[]): T[] {
  return teams
    .map((tm, i) => ({ tm, i }))
    .sort((a, b) => rank(a.tm) - rank(b.tm) || a.i - b.i)
    .map((x) => x.tm);
}

/**
 * What a team is doing, as the picker says it: its status as the server derives it (待命 / 巡查中 /
 * 前往现场 / 现场处置 / 离线: server/teams/status.ts) and the case it is on, by number, when it has one.
 */
export function teamState(tm: Pick<Team, 'status' | 'task'>): {
  status: Team['status'];
  caseNo: string | null;
} {
  return { status: tm.status, caseNo: tm.task?.caseNo || null };
}
