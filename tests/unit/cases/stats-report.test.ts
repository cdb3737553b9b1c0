// The statistics period (Shanghai days, both ends inclusive), the previous period of the same length
// and the report GET /api/stats answers, on hand-made facts whose answers are worked out below.
import { describe, expect, it } from 'vitest';
import {
  comparisonBasis,
  earlyBasis,
  previousStatsPeriod,
  resolveStatsPeriod,
  sameDayLastYear,
  statsPeriod,
  statsQuerySchema,
  statsReport,
  townshipKpisAsync,
  type CaseFacts,
  type ComparedReport,
} from '../../../shared/kpi';

const MIN = 60_000;
/** An instant in Shanghai local time. */
const sh = (iso: string) => Date.parse(`${iso}+08:00`);

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

describe('statistics period', () => {
  it('covers whole Shanghai days, both inclusive, as half-open instants', () => {
    const p = statsPeriod('2026-03-01', '2026-03-07');
    expect(p.start).toBe(sh('2026-03-01T00:00:00'));
    expect(p.end).toBe(sh('2026-03-08T00:00:00'));
    expect(p.days).toBe(7);
    expect(previousStatsPeriod(p)).toMatchObject({ from: '2026-02-22', to: '2026-02-28', days: 7 });
    // The same number of days, not the same calendar span: 2025 has 365, leap 2024 had 366.
    expect(previousStatsPeriod(statsPeriod('2024-03-01', '2024-03-01')).from).toBe('2024-02-29');
    expect(previousStatsPeriod(statsPeriod('2025-01-01', '2025-12-31'))).toMatchObject({
      from: '2024-01-02',
      to: '2024-12-31',
      days: 365,
    });
  });

  it('reads a day, or an instant as the Shanghai day it falls in', () => {
    const q = (query: Record<string, string>) => statsQuerySchema.parse(query);
    expect(q({ from: '2026-03-01', to: '2026-03-01' })).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-01',
    });
    // 2026-03-01 16:30 UTC is already 2 March in Shanghai.
    expect(q({ to: String(Date.UTC(2026, 2, 1, 16, 30)) }).to).toBe('2026-03-02');
    expect(q({ to: '2026-03-01T23:59:59+08:00' }).to).toBe('2026-03-01');
    expect(statsQuerySchema.safeParse({ from: '2026-02-30' }).success).toBe(false);
    expect(statsQuerySchema.safeParse({ from: '2026-13-45' }).success).toBe(false);
    expect(statsQuerySchema.safeParse({ to: 'yesterday' }).success).toBe(false);
    expect(statsQuerySchema.safeParse({ groupBy: 'matter' }).success).toBe(false);
  });

  it('defaults to the last 30 days including today and refuses reversed or over-long periods', () => {
    const now = sh('2026-03-10T09:00:00');
    expect(resolveStatsPeriod({}, now)).toEqual({ period: statsPeriod('2026-02-09', '2026-03-10') });
    expect(resolveStatsPeriod({ from: '2026-03-02', to: '2026-03-01' }, now)).toMatchObject({
      field: 'query.from',
    });
    expect(resolveStatsPeriod({ from: '2024-01-01', to: '2024-12-31' }, now)).toHaveProperty('period');
    expect(resolveStatsPeriod({ from: '2024-01-01', to: '2025-01-01' }, now)).toMatchObject({
      field: 'query.to',
    });
  });
});

describe('环比 basis (同期口径)', () => {
  it('compares a period still running with the previous one up to the same moment, as it stood then', () => {
    // Today at 09:30 against yesterday up to 09:30 (a case reported at 09:30:00.000 in, as one
    // reported this very moment is in today's), yesterday's cases as they stood at 09:30.
    const today = statsPeriod('2026-03-10', '2026-03-10');
    expect(comparisonBasis(today, sh('2026-03-10T09:30:00'))).toEqual({
      compare: 'previous',
      previous: statsPeriod('2026-03-09', '2026-03-09'),
      until: sh('2026-03-09T09:30:00') + 1,
      asOf: sh('2026-03-09T09:30:00'),
    });
    // The last 7 days with today's morning: the 7 before them, to the same hour of their last day.
    const week = comparisonBasis(statsPeriod('2026-03-04', '2026-03-10'), sh('2026-03-10T01:45:00'));
    expect(week.previous).toMatchObject({ from: '2026-02-25', to: '2026-03-03' });
    expect(week.until).toBe(sh('2026-03-03T01:45:00') + 1);
  });

  it('compares a finished period with the whole previous one, as it stood one period ago', () => {
    const b = comparisonBasis(statsPeriod('2026-03-02', '2026-03-08'), sh('2026-03-10T09:30:00'));
    expect(b.until).toBe(b.previous.end);
    expect(b.asOf).toBe(sh('2026-03-03T09:30:00'));
  });

  it('has nothing to compare a period not yet begun with', () => {
    const b = comparisonBasis(statsPeriod('2026-03-12', '2026-03-12'), sh('2026-03-10T09:30:00'));
    expect(b.until).toBe(b.previous.start);
  });
});

describe('同比 basis (the same days last year, 同期口径)', () => {
  it('compares this year so far with last year up to the same day and hour, as it stood then', () => {
    const year = statsPeriod('2026-01-01', '2026-12-05');
    expect(comparisonBasis(year, sh('2026-12-05T09:30:00'), 'year')).toEqual({
      compare: 'year',
      previous: statsPeriod('2025-01-01', '2025-12-05'),
      until: sh('2025-12-05T09:30:00') + 1,
      asOf: sh('2025-12-05T09:30:00'),
    });
    // 环比 of the same 339 days would be the 339 before them, 27 January to 31 December.
    expect(comparisonBasis(year, sh('2026-12-05T09:30:00')).previous).toMatchObject({
      from: '2025-01-27',
      to: '2025-12-31',
    });
  });

  it('takes a finished period whole, as it stood a year ago; 29 February is compared with the 28th', () => {
    const b = comparisonBasis(statsPeriod('2028-02-01', '2028-02-29'), sh('2028-03-02T08:00:00'), 'year');
    expect(b.previous).toMatchObject({ from: '2027-02-01', to: '2027-02-28', days: 28 });
    expect(b.until).toBe(b.previous.end);
    // As long before now as 2027-02-28's end lies before 2028-02-29's (366 days): the same date and
    // hour a year earlier.
    expect(b.asOf).toBe(sh('2027-03-02T08:00:00'));
    expect(sameDayLastYear('2028-02-29')).toBe('2027-02-28');
    expect(sameDayLastYear('2026-01-01')).toBe('2025-01-01');
  });

  it('cuts last year at the same date and hour with a 29 February ahead or behind', () => {
    // February of a leap year asked on the 15th: last February until the 15th at 10:00, not the
    // 14th (the period's end lies 366 days after last year's, now only 365).
    const feb = statsPeriod('2028-02-01', '2028-02-29');
    const mid = comparisonBasis(feb, sh('2028-02-15T10:00:00'), 'year');
    expect(mid.asOf).toBe(sh('2027-02-15T10:00:00'));
    expect(mid.until).toBe(sh('2027-02-15T10:00:00') + 1);
    // On the 29th itself: last year's 28th, its last day, until the same hour.
    const leapDay = comparisonBasis(
      statsPeriod('2028-02-28', '2028-02-29'),
      sh('2028-02-28T10:00:00'),
      'year',
    );
    expect(leapDay.previous).toMatchObject({ from: '2027-02-28', to: '2027-02-28' });
    expect(leapDay.until).toBe(sh('2027-02-28T10:00:00') + 1);
    // The year after a leap year: 2025's February against 2024's, asked on the 15th.
    const after = comparisonBasis(statsPeriod('2025-02-01', '2025-03-31'), sh('2025-02-15T08:00:00'), 'year');
    expect(after.asOf).toBe(sh('2024-02-15T08:00:00'));
  });

  it('refuses days before 1971, naming the field, rather than failing on them', () => {
    expect(statsQuerySchema.safeParse({ from: '0000-01-01' }).success).toBe(false);
    expect(statsQuerySchema.safeParse({ to: '1970-12-31' }).success).toBe(false);
    expect(statsQuerySchema.parse({ from: '1971-01-01' }).from).toBe('1971-01-01');
  });

  it('is asked for with compare, 环比 by default, and a report with none has no previous period', () => {
    expect(statsQuerySchema.parse({}).compare).toBeUndefined();
    expect(statsQuerySchema.parse({ compare: 'year' }).compare).toBe('year');
    expect(statsQuerySchema.safeParse({ compare: 'month' }).success).toBe(false);
    const period = statsPeriod('2026-03-02', '2026-03-03');
    const r = statsReport({
      facts: [],
      previousFacts: [],
      period,
      basis: null,
      now: period.end,
      filters: {},
    });
    expect(r.compare).toBe('none');
    expect(r).not.toHaveProperty('previous');
    expect(r).not.toHaveProperty('change');
  });

  it('states no change against a compared period without a single case', () => {
    const period = statsPeriod('2026-03-02', '2026-03-03');
    const now = sh('2026-03-04T09:00:00');
    const one = { ...base, createdAt: sh('2026-03-02T10:00:00'), overdueCount: 1, overdueNow: true };
    const r = statsReport({
      facts: [one],
      previousFacts: [],
      period,
      basis: comparisonBasis(period, now, 'year'),
      now,
      filters: {},
    }) as ComparedReport;
    expect(r.previous.volume.total).toBe(0);
    for (const c of Object.values(r.change)) expect(c).toMatchObject({ value: null, verdict: 'neutral' });
  });

  it("states no change against a compared period that starts before the records do (the platform's first year)", () => {
    // 同比 of 3 and 4 March against last year's, when the records begin on 4 March last year: the
    // compared days hold one day of cases, and a count up from it would read as a leap.
    const period = statsPeriod('2026-03-03', '2026-03-04');
    const now = sh('2026-03-05T09:00:00');
    const earlier = { ...base, createdAt: sh('2025-03-04T10:00:00') };
    const input = {
      facts: [1, 2, 3].map((h) => ({ ...base, createdAt: sh(`2026-03-03T1${h}:00:00`) })),
      previousFacts: [earlier],
      period,
      basis: comparisonBasis(period, now, 'year'),
      now,
      filters: {},
    };
    const early = statsReport({ ...input, recordsSince: earlier.createdAt }) as ComparedReport;
    expect(early.recordsSince).toBe(earlier.createdAt);
    expect(earlyBasis(early)).toBe('2025-03-04');
    expect(early.previous.volume.total).toBe(1); // its figures are given, its change is not
    for (const c of Object.values(early.change)) expect(c).toMatchObject({ value: null, verdict: 'neutral' });
    // Records from the compared period's first day (any hour of it) or earlier: compared as usual.
    for (const since of ['2025-03-03T15:00:00', '2025-03-03T00:00:00', '2024-01-01T00:00:00']) {
      const whole = statsReport({ ...input, recordsSince: sh(since) }) as ComparedReport;
      expect(earlyBasis(whole), since).toBeNull();
      expect(whole.change.volume.value, since).not.toBeNull();
    }
    expect(earlyBasis(statsReport({ ...input, recordsSince: null }))).toBeNull();
  });
});

describe('statistics report', () => {
  const period = statsPeriod('2026-03-02', '2026-03-03');
  const facts: CaseFacts[] = [
    // The previous period (2026-02-28 … 03-01): two cases, one closed.
    { ...base, createdAt: sh('2026-02-28T00:00:00'), status: 'closed', closedOnTime: true },
    { ...base, createdAt: sh('2026-03-01T23:59:59.999'), ackMs: 30 * MIN },
    // This period: three cases in two townships; the last one at 23:59:59.999 on its last day.
    { ...base, createdAt: sh('2026-03-02T00:00:00'), status: 'closed', closedOnTime: true, ackMs: 10 * MIN },
    { ...base, createdAt: sh('2026-03-02T12:00:00'), township: '140581101', returns: 1, ackMs: 20 * MIN },
    { ...base, createdAt: sh('2026-03-03T23:59:59.999'), source: 'patrol', turnouts: 4 },
  ];
  // Asked the day after the period: the previous period whole, as it stood a period's length ago.
  const now = sh('2026-03-04T09:00:00');
  const input = {
    facts: facts.slice(2),
    previousFacts: facts.slice(0, 2),
    period,
    basis: comparisonBasis(period, now),
    now,
    filters: {},
  };
  const r = statsReport({
    ...input,
    townships: [
      { code: '140581001', name: '北城街道' },
      { code: '140581002', name: '东城街道' },
      { code: '140581101', name: '米山镇' },
    ],
    keepEmpty: true,
  }) as ComparedReport;

  it('measures this period and the one before it', () => {
    expect(r).toMatchObject({ from: '2026-03-02', to: '2026-03-03', days: 2 });
    expect(r.volume.total).toBe(3);
    expect(r.volume.byDay).toEqual([
      { day: '2026-03-02', count: 2 },
      { day: '2026-03-03', count: 1 },
    ]);
    expect(r.closureRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(r.responseTime.acknowledge.medianMinutes).toBe(15);
    expect(r.previous).toMatchObject({
      from: '2026-02-28',
      to: '2026-03-01',
      until: sh('2026-03-02T00:00:00'),
      asOf: sh('2026-03-02T09:00:00'),
    });
    expect(r.asOf).toBe(now);
    expect(r.previous.volume.total).toBe(2);
    expect(r.previous.closureRate.value).toBe(0.5);
    expect(r.previous.responseTime.acknowledge.medianMinutes).toBe(30);
  });

  it('states 环比 for every measure: counts by ratio (by difference over a small base), rates in points', () => {
    expect(r.change.volume).toEqual({ kind: 'difference', value: 1, verdict: 'neutral' }); // 3 against 2
    expect(r.change.closureRate.kind).toBe('points');
    expect(r.change.closureRate.value).toBeCloseTo((1 / 3 - 0.5) * 100, 9);
    expect(r.change.closureRate.verdict).toBe('worse');
    expect(r.change.ackMedian).toEqual({ kind: 'ratio', value: -0.5, verdict: 'better' });
    expect(r.change.turnouts).toEqual({ kind: 'difference', value: 4, verdict: 'neutral' }); // 4 against 0
  });

  it('measures each township by where its cases are, listing every township for the county', () => {
    expect(r.townships!.map((t) => [t.code, t.volume.total])).toEqual([
      ['140581001', 0],
      ['140581002', 2],
      ['140581101', 1],
    ]);
    expect(r.townships![2]!.returnRate.value).toBe(1);
    const scoped = statsReport({ ...input, townships: r.townships, keepEmpty: false });
    expect(scoped.townships!.map((t) => t.code)).toEqual(['140581002', '140581101']);
    expect(statsReport(input).townships).toBeUndefined();
  });

  it("gives a report's townships alone for the published ranking, the same figures", async () => {
    const townships = r.townships!.map(({ code, name }) => ({ code, name }));
    const { facts, period } = input;
    expect(await townshipKpisAsync({ facts, period, townships, keepEmpty: true })).toEqual(r.townships);
    expect(await townshipKpisAsync({ facts, period, townships })).toEqual(
      statsReport({ ...input, townships }).townships,
    );
  });
});

describe('a one-day report by hour', () => {
  const at = (iso: string) => ({ ...base, createdAt: sh(iso) });
  const day = statsPeriod('2026-03-02', '2026-03-02');
  const now = sh('2026-03-02T09:20:00');
  const facts = [at('2026-03-02T00:10:00'), at('2026-03-02T08:59:59'), at('2026-03-02T09:05:00')];
  const previousFacts = [
    at('2026-03-01T00:00:00'),
    at('2026-03-01T09:19:00'),
    // After yesterday's cut (09:20): not counted, and its hour not listed past the cut's.
    at('2026-03-01T09:30:00'),
  ];
  const input = {
    facts,
    previousFacts,
    period: day,
    basis: comparisonBasis(day, now),
    now,
    filters: {},
    townships: [{ code: '140581002', name: '东城街道' }],
  };

  it('counts today by hour up to the hour under way, and yesterday up to the same moment', () => {
    const r = statsReport(input) as ComparedReport;
    const counts = (h: Array<{ hour: number; count: number }> | undefined) => h?.map((x) => x.count);
    expect(r.volume.byHour?.map((h) => h.hour)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(counts(r.volume.byHour)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(counts(r.previous.volume.byHour)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // The townships' rows are not counted by hour.
    expect(r.townships![0]!.volume.byHour).toBeUndefined();
  });

  it('lists all 24 hours of a finished day, and none for a longer period', () => {
    const later = sh('2026-03-05T12:00:00');
    const whole = statsReport({ ...input, now: later, basis: comparisonBasis(day, later) }) as ComparedReport;
    expect(whole.volume.byHour).toHaveLength(24);
    expect(whole.previous.volume.byHour).toHaveLength(24);
    expect(whole.previous.volume.byHour![9]).toEqual({ hour: 9, count: 2 });
    const two = statsPeriod('2026-03-01', '2026-03-02');
    expect(
      statsReport({ ...input, period: two, basis: comparisonBasis(two, later), now: later }).volume.byHour,
    ).toBeUndefined();
  });
});
