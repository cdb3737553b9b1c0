// The KPI formulas on a hand-made set of five cases whose answers are worked out below.
import { describe, expect, it } from 'vitest';
import {
  computeKpis,
  departmentExtensionRates,
  departmentReturnRates,
  percentile,
  type CaseFacts,
} from '../../../shared/kpi';

const MIN = 60_000;
const base: CaseFacts = {
  createdAt: 0,
  township: '140581002',
  assignee: 'township:140581002',
  matterCode: 'SR01',
  domain: '市容环境',
  source: 'grid_worker',
  status: 'dispatched',
  dispatched: true,
  ackMs: null,
  arriveMs: null,
  closedOnTime: null,
  rectifyOrders: 0,
  rectified: 0,
  reworks: 0,
  returns: 0,
  extensions: 0,
  overdueCount: 0,
  overdueNow: false,
  turnouts: 0,
};

const CASES: CaseFacts[] = [
  // A: 2026-03-01 10:00 Shanghai; closed on time after one rectification and two extensions.
  {
    ...base,
    createdAt: Date.UTC(2026, 2, 1, 2),
    status: 'closed',
    extensions: 2,
    ackMs: 10 * MIN,
    arriveMs: 30 * MIN,
    closedOnTime: true,
    rectifyOrders: 1,
    rectified: 1,
    turnouts: 3,
  },
  // B: 2026-03-01 23:30 Shanghai (15:30 UTC): still 1 March there. Closed late after a rework.
  {
    ...base,
    createdAt: Date.UTC(2026, 2, 1, 15, 30),
    matterCode: 'SR02',
    source: 'patrol',
    status: 'closed',
    ackMs: 20 * MIN,
    arriveMs: 60 * MIN,
    closedOnTime: false,
    rectifyOrders: 1,
    reworks: 1,
    overdueCount: 2,
    turnouts: 2,
  },
  // C: 2026-03-02 00:10 Shanghai (1 March 16:10 UTC): 2 March there. Returned once, extended once,
  // now overdue.
  {
    ...base,
    createdAt: Date.UTC(2026, 2, 1, 16, 10),
    township: '140581101',
    matterCode: 'ZR01',
    domain: '自然资源',
    source: 'hotline_12345',
    status: 'in_progress',
    ackMs: 30 * MIN,
    returns: 1,
    extensions: 1,
    overdueCount: 1,
    overdueNow: true,
    turnouts: 1,
  },
  // D: rejected without being registered.
  {
    ...base,
    createdAt: Date.UTC(2026, 2, 2, 3),
    township: '140581101',
    matterCode: 'ZR01',
    domain: '自然资源',
    source: 'public',
    status: 'rejected',
    dispatched: false,
  },
  // E: 2026-03-03, acknowledged after 40 minutes.
  { ...base, createdAt: Date.UTC(2026, 2, 3, 3), status: 'accepted', ackMs: 40 * MIN },
];
const RANGE = { from: Date.UTC(2026, 1, 28, 16), to: Date.UTC(2026, 2, 3, 15, 59) };

describe('KPI formulas', () => {
  const k = computeKpis(CASES, RANGE);

  it('counts case volume by Shanghai day, township, matter, domain and source', () => {
    expect(k.volume.total).toBe(5);
    expect(k.volume.byDay).toEqual([
      { day: '2026-03-01', count: 2 },
      { day: '2026-03-02', count: 2 },
      { day: '2026-03-03', count: 1 },
    ]);
    expect(k.volume.byTownship).toEqual({ '140581002': 3, '140581101': 2 });
    expect(k.volume.byMatter).toEqual({ SR01: 2, SR02: 1, ZR01: 2 });
    expect(k.volume.byDomain).toEqual({ 市容环境: 3, 自然资源: 2 });
    expect(k.volume.bySource).toEqual({ grid_worker: 2, patrol: 1, hotline_12345: 1, public: 1 });
    expect(k.registered).toBe(4);
  });

  it('computes the rates with their numerators and denominators', () => {
    expect(k.rectificationRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(k.closureRate).toEqual({ numerator: 2, denominator: 4, value: 0.5 });
    expect(k.onTimeClosureRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(k.reworkRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(k.returnRate).toEqual({ numerator: 1, denominator: 4, value: 0.25 });
    // A (two extensions: one case) and C of the four registered.
    expect(k.extensionRate).toEqual({ numerator: 2, denominator: 4, value: 0.5 });
  });

  it('gives response times as median and P90 in minutes', () => {
    // acknowledge: 10, 20, 30, 40 → median 25; P90 rank 2.7 → 30 + 0.7·10 = 37.
    expect(k.responseTime.acknowledge).toEqual({ count: 4, medianMinutes: 25, p90Minutes: 37 });
    // arrive: 30, 60 → median 45; P90 rank 0.9 → 30 + 0.9·30 = 57.
    expect(k.responseTime.arrive.count).toBe(2);
    expect(k.responseTime.arrive.medianMinutes).toBe(45);
    expect(k.responseTime.arrive.p90Minutes).toBeCloseTo(57, 10);
  });

  it('counts overdue cases and deadlines, and turnouts', () => {
    expect(k.overdue).toEqual({ cases: 2, deadlines: 3, openNow: 1 });
    expect(k.turnouts).toBe(6);
  });

  it('says "no basis" (null), not 0 %, when nothing is measured', () => {
    const none = computeKpis([], RANGE);
    expect(none.closureRate.value).toBeNull();
    expect(none.responseTime.acknowledge).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    expect(none.volume.byDay.map((d) => d.count)).toEqual([0, 0, 0]);
  });

  it('interpolates percentiles between ranks', () => {
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
  });
});

describe("a department's 退回率 in its ranking", () => {
  it('counts the cases it returned among those it was given, wherever they went since', () => {
    const c = (assignee: string | null, returnedBy?: string[], dispatched = true): CaseFacts => ({
      ...base,
      assignee,
      dispatched,
      ...(returnedBy ? { returnedBy } : {}),
    });
    const rates = departmentReturnRates([
      c('department:cgj'), // held
      c('township:140581002', ['department:cgj']), // returned by it, now a township's
      c('department:cgj', ['department:cgj']), // returned by it, sent back to it: once
      c('department:scjgj', ['department:cgj', 'township:140581001']), // returned by it and a township
      c('department:scjgj', undefined, false), // never registered: not given
      c(null, ['department:zrzyj']), // returned, waiting
    ]);
    expect(rates.get('department:cgj')).toMatchObject({ numerator: 3, denominator: 4, value: 0.75 });
    expect(rates.get('department:scjgj')).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect(rates.get('department:zrzyj')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(rates.has('township:140581001')).toBe(false);
  });
});

describe("a department's 延期率 in its ranking", () => {
  it('counts the grants made while it had the case, of the registered cases it has now', () => {
    const c = (
      assignee: string | null,
      extensions: number,
      extendedNow?: boolean,
      dispatched = true,
    ): CaseFacts => ({
      ...base,
      assignee,
      dispatched,
      extensions,
      ...(extendedNow === undefined ? {} : { extendedNow }),
    });
    const rates = departmentExtensionRates([
      c('department:cgj', 1, true), // granted while the 城管局 had it
      c('department:cgj', 1, false), // granted to a township, then reassigned to the 城管局
      c('department:cgj', 0),
      c('department:cgj', 2), // extendedNow not read: every grant counts
      c('department:scjgj', 0, undefined, false), // never registered
      c('township:140581002', 1, true), // a township's: not a department's
    ]);
    expect(rates.get('department:cgj')).toMatchObject({ numerator: 2, denominator: 4, value: 0.5 });
    expect(rates.has('department:scjgj')).toBe(false);
    expect(rates.has('township:140581002')).toBe(false);
  });
});
