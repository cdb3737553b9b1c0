// GET /api/stats against a hand computation: cases reported through the real HTTP API on a
// ManualClock, handled step by step at known minutes, deadlines missed by the real scheduler; then
// every measure, its previous period and 环比, the ranking per township, the day boundaries in
// Asia/Shanghai, the filters and the caller's scope are checked against figures worked out by hand
// below, and the case list behind a figure (GET /api/cases with the instants the answer gives)
// holds exactly the cases it counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView, CaseListPage } from '../../../shared/cases';
import { MEASURES, earlyBasis, type ComparedReport } from '../../../shared/kpi';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';
import { caseStats } from '../../../server/cases/stats';

const DONGCHENG = '140581002';
const MISHAN = '140581101';
/** An instant in Shanghai local time. */
const sh = (local: string) => Date.parse(`${local}+08:00`);

describe.each(ENGINES)('GET /api/stats on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(sh('2026-05-09T10:00:00'));
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let mishan: string;
  const ids: Record<string, string> = {};
  let signedInAt = 0;

  /** Move the clock; sign everyone in again when their 12-hour tokens (on this clock) would lapse. */
  async function setClock(local: string): Promise<void> {
    clock.set(sh(local));
    if (clock.now() - signedInAt < 6 * 3600_000) return;
    signedInAt = clock.now();
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    mishan = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: MISHAN });
  }

  async function clue(
    name: string,
    at: string,
    township: string,
    index: number,
    source: 'grid_worker' | 'hotline_12345' | 'public' | 'patrol' = 'grid_worker',
  ): Promise<CaseView> {
    await setClock(at);
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, township, index), { source }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = r.body.case as CaseView;
    expect(c.status, `${name} is dispatched on intake`).toBe('dispatched');
    expect(c.createdAt).toBe(sh(at));
    ids[name] = c.id;
    return c;
  }

  async function step(
    token: string,
    c: CaseView,
    body: Record<string, unknown>,
    at?: string,
  ): Promise<CaseView> {
    if (at) await setClock(at);
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  }

  const stats = async (token: string, query: string) => {
    const r = await call<ComparedReport>(server.url, token, 'GET', `/api/stats?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });

    // The previous period, 05-09 … 05-10. P1: acknowledged after 30 min, never on site.
    // P2: reported at the last millisecond of 05-10, never acknowledged.
    const p1 = await clue('P1', '2026-05-09T10:00:00', DONGCHENG, 0);
    await step(dongcheng, p1, { action: 'acknowledge' }, '2026-05-09T10:30:00');
    await clue('P2', '2026-05-10T23:59:59.999', DONGCHENG, 1);

    // This period, 05-11 … 05-12 (matter SR01: acknowledge 1 h, arrive 2 h, finish 72 h).
    // A, at the first millisecond of 05-11: acknowledged at 10 min, 3 sent, on site at 40 min,
    // rectification ordered and reported done, resolved, verified: closed on time.
    let a = await clue('A', '2026-05-11T00:00:00', DONGCHENG, 2);
    a = await step(dongcheng, a, { action: 'acknowledge' }, '2026-05-11T00:10:00');
    a = await step(dongcheng, a, { action: 'start', personnel: 3 });
    a = await step(dongcheng, a, { action: 'arrive' }, '2026-05-11T00:40:00');
    a = await step(dongcheng, a, { action: 'order_rectification' });
    a = await step(dongcheng, a, { action: 'report_rectified', note: '已清理' });
    a = await step(dongcheng, a, { action: 'resolve', result: '已整改到位' });
    await step(commander, a, { action: 'verify_pass' });
    // B: from the 12345 hotline; returned after 5 min.
    const b = await clue('B', '2026-05-11T09:00:00', DONGCHENG, 3, 'hotline_12345');
    await step(dongcheng, b, { action: 'return', reason: '不属于本街道职权' }, '2026-05-11T09:05:00');
    // C: from the public; acknowledged at 30 min, 2 sent, on site at 60 min, resolved, sent back (返工).
    let c = await clue('C', '2026-05-11T09:00:00', DONGCHENG, 4, 'public');
    c = await step(dongcheng, c, { action: 'acknowledge' }, '2026-05-11T09:30:00');
    c = await step(dongcheng, c, { action: 'start', personnel: 2 });
    c = await step(dongcheng, c, { action: 'arrive' }, '2026-05-11T10:00:00');
    c = await step(dongcheng, c, { action: 'resolve', result: '已劝离' });
    await step(commander, c, { action: 'verify_fail', reason: '现场仍有占道' });
    // D, in 米山镇, from a patrol: acknowledged at 20 min, never on site: its arrival deadline (12:00)
    // is missed at the 12:30 scan, as are P1's arrival and finish (72 h: 05-12 10:00) and P2's
    // acknowledgement and arrival. C's finish deadline (05-14 09:00) still runs.
    // D asks for 5 more days at 10:25 and is granted 2 at 10:30 (延期; its finish deadline moves to
    // 05-17 10:00, its arrival deadline does not).
    let d = await clue('D', '2026-05-12T10:00:00', MISHAN, 0, 'patrol');
    d = await step(mishan, d, { action: 'acknowledge' }, '2026-05-12T10:20:00');
    d = await step(
      mishan,
      d,
      { action: 'request_extension', days: 5, reason: '待测绘' },
      '2026-05-12T10:25:00',
    );
    await step(commander, d, { action: 'approve_extension', days: 2 }, '2026-05-12T10:30:00');
    await setClock('2026-05-12T12:30:00');
    expect(await server.handle.ctx.caseDeadlines.scan()).toBe(5);
    // E: the last millisecond of 05-12, in 米山镇. F: the first of 05-13, outside the period.
    await clue('E', '2026-05-12T23:59:59.999', MISHAN, 1);
    await clue('F', '2026-05-13T00:00:00', DONGCHENG, 5);
    await setClock('2026-05-13T09:00:00');
  });
  afterAll(() => server?.close());

  const PERIOD = 'from=2026-05-11&to=2026-05-12';

  it('answers every measure as worked out by hand', async () => {
    const s = await stats(leader, PERIOD);
    expect(s).toMatchObject({
      from: '2026-05-11',
      to: '2026-05-12',
      days: 2,
      start: sh('2026-05-11T00:00:00'),
      end: sh('2026-05-13T00:00:00'),
    });
    // A, B, C, D, E: A at 00:00:00.000 of the first day and E at 23:59:59.999 of the last are in;
    // P2 (a millisecond before) and F (a millisecond after) are not.
    expect(s.volume.total).toBe(5);
    expect(s.volume.byDay).toEqual([
      { day: '2026-05-11', count: 3 },
      { day: '2026-05-12', count: 2 },
    ]);
    expect(s.volume.byTownship).toEqual({ [DONGCHENG]: 3, [MISHAN]: 2 });
    expect(s.volume.bySource).toEqual({ grid_worker: 2, hotline_12345: 1, public: 1, patrol: 1 });
    expect(s.volume.byMatter).toEqual({ SR01: 5 });
    expect(s.volume.byDomain).toEqual({ 市容环境: 5 });
    expect(s.registered).toBe(5);
    // A's one order, reported done.
    expect(s.rectificationRate).toEqual({ numerator: 1, denominator: 1, value: 1 });
    // Acknowledged at 10 (A), 30 (C), 20 (D) min: sorted 10, 20, 30; median 20; P90 at rank
    // (3 − 1) × 0.9 = 1.8: 20 + 0.8 × (30 − 20) = 28.
    expect(s.responseTime.acknowledge.count).toBe(3);
    expect(s.responseTime.acknowledge.medianMinutes).toBeCloseTo(20, 9);
    expect(s.responseTime.acknowledge.p90Minutes).toBeCloseTo(28, 9);
    // On site at 40 (A) and 60 (C): median 50; P90 at rank 0.9: 40 + 0.9 × 20 = 58.
    expect(s.responseTime.arrive.count).toBe(2);
    expect(s.responseTime.arrive.medianMinutes).toBeCloseTo(50, 9);
    expect(s.responseTime.arrive.p90Minutes).toBeCloseTo(58, 9);
    // Closed: A, of 5 registered; A resolved within its 72 h finish deadline.
    expect(s.closureRate).toEqual({ numerator: 1, denominator: 5, value: 0.2 });
    expect(s.onTimeClosureRate).toEqual({ numerator: 1, denominator: 1, value: 1 });
    // Verified: A (passed) and C (failed): one of two sent back.
    expect(s.reworkRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    // Returned: B, of 5 registered.
    expect(s.returnRate).toEqual({ numerator: 1, denominator: 5, value: 0.2 });
    // Granted more time: D, of 5 registered.
    expect(s.extensionRate).toEqual({ numerator: 1, denominator: 5, value: 0.2 });
    // D's arrival deadline, still unmet.
    expect(s.overdue).toEqual({ cases: 1, deadlines: 1, openNow: 1 });
    // 3 sent for A, 2 for C.
    expect(s.turnouts).toBe(5);
  });

  it('measures the previous period of the same length and states 环比', async () => {
    const s = await stats(leader, PERIOD);
    const p = s.previous;
    expect(p).toMatchObject({ from: '2026-05-09', to: '2026-05-10', days: 2 });
    // P1 and P2.
    expect(p.volume.total).toBe(2);
    expect(p.registered).toBe(2);
    expect(p.responseTime.acknowledge).toEqual({ count: 1, medianMinutes: 30, p90Minutes: 30 });
    expect(p.responseTime.arrive).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    expect(p.closureRate).toEqual({ numerator: 0, denominator: 2, value: 0 });
    expect(p.rectificationRate.value).toBeNull();
    // As they stood two days before now (05-11 09:00, 同期口径): P1's arrival (due 05-09 12:00) and
    // P2's acknowledgement and arrival (due 05-11 01:00 and 02:00) missed, though the scan marked
    // them only at 05-12 12:30; P1's finish (due 05-12 10:00) not yet.
    expect(p).toMatchObject({ until: sh('2026-05-11T00:00:00'), asOf: sh('2026-05-11T09:00:00') });
    expect(p.overdue).toEqual({ cases: 2, deadlines: 3, openNow: 2 });
    // 环比: durations by ratio, rates in percentage points, counts over fewer than 10 before by their
    // difference (5 against 2 is +3, not +150 %), judged by the better direction.
    expect(s.change.volume).toEqual({ kind: 'difference', value: 3, verdict: 'neutral' }); // 5 against 2
    expect(s.change.ackMedian.value).toBeCloseTo(-1 / 3, 9); // 20 against 30 min
    expect(s.change.ackMedian.verdict).toBe('better');
    expect(s.change.closureRate.kind).toBe('points');
    expect(s.change.closureRate.value).toBeCloseTo(20, 9); // 20 % against 0 %
    expect(s.change.closureRate.verdict).toBe('better');
    expect(s.change.returnRate.value).toBeCloseTo(20, 9);
    expect(s.change.returnRate.verdict).toBe('worse');
    expect(s.change.extensionRate).toEqual({ kind: 'points', value: 20, verdict: 'worse' }); // 20 % against 0 %
    expect(s.change.overdue).toEqual({ kind: 'difference', value: -1, verdict: 'better' }); // 1 against 2
    expect(s.change.rectificationRate.value).toBeNull(); // nothing ordered before
    expect(s.change.turnouts).toEqual({ kind: 'difference', value: 5, verdict: 'neutral' }); // 5 against 0
  });

  it('compares a period still running with the previous one up to the same moment, as it stood then', async () => {
    // Asked at 05-13 09:00 for 05-12 … 05-13: the previous two days, 05-10 … 05-11, up to 05-11 09:00.
    // P2, A, and B and C reported at 09:00:00 exactly are in (as a case reported at this very
    // moment is in this period); P1, before 05-10, is not. Taken as they stood at 09:00: A closed;
    // B not yet returned (09:05); C not yet acknowledged.
    const s = await stats(leader, 'from=2026-05-12&to=2026-05-13');
    expect(s.volume.total).toBe(3); // D, E, F
    const p = s.previous;
    expect(p).toMatchObject({
      from: '2026-05-10',
      to: '2026-05-11',
      end: sh('2026-05-12T00:00:00'),
      until: sh('2026-05-11T09:00:00') + 1,
      asOf: sh('2026-05-11T09:00:00'),
    });
    expect(p.volume.total).toBe(4);
    expect(p.volume.byDay).toEqual([
      { day: '2026-05-10', count: 1 },
      { day: '2026-05-11', count: 3 },
    ]);
    expect(p.closureRate).toEqual({ numerator: 1, denominator: 4, value: 0.25 }); // A
    expect(p.returnRate.numerator).toBe(0); // B's return came after
    expect(p.reworkRate).toEqual({ numerator: 0, denominator: 1, value: 0 }); // C's 返工 came after
    expect(p.overdue).toEqual({ cases: 1, deadlines: 2, openNow: 1 }); // P2
    expect(s.change.volume).toEqual({ kind: 'difference', value: -1, verdict: 'neutral' }); // 3 against 4
    // Asked a millisecond earlier, B and C are not yet in.
    const later = await caseStats(
      server.store,
      { kind: 'county' },
      { from: '2026-05-12', to: '2026-05-13' },
      sh('2026-05-13T08:59:59.999'),
    );
    expect(later.previous!.volume.total).toBe(2); // a millisecond earlier: P2 and A only

    // A moment chosen (caseStats takes it): 05-12 09:20, today. Yesterday up to 09:20 as it stood
    // then: A closed; B returned at 09:05; C dispatched, not yet acknowledged (09:30), its 返工 to come.
    const early = await caseStats(
      server.store,
      { kind: 'county' },
      { from: '2026-05-12', to: '2026-05-12' },
      sh('2026-05-12T09:20:00'),
    );
    const e = early.previous!;
    expect(e).toMatchObject({ from: '2026-05-11', until: sh('2026-05-11T09:20:00') + 1 });
    expect(e.volume.total).toBe(3);
    expect(e.responseTime.acknowledge).toEqual({ count: 1, medianMinutes: 10, p90Minutes: 10 }); // A only
    expect(e.closureRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(e.returnRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(e.reworkRate).toEqual({ numerator: 0, denominator: 1, value: 0 });
    expect(e.turnouts).toBe(3); // C's two went out at 09:30
    // The same cases as they stand now: C acknowledged, sent back, 2 more sent.
    const whole = await stats(leader, 'from=2026-05-11&to=2026-05-11');
    expect(whole.responseTime.acknowledge.count).toBe(2);
    expect(whole.reworkRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(whole.turnouts).toBe(5);
  });

  it('counts an extension in the compared period from its grant, not its request (同期口径)', async () => {
    // 05-13 against 05-12, asked at 10:27 and at 10:31: 05-12 as it stood at 10:27 (D asked at 10:25,
    // not yet granted) and at 10:31 (granted at 10:30).
    const at = async (time: string) =>
      (await caseStats(server.store, { kind: 'county' }, { from: '2026-05-13', to: '2026-05-13' }, sh(time)))
        .previous!.extensionRate;
    expect(await at('2026-05-13T10:27:00')).toEqual({ numerator: 0, denominator: 1, value: 0 });
    expect(await at('2026-05-13T10:31:00')).toEqual({ numerator: 1, denominator: 1, value: 1 });
  });

  it('counts a one-day period by Shanghai hour: today up to the hour under way, yesterday to the same moment', async () => {
    const hours = (h: Array<{ hour: number; count: number }> | undefined) =>
      h?.flatMap((x, i) => (x.hour === i ? [x.count] : [NaN]));
    // Today, 05-13, asked at 09:00: F at 00:00; the hours 00 … 09 (09 just begun). Yesterday, 05-12,
    // up to 09:00: nothing (D came at 10:00), the same ten hours listed.
    const today = await stats(leader, 'from=2026-05-13&to=2026-05-13');
    expect(hours(today.volume.byHour)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(hours(today.previous.volume.byHour)).toEqual(new Array(10).fill(0));
    // A finished day, 05-11: A at 00:00:00.000, B and C at 09:00; the day before, P2 at its last
    // millisecond (23:59:59.999), P1 a day earlier not in it. Every hour listed.
    const day = await stats(leader, 'from=2026-05-11&to=2026-05-11&compare=previous');
    const expected = new Array(24).fill(0);
    expected[0] = 1;
    expected[9] = 2;
    expect(hours(day.volume.byHour)).toEqual(expected);
    expect(hours(day.previous.volume.byHour)).toEqual([...new Array(23).fill(0), 1]);
    // A longer period has no hours (its days are its trend), nor do the townships' rows.
    expect((await stats(leader, PERIOD)).volume.byHour).toBeUndefined();
    const ranked = await stats(leader, 'from=2026-05-11&to=2026-05-11&groupBy=township');
    expect(ranked.townships!.every((t) => t.volume.byHour === undefined)).toBe(true);
  });

  it('ranks every township with the same measures (groupBy=township)', async () => {
    const s = await stats(leader, `${PERIOD}&groupBy=township`);
    expect(s.townships).toHaveLength(server.handle.ctx.geo.townships.length);
    const row = (code: string) => s.townships!.find((t) => t.code === code)!;
    expect(row(DONGCHENG)).toMatchObject({
      name: '东城街道',
      volume: { total: 3 },
      closureRate: { numerator: 1, denominator: 3 },
      returnRate: { numerator: 1, denominator: 3 },
      reworkRate: { numerator: 1, denominator: 2, value: 0.5 },
      turnouts: 5,
      overdue: { cases: 0, deadlines: 0, openNow: 0 },
    });
    expect(row(DONGCHENG).responseTime.acknowledge.medianMinutes).toBeCloseTo(20, 9); // 10 and 30
    expect(row(MISHAN)).toMatchObject({
      volume: { total: 2 },
      closureRate: { numerator: 0, denominator: 2, value: 0 },
      extensionRate: { numerator: 1, denominator: 2, value: 0.5 },
      overdue: { cases: 1, deadlines: 1, openNow: 1 },
      responseTime: { acknowledge: { count: 1, medianMinutes: 20 } },
    });
    // Every other township: nothing, and no rate without a basis.
    const others = s.townships!.filter((t) => t.code !== DONGCHENG && t.code !== MISHAN);
    expect(others.every((t) => t.volume.total === 0 && t.closureRate.value === null)).toBe(true);
    // The rows add up to the county.
    expect(s.townships!.reduce((n, t) => n + t.volume.total, 0)).toBe(s.volume.total);
    expect(s.townships!.reduce((n, t) => n + t.turnouts, 0)).toBe(s.turnouts);
  });

  it('ranks the same units on the compared period, as it stood then, for 名次较上期', async () => {
    const s = await stats(leader, `${PERIOD}&groupBy=township`);
    const before = s.previous.townships!;
    // Every township, as the period's own ranking lists them.
    expect(before.map((t) => t.code)).toEqual(s.townships!.map((t) => t.code));
    // 05-09 … 05-10: P1 and P2, both in 东城街道 — whose row is the county's previous period, every measure.
    const dongchengBefore = before.find((t) => t.code === DONGCHENG)!;
    expect(dongchengBefore.volume.total).toBe(2);
    for (const m of MEASURES) expect(m.value(dongchengBefore), m.key).toEqual(m.value(s.previous));
    expect(before.filter((t) => t.code !== DONGCHENG).every((t) => t.volume.total === 0)).toBe(true);

    // A period still running: 05-10 … 05-11 up to 05-11 09:00, as it stood then (B not yet
    // returned, C not yet acknowledged): 东城街道's row again the county's, as replayed.
    const running = await stats(leader, 'from=2026-05-12&to=2026-05-13&groupBy=township');
    const then = running.previous.townships!.find((t) => t.code === DONGCHENG)!;
    expect(then.volume.total).toBe(4);
    expect(then.returnRate.numerator).toBe(0);
    for (const m of MEASURES) expect(m.value(then), m.key).toEqual(m.value(running.previous));

    // A township's page: the published ranking on the compared period too, every township; its own
    // rows as its own report counts them.
    const own = await stats(dongcheng, `${PERIOD}&groupBy=township`);
    expect(own.previous.ranking!.map((t) => [t.code, t.volume.total])).toEqual(
      before.map((t) => [t.code, t.volume.total]),
    );
    expect(own.previous.townships!.map((t) => t.code)).toEqual([DONGCHENG]);
    const mishanPage = await stats(mishan, `${PERIOD}&groupBy=township`);
    expect(mishanPage.previous.ranking!.find((t) => t.code === DONGCHENG)!.volume.total).toBe(2);

    // No basis, no ranking: 同比 against a year with no case, a compared day before the records
    // begin (05-08), or no comparison at all.
    const year = await stats(leader, `${PERIOD}&groupBy=township&compare=year`);
    expect(year.previous.volume.total).toBe(0);
    expect(year.previous).not.toHaveProperty('townships');
    const early = await stats(dongcheng, 'from=2026-05-09&to=2026-05-09&groupBy=township');
    expect(early.previous).not.toHaveProperty('townships');
    expect(early.previous).not.toHaveProperty('ranking');
    // A compared period with a case (P1, 05-09) that starts before the records do (05-08): no basis.
    for (const token of [leader, dongcheng]) {
      const partial = await stats(token, 'from=2026-05-10&to=2026-05-11&groupBy=township');
      expect(partial.previous.volume.total).toBeGreaterThan(0);
      expect(earlyBasis(partial)).toBe('2026-05-09');
      expect(partial.previous).not.toHaveProperty('townships');
      expect(partial.previous).not.toHaveProperty('ranking');
    }
    expect(await stats(leader, `${PERIOD}`)).not.toHaveProperty('previous.townships');
  });

  it('reads the facts a page at a time, each case once, whatever the page size (ties in time included)', async () => {
    const whole = await stats(leader, `${PERIOD}&groupBy=township`);
    const times = (await server.store.db.selectFrom('cases').select('created_at').execute()).map((r) =>
      Number(r.created_at),
    );
    expect(new Set(times).size).toBeLessThan(times.length); // some reported at the same instant
    const resolvedQuery = Object.fromEntries(new URLSearchParams(`${PERIOD}&groupBy=township`)) as never;
    for (const size of [1, 2, 3, 1000]) {
      const paged = await caseStats(
        server.store,
        { kind: 'county' },
        resolvedQuery,
        clock.now(),
        { townships: server.handle.ctx.geo.townships, departments: server.handle.ctx.departments },
        size,
      );
      expect(paged, `pages of ${size}`).toEqual(whole);
    }
  });

  it('lists, for the instants it answers with, exactly the cases it counts', async () => {
    const s = await stats(leader, `${PERIOD}&groupBy=township`);
    for (const [township, expected] of [
      [undefined, ['A', 'B', 'C', 'D', 'E']],
      [DONGCHENG, ['A', 'B', 'C']],
      [MISHAN, ['D', 'E']],
    ] as const) {
      const q = `from=${s.start}&to=${s.end}${township ? `&township=${township}` : ''}&limit=500`;
      const r = await call<CaseListPage>(server.url, leader, 'GET', `/api/cases?${q}`);
      expect(r.status).toBe(200);
      const want = expected.map((n) => ids[n]).sort();
      expect(r.body.items.map((c) => c.id).sort(), township ?? 'county').toEqual(want);
      const counted = township ? s.townships!.find((t) => t.code === township)!.volume.total : s.volume.total;
      expect(r.body.total).toBe(counted);
    }
  });

  it('reads from/to as Shanghai days, a day or an instant within it alike', async () => {
    // 05-12 23:59:59.999 Shanghai is 15:59:59.999 UTC; 05-11 00:30 Shanghai is 05-10 16:30 UTC.
    const byInstant = await stats(
      leader,
      `from=${Date.UTC(2026, 4, 10, 16, 30)}&to=${encodeURIComponent('2026-05-12T08:00:00Z')}`,
    );
    expect(byInstant).toMatchObject({ from: '2026-05-11', to: '2026-05-12', volume: { total: 5 } });
    const day = await stats(leader, 'from=2026-05-12&to=2026-05-12');
    expect(day.volume.total).toBe(2); // D and E
    expect(day.previous).toMatchObject({ from: '2026-05-11', to: '2026-05-11', volume: { total: 3 } });
    const next = await stats(leader, 'from=2026-05-13&to=2026-05-13');
    expect(next.volume.total).toBe(1); // F
    // Without from/to: the 30 days up to today (05-13), today included.
    const byDefault = await stats(leader, '');
    expect(byDefault).toMatchObject({ from: '2026-04-14', to: '2026-05-13', days: 30 });
    expect(byDefault.volume.total).toBe(8);
  });

  it('applies the filters', async () => {
    expect((await stats(leader, `${PERIOD}&source=hotline_12345`)).returnRate).toEqual({
      numerator: 1,
      denominator: 1,
      value: 1,
    });
    expect((await stats(leader, `${PERIOD}&township=${MISHAN}`)).volume.total).toBe(2);
    expect((await stats(leader, `${PERIOD}&domain=${encodeURIComponent('违法建设')}`)).volume.total).toBe(0);
    const one = await stats(leader, `${PERIOD}&township=${MISHAN}&groupBy=township`);
    expect(one.townships!.map((t) => t.code)).toEqual([MISHAN]);
  });

  it("measures a township's own cases only, and ranks only the townships it has cases in", async () => {
    const own = await stats(dongcheng, `${PERIOD}&groupBy=township`);
    expect(own.volume.total).toBe(3);
    expect(own.turnouts).toBe(5);
    expect(own.previous.volume.total).toBe(2);
    expect(own.townships!.map((t) => t.code)).toEqual([DONGCHENG]);
    const other = await stats(mishan, PERIOD);
    expect(other.volume.total).toBe(2);
  });

  it('compares 同比 with the same days a year earlier, as they stood at the same moment', async () => {
    const now = await stats(leader, PERIOD);
    // The same two days of 2027 asked a year from now: 2026's as they stand now, every measure.
    const nextYear = await caseStats(
      server.store,
      { kind: 'county' },
      { from: '2027-05-11', to: '2027-05-12', compare: 'year' },
      sh('2027-05-13T09:00:00'),
    );
    expect(nextYear.compare).toBe('year');
    const p = nextYear.previous!;
    expect(p).toMatchObject({ from: '2026-05-11', to: '2026-05-12', until: p.end, asOf: clock.now() });
    for (const m of MEASURES) expect(m.value(p), m.key).toEqual(m.value(now));
    expect(nextYear.change!.volume).toEqual({ kind: 'difference', value: -5, verdict: 'neutral' });
    // The records begin with P1 (2026-05-09 10:00): 同比 of 2027-05-08 on compares with a day before
    // them, and states no change (the platform's first year), its figures still given.
    expect(nextYear.recordsSince).toBe(sh('2026-05-09T10:00:00'));
    const first = await caseStats(
      server.store,
      { kind: 'county' },
      { from: '2027-05-08', to: '2027-05-12', compare: 'year' },
      sh('2027-05-13T09:00:00'),
    );
    expect(earlyBasis(first)).toBe('2026-05-09');
    expect(first.previous!.volume.total).toBe(now.volume.total + 2); // P1 and P2 as well
    for (const m of MEASURES) expect(first.change![m.key].value, m.key).toBeNull();
    // Asked at 09:20 on 2027-05-11: 2026 up to 05-11 09:20 as it stood then (A closed, B returned,
    // C not yet acknowledged), as the 环比 of 05-12 at 05-12 09:20 saw the same cases.
    const early = await caseStats(
      server.store,
      { kind: 'county' },
      { from: '2027-05-11', to: '2027-05-12', compare: 'year' },
      sh('2027-05-11T09:20:00'),
    );
    const e = early.previous!;
    expect(e).toMatchObject({ from: '2026-05-11', until: sh('2026-05-11T09:20:00') + 1 });
    expect(e.volume.total).toBe(3);
    expect(e.closureRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(e.returnRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(e.responseTime.acknowledge).toEqual({ count: 1, medianMinutes: 10, p90Minutes: 10 });
  });

  it('compares with nothing when asked compare=none, the figures themselves the same', async () => {
    const plain = await stats(leader, `${PERIOD}&groupBy=township`);
    const none = await stats(leader, `${PERIOD}&groupBy=township&compare=none`);
    expect(none.compare).toBe('none');
    expect(none).not.toHaveProperty('previous');
    expect(none).not.toHaveProperty('change');
    const { previous: _p, change: _c, compare: _k, ...figures } = plain;
    expect(plain.compare).toBe('previous');
    const { compare: _n, ...noneFigures } = none;
    expect(noneFigures).toEqual(figures);
  });

  it('reads groupBy=department,township as township,department: the same report', async () => {
    const written = await stats(leader, `${PERIOD}&groupBy=township,department`);
    expect(written.townships).toBeDefined();
    expect(await stats(leader, `${PERIOD}&groupBy=department,township`)).toEqual(written);
  });

  it('refuses a reversed or over-long period and a bad grouping, naming the field', async () => {
    for (const [q, status, field] of [
      ['from=2026-05-12&to=2026-05-11', 422, 'query.from'],
      ['from=2025-01-01&to=2026-05-12', 422, 'query.to'],
      ['from=2026-02-30', 400, 'query.from'],
      ['to=2026-13-45', 400, 'query.to'],
      ['groupBy=matter', 400, 'query.groupBy'],
      ['groupBy=township,township', 400, 'query.groupBy'],
      ['groupBy=department,township,department', 400, 'query.groupBy'],
      ['groupBy=township,', 400, 'query.groupBy'],
      ['groupBy=township,%20department', 400, 'query.groupBy'],
      ['groupBy=', 400, 'query.groupBy'],
      ['compare=month', 400, 'query.compare'],
      ['from=0000-01-01&to=0000-01-02', 400, 'query.from'],
    ] as const) {
      const r = await call(server.url, leader, 'GET', `/api/stats?${q}`);
      expect(r.status, q).toBe(status);
      expect(r.body.field, q).toBe(field);
    }
  });

  /** The CSV export's lines for a query, as the leader downloads it. */
  const csv = async (q: string) => {
    const res = await fetch(`${server.url}/api/stats/export.csv?${q}`, {
      headers: { Authorization: `Bearer ${leader}` },
    });
    expect(res.status).toBe(200);
    return (await res.text()).replace(/^\uFEFF/, '').split('\r\n');
  };

  it('exports 同比 and no comparison in their own words', async () => {
    const year = await csv(`${PERIOD}&compare=year`);
    expect(year[2]).toBe('同比时段,2025-05-11 至 2025-05-12');
    expect(year.find((l) => l.startsWith('指标,'))).toMatch(
      /^指标,数值,分子,分母,去年同期数值,同比,计算公式$/,
    );
    // Last year holds no case: nothing is compared (not 增加 5 from nothing).
    expect(year.find((l) => l.startsWith('案件量,'))).toMatch(/^案件量,5,,,0,—,/);
    const none = await csv(`${PERIOD}&compare=none`);
    expect(none[2]).toBe('对比,不比较');
    expect(none.find((l) => l.startsWith('指标,'))).toBe('指标,数值,分子,分母,计算公式');
    expect(none.find((l) => l.startsWith('案件量,'))).toMatch(/^案件量,5,,,[^,\d]/);
  });

  it('exports the same report: the figures, the previous period and 环比', async () => {
    const lines = await csv(PERIOD);
    expect(lines[1]).toBe('统计时段,2026-05-11 至 2026-05-12');
    expect(lines[2]).toBe('环比时段,2026-05-09 至 2026-05-10');
    expect(lines.find((l) => l.startsWith('案件量,'))).toMatch(/^案件量,5,,,2,增加 3,/);
    // Rates in per cent and minutes to one decimal, as the page and the workbook show them; a rate
    // over fewer than 30 (1 / 5 against 0 / 2) is not compared, as on the page.
    expect(lines.find((l) => l.startsWith('结案率,'))).toMatch(
      /^结案率,20\.0%,1,5,0\.0%,基数过小，不作比较,/,
    );
    // When the figures are of: the report's own moment, not a claim that they equal the page.
    expect(lines.find((l) => l.startsWith('数据截至,'))).toMatch(
      /^数据截至,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）$/,
    );
    expect(lines.join('\n')).not.toContain('与领导驾驶舱页面所示数字相同');
    expect(lines.find((l) => l.startsWith('超时案件（期内）,'))).toMatch(/^超时案件（期内）,1,,,2,减少 1,/);
    expect(lines.find((l) => l.startsWith('延期率,'))).toMatch(
      /^延期率,20\.0%,1,5,0\.0%,基数过小，不作比较,/,
    );
    // 东城街道: no case extended (0.0%); 米山镇: D of its two.
    expect(lines).toContain(
      `东城街道,${DONGCHENG},3,100.0%,20.0,28.0,50.0,58.0,33.3%,100.0%,50.0%,33.3%,0.0%,0,5`,
    );
    expect(lines.find((l) => l.startsWith(`米山镇,${MISHAN},2,`))?.split(',')[12]).toBe('50.0%');
  });
});
