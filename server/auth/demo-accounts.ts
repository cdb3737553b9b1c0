// Demo accounts (demo mode only): admin, commander, leader, one per township named by its code,
// one per department named by its code. Password DEMO_PASSWORD (default `demo`). Created by
// server/demo/seed.ts, which puts them on record (server/demo/accounts-check.ts).
import type { UnitRef } from '../../shared/geo';
import type { Department } from '../county/departments';
import type { NewUser } from './users';

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
  ];
}
