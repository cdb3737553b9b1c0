// GET /api/cases?statusFrom=: the cases that entered their state at or after an instant, whenever
// they were reported. The big screen reads the cases closed or rejected since the day began with it,
// so 今日结案 (and 今日派遣) count an old case finished today after a reload as they did live; the
// 30 days of finished cases it reads by report time do not hold it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import { startOfShanghaiDay } from '../../../shared/time';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { actOn, clueAt, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const DAY = 86_400_000;

describe.each(ENGINES)('cases by when they entered their state, on %s', (engine) => {
  let server: TestServer;
  // 2026-06-01 10:00 Shanghai.
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 2, 0, 0));
  let commander: string;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ engine, clock, env: { AUTO_DISPATCH: 'off' } });
    commander = await tokenFor(server, 'commander1', 'commander');
    for (let i = 0; i < 3; i++) {
      const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, i)));
      expect(r.status).toBe(201);
      ids.push((r.body.case as CaseView).id);
    }
  });
  afterAll(() => server?.close());

  const list = (q: string) => call(server.url, commander, 'GET', `/api/cases?${q}`);
  const idsOf = (r: { body: { items: CaseView[] } }) => r.body.items.map((c) => c.id).sort();

  it('finds a case reported 40 days ago and rejected today, which the 30 days by report time miss', async () => {
    const old = (await call(server.url, commander, 'GET', `/api/cases/${ids[0]}`)).body.case as CaseView;
    // Yesterday: another one rejected, 39 days after its report.
    clock.advance(39 * DAY);
    commander = await tokenFor(server, 'commander2', 'commander'); // a session lasts hours, not days
    const other = (await call(server.url, commander, 'GET', `/api/cases/${ids[1]}`)).body.case as CaseView;
    await actOn(server, commander, other, { action: 'reject', reason: '经核实不属实' });
    clock.advance(DAY);
    commander = await tokenFor(server, 'commander3', 'commander');
    await actOn(server, commander, old, { action: 'reject', reason: '经核实不属实' });
    const now = clock.now();
    const byReport = await list(`status=closed,rejected&from=${now - 30 * DAY}`);
    expect(byReport.status).toBe(200);
    expect(idsOf(byReport)).toEqual([]);
    const today = await list(`status=closed,rejected&statusFrom=${startOfShanghaiDay(now)}`);
    expect(today.status).toBe(200);
    expect(idsOf(today)).toEqual([ids[0]]);
    expect(today.body.total).toBe(1);
    // Yesterday's start takes in yesterday's too; the open one is in neither.
    const since = await list(`status=closed,rejected&statusFrom=${startOfShanghaiDay(now) - DAY}`);
    expect(idsOf(since)).toEqual([ids[0], ids[1]].sort());
    // A day, read as `from` reads one (ISO `YYYY-MM-DD`: its 00:00 UTC), and a bad one named.
    const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
    expect(idsOf(await list(`statusFrom=${day}`))).toEqual([ids[0]]);
    const bad = await list('statusFrom=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('query.statusFrom');
  });
});
