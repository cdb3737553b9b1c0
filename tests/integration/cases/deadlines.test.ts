// The deadline scheduler against the real server: a ManualClock moves time, scan() runs the job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import { DeadlineScheduler } from '../../../server/cases/deadlines';
import type { CaseEventMessage } from '../../../server/events/bus';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const HOUR = 3600_000;

describe.each(ENGINES)('deadlines on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 4, 1, 0, 0, 0));
  let commander: string;
  let dongcheng: string;
  const published: CaseEventMessage[] = [];

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    server.handle.ctx.bus.on('case:event', (m) => published.push(m));
  });
  afterAll(() => server?.close());

  /**
   * Run the scheduler and answer how many overdue marks exist in all: the background timer may run
   * a scan too, so counting what is stored is what stays deterministic.
   */
  const scan = async (): Promise<number> => {
    await server.handle.ctx.caseDeadlines.scan();
    const r = await server.store.db
      .selectFrom('case_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'overdue')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  /** Tokens expire after 12 h of the (manual) clock: sign in again after moving it far. */
  async function signInAgain(): Promise<void> {
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
  }
  const overdueEvents = async (id: string) =>
    ((await getCase(server, commander, id)).body.case as CaseView).timeline!.filter(
      (e) => e.type === 'overdue',
    );

  it('marks each missed deadline overdue once, with an event, and clears the flag when the work is done', async () => {
    // SR01 占道经营: acknowledge 1 h, arrive 2 h, finish 72 h.
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG)));
    let c = r.body.case as CaseView;
    expect(await scan()).toBe(0);
    clock.advance(1 * HOUR - 1);
    expect(await scan()).toBe(0);
    clock.advance(1);
    expect(await scan()).toBe(1);
    expect(await scan()).toBe(1); // once
    clock.advance(10 * 60_000);
    expect(await scan()).toBe(1);
    let events = await overdueEvents(c.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ deadline: 'acknowledge', label: '签收超时' });
    c = (await getCase(server, commander, c.id)).body.case;
    expect(c.overdue).toBe(true);
    expect(c.deadlineState.acknowledge?.overdueAt).toBe(Date.UTC(2026, 4, 1, 1, 0, 0));
    // The mark does not bump the version: a user acting on what they saw is not refused for it.
    expect(c.version).toBe(2);
    const bus = published.filter((m) => m.event.caseId === c.id && m.event.type === 'overdue');
    expect(bus).toHaveLength(1);
    expect(bus[0]!.caseView.overdue).toBe(true);

    const listed = await call(server.url, commander, 'GET', '/api/cases?overdue=true');
    expect(listed.body.items.map((i: CaseView) => i.id)).toContain(c.id);

    // Acknowledging late meets the deadline: no longer overdue, but the missed mark stays.
    c = (await act(server, dongcheng, c.id, { action: 'acknowledge', version: c.version })).body.case;
    expect(c.overdue).toBe(false);
    expect(c.deadlineState.acknowledge?.metAt).toBe(clock.now());
    // Arrival deadline (2 h) passes too.
    clock.advance(2 * HOUR);
    expect(await scan()).toBe(2);
    events = await overdueEvents(c.id);
    expect(events.map((e) => e.payload.deadline)).toEqual(['acknowledge', 'arrive']);
    c = (await act(server, dongcheng, c.id, { action: 'start', version: c.version })).body.case;
    c = (await act(server, dongcheng, c.id, { action: 'arrive', version: c.version })).body.case;
    expect(c.overdue).toBe(false);
    c = (
      await act(server, dongcheng, c.id, {
        action: 'order_rectification',
        version: c.version,
        deadline: clock.now() + HOUR,
      })
    ).body.case;
    clock.advance(HOUR);
    expect(await scan()).toBe(3);
    events = await overdueEvents(c.id);
    expect(events.map((e) => e.payload.deadline)).toEqual(['acknowledge', 'arrive', 'rectify']);
    // Nothing more until the finish deadline; resolving stops every clock.
    c = (await act(server, dongcheng, c.id, { action: 'report_rectified', version: c.version + 0 })).body
      .case;
    c = (await act(server, dongcheng, c.id, { action: 'resolve', version: c.version, result: '已整改' })).body
      .case;
    clock.advance(100 * HOUR);
    expect(await scan()).toBe(3);
    await signInAgain();
    c = (await getCase(server, commander, c.id)).body.case;
    expect(c.overdue).toBe(false);
  });

  it('does not mark cases that were never dispatched, or are closed', async () => {
    // A near-duplicate stays reported: no deadlines run.
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 2);
    const a = await report(server, commander, clueAt(p, { matterCode: 'SR02' }));
    const b = await report(server, commander, clueAt(p, { matterCode: 'SR02' }));
    expect(b.body.case.status).toBe('reported');
    const returned = await act(server, dongcheng, a.body.case.id, {
      action: 'return',
      version: a.body.case.version,
      reason: '非本辖区',
    });
    const rejected = await act(server, commander, a.body.case.id, {
      action: 'reject',
      version: returned.body.case.version,
      reason: '误报',
    });
    expect(rejected.body.case.status).toBe('rejected');
    clock.advance(1000 * HOUR);
    expect(await scan()).toBe(3);
    await signInAgain();
  });

  it('runs through the runOnce hook and never overlaps itself', async () => {
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 4), { matterCode: 'SR04' }),
    );
    clock.advance(200 * HOUR);
    await signInAgain();
    const scheduler = server.handle.ctx.caseDeadlines;
    const [x, y] = await Promise.all([scheduler.scan(), scheduler.scan()]);
    expect(x + y).toBeLessThanOrEqual(3); // acknowledge, arrive, finish: each marked by one run only
    expect(await scan()).toBe(6);
    expect(await overdueEvents(r.body.case.id)).toHaveLength(3);
  });

  it('hands every timed run to runOnce, so scale-out can wrap it in a database lock', async () => {
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 6), { matterCode: 'SR05' }),
    );
    clock.advance(300 * HOUR);
    await signInAgain();
    const jobs: Array<() => Promise<void>> = [];
    let handed!: () => void;
    const wasHanded = new Promise<void>((resolve) => (handed = resolve));
    const follower = new DeadlineScheduler({
      store: server.store,
      clock,
      cases: server.handle.ctx.cases,
      logger: server.handle.ctx.logger,
      intervalMs: 5,
      // A process that is not the leader: it is offered the job and does not run it.
      runOnce: async (job) => {
        jobs.push(job);
        handed();
      },
    });
    follower.start();
    await wasHanded;
    await follower.stop();
    expect(jobs.length).toBeGreaterThan(0);
    // The job it was handed is the scan: run, it marks the case's three deadlines (once in all).
    await jobs[0]!();
    await jobs[0]!();
    expect(await overdueEvents(r.body.case.id)).toHaveLength(3);
  });

  it('lets other work in between its marks, each case marked once all the same', async () => {
    const cases = await Promise.all(
      [7, 8, 9].map(
        async (i) =>
          (
            await report(
              server,
              commander,
              clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, i), { matterCode: 'SR05' }),
            )
          ).body.case as { id: string },
      ),
    );
    clock.advance(300 * HOUR);
    await signInAgain();
    const scanner = (marksPerTurn: number) =>
      new DeadlineScheduler({
        store: server.store,
        clock,
        cases: server.handle.ctx.cases,
        logger: server.handle.ctx.logger,
        marksPerTurn,
      });
    // Other work waiting for a turn of the event loop: how often it ran while the scan did.
    let turns = 0;
    let running = true;
    const other = () => {
      if (!running) return;
      turns++;
      setImmediate(other);
    };
    setImmediate(other);
    const marked = await scanner(2).scan(); // three cases × three deadlines: nine marks
    running = false;
    expect(marked).toBe(9);
    expect(turns).toBeGreaterThanOrEqual(4); // a turn after every two marks
    for (const c of cases) expect(await overdueEvents(c.id)).toHaveLength(3);
    expect(await scanner(2).scan()).toBe(0);
  });

  it("lists a case's deadlines in the same order however it is read, on either engine", async () => {
    await signInAgain();
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 5)));
    const c = r.body.case as CaseView;
    // Meeting 签收 rewrites its row (on PostgreSQL, a new row version at the end of the table).
    const acked = await act(server, dongcheng, c.id, { action: 'acknowledge', version: c.version });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    const kinds = (v: CaseView) => Object.keys(v.deadlineState);
    const answered = kinds(acked.body.case as CaseView);
    expect(answered).toEqual(['acknowledge', 'arrive', 'finish']);
    expect(kinds((await getCase(server, dongcheng, c.id)).body.case as CaseView)).toEqual(answered);
    const listed = await call(server.url, commander, 'GET', '/api/cases?limit=500');
    expect(kinds((listed.body.items as CaseView[]).find((x) => x.id === c.id)!)).toEqual(answered);
  });
});
