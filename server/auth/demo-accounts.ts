// Demo accounts (demo mode only): admin, commander, leader, one per township named by its code,
// one per department named by its code, then the live simulator's own: sim-command and one
// sim-<code> per township and department. Password DEMO_PASSWORD (default `demo`). Created by
// server/demo/seed.ts, which puts them on record (server/demo/accounts-check.ts).
import type { UnitRef } from '../../shared/geo';
import type { Department } from '../county/departments';
import type { NewUser } from './users';

/**
 * The simulator's (server/simulator/) command-centre seat. It acts under accounts of its own, so a
 * case's timeline tells what it did (模拟坐席（演示）, 东城街道·模拟（演示）) from what a person at the
 * screen or a desk did (指挥中心坐席, 东城街道指挥平台). They are not for people, but they sign in with
 * the demo password like the rest: the simulator signs in over HTTP as any client does, so a
 * person's sign-in cannot be told from it. The login page asks people not to use them.
 */
export const SIM_COMMAND = 'sim-command';
/** What every account of the simulator's is named from; no other account may be (isSimulatorAccount). */
export const SIM_PREFIX = 'sim-';
/** The simulator's clerk of a township or department: `sim-140581002`, `sim-cgj`. */
export const simUnitUsername = (code: string): string => `${SIM_PREFIX}${code}`;
/** What the simulator's accounts' display names end with. */
const SIMULATED = '·模拟（演示）';

export function demoAccounts(townships: UnitRef[], departments: Department[], password: string): NewUser[] {
  return [
    { username: 'admin', displayName: '系统管理员', role: 'admin', scope: { kind: 'county' }, password },
    {
      username: 'commander',
      displayName: '指挥中心坐席',
      role: 'commander',
      scope: { kind: 'county' },
      password,
    },
    { username: 'leader', displayName: '县领导', role: 'leader', scope: { kind: 'county' }, password },
    ...townships.map((t): NewUser => ({
      username: t.code,
      displayName: `${t.name}指挥平台`,
      role: 'township',
      scope: { kind: 'township', code: t.code },
      password,
    })),
    ...departments.map((d): NewUser => ({
      username: d.code,
      displayName: d.name,
      role: 'department',
      scope: { kind: 'department', code: d.code },
      password,
    })),
    // Last: a message naming the first few demo accounts names those people sign in with.
    {
      username: SIM_COMMAND,
      displayName: '模拟坐席（演示）',
      role: 'commander',
      scope: { kind: 'county' },
      password,
    },
    ...townships.map((t): NewUser => ({
      username: simUnitUsername(t.code),
      displayName: `${t.name}${SIMULATED}`,
      role: 'township',
      scope: { kind: 'township', code: t.code },
      password,
    })),
    ...departments.map((d): NewUser => ({
      username: simUnitUsername(d.code),
      displayName: `${d.name}${SIMULATED}`,
      role: 'department',
      scope: { kind: 'department', code: d.code },
      password,
    })),
  ];
}

/**
 * One of the simulator's own accounts (sim-command, sim-<code>): not a person. Only a demo server
 * has them; the prefix is reserved for them everywhere (`npm run users -- add` refuses it), so an
 * account named so is never a person on any server.
 */
export const isSimulatorAccount = (username: string): boolean => username.startsWith(SIM_PREFIX);
