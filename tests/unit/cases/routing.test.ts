import { describe, expect, it } from 'vitest';
import {
  cooperatingFor,
  distanceMeters,
  routeClue,
  type PartyDirectory,
} from '../../../server/cases/routing';
import type { Jurisdiction } from '../../../shared/geo';
import type { Matter } from '../../../shared/matters';

const directory: PartyDirectory = {
  resolve: (p) =>
    p.kind === 'department' && p.code === 'zrzyj'
      ? { kind: 'department', code: 'zrzyj', name: '高平市自然资源局' }
      : p.kind === 'township' && p.code === '140581002'
        ? { kind: 'township', code: '140581002', name: '东城街道' }
        : undefined,
};

const at = (over: Partial<Jurisdiction> = {}): Jurisdiction => ({
  township: { code: '140581002', name: '东城街道' },
  first: { code: '140581002001', name: '城东社区' },
  second: { code: '14058100200101', name: '城东社区第一网格' },
  micro: { code: '1405810020010101', name: '城东社区1-1微网格' },
  dedicated: [],
  nearBoundary: false,
  ...over,
});

const matter = (delegated: string[]): Matter => ({
  code: 'ZR01',
  name: '违法占用耕地',
  domain: '自然资源',
  legalBasis: '《中华人民共和国土地管理法》第三十七条、第七十七条',
  department: 'zrzyj',
  limits: { acknowledge: 1, arrive: 2, finish: 72, rectify: 7 },
  delegatedTownships: delegated,
});

describe('routeClue', () => {
  it('gives a delegated matter to the township platform', () => {
    const r = routeClue({ matter: matter(['140581002']), location: at(), duplicateOf: null }, directory);
    expect(r).toEqual({
      assignee: { kind: 'township', code: '140581002', name: '东城街道' },
      cooperating: [],
      reason: '事项已赋权东城街道，由东城街道主办',
      needsReview: false,
    });
  });

  it('gives a matter not delegated there to the owning department, with the township cooperating', () => {
    const r = routeClue({ matter: matter(['140581101']), location: at(), duplicateOf: null }, directory);
    expect(r.assignee).toEqual({ kind: 'department', code: 'zrzyj', name: '高平市自然资源局' });
    expect(r.cooperating).toEqual([{ kind: 'township', code: '140581002', name: '东城街道' }]);
    expect(r.reason).toBe('未赋权乡镇，由高平市自然资源局主办，东城街道配合');
  });

  it('asks the operator to confirm near a boundary or for a possible duplicate, and names dedicated grids', () => {
    const near = routeClue(
      { matter: matter(['140581002']), location: at({ nearBoundary: true }), duplicateOf: null },
      directory,
    );
    expect(near.needsReview).toBe(true);
    // A location recorded before the neighbour was: the old words, no township named.
    expect(near.reason).toBe('事项已赋权东城街道，由东城街道主办；位于乡镇边界附近，请坐席确认归属');
    const named = routeClue(
      {
        matter: matter(['140581002']),
        location: at({
          nearBoundary: true,
          neighbour: { township: { code: '140581202', name: '石末乡' }, meters: 24 },
        }),
        duplicateOf: null,
      },
      directory,
    );
    expect(named.needsReview).toBe(true);
    expect(named.reason).toBe('事项已赋权东城街道，由东城街道主办；距石末乡边界约 24 米，请坐席确认归属');
    const dup = routeClue(
      {
        matter: matter(['140581002']),
        location: at({ dedicated: [{ code: 'D1', name: '高平一中' }] }),
        duplicateOf: 'c-1',
      },
      directory,
    );
    expect(dup.needsReview).toBe(true);
    expect(dup.reason).toBe(
      '事项已赋权东城街道，由东城街道主办；位于专属网格「高平一中」；50 米内有同类未结案件 c-1，疑似重复',
    );
  });

  it('makes the location township cooperate when the operator names another assignee', () => {
    expect(cooperatingFor({ kind: 'township', code: '140581002', name: '东城街道' }, at())).toEqual([]);
    expect(cooperatingFor({ kind: 'department', code: 'cgj', name: '城管' }, at())).toEqual([
      { kind: 'township', code: '140581002', name: '东城街道' },
    ]);
  });

  it('measures short distances in metres', () => {
    // 0.0001° of latitude ≈ 11.1 m.
    expect(distanceMeters(112.92, 35.8, 112.92, 35.8001)).toBeCloseTo(11.12, 1);
    expect(distanceMeters(112.92, 35.8, 112.92, 35.8)).toBe(0);
  });
});
