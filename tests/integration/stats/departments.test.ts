// The county departments' ranking (GET /api/stats?groupBy=department, the county's report): each
// department's measures on the cases it has now (承办部门), every department listed, a case or not;
// a case a department returned and the centre sent to a township counts for the township's work, not
// the department's, except in the department's 退回率 (the cases it returned ÷ those it was given). A
// township's or a department's own report has none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, reportDispatched } from '../../support/cases';
import type { CaseView } from '../../../shared/cases';
import type { StatsReport } from '../../../shared/kpi';
import { shanghaiDay } from '../../../shared/time';
import { caseStats } from '../../../server/cases/stats';

const DONGCHENG = '140581002';
const BEICHENG = '140581001';

describe.each(ENGINES)('the departments ranked, on %s', (engine) => {
  let database: TestDatabase;
  let server: TestServer;
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let cgj: string;
  let point = 0;

  const dispatched = (township: string, matterCode: string): Promise<CaseView> =>
    reportDispatched(server, commander, township, matterCode, point++);
  async function step(token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body as { case: CaseView }).case;
  }
  async function stats(token: string, query = 'groupBy=township,department'): Promise<StatsReport> {
    const today = shanghaiDay(Date.now());
    const r = await call<StatsReport>(
      server.url,
      token,
      'GET',
      `/api/stats?from=${today}&to=${today}&${query}`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = await startTestServer({ engine, database });
    commander = await tokenFor(server, 'cmd', 'commander');
    leader = await tokenFor(server, 'ld', 'leader');
    dongcheng = await tokenFor(server, 'dc', 'township', { kind: 'township', code: DONGCHENG });
    cgj = await tokenFor(server, 'cg', 'department', { kind: 'department', code: 'cgj' });

    // Two of the 城管局's (擅自挖掘城市道路): one acknowledged; one returned and sent to 东城.
    const kept = await dispatched(BEICHENG, 'SR14');
    expect(kept.assignee).toMatchObject({ kind: 'department', code: 'cgj' });
    await step(cgj, kept, { action: 'acknowledge' });
    let away = await dispatched(DONGCHENG, 'SR14');
    away = await step(cgj, away, { action: 'return', reason: '属街道日常巡查范围' });
    await step(commander, away, { action: 'dispatch', assignee: { kind: 'township', code: DONGCHENG } });
    // And one of 东城's own (占道经营): no department's.
    await dispatched(DONGCHENG, 'SR01');
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
  });

  it('ranks every department by the cases it has now, beside the townships', async () => {
    const s = await stats(leader);
    const departments = server.handle.ctx.departments;
    expect(s.departments!.map((d) => d.code)).toEqual(departments.map((d) => d.code));
    const row = s.departments!.find((d) => d.code === 'cgj')!;
    expect(row).toMatchObject({ name: '高平市城市管理局', short: '城市管理' });
    expect(row.volume.total).toBe(1);
    expect(row.responseTime.acknowledge.count).toBe(1);
    // Its 退回率 is of the cases it was given, the one it returned (now 东城's) among them: 1 of 2.
    expect(row.returnRate).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    // The rest have none, and no rate without a basis.
    const rest = s.departments!.filter((d) => d.code !== 'cgj');
    expect(rest.every((d) => d.volume.total === 0 && d.closureRate.value === null)).toBe(true);
    // The townships are as before: by location, all three cases.
    expect(s.townships!.reduce((n, t) => n + t.volume.total, 0)).toBe(3);
    // The same for the commander; not without groupBy.
    expect((await stats(commander)).departments).toEqual(s.departments);
    expect((await stats(leader, 'compare=none')).departments).toBeUndefined();
  });

  it('ranks the departments on the compared period too, each 退回 as it stood then (名次较上期)', async () => {
    // One more of the 城管局's, returned a moment after it was given.
    const late = await dispatched(BEICHENG, 'SR14');
    while (Date.now() <= late.updatedAt) await new Promise((resolve) => setImmediate(resolve));
    await step(cgj, late, { action: 'return', reason: '属街道日常巡查范围' });
    // Tomorrow's report asked at `at` + a day compares with today up to `at`, as it stood then.
    const DAY = 86_400_000;
    const { ctx } = server.handle;
    const tomorrowAsked = async (at: number) => {
      const day = shanghaiDay(at + DAY);
      const r = await caseStats(
        server.store,
        { kind: 'county' },
        { from: day, to: day, groupBy: ['township', 'department'] },
        at + DAY,
        { townships: ctx.geo.townships, departments: ctx.departments },
      );
      return r.previous!.departments!.find((d) => d.code === 'cgj')!;
    };
    // Up to now: the two it returned, of the three it was given; the one it kept.
    const now = await tomorrowAsked(Date.now());
    expect(now.volume.total).toBe(1);
    expect(now.returnRate).toMatchObject({ numerator: 2, denominator: 3 });
    // Up to the moment it was given the last: that one still its own, not yet returned.
    const then = await tomorrowAsked(late.updatedAt);
    expect(then.volume.total).toBe(2);
    expect(then.returnRate).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it("counts in a department's 延期率 the grants made while it had the case, not one before a 改派", async () => {
    // One of 东城's (占道经营) granted more time by the centre, then reassigned to the 城管局; one of
    // the 城管局's granted more time while it has it.
    let a = await dispatched(DONGCHENG, 'SR01');
    a = await step(dongcheng, a, { action: 'acknowledge' });
    a = await step(dongcheng, a, { action: 'request_extension', days: 3, reason: '待鉴定' });
    a = await step(commander, a, { action: 'approve_extension' });
    a = await step(commander, a, {
      action: 'reassign',
      assignee: { kind: 'department', code: 'cgj' },
      reason: '属城管职责',
    });
    expect(a.assignee?.code).toBe('cgj');
    let b = await dispatched(BEICHENG, 'SR14');
    b = await step(cgj, b, { action: 'acknowledge' });
    b = await step(cgj, b, { action: 'request_extension', days: 2, reason: '待测绘' });
    b = await step(commander, b, { action: 'approve_extension' });

    const s = await stats(leader);
    // The 城管局 has the one it kept, a and b: b's grant is its own, a's was 东城's.
    const row = s.departments!.find((d) => d.code === 'cgj')!;
    expect(row.volume.total).toBe(3);
    expect(row.extensionRate).toMatchObject({ numerator: 1, denominator: 3 });
    // The county and the townships (by place) count every grant: a and b, of the six.
    expect(s.extensionRate).toMatchObject({ numerator: 2, denominator: 6 });
    expect(s.townships!.find((t) => t.code === DONGCHENG)!.extensionRate).toMatchObject({
      numerator: 1,
      denominator: 3,
    });
    // The same on a compared period, as it stood (tomorrow's report, asked a day after `asked`).
    const DAY = 86_400_000;
    const { ctx } = server.handle;
    const tomorrowAsked = async (asked: number, code: string) => {
      const at = asked + DAY;
      const r = await caseStats(
        server.store,
        { kind: 'county' },
        { from: shanghaiDay(at), to: shanghaiDay(at), groupBy: ['township', 'department'] },
        at,
        { townships: ctx.geo.townships, departments: ctx.departments },
      );
      return r.previous!.departments!.find((d) => d.code === code)!.extensionRate;
    };
    const granted = Date.now();
    expect(await tomorrowAsked(granted, 'cgj')).toMatchObject({ numerator: 1, denominator: 3 });

    // b sent on to the 市场监管局 after that moment: today as it stood then still has b the 城管局's,
    // granted while it had it; as it stands now, b is the 市场监管局's, with no grant of its own.
    while (Date.now() <= granted) await new Promise((resolve) => setImmediate(resolve));
    await step(commander, b, {
      action: 'reassign',
      assignee: { kind: 'department', code: 'scjgj' },
      reason: '属市场监管职责',
    });
    expect(await tomorrowAsked(granted, 'cgj')).toMatchObject({ numerator: 1, denominator: 3 });
    const later = await stats(leader);
    expect(later.departments!.find((d) => d.code === 'cgj')!.extensionRate).toMatchObject({
      numerator: 0,
      denominator: 2,
    });
    expect(later.departments!.find((d) => d.code === 'scjgj')!.extensionRate).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
  });

  it("gives a department's own report (本单位统计) the 退回率 and 延期率 of its row, and says how they are counted", async () => {
    // A case 东城 returned before the centre sent it to the 城管局: 东城's return, not the 城管局's.
    let c = await dispatched(DONGCHENG, 'SR01');
    c = await step(dongcheng, c, { action: 'return', reason: '属城管执法范围' });
    await step(commander, c, { action: 'dispatch', assignee: { kind: 'department', code: 'cgj' } });
    const row = (await stats(leader)).departments!.find((d) => d.code === 'cgj')!;
    const own = await stats(cgj, 'compare=previous');
    expect(own.countedAs).toBe('department');
    // The two it returned (one now 东城's, one back with the centre) of the five it was given (those
    // two, the one it kept, the one reassigned to it, and this one). By the general formula over the
    // cases it is a party to it read 3 of 6: 东城's return counted against it, and b, which it no
    // longer has, among its cases.
    expect(row.returnRate).toMatchObject({ numerator: 2, denominator: 5 });
    expect(own.returnRate).toEqual(row.returnRate);
    // No grant made while it had a case it has now (a's was 东城's; b's went with b): 0 of 3, not 2 of 6.
    expect(row.extensionRate).toMatchObject({ numerator: 0, denominator: 3 });
    expect(own.extensionRate).toEqual(row.extensionRate);
    // The county's and a township's own reports are counted as before, and say nothing of it.
    expect((await stats(leader)).countedAs).toBeUndefined();
    expect((await stats(dongcheng)).countedAs).toBeUndefined();
  });

  it("gives a township's or a department's own report no departments' ranking", async () => {
    expect((await stats(dongcheng)).departments).toBeUndefined();
    expect((await stats(cgj)).departments).toBeUndefined();
  });
});
