// 整改期间不计入办结时限: a rectification order (责令整改) moves the finish deadline (办结) by the
// time the case had left, so a township doing what the law requires is not marked late for it
// (shared/cases.ts finishDueAfterRectification). The clock is a ManualClock; scan() runs the
// overdue scheduler as the deadline tests do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import type { ComparedReport } from '../../../shared/kpi';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { actOn, clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const HOUR = 3600_000;
// 2026-05-01 08:00 in Shanghai: both cases are reported on 05-01 there.
const T0 = Date.UTC(2026, 4, 1, 0, 0, 0);

describe.each(ENGINES)('rectification and the finish deadline on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(T0);
  let commander: string;
  let leader: string;
  let dongcheng: string;

  /** The clock at T0 + `hours`, everyone signed in again (tokens last 12 h of this clock). */
  async function at(hours: number): Promise<void> {
    clock.set(T0 + hours * HOUR);
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
  }
  const step = (token: string, c: CaseView, body: Record<string, unknown>) => actOn(server, token, c, body);
  const read = async (id: string) => (await getCase(server, commander, id)).body.case as CaseView;
  const overdueKinds = async (id: string) =>
    (await read(id)).timeline!.filter((e) => e.type === 'overdue').map((e) => e.payload.deadline);
  const lastOrder = async (id: string) =>
    (await read(id)).timeline!.filter((e) => e.type === 'order_rectification').at(-1)!;

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    await at(0);
  });
  afterAll(() => server?.close());

  it('keeps the time left to finish after the rectification, marks nothing at the old deadline, and counts the case on time', async () => {
    // SR01 占道经营: finish 72 h from dispatch (dispatched on intake). A is ordered to rectify by
    // T0+100 h, after its finish deadline; B's finish deadline is missed before its order.
    const geo = server.handle.ctx.geo;
    let a = (await report(server, commander, clueAt(pointIn(geo, DONGCHENG, 0)))).body.case as CaseView;
    let b = (await report(server, commander, clueAt(pointIn(geo, DONGCHENG, 1)))).body.case as CaseView;
    expect(a.deadlines.finish).toBe(T0 + 72 * HOUR);
    for (const act of ['acknowledge', 'start', 'arrive'] as const) {
      a = await step(dongcheng, a, { action: act });
      b = await step(dongcheng, b, { action: act });
    }

    // At T0+2 h, 70 h were left to finish: they run again after the rectification, to T0+170 h.
    await at(2);
    a = await step(dongcheng, a, { action: 'order_rectification', deadline: T0 + 100 * HOUR });
    expect(a.deadlines.rectify).toBe(T0 + 100 * HOUR);
    expect(a.deadlines.finish).toBe(T0 + 170 * HOUR);
    expect((await lastOrder(a.id)).payload).toMatchObject({
      deadline: T0 + 100 * HOUR,
      finishDue: T0 + 170 * HOUR,
      finishDueWas: T0 + 72 * HOUR,
    });

    // The old finish deadline passes: B (not rectifying) is marked, A is not.
    await at(72);
    await server.handle.ctx.caseDeadlines.scan();
    expect(await overdueKinds(b.id)).toEqual(['finish']);
    expect(await overdueKinds(a.id)).toEqual([]);
    expect((await read(a.id)).overdue).toBe(false);
    const listed = await call(server.url, commander, 'GET', '/api/cases?overdue=true');
    expect(listed.body.items.map((i: CaseView) => i.id)).not.toContain(a.id);

    // An order after the finish deadline was missed does not move it: B stays late.
    await at(73);
    b = await step(dongcheng, b, { action: 'order_rectification', deadline: T0 + 80 * HOUR });
    expect(b.deadlines.finish).toBe(T0 + 72 * HOUR);
    expect(b.overdue).toBe(true);
    expect((await lastOrder(b.id)).payload.finishDue).toBeUndefined();
    await at(79);
    b = await step(dongcheng, b, { action: 'report_rectified' });
    b = await step(dongcheng, b, { action: 'resolve', result: '已整改' });
    await step(commander, b, { action: 'verify_pass' });

    // A second order moves it again by the same rule: 71 h left at T0+99 h, after T0+110 h.
    await at(99);
    a = await step(dongcheng, a, { action: 'report_rectified' });
    a = await step(dongcheng, a, { action: 'order_rectification', deadline: T0 + 110 * HOUR });
    expect(a.deadlines.finish).toBe(T0 + 181 * HOUR);
    await at(105);
    a = await step(dongcheng, a, { action: 'report_rectified' });
    // Resolved at T0+120 h: long after the first finish deadline, within the moved one.
    await at(120);
    await server.handle.ctx.caseDeadlines.scan();
    expect(await overdueKinds(a.id)).toEqual([]);
    a = await step(dongcheng, a, { action: 'resolve', result: '已整改到位' });
    await step(commander, a, { action: 'verify_pass' });
    const closed = await server.store.db
      .selectFrom('cases')
      .select(['id', 'closed_on_time'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    const onTime = Object.fromEntries(closed.map((r) => [r.id, Number(r.closed_on_time)]));
    expect(onTime).toEqual({ [a.id]: 1, [b.id]: 0 });

    // 按期结案率: A on time, B late.
    const s = await call<ComparedReport>(
      server.url,
      leader,
      'GET',
      '/api/stats?from=2026-05-01&to=2026-05-01',
    );
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.onTimeClosureRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
  });
});
