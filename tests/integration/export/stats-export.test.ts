// The leader's export against the real server: the xlsx and CSV figures equal GET /api/stats with
// the same filters, which equal a hand computation over a known set of cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import type { Kpis } from '../../../shared/kpi';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const MIN = 60_000;

describe.each(ENGINES)('statistics export on %s', (engine) => {
  let server: TestServer;
  // 2026-03-02 09:00 in Shanghai.
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 1, 0, 0));
  const t0 = clock.now();
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let mishanUser: string;

  async function step(token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  }

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    mishanUser = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: '140581101' });
    const geo = server.handle.ctx.geo;
    const [a0, b0, c0] = await Promise.all(
      [0, 1, 2].map(
        async (i) =>
          (await report(server, commander, clueAt(pointIn(geo, DONGCHENG, i)))).body.case as CaseView,
      ),
    );
    // A: acknowledged after 10 min, 3 sent, on site at 40 min, rectification ordered and done, closed.
    // B: returned after 5 min. C: acknowledged at 30 min, 2 sent, on site at 60 min, resolved, sent back.
    clock.set(t0 + 5 * MIN);
    await step(dongcheng, b0!, { action: 'return', reason: '不属于本街道职权' });
    clock.set(t0 + 10 * MIN);
    let a = await step(dongcheng, a0!, { action: 'acknowledge' });
    a = await step(dongcheng, a, { action: 'start', personnel: 3 });
    clock.set(t0 + 30 * MIN);
    let c = await step(dongcheng, c0!, { action: 'acknowledge' });
    c = await step(dongcheng, c, { action: 'start', personnel: 2 });
    clock.set(t0 + 40 * MIN);
    a = await step(dongcheng, a, { action: 'arrive' });
    a = await step(dongcheng, a, { action: 'order_rectification', deadline: t0 + 3 * 86_400_000 });
    a = await step(dongcheng, a, { action: 'report_rectified', note: '已清理' });
    a = await step(dongcheng, a, { action: 'resolve', result: '已整改到位' });
    await step(commander, a, { action: 'verify_pass' });
    clock.set(t0 + 60 * MIN);
    c = await step(dongcheng, c, { action: 'arrive' });
    c = await step(dongcheng, c, { action: 'resolve', result: '已劝离' });
    await step(commander, c, { action: 'verify_fail', reason: '现场仍有占道' });
    clock.set(t0 + 2 * 3600_000);
  });
  afterAll(() => server?.close());

  // The day of the cases, both ends inclusive as /api/stats reads them.
  const from = Date.UTC(2026, 2, 1, 16, 0, 0);
  const to = from + 86_400_000 - 1;
  const q = `from=${from}&to=${to}&township=${DONGCHENG}`;

  it('answers /api/stats with the hand-computed figures', async () => {
    const r = await call(server.url, leader, 'GET', `/api/stats?${q}`);
    expect(r.status).toBe(200);
    const s = r.body as Kpis;
    expect(s.volume.total).toBe(3);
    expect(s.rectificationRate).toEqual({ numerator: 1, denominator: 1, value: 1 });
    expect(s.responseTime.acknowledge.medianMinutes).toBeCloseTo(20, 9); // 10 and 30
    expect(s.responseTime.acknowledge.p90Minutes).toBeCloseTo(28, 9); // 10 + 0.9 × 20
    expect(s.responseTime.arrive.medianMinutes).toBeCloseTo(50, 9); // 40 and 60
    expect(s.closureRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(s.onTimeClosureRate.value).toBe(1);
    expect(s.reworkRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(s.returnRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(s.overdue.cases).toBe(0);
    expect(s.turnouts).toBe(5);
  });

  it('exports an xlsx whose first sheet lists the filters and whose figures equal /api/stats', async () => {
    const stats = (await call(server.url, leader, 'GET', `/api/stats?${q}`)).body as Kpis;
    const res = await fetch(`${server.url}/api/stats/export.xlsx?${q}&sort=rectificationRate&dir=desc`, {
      headers: { Authorization: `Bearer ${leader}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    // Named by what it holds: the township chosen, the day, the comparison; an ASCII name beside.
    const cd = res.headers.get('content-disposition')!;
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(cd)![1]!)).toBe(
      '高平市执法统计-东城街道-2026-03-02-环比.xlsx',
    );
    expect(cd).toContain('filename="stats-140581002-2026-03-02.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const [filters, measures] = wb.worksheets;
    expect(filters!.name).toBe('筛选条件');
    const kv = new Map<string, string>();
    filters!.eachRow((row) => kv.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(kv.get('统计时段')).toBe('2026-03-02');
    // Asked at 11:00 on the day itself: the day before up to 11:00, as it stood then (同期口径).
    expect(kv.get('环比时段')).toBe('2026-03-01（截至 11:00）');
    expect(kv.get('环比口径')).toContain('2026-03-01 11:00（北京时间）');
    expect(kv.get('乡镇（街道）')).toBe(`东城街道（${DONGCHENG}）`);
    expect(kv.get('事项领域')).toBe('全部');
    const values = new Map<string, unknown>();
    measures!.eachRow((row, i) => i > 1 && values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('案件量')).toBe(stats.volume.total);
    expect(values.get('整改率')).toBe(stats.rectificationRate.value);
    expect(values.get('签收响应（中位数）（分钟）')).toBeCloseTo(
      stats.responseTime.acknowledge.medianMinutes!,
      9,
    );
    expect(values.get('到场响应（P90）（分钟）')).toBeCloseTo(stats.responseTime.arrive.p90Minutes!, 9);
    expect(values.get('结案率')).toBe(stats.closureRate.value);
    expect(values.get('返工率')).toBe(stats.reworkRate.value);
    expect(values.get('退回率')).toBe(stats.returnRate.value);
    expect(values.get('出动人次')).toBe(stats.turnouts);
    const ranking = wb.getWorksheet('乡镇排名')!;
    expect(ranking.getCell('A2').value).toBe('东城街道');
    expect(ranking.getCell('C2').value).toBe(3);
    // The county's file ranks the departments too: every one, none of these cases theirs.
    const departments = wb.getWorksheet('县直部门排名')!;
    expect(departments.getCell('A1').value).toBe('县直部门（按承办部门）');
    expect(departments.rowCount).toBe(1 + server.handle.ctx.departments.length);
    const cgj = departments.getRows(2, departments.rowCount - 1)!.find((r) => r.getCell(2).value === 'cgj')!;
    expect(cgj.getCell(1).value).toBe('高平市城市管理局');
    expect(cgj.getCell(3).value).toBe(0);
  });

  it('exports the same figures as CSV, filters first', async () => {
    const res = await fetch(`${server.url}/api/stats/export.csv?${q}`, {
      headers: { Authorization: `Bearer ${leader}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[1]).toBe('统计时段,2026-03-02');
    // Against a previous period without a case, nothing is compared (not 增加 3 from nothing).
    expect(lines).toContain('案件量,3,,,0,—,统计期内上报的案件数（按上报时间，北京时间计日）');
    // A rate as the page shows it (Excel reads 33.3% back as the number 0.333).
    expect(lines.find((l) => l.startsWith('结案率,'))).toMatch(/^结案率,33\.3%,1,3,,—,/);
  });

  it("keeps another township's figures out of a township's own figures in its export (the published ranking aside)", async () => {
    const res = await fetch(`${server.url}/api/stats/export.csv?from=${from}&to=${to}`, {
      headers: { Authorization: `Bearer ${mishanUser}` },
    });
    const text = await res.text();
    expect(text).toContain('案件量,0,');
    // Its own figures name no other township; other townships appear only in the county's published
    // ranking (乡镇排名, figures and no cases), which a township is given as the leader's page shows it.
    const [own, ranking] = text.split('\r\n乡镇排名\r\n');
    expect(own).not.toContain('东城街道,');
    expect(ranking).toMatch(/\r\n东城街道,140581002,\d+,/);
    // The departments' ranking is the county's file's, not a township's.
    expect(text).not.toContain('县直部门排名');
  });

  it('refuses a bad filter naming the field', async () => {
    const r = await call(server.url, leader, 'GET', `/api/stats/export.xlsx?township=abc`);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('query.township');
  });
});
