// 本单位统计 in Chromium against the real server: a township officer (140581002, 东城街道) opens the
// statistics page from the desk's menu and sees the page titled for the township, its unit fixed in
// the filters, its own figures (as GET /api/stats answers them for it), the county's township
// ranking with its own row marked and its rank said, and only its own cases to drill into; a
// department sees its own cases by township, unranked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { act, clueAt, pointIn } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import { MEASURE_BY_KEY, formatMeasure, type ComparedReport } from '../../shared/kpi';
import { presetPeriod } from '../../client/src/lib/leader/periods';
import { statsQuery, NO_FILTERS } from '../../client/src/lib/leader/query';
import { bestFirst, ranks, sortRows } from '../../client/src/lib/leader/ranking';
import { DeskPage } from './page-models/desk-page';
import { LeaderPage } from './page-models/leader-page';

const DONGCHENG = '140581002';
const MISHAN = '140581101';

describe('本单位统计 in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let dongchengToken: string;
  const ours: string[] = [];
  let reassigned = '';

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    const geo = server.handle.ctx.geo;
    const commander = await tokenFor(server, 'commander', 'commander');
    dongchengToken = await tokenFor(server, DONGCHENG, 'township', { kind: 'township', code: DONGCHENG });
    await tokenFor(server, 'cgj', 'department', { kind: 'department', code: 'cgj' });
    const clue = async (township: string, i: number) => {
      const r = await call<{ case: CaseView }>(
        server.url,
        commander,
        'POST',
        '/api/clues',
        clueAt(pointIn(geo, township, i)),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.case;
    };
    // 东城街道: two cases, one acknowledged. 米山镇: three (more than 东城: ranked above it on 案件量),
    // one of them reassigned to 城管局.
    const a = await clue(DONGCHENG, 0);
    ours.push(a.id, (await clue(DONGCHENG, 1)).id);
    expect(
      (await act(server, dongchengToken, a.id, { version: a.version, action: 'acknowledge' })).status,
    ).toBe(200);
    await clue(MISHAN, 0);
    await clue(MISHAN, 1);
    const m = await clue(MISHAN, 2);
    const moved = await act(server, commander, m.id, {
      version: m.version,
      action: 'reassign',
      assignee: { kind: 'department', code: 'cgj' },
      reason: '属城管职权',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    reassigned = m.id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens from the desk, titled for the township, its unit fixed, its own figures, its ranking row marked', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, DONGCHENG, TEST_PASSWORD);
    const link = page.getByTestId('nav-leader');
    expect(await link.textContent()).toBe('本单位统计');
    await link.click();
    await page.waitForURL(/\/leader$/);
    const lp = new LeaderPage(page);
    await lp.settled();

    expect(await page.getByTestId('page-title').textContent()).toBe('本单位统计 · 东城街道');
    const unit = page.getByTestId('filter-township');
    expect(await unit.isDisabled()).toBe(true);
    expect((await unit.textContent())!.trim()).toBe('东城街道');

    // The figures: the township's own, as the server answers the township for the page's query.
    const q = statsQuery(presetPeriod('30d', Date.now()), { ...NO_FILTERS, township: DONGCHENG }, [
      ['groupBy', 'township'],
      ['compare', 'previous'],
    ]);
    const own = (await call<ComparedReport>(server.url, dongchengToken, 'GET', `/api/stats?${q}`)).body;
    expect(own.volume.total).toBe(2);
    for (const key of ['volume', 'onTimeClosureRate', 'overdue'] as const) {
      const m = MEASURE_BY_KEY.get(key)!;
      expect(await lp.measureValue(key), key).toBe(formatMeasure(m, m.value(own)));
    }

    // The ranking: every township, its own row marked, its rank on 案件量 said (米山镇 is above it).
    await expect.poll(() => lp.rankingRows().count()).toBe(server.handle.ctx.geo.townships.length);
    const mine = page.locator('[data-testid=ranking-row][data-own=true]');
    expect(await mine.count()).toBe(1);
    expect(await mine.getAttribute('data-code')).toBe(DONGCHENG);
    expect(await mine.locator('[data-measure=volume]').textContent()).toBe('2');
    const m = MEASURE_BY_KEY.get('volume')!;
    const rank = ranks(sortRows(own.ranking!, m.value, bestFirst(m.better)), m.value).get(DONGCHENG);
    expect(rank).toBe(2);
    expect(await page.getByTestId('own-rank').textContent()).toBe(
      `本单位排名：第 2 / ${server.handle.ctx.geo.townships.length}（案件量）`,
    );
    expect(await mine.locator('td.rank').textContent()).toBe('2');
    expect(await page.getByTestId('ranking-title').textContent()).toContain('全县乡镇排名');
    await screenshot(page, 'own-stats-township-1366');

    // Another township's row opens nothing: it says why on hover, and, pressed (a finger has no
    // hover), under the table; its own opens its own cases, and the words go.
    const other = page.locator(`[data-testid=ranking-row][data-code="${MISHAN}"]`);
    expect(await other.getAttribute('title')).toBe('其他乡镇只公布排名数字，案件明细仅可查看本单位');
    await other.click();
    const why = page.getByTestId('ranking-locked-note');
    await expect.poll(() => why.textContent()).toContain('其他乡镇只公布排名数字，案件明细仅可查看本单位');
    expect(await page.getByTestId('drill-down').count()).toBe(0);
    await lp.drillInto(DONGCHENG);
    expect(await why.count()).toBe(0);
    await expect.poll(() => lp.drillCases().count()).toBe(2);
    const listed = await lp.drillCases().evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')));
    expect(listed.sort()).toEqual([...ours].sort());
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows a department its own cases by township, unranked', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, 'cgj', TEST_PASSWORD);
    expect(await page.getByTestId('nav-desk').textContent()).toBe('部门工作台');
    await page.getByTestId('nav-leader').click();
    const lp = new LeaderPage(page);
    await lp.settled();
    expect(await page.getByTestId('page-title').textContent()).toMatch(/^本单位统计 · /);
    expect(await page.getByTestId('filter-township').isDisabled()).toBe(true);
    expect(await lp.measureValue('volume')).toBe('1');
    expect(await lp.rankingOrder()).toEqual([MISHAN]);
    expect(await page.getByTestId('own-rank').count()).toBe(0);
    expect(await page.getByTestId('ranking-title').textContent()).toContain('本单位案件 · 按所在乡镇');
    await lp.drillInto(MISHAN);
    await expect.poll(() => lp.drillCases().count()).toBe(1);
    expect(await lp.drillCases().getAttribute('data-case-id')).toBe(reassigned);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
