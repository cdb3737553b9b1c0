// The demo world against the real server: a week of history generated through the case engine
// shows up in every township, on every lifecycle path, in the statistics and the audit trail; the
// live simulator, speaking only HTTP and Socket.IO, brings new cases and moving teams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseListPage, CaseView } from '../../../shared/cases';
import type { Kpis } from '../../../shared/kpi';
import type { Team, TeamPositionUpdate } from '../../../shared/teams';
import { DAY_MS, HOUR_MS, SHANGHAI_OFFSET_MS, startOfShanghaiDay } from '../../../shared/time';
import { prepareDemo } from '../../../server/demo/index';
import { DEMO_FIX_EVERY_MS } from '../../../server/demo/tracks';
import { caseFacts, FACT_COLUMNS } from '../../../server/cases/stats';
import { factsAsOf, trailsOf } from '../../../server/cases/facts-as-of';
import type { HistorySummary } from '../../../server/demo/history';
import { Simulator } from '../../../server/simulator/simulator';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, login } from '../../support/auth';
import { connectSocket, waitConnected, waitFor, type ClientSocket } from '../../support/socket';

/** The last Monday 11:00 in Shanghai before now: the same week pattern in every run. */
function lastMondayMorning(now: number): number {
  const today = startOfShanghaiDay(now);
  const weekday = (Math.floor((today + SHANGHAI_OFFSET_MS) / DAY_MS) + 3) % 7; // Monday = 0
  let end = today - weekday * DAY_MS + 11 * HOUR_MS;
  if (end > now) end -= 7 * DAY_MS;
  return end;
}

/** Resolves when `count` events have been seen, or rejects after `timeoutMs`. */
function waitForCount(sim: Simulator, event: string, count: number, timeoutMs: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const seen: unknown[] = [];
    const timer = setTimeout(() => {
      sim.off(event, on);
      reject(new Error(`only ${seen.length} '${event}' of ${count} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (x: unknown) => {
      seen.push(x);
      if (seen.length < count) return;
      clearTimeout(timer);
      sim.off(event, on);
      resolve(seen);
    };
    sim.on(event, on);
  });
}

describe.each(ENGINES)('demo world on %s', (engine) => {
  let server: TestServer;
  let summary: HistorySummary;
  let commander: string;
  const end = lastMondayMorning(Date.now());

  beforeAll(async () => {
    server = await startTestServer({ engine, env: { DEMO: 'on', DEMO_PASSWORD: 'demo' } });
    summary = (await prepareDemo(server.handle.ctx, { historyDays: 7, end }))!;
    commander = (await login(server.url, 'commander', 'demo')).token;
  }, 180_000);
  afterAll(() => server?.close());

  const get = async <T>(path: string, token = commander): Promise<T> => {
    const r = await call<T>(server.url, token, 'GET', path);
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };

  it('tells the login page it is a demo server whose accounts have the documented password', async () => {
    const r = await call(server.url, null, 'GET', '/api/auth/options');
    expect(r.body).toEqual({ demo: true, demoDefaultPassword: true });
  });

  it('generates a week of cases in every township, through the engine without a refusal', async () => {
    expect(summary.days).toBe(7);
    expect(summary.cases).toBeGreaterThan(200); // ~50 a day, fewer at the weekend
    expect(summary.refused).toBe(0);
    const all = await get<CaseListPage>(`/api/cases?limit=1&from=${end - 8 * DAY_MS}&to=${end + 1}`);
    expect(all.total).toBe(summary.cases);
    for (const t of server.handle.ctx.geo.townships) {
      const page = await get<CaseListPage>(`/api/cases?township=${t.code}&limit=1`);
      expect(page.total, t.name).toBeGreaterThan(0);
    }
    // Streets busier than the smallest 乡.
    expect(summary.byTownship['东城街道']!).toBeGreaterThan(summary.byTownship['原村乡']!);
  });

  it('takes every lifecycle path a county sees', async () => {
    const p = summary.paths;
    for (const path of [
      'closedOnTime',
      'closedLate',
      'returned',
      'rework',
      'rectificationOrdered',
      'rectificationDone',
      'escalated',
      'extended',
      'everOverdue',
      'rejected',
    ])
      expect(p[path], path).toBeGreaterThan(0);
    const closed = await get<CaseListPage>('/api/cases?status=closed&limit=1');
    const rejected = await get<CaseListPage>('/api/cases?status=rejected&limit=1');
    expect(closed.total).toBeGreaterThan(summary.cases / 2);
    expect(rejected.total).toBeGreaterThan(0);
    // Some work is still open at the end, as in a real county.
    const open = await get<CaseListPage>(
      '/api/cases?status=dispatched,accepted,in_progress,rectifying,resolved&limit=1',
    );
    expect(open.total).toBeGreaterThan(0);
  });

  it('gives leaders non-trivial statistics', async () => {
    const s = await get<Kpis>(`/api/stats?from=${end - 8 * DAY_MS}&to=${end}`);
    expect(s.volume.total).toBe(summary.cases);
    expect(Object.keys(s.volume.byTownship)).toHaveLength(15);
    expect(Object.keys(s.volume.byDomain).length).toBeGreaterThan(5);
    expect(s.volume.bySource.grid_worker).toBeGreaterThan(s.volume.bySource.video ?? 0);
    for (const r of [
      s.rectificationRate,
      s.closureRate,
      s.onTimeClosureRate,
      s.reworkRate,
      s.returnRate,
      s.extensionRate,
    ]) {
      expect(r.denominator).toBeGreaterThan(0);
      expect(r.numerator).toBeGreaterThan(0);
    }
    expect(s.onTimeClosureRate.value!).toBeGreaterThan(0.6);
    expect(s.onTimeClosureRate.value!).toBeLessThan(1);
    expect(s.responseTime.acknowledge.medianMinutes!).toBeGreaterThan(0);
    expect(s.responseTime.acknowledge.medianMinutes!).toBeLessThan(60);
    expect(s.responseTime.arrive.count).toBeGreaterThan(summary.cases / 2);
    expect(s.overdue.deadlines).toBeGreaterThan(0);
    expect(s.turnouts).toBeGreaterThan(summary.cases);
  });

  it('keeps the whole audit trail of a closed case, in simulated time', async () => {
    const closed = await get<CaseListPage>('/api/cases?status=closed&limit=50');
    const full = await get<{ case: CaseView }>(`/api/cases/${closed.items[0]!.id}`);
    const timeline = full.case.timeline!;
    const types = timeline.map((e) => e.type);
    for (const t of ['created', 'dispatch', 'acknowledge', 'start', 'arrive', 'resolve', 'verify_pass'])
      expect(types, t).toContain(t);
    for (let i = 1; i < timeline.length; i++) {
      expect(timeline[i]!.seq).toBeGreaterThan(timeline[i - 1]!.seq);
      expect(timeline[i]!.at).toBeGreaterThanOrEqual(timeline[i - 1]!.at);
    }
    expect(timeline[timeline.length - 1]!.at).toBeLessThanOrEqual(end);
    // The clerk of the assigned township or department acknowledged it, the command centre closed it.
    expect(timeline.find((e) => e.type === 'acknowledge')!.actor.role).toBe(full.case.assignee!.kind);
    expect(timeline.find((e) => e.type === 'verify_pass')!.actor.username).toBe('commander');
    // An overdue mark comes from the scheduler, with its own event.
    const overdue = await get<CaseListPage>('/api/cases?overdue=true&limit=1');
    if (overdue.items[0]) {
      const c = await get<{ case: CaseView }>(`/api/cases/${overdue.items[0].id}`);
      expect(c.case.timeline!.some((e) => e.type === 'overdue' && e.actor.id === 'system')).toBe(true);
    }
  });

  it('goes back to the site after 整改完成 and 核查不通过: another 到场 before the next 办结', async () => {
    const back = await server.store.db
      .selectFrom('case_events')
      .select('case_id')
      .where('type', 'in', ['report_rectified', 'verify_fail'])
      .limit(30)
      .execute();
    let seen = 0;
    for (const id of new Set(back.map((r) => r.case_id))) {
      const types = (await get<{ case: CaseView }>(`/api/cases/${id}`)).case.timeline!.map((e) => e.type);
      for (let i = 0; i < types.length; i++) {
        if (types[i] !== 'report_rectified' && types[i] !== 'verify_fail') continue;
        const next = types.indexOf('resolve', i);
        if (next < 0) continue;
        expect(types.slice(i, next), `${id}: ${types.join(' → ')}`).toContain('arrive');
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(3);
  });

  it("lists the teams townships' first, by code, the same after a restart's re-read", async () => {
    const order = async () =>
      (await get<{ teams: Team[] }>('/api/teams')).teams.map((t) => `${t.kind}:${t.owner.code}:${t.id}`);
    const first = await order();
    const kinds = first.map((k) => k.split(':')[0]);
    expect(kinds.indexOf('department')).toBe(kinds.lastIndexOf('township') + 1);
    const townships = first.filter((k) => k.startsWith('township:'));
    expect(townships).toEqual([...townships].sort());
    await server.handle.ctx.teams.refresh(); // what a restart reads: the teams from the database
    expect(await order()).toEqual(first);
  });

  it("replays every case's events to the facts its row holds (what 环比's as-of view rests on)", async () => {
    const db = server.store.db;
    const rows = await db
      .selectFrom('cases')
      .select(['id', ...FACT_COLUMNS])
      .where('created_at', '<=', end)
      .execute();
    const events = await db
      .selectFrom('case_events')
      .select(['case_id', 'type', 'at', 'payload'])
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    const trails = trailsOf(events);
    expect(rows.length).toBe(summary.cases);
    let differ = 0;
    for (const r of rows) {
      const facts = caseFacts(r);
      const replayed = factsAsOf(facts, trails.get(r.id) ?? [], Infinity);
      if (JSON.stringify(replayed) !== JSON.stringify(facts)) {
        differ++;
        if (differ <= 3) expect(replayed, `case ${r.id}`).toEqual(facts);
      }
    }
    expect(differ).toBe(0);
    // And the trails are not trivial: reworks, returns, rectification and misses all replayed.
    const sum = (k: 'reworks' | 'returns' | 'rectifyOrders' | 'overdueCount') =>
      rows.reduce((n, r) => n + caseFacts(r)[k], 0);
    for (const k of ['reworks', 'returns', 'rectifyOrders', 'overdueCount'] as const)
      expect(sum(k), k).toBeGreaterThan(0);
  });

  it("writes the teams' tracks of the last days, at each case when the trail says they arrived", async () => {
    const db = server.store.db;
    // Sunday, the day before the end: a working day of fixes every 15 s for a township team.
    const sunday = startOfShanghaiDay(end) - DAY_MS;
    const team = 'T140581002';
    const day = await get<{ points: Array<{ at: number; lng: number; lat: number }>; total: number }>(
      `/api/teams/${team}/track?from=${sunday}&to=${sunday + DAY_MS - 1}`,
    );
    expect(day.total).toBeGreaterThanOrEqual((10 * HOUR_MS) / DEMO_FIX_EVERY_MS);
    expect(day.points[0]!.at).toBeLessThanOrEqual(sunday + 8 * HOUR_MS);
    expect(day.points.at(-1)!.at).toBeGreaterThanOrEqual(sunday + 18 * HOUR_MS - DEMO_FIX_EVERY_MS);
    // Every team sent to a case in those days is at the case's spot when 到场 was recorded.
    const starts = await db
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .select(['case_events.case_id as id', 'case_events.payload as payload', 'cases.lng', 'cases.lat'])
      .where('case_events.type', '=', 'start')
      .where('case_events.at', '>=', sunday - 2 * DAY_MS)
      .execute();
    let checked = 0;
    for (const s of starts.slice(0, 40)) {
      const teamId = (JSON.parse(s.payload) as { teamId?: string }).teamId;
      if (!teamId) continue;
      const arrive = await db
        .selectFrom('case_events')
        .select('at')
        .where('case_id', '=', s.id)
        .where('type', '=', 'arrive')
        .orderBy('seq')
        .executeTakeFirst();
      if (!arrive || Number(arrive.at) >= end) continue;
      const at = Number(arrive.at);
      const around = await get<{ points: Array<{ at: number; lng: number; lat: number }> }>(
        `/api/teams/${teamId}/track?from=${at - DEMO_FIX_EVERY_MS}&to=${at + DEMO_FIX_EVERY_MS}`,
      );
      expect(around.points.length, `${teamId} around ${new Date(at).toISOString()}`).toBeGreaterThan(0);
      const near = around.points.reduce((a, b) => (Math.abs(a.at - at) <= Math.abs(b.at - at) ? a : b));
      // A fix within 15 s of the arrival, and at most a few hundred metres off (15 s at 30 km/h).
      const dLng = (near.lng - Number(s.lng)) * 111_320 * Math.cos((Number(s.lat) * Math.PI) / 180);
      const dLat = (near.lat - Number(s.lat)) * 110_540;
      expect(Math.hypot(dLng, dLat), `${teamId} at case ${s.id}`).toBeLessThan(150);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('does not generate a second history over existing data', async () => {
    expect(await prepareDemo(server.handle.ctx, { historyDays: 7, end })).toBeNull();
    const all = await get<CaseListPage>('/api/cases?limit=1');
    expect(all.total).toBe(summary.cases);
  });

  it('runs the live simulator over HTTP and Socket.IO: new clues, clerks at work, moving teams', async () => {
    const before = await get<CaseListPage>('/api/cases?limit=1');
    const socket: ClientSocket = connectSocket(server.url, commander);
    await waitConnected(socket);
    const heard = waitFor(socket, 'team:positions', () => true, 20_000);
    const started = Date.now();
    const sim = new Simulator({ url: server.url, password: 'demo', ratePerMinute: 600, seed: 42, pace: 30 });
    const clues = waitForCount(sim, 'clue', 10, 25_000);
    const acknowledged = new Promise<void>((resolve) =>
      sim.on('action', (a: { action: string }) => a.action === 'acknowledge' && resolve()),
    );
    try {
      await sim.start();
      const [created, updates] = await Promise.all([clues, heard, acknowledged]).then(
        ([c, u]) => [c as CaseView[], u as TeamPositionUpdate[]] as const,
      );
      expect(updates.length).toBeGreaterThan(0);
      expect(created.every((c) => c.createdAt >= started)).toBe(true);
      // Every new case is where the API says, in a township of the county.
      const first = await get<{ case: CaseView }>(`/api/cases/${created[0]!.id}`);
      expect(first.case.location.township.code).toMatch(/^140581\d{3}$/);
    } finally {
      await sim.stop();
      socket.disconnect();
    }
    const after = await get<CaseListPage>(`/api/cases?limit=1&from=${started}`);
    expect(after.total).toBeGreaterThanOrEqual(10);
    expect((await get<CaseListPage>('/api/cases?limit=1')).total).toBeGreaterThanOrEqual(before.total + 10);
    const teams = await get<{ teams: Team[] }>('/api/teams');
    // Every team reported (OsmAnd timestamps are whole seconds).
    expect(teams.teams.filter((t) => t.position && t.position.at >= started - 1000)).toHaveLength(
      teams.teams.length,
    );
    const s = sim.snapshot();
    expect(s.clues.failed, JSON.stringify(s.clues.errors)).toBe(0);
    expect(s.fixes.sent).toBeGreaterThan(0);
    expect(s.actions.done.acknowledge).toBeGreaterThan(0);
  }, 60_000);
});
