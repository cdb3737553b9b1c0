// 本单位统计: what a township's and a department's statistics requests answer. A township measures
// its own cases and is given the county's published ranking (比学赶超: every township's figures, as
// the leader's ranking reads them), but lists no other township's case; a department measures its
// own cases by the township they are in and is ranked with no township. The exports alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView, CaseListPage } from '../../../shared/cases';
import type { StatsReport } from '../../../shared/kpi';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const MISHAN = '140581101';
const sh = (local: string) => Date.parse(`${local}+08:00`);
const PERIOD = 'from=2026-05-11&to=2026-05-12';

describe.each(ENGINES)('a unit’s own statistics on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(sh('2026-05-11T08:00:00'));
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let cgj: string;
  const ids: Record<string, string> = {};

  async function clue(
    name: string,
    township: string,
    index: number,
    source = 'grid_worker',
  ): Promise<CaseView> {
    clock.advance(60_000);
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, township, index), { source: source as never }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = r.body.case as CaseView;
    ids[name] = c.id;
    return c;
  }

  const stats = async (token: string, query: string) => {
    const r = await call<StatsReport>(server.url, token, 'GET', `/api/stats?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const list = async (token: string, query: string) => {
    const r = await call<CaseListPage>(server.url, token, 'GET', `/api/cases?${query}&limit=500`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items.map((c) => c.id).sort();
  };

  /** Everyone signed in (again: their 12-hour tokens run on this clock). */
  async function signIn(): Promise<void> {
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    cgj = await tokenFor(server, 'cgj', 'department', { kind: 'department', code: 'cgj' });
  }

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    await signIn();
    // 东城街道: two cases, one acknowledged. 米山镇: three, one from the 12345 hotline, and one of them
    // reassigned to 城管局 (the township stays a party by location).
    const t1 = await clue('T1', DONGCHENG, 0);
    await clue('T2', DONGCHENG, 1);
    clock.advance(10 * 60_000);
    expect((await act(server, dongcheng, t1.id, { version: t1.version, action: 'acknowledge' })).status).toBe(
      200,
    );
    await clue('M1', MISHAN, 0);
    await clue('M2', MISHAN, 1, 'hotline_12345');
    const m3 = await clue('M3', MISHAN, 2);
    const moved = await act(server, commander, m3.id, {
      version: m3.version,
      action: 'reassign',
      assignee: { kind: 'department', code: 'cgj' },
      reason: '属城管职权',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    clock.set(sh('2026-05-12T09:00:00'));
    await signIn();
  });
  afterAll(() => server?.close());

  it('gives a township its own figures, with the township filter fixed to its own', async () => {
    const own = await stats(dongcheng, `${PERIOD}&township=${DONGCHENG}&groupBy=township`);
    expect(own.filters.township).toBe(DONGCHENG);
    expect(own.volume.total).toBe(2);
    expect(own.responseTime.acknowledge.count).toBe(1);
    expect(own.townships!.map((t) => t.code)).toEqual([DONGCHENG]);
  });

  it('gives a township the ranking of every township, the leader’s figures, its own row its own figures', async () => {
    const own = await stats(dongcheng, `${PERIOD}&township=${DONGCHENG}&groupBy=township`);
    const county = await stats(leader, `${PERIOD}&groupBy=township`);
    expect(own.ranking).toHaveLength(server.handle.ctx.geo.townships.length);
    expect(own.ranking).toEqual(county.townships);
    const row = (code: string) => own.ranking!.find((t) => t.code === code)!;
    expect(row(MISHAN)).toMatchObject({ name: '米山镇', volume: { total: 3 } });
    expect(row(DONGCHENG).volume.total).toBe(own.volume.total);
    expect(row(DONGCHENG).responseTime.acknowledge).toEqual(own.responseTime.acknowledge);
    // The source filter applies to the ranking as to the figures; the leader and a department get none.
    const hotline = await stats(
      dongcheng,
      `${PERIOD}&township=${DONGCHENG}&source=hotline_12345&groupBy=township`,
    );
    expect(hotline.volume.total).toBe(0);
    expect(hotline.ranking!.find((t) => t.code === MISHAN)!.volume.total).toBe(1);
    expect(county.ranking).toBeUndefined();
    expect((await stats(cgj, `${PERIOD}&groupBy=township`)).ranking).toBeUndefined();
    // Not asked per township: no ranking either.
    expect((await stats(dongcheng, `${PERIOD}&township=${DONGCHENG}`)).ranking).toBeUndefined();
  });

  it("lists none of another township's cases to a township, whatever it asks", async () => {
    const other = await stats(dongcheng, `${PERIOD}&township=${MISHAN}&groupBy=township`);
    expect(other.volume.total).toBe(0);
    expect(other.townships).toEqual([]);
    const s = await stats(dongcheng, `${PERIOD}&township=${DONGCHENG}&groupBy=township`);
    const range = `from=${s.start}&to=${s.end}`;
    expect(await list(dongcheng, `${range}&township=${DONGCHENG}`)).toEqual([ids.T1, ids.T2].sort());
    expect(await list(dongcheng, `${range}&township=${MISHAN}`)).toEqual([]);
    expect(await list(dongcheng, range)).toEqual([ids.T1, ids.T2].sort());
    // A case of another township, asked for by its id: not found, as for any case out of scope.
    expect((await getCase(server, dongcheng, ids.M1!)).status).toBe(404);
    expect((await getCase(server, dongcheng, ids.T2!)).status).toBe(200);
  });

  it('gives a department its own cases only, by the township they are in, unranked', async () => {
    const own = await stats(cgj, `${PERIOD}&groupBy=township`);
    expect(own.volume.total).toBe(1);
    expect(own.townships!.map((t) => [t.code, t.volume.total])).toEqual([[MISHAN, 1]]);
    const range = `from=${own.start}&to=${own.end}`;
    expect(await list(cgj, `${range}&township=${MISHAN}`)).toEqual([ids.M3]);
    expect(await list(cgj, `${range}&township=${DONGCHENG}`)).toEqual([]);
    expect((await getCase(server, cgj, ids.M1!)).status).toBe(404);
  });

  it('exports a township’s figures and the published ranking, named for the township', async () => {
    const res = await fetch(`${server.url}/api/stats/export.csv?${PERIOD}&township=${DONGCHENG}`, {
      headers: { Authorization: `Bearer ${dongcheng}` },
    });
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(
      '高平市执法统计-东城街道-2026-05-11至2026-05-12',
    );
    const lines = (await res.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.find((l) => l.startsWith('案件量,'))).toMatch(/^案件量,2,/);
    const rankingAt = lines.indexOf('乡镇排名');
    expect(rankingAt).toBeGreaterThan(0);
    const rows = lines.slice(rankingAt + 2).filter((l) => /^[^,]+,\d{9},/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(server.handle.ctx.geo.townships.length);
    expect(rows.find((l) => l.startsWith(`米山镇,${MISHAN},3,`))).toBeTruthy();
    expect(rows.find((l) => l.startsWith(`东城街道,${DONGCHENG},2,`))).toBeTruthy();
    // A department's file: its own cases, by township, as its page shows them.
    const dept = await fetch(`${server.url}/api/stats/export.csv?${PERIOD}`, {
      headers: { Authorization: `Bearer ${cgj}` },
    });
    const deptLines = (await dept.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(deptLines.find((l) => l.startsWith('案件量,'))).toMatch(/^案件量,1,/);
    expect(deptLines.filter((l) => /^[^,]+,\d{9},/.test(l))).toEqual([
      expect.stringMatching(/^米山镇,140581101,1,/),
    ]);
  });
});
