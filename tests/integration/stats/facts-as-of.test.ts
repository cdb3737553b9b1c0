// 环比's as-of view (server/cases/facts-as-of.ts) against the engine itself: random legal work on
// random cases through the real case service and overdue scan, on a ManualClock, with every case
// row's facts photographed at random moments (right after a scan, as an on-time scanner would leave
// them). Afterwards each case's events replayed to each moment must give the photograph, and
// replayed to the end its row; and the shortcut caseStats takes (a case finished by then and not
// touched since is read from its row) must give the same. Written with a code review's fuzzer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import { caseFacts, FACT_COLUMNS } from '../../../server/cases/stats';
import { factsAsOf, needsReplay, trailsOf, type FactEvent } from '../../../server/cases/facts-as-of';
import { availableActions, type CaseAction } from '../../../shared/workflow';
import type { SessionUser } from '../../../shared/auth';
import type { CaseFacts } from '../../../shared/kpi';
import { mulberry32 } from '../../../geo/build/random';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { clueAt, pointIn } from '../../support/cases';

const DONGCHENG = '140581002';
const MISHAN = '140581101';
const MIN = 60_000;
const HOUR = 60 * MIN;
const STEPS = 500;
const ADMIN: SessionUser = {
  id: 'admin-fuzz',
  username: 'admin',
  displayName: '管理员',
  role: 'admin',
  scope: { kind: 'county' },
};

type Photo = Map<string, { facts: CaseFacts; updatedAt: number }>;

const cases = ENGINES.flatMap((engine) =>
  [
    { autoDispatch: 'on', seed: 1 },
    { autoDispatch: 'off', seed: 4 },
  ].map((c) => ({ engine, ...c })),
);

describe.each(cases)('a case as it stood, against the engine ($engine, auto-dispatch $autoDispatch)', (c) => {
  let server: TestServer;
  const clock = new ManualClock(Date.parse('2026-05-01T08:00:00+08:00'));
  beforeAll(async () => {
    server = await startTestServer({ engine: c.engine, clock, env: { AUTO_DISPATCH: c.autoDispatch } });
  });
  afterAll(() => server?.close());

  async function photograph(): Promise<Photo> {
    const rows = await server.store.db
      .selectFrom('cases')
      .select(['id', 'updated_at', ...FACT_COLUMNS])
      .execute();
    return new Map(rows.map((r) => [r.id, { facts: caseFacts(r), updatedAt: Number(r.updated_at) }]));
  }

  async function trails(): Promise<Map<string, FactEvent[]>> {
    const events = await server.store.db
      .selectFrom('case_events')
      .select(['case_id', 'type', 'at', 'payload'])
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    return trailsOf(events);
  }

  it('replays every case to each moment photographed, and to its row at the end', async () => {
    const rand = mulberry32(c.seed);
    const ctx = server.handle.ctx;
    const ids: string[] = [];
    const photos: Array<{ at: number; rows: Photo }> = [];
    const done: Record<string, number> = {};
    let place = 0;
    for (let step = 0; step < STEPS; step++) {
      const r = rand();
      clock.advance(
        Math.floor(rand() * (r < 0.3 ? 10 * MIN : r < 0.8 ? 3 * HOUR : 30 * HOUR)), // minutes to a day
      );
      if (rand() < 0.15) await ctx.caseDeadlines.scan(); // a scan now and then: late marks too
      if (rand() < 0.1 || ids.length < 3) {
        const township = rand() < 0.5 ? DONGCHENG : MISHAN;
        const intake = await ctx.cases.intake(ADMIN, clueAt(pointIn(ctx.geo, township, (place++ % 20) + 1)));
        ids.push(intake.case.id);
        continue;
      }
      const id = ids[Math.floor(rand() * ids.length)]!;
      const view = await ctx.cases.get(ADMIN, id);
      const offered = availableActions(view.status, 'admin', true);
      if (!offered.length) continue;
      const action = offered[Math.floor(rand() * offered.length)]! as CaseAction;
      const body: Record<string, unknown> = { action, version: view.version };
      if (['reject', 'return', 'verify_fail', 'escalate'].includes(action)) body.reason = '核查';
      if (action === 'resolve') body.result = '已处理';
      if (action === 'start') body.personnel = 1 + Math.floor(rand() * 4);
      if (action === 'merge') body.into = ids.find((x) => x !== id);
      if (action === 'reassign')
        body.assignee = { kind: 'township', code: view.assignee?.code === DONGCHENG ? MISHAN : DONGCHENG };
      if (action === 'order_rectification' && rand() < 0.5)
        body.deadline = clock.now() + Math.floor(rand() * 48 * HOUR) + 1;
      try {
        await ctx.cases.act(ADMIN, id, body as never);
        done[action] = (done[action] ?? 0) + 1;
      } catch {
        // Refused (a merge into a finished case): nothing changed.
      }
      if (rand() < 0.08) {
        await ctx.caseDeadlines.scan();
        photos.push({ at: clock.now(), rows: await photograph() });
        clock.advance(1);
      }
    }

    const end = await photograph();
    const trail = await trails();
    // The work was varied: every action, and misses the scan marked late.
    for (const a of ['dispatch', 'acknowledge', 'return', 'reassign', 'start', 'arrive', 'resolve'] as const)
      expect(done[a] ?? 0, a).toBeGreaterThan(0);
    for (const a of ['order_rectification', 'report_rectified', 'verify_pass', 'verify_fail'] as const)
      expect(done[a] ?? 0, a).toBeGreaterThan(0);
    expect([...trail.values()].flat().filter((e) => e.type === 'overdue').length).toBeGreaterThan(5);
    expect(photos.length).toBeGreaterThan(10);

    const differ: string[] = [];
    for (const [id, { facts }] of end)
      if (JSON.stringify(factsAsOf(facts, trail.get(id) ?? [], Infinity)) !== JSON.stringify(facts))
        differ.push(`${id} at the end`);
    let compared = 0;
    for (const photo of photos)
      for (const [id, { facts: then }] of photo.rows) {
        const { facts: now, updatedAt } = end.get(id)!;
        const replayed = factsAsOf(now, trail.get(id) ?? [], photo.at);
        if (JSON.stringify(replayed) !== JSON.stringify(then)) differ.push(`${id} at ${photo.at}`);
        // caseStats' shortcut: finished by then and untouched since → the row as it is now.
        const read = needsReplay(now, updatedAt, photo.at) ? replayed : now;
        if (JSON.stringify(read) !== JSON.stringify(then)) differ.push(`${id} at ${photo.at} (shortcut)`);
        compared++;
      }
    expect(compared).toBeGreaterThan(200);
    expect(differ.slice(0, 5)).toEqual([]);
  }, 120_000);
});
