// The leader statistics page (领导驾驶舱) in Chromium against the real server: the figures on the
// page — every measure, its 环比, every cell of the township ranking — equal GET /api/stats for
// the same filters; each measure explains its formula; the ranking sorts; a township drills down to
// exactly the cases its row counts and a case to its timeline; the Excel export carries the
// filters and the same figures. On a tablet: controls a finger can hit, a map one finger scrolls
// past, a ranking readable sideways; in English, the domains named in English. The county
// departments ranked by the cases they have now, one drilled into.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import ExcelJS from 'exceljs';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, login, tokenFor, TEST_PASSWORD } from '../support/auth';
import { act, clueAt, pointIn } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import { MEASURES, formatChange, formatMeasure, smallBasis, type ComparedReport } from '../../shared/kpi';
import { exportName } from '../../server/export/build';
import { presetPeriod } from '../../client/src/lib/leader/periods';
import { statsQuery, NO_FILTERS } from '../../client/src/lib/leader/query';
import { formatCell } from '../../client/src/lib/leader/ranking';
import { LeaderPage } from './page-models/leader-page';
import { openTouchPage, sizesOf, swipe } from './support/touch';

const DONGCHENG = '140581002';
const MISHAN = '140581101';

describe('leader statistics in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let commander: string;
  let leader = { username: 'leader', password: 'demo' };
  let leaderToken: string;

  async function account(username: string, role: 'commander' | 'leader' | 'township', code?: string) {
    try {
      await login(server.url, username, 'demo');
      return { username, password: 'demo' };
    } catch {
      await tokenFor(server, username, role, code ? { kind: 'township', code } : { kind: 'county' });
      return { username, password: TEST_PASSWORD };
    }
  }

  async function step(token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  }

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true, env: { DEMO: 'on' } });
    const geo = server.handle.ctx.geo;
    commander = (
      await login(server.url, ...(Object.values(await account('commander', 'commander')) as [string, string]))
    ).token;
    leader = await account('leader', 'leader');
    leaderToken = (await login(server.url, leader.username, leader.password)).token;
    const dc = await account(DONGCHENG, 'township', DONGCHENG);
    const ms = await account(MISHAN, 'township', MISHAN);
    const dcToken = (await login(server.url, dc.username, dc.password)).token;
    const msToken = (await login(server.url, ms.username, ms.password)).token;
    const clue = async (township: string, i: number, source = 'grid_worker') =>
      (
        await call<{ case: CaseView }>(
          server.url,
          commander,
          'POST',
          '/api/clues',
          clueAt(pointIn(geo, township, i), { source: source as 'grid_worker' }),
        )
      ).body.case;
    // 东城: one closed after rectification, one returned, one acknowledged; 米山: one resolved, one new.
    let a = await clue(DONGCHENG, 0);
    for (const b of [
      { action: 'acknowledge' },
      { action: 'start', personnel: 3 },
      { action: 'arrive' },
      { action: 'order_rectification' },
      { action: 'report_rectified' },
      { action: 'resolve', result: '已整改' },
    ])
      a = await step(dcToken, a, b);
    await step(commander, a, { action: 'verify_pass' });
    await step(dcToken, await clue(DONGCHENG, 1, 'hotline_12345'), {
      action: 'return',
      reason: '不属本街道',
    });
    await step(dcToken, await clue(DONGCHENG, 2, 'public'), { action: 'acknowledge' });
    let m = await clue(MISHAN, 0);
    for (const b of [
      { action: 'acknowledge' },
      { action: 'start', personnel: 2 },
      { action: 'arrive' },
      { action: 'resolve', result: '已处理' },
    ])
      m = await step(msToken, m, b);
    await clue(MISHAN, 1, 'patrol');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** What the page asks for by default (the last 30 days) and the given filters. */
  async function apiStats(
    filters = NO_FILTERS,
    preset: '30d' | 'year' | 'today' = '30d',
    compare: 'previous' | 'year' = 'previous',
  ): Promise<ComparedReport> {
    const q = statsQuery(presetPeriod(preset, Date.now()), filters, [
      ['groupBy', 'township,department'],
      ['compare', compare],
    ]);
    const r = await call<ComparedReport>(server.url, leaderToken, 'GET', `/api/stats?${q}`);
    expect(r.status).toBe(200);
    return r.body;
  }

  /** Every measure, its 环比, and every cell of the ranking, as the page shows them. */
  async function expectPageEqualsApi(page: LeaderPage, stats: ComparedReport): Promise<void> {
    const word = stats.compare === 'year' ? '同比' : '环比';
    for (const m of MEASURES) {
      expect(await page.measureValue(m.key), m.key).toBe(formatMeasure(m, m.value(stats)));
      // A rate or a time over fewer than 30 cases in either period is not compared (基数过小).
      const change = stats.change[m.key];
      const small = change.value !== null && smallBasis(m, stats, stats.previous);
      expect(await page.measureChange(m.key), `${word} ${m.key}`).toBe(
        `${word} ${small ? '基数过小' : formatChange(change, '个百分点')}`,
      );
    }
    const shown = await page.rankingCells();
    expect(Object.keys(shown).sort()).toEqual(stats.townships!.map((t) => t.code).sort());
    for (const t of stats.townships!)
      for (const m of MEASURES) {
        expect(shown[t.code]![m.key], `${t.name} ${m.key}`).toBe(formatCell(m, m.value(t)));
        // A column reads in one unit: a time in minutes, never 秒 beside 分钟.
        if (m.unit === 'minutes') expect(shown[t.code]![m.key]).not.toContain('秒');
      }
  }

  it('shows every measure as /api/stats computes it, for the county and for one township', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    const county = await apiStats();
    expect(county.volume.total).toBe(5);
    await expectPageEqualsApi(lp, county);
    await page.waitForTimeout(400); // the charts' entry animation, for the picture
    await screenshot(page, 'leader-1366');
    // The whole page at once (the lower panels scroll at 768 px): ranking, matters, heatmap, domains.
    await page.setViewportSize({ width: 1366, height: 1500 });
    await page.waitForTimeout(600);
    await screenshot(page, 'leader-1366-whole-page');
    // Every township named on the heatmap's map, no two names overlapping (石末乡 beside the city).
    await expect.poll(() => page.getByTestId('township-label').count()).toBe(15);
    await expect
      .poll(() =>
        page.getByTestId('township-label').evaluateAll((els) => {
          const boxes = els.map((el) => el.firstElementChild!.getBoundingClientRect());
          let overlaps = 0;
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const [a, b] = [boxes[i]!, boxes[j]!];
              if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
            }
          return overlaps;
        }),
      )
      .toBe(0);
    await page.setViewportSize({ width: 1366, height: 768 });

    await lp.filterTownship(DONGCHENG);
    const dongcheng = await apiStats({ ...NO_FILTERS, township: DONGCHENG });
    expect(dongcheng.volume.total).toBe(3);
    await expectPageEqualsApi(lp, dongcheng);
    expect(await lp.measureValue('rectificationRate')).toBe('100.0%');
    expect(await lp.measureValue('turnouts')).toBe('3');
    expect(await page.getByText('本期无案件').count()).toBe(0);
    // A township with no cases: the three mixes say so rather than drawing nothing.
    await lp.filterTownship('140581001');
    expect(await lp.measureValue('volume')).toBe('0');
    await expect.poll(() => page.getByText('本期无案件').count()).toBe(3);
    await page.waitForTimeout(800); // the charts redraw at the next idle moment: for the picture only
    await screenshot(page, 'leader-no-cases-1366');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says what is wrong with a custom range instead of quietly showing another period', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    const shown = await page.getByTestId('period-label').textContent();
    // 自定义 opens on the period shown (近30日), for the leader to move one end; the pickers offer
    // nothing before the first day counted, nor a start after today.
    const [from, to] = shown!.replace('本期 ', '').split(' – ');
    await page.getByTestId('preset-custom').click();
    expect(await page.getByTestId('custom-first').inputValue()).toBe(from);
    expect(await page.getByTestId('custom-last').inputValue()).toBe(to);
    expect(await page.getByTestId('custom-first').getAttribute('min')).toBe('1971-01-01');
    expect(await page.getByTestId('custom-first').getAttribute('max')).toBe(to);
    expect(await page.getByTestId('custom-problem').count()).toBe(0);
    expect(await page.getByTestId('period-label').textContent()).toBe(shown);
    await page.getByTestId('custom-first').fill('');
    expect(await page.getByTestId('custom-problem').textContent()).toContain('请选择起止两个日期');
    // 环比 | 同比 wait too: the figures shown are of the period named above, not of this range.
    expect(await page.getByTestId('compare-year').isDisabled()).toBe(true);
    await page.getByTestId('custom-last').fill('2026-10-20');
    await page.getByTestId('custom-first').fill('2026-11-01');
    await expect
      .poll(() => page.getByTestId('custom-problem').textContent())
      .toBe('结束日期早于开始日期，请重新选择');
    // Nothing was measured for it: the figures and their period are still those named above.
    expect(await page.getByTestId('period-label').textContent()).toBe(shown);
    // Before the first day figures count (the server refused it in its own words), or starting
    // after today (nothing to count): said here too, and nothing is asked.
    const asked: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/stats\?.*from=(1960|2999)/.test(r.url())) asked.push(r.url());
    });
    await page.getByTestId('custom-first').fill('1960-01-01');
    await page.getByTestId('custom-last').fill('1960-01-05');
    await expect
      .poll(() => page.getByTestId('custom-problem').textContent())
      .toBe('统计自 1971-01-01 起，请选择此后的日期');
    await page.getByTestId('custom-first').fill('2999-01-01');
    await page.getByTestId('custom-last').fill('2999-01-05');
    await expect
      .poll(() => page.getByTestId('custom-problem').textContent())
      .toBe('开始日期晚于今天，尚无数据，请重新选择');
    expect(asked).toEqual([]);
    expect(await page.getByTestId('period-label').textContent()).toBe(shown);
    await page.getByTestId('custom-first').fill('2026-11-01');
    await page.getByTestId('custom-last').fill('2026-11-03');
    await expect
      .poll(() => page.getByTestId('period-label').textContent())
      .toBe('本期 2026-11-01 – 2026-11-03');
    expect(await page.getByTestId('custom-problem').count()).toBe(0);
    // A custom range read 同比: the same days last year.
    await page.getByTestId('compare-year').click();
    await expect
      .poll(() => page.getByTestId('period-prev').textContent())
      .toMatch(/^去年同期 2025-11-01 – 2025-11-03$/);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("says the heatmap's cases are still coming while they load, not 0", async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/cases\?/, async (route) => {
      await held;
      await route.continue();
    });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    const count = page.getByTestId('heat-count');
    await expect.poll(() => count.textContent()).toBe('案件载入中…');
    release();
    await expect.poll(() => count.textContent()).toMatch(/^[1-9]\d* 件案件$/);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('reads 今年 against last year (同比), and either comparison on demand', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    expect(await page.getByTestId('compare-previous').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('preset-year').click();
    await expect.poll(() => page.getByTestId('compare-year').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('period-prev').textContent()).toMatch(/^去年同期 \d{4}-01-01/);
    await lp.settled();
    const year = await apiStats(NO_FILTERS, 'year', 'year');
    const lastYear = String(Number(year.from.slice(0, 4)) - 1);
    expect(year.previous.from).toBe(`${lastYear}-01-01`);
    // This year so far against last year's same days, cut at the same day and minute.
    expect(await page.getByTestId('period-prev').textContent()).toMatch(
      new RegExp(
        `^去年同期 ${lastYear}-01-01( – ${year.previous.to})?（截至 (\\d\\d-\\d\\d )?\\d\\d:\\d\\d）$`,
      ),
    );
    await expectPageEqualsApi(lp, year);
    await lp.measure('closureRate').hover();
    await lp.tooltip('closureRate').waitFor();
    expect(await lp.tooltip('closureRate').textContent()).toContain(`去年同期（${year.previous.from} – `);
    // Last year lies before the records begin (this test's first case): nothing is compared, and the
    // period line says why.
    const since = new Date(year.recordsSince! + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await page.getByTestId('no-previous').textContent()).toBe(
      `去年同期始于平台首条记录（${since}）之前，数据不全，不作比较`,
    );
    expect(await lp.measureChange('volume')).toBe('同比 —');
    await screenshot(page, 'leader-year-yoy-1366');
    // 环比 on demand: the same days against the same number of days before them.
    await page.getByTestId('compare-previous').click();
    await expect.poll(() => page.getByTestId('period-prev').textContent()).toMatch(/^上期 /);
    await lp.settled();
    await expectPageEqualsApi(lp, await apiStats(NO_FILTERS, 'year', 'previous'));
    // A month goes back to 环比.
    await page.getByTestId('compare-year').click();
    await expect.poll(() => page.getByTestId('period-prev').textContent()).toMatch(/^去年同期 /);
    await page.getByTestId('preset-30d').click();
    await expect.poll(() => page.getByTestId('period-prev').textContent()).toMatch(/^上期 /);
    await lp.settled();
    await expectPageEqualsApi(lp, await apiStats());
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('explains each measure: formula and 环比 in a tooltip', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    await lp.measure('closureRate').hover();
    await lp.tooltip('closureRate').waitFor();
    expect(await lp.tooltip('closureRate').textContent()).toContain('已结案案件数 ÷ 立案（已派遣）案件数');
    expect(await lp.tooltip('closureRate').textContent()).toMatch(
      /上期（\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d）：/,
    );
    // The last 30 days run to now: the 30 before them are cut at the same moment and taken as they
    // stood then, and the tooltip and the period line say so.
    expect(await lp.tooltip('closureRate').textContent()).toMatch(
      /上期只计截至 \d{4}-\d\d-\d\d \d\d:\d\d 上报的案件，并按其当时的状态计（同期口径/,
    );
    expect(await page.getByText(/^上期 .+（截至 \d\d-\d\d \d\d:\d\d）$/).count()).toBeGreaterThan(0);
    await screenshot(page, 'leader-tooltip-1366');
    // 超时案件 counts the period's cases, not what is overdue now: the name says so, and its tip
    // tells it apart from the big screen's 当前超时.
    expect(await lp.measureLabel('overdue')).toBe('超时案件（期内）');
    await lp.measure('overdue').hover();
    await lp.tooltip('overdue').waitFor();
    expect(await lp.tooltip('overdue').textContent()).toContain('统计期内上报');
    expect(await lp.tooltip('overdue').textContent()).toContain(
      '大屏的“当前超时”则是此刻未结且已超时的案件数',
    );
    expect(await lp.measureLabelsCut()).toEqual([]);
    // A right-hand card's tip opens inside the window; moving down from a card onto the one under
    // its tip shows that card's tip (the tip is not in the way).
    await lp.measure('arriveP90').hover();
    await lp.tooltip('arriveP90').waitFor();
    expect(
      (await lp.tooltip('arriveP90').boundingBox())!.x + (await lp.tooltip('arriveP90').boundingBox())!.width,
    ).toBeLessThanOrEqual(1366);
    await lp.measure('turnouts').hover();
    await lp.tooltip('turnouts').waitFor();
    expect(await lp.tooltip('arriveP90').isVisible()).toBe(false);
    // Nothing scrolls sideways at 1366×768, nor on a tablet, either way up.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    for (const [width, height] of [
      [1024, 768],
      [768, 1024],
    ] as const) {
      await page.setViewportSize({ width, height });
      await lp.measure('closureRate').waitFor();
      expect(
        await page.evaluate('document.documentElement.scrollWidth'),
        `${width}×${height}`,
      ).toBeLessThanOrEqual(width);
      expect(await lp.measureLabelsCut(), `${width}×${height}`).toEqual([]);
      expect(await lp.rankingRows().count()).toBe(server.handle.ctx.geo.townships.length);
      await screenshot(page, `leader-tablet-${width}x${height}`);
    }
    await context.close();
  });

  it('on a tablet, a tapped measure shows its formula, and a second tap, a tap elsewhere or Esc puts it away', async () => {
    const { context, page, consoleErrors } = await openTouchPage(browser, { width: 768, height: 1024 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    const tip = lp.tooltip('closureRate');
    await lp.measure('closureRate').tap();
    await tip.waitFor();
    expect(await tip.textContent()).toContain('已结案案件数 ÷ 立案（已派遣）案件数');
    await lp.measure('closureRate').tap(); // the same card again
    await tip.waitFor({ state: 'hidden' });
    // A tap on another card moves the tip there; one on the period line, where nothing reacts, closes it.
    await lp.measure('closureRate').tap();
    await tip.waitFor();
    await lp.measure('overdue').tap();
    await lp.tooltip('overdue').waitFor();
    expect(await tip.isVisible()).toBe(false);
    await page.getByTestId('period-prev').tap();
    await lp.tooltip('overdue').waitFor({ state: 'hidden' });
    // A keyboard on the tablet: Esc.
    await lp.measure('overdue').tap();
    await lp.tooltip('overdue').waitFor();
    await page.keyboard.press('Escape');
    await lp.tooltip('overdue').waitFor({ state: 'hidden' });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('ranks townships by any measure and drills down to a case timeline', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    await expect.poll(() => lp.rankingRows().count()).toBe(server.handle.ctx.geo.townships.length);
    // Default: volume, most first.
    expect((await lp.rankingOrder()).slice(0, 2)).toEqual([DONGCHENG, MISHAN]);
    // At 1366 px the measures run past the panel: its right edge says so, and its arrow scrolls
    // on; at the end the cue is gone.
    const frame = page.getByTestId('ranking-frame');
    const scrolled = () => frame.locator('.ranking-wrap').evaluate((el) => el.scrollLeft);
    await expect.poll(() => frame.getAttribute('data-more-right')).toBe('true');
    expect(await scrolled()).toBe(0);
    // Every township at once, inside the panel: the table has no vertical scroll of its own (it
    // scrolled 377 of 496 px inside a page that scrolls too); the page scrolls once, to all of it.
    const layout = () =>
      frame.evaluate((el) => {
        const wrap = el.querySelector('.ranking-wrap')!;
        const panel = el.closest('.panel')!.getBoundingClientRect();
        const rows = [...el.querySelectorAll('[data-testid=ranking-row]')].map((r) =>
          r.getBoundingClientRect(),
        );
        const main = document.querySelector('main.leader-main')!.getBoundingClientRect();
        return {
          nested: wrap.scrollHeight - wrap.clientHeight,
          inside: el.getBoundingClientRect().bottom <= panel.bottom,
          rows: rows.length,
          clipped: rows.filter((r) => r.bottom > wrap.getBoundingClientRect().bottom + 0.5).length,
          fitsView: panel.height <= main.height,
        };
      });
    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect
        .poll(layout, { message: `${width}×${height}` })
        .toEqual({ nested: 0, inside: true, rows: 15, clipped: 0, fitsView: true });
    }
    // At 1920 every measure fits (a qualifier such as （中位数） under its heading): nothing behind
    // the arrow. Before, the last column stood cut off behind it.
    await expect.poll(() => frame.getAttribute('data-more-right')).toBe('false');
    const lastRight = await frame
      .locator('th')
      .last()
      .evaluate((th) => th.getBoundingClientRect().right);
    const wrapRight = await frame.locator('.ranking-wrap').evaluate((el) => el.getBoundingClientRect().right);
    expect(lastRight).toBeLessThanOrEqual(wrapRight + 0.5);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('ranking-frame').scrollIntoViewIfNeeded();
    await screenshot(page, 'leader-ranking-whole-1366');
    await expect.poll(() => frame.getAttribute('data-more-right')).toBe('true');
    await page.getByTestId('ranking-more-right').click();
    await expect.poll(scrolled).toBeGreaterThan(100);
    await frame.locator('.ranking-wrap').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(() => frame.getAttribute('data-more-right')).toBe('false');
    expect(await page.getByTestId('ranking-more-right').count()).toBe(0);
    await screenshot(page, 'leader-ranking-scrolled-1366');
    await frame.locator('.ranking-wrap').evaluate((el) => el.scrollTo({ left: 0 }));
    await expect.poll(() => frame.getAttribute('data-more-right')).toBe('true');
    await lp.sortBy('turnouts');
    expect((await lp.rankingOrder())[0]).toBe(DONGCHENG); // 3 against 2
    await lp.sortBy('turnouts');
    expect((await lp.rankingOrder()).slice(-2)).toEqual([MISHAN, DONGCHENG]); // ascending: 0 … 2, 3
    await lp.drillInto(MISHAN);
    // The drawer lies over the figures, not over the filters and the export: both stay in reach.
    for (const id of ['export-xlsx', 'preset-7d']) {
      const hit = await page.getByTestId(id).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
      });
      expect(hit, id).toBe(true);
    }
    // Exactly the cases the row counts: the same instants and filters as /api/stats.
    const mishan = (await apiStats()).townships!.find((t) => t.code === MISHAN)!;
    expect(mishan.volume.total).toBe(2);
    await expect.poll(() => lp.drillCases().count()).toBe(mishan.volume.total);
    expect(await page.getByTestId('drill-count').textContent()).toBe('共 2 件');
    // Under the title, what the list is of: the period (and filters, when there are any).
    const period = presetPeriod('30d', Date.now());
    expect(await page.getByTestId('drill-scope').textContent()).toBe(`${period.from} – ${period.to}`);
    await lp.drillCases().first().click();
    await page.getByTestId('case-timeline').waitFor();
    expect(await page.getByTestId('timeline-entry').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid=drill-down] [data-testid^="action-"]').count()).toBe(0); // read only
    // One way back to the list (← 返回) and one × for the panel: the case has no × of its own.
    expect(await page.locator('[data-testid=drill-down] button', { hasText: '×' }).count()).toBe(1);
    await screenshot(page, 'leader-drilldown-1366');
    // Esc steps back: the case to the list, the list out of the panel.
    await page.keyboard.press('Escape');
    await expect.poll(() => lp.drillCases().count()).toBe(mishan.volume.total);
    await lp.drillCases().first().click();
    await page.getByTestId('case-timeline').waitFor();
    await page.getByTestId('drill-back').click();
    await expect.poll(() => lp.drillCases().count()).toBe(mishan.volume.total);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('drill-down').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('exports the filtered view to Excel with the filters first and the figures of /api/stats', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    await lp.filterTownship(DONGCHENG);
    const [download] = await Promise.all([page.waitForEvent('download'), lp.exportButton('xlsx').click()]);
    // Named by what it holds: the township, the period and the comparison.
    expect(download.suggestedFilename()).toMatch(
      /^高平市执法统计-东城街道-\d{4}-\d{2}-\d{2}至\d{4}-\d{2}-\d{2}-环比\.xlsx$/,
    );
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const kv = new Map<string, string>();
    wb.worksheets[0]!.eachRow((row) => kv.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(kv.get('乡镇（街道）')).toBe(`东城街道（${DONGCHENG}）`);
    const stats = await apiStats({ ...NO_FILTERS, township: DONGCHENG });
    const values = new Map<string, unknown>();
    wb.getWorksheet('指标')!.eachRow(
      (row, i) => i > 1 && values.set(String(row.getCell(1).value), row.getCell(2).value),
    );
    for (const m of MEASURES) expect(values.get(exportName(m)) ?? null, m.key).toEqual(m.value(stats));

    const [csv] = await Promise.all([page.waitForEvent('download'), lp.exportButton('csv').click()]);
    const text = fs.readFileSync(await csv.path(), 'utf8');
    expect(text).toContain(`乡镇（街道）,东城街道（${DONGCHENG}）`);
    expect(text).toContain(`案件量,${stats.volume.total},`);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('keeps a running period current by itself, says when its figures are of, and the export says its own', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    // The page's minute, on the browser's clock (time runs on; fastForward skips ahead).
    await page.clock.install();
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.preset('today');
    const before = await apiStats(NO_FILTERS, 'today');
    await expect.poll(() => lp.measureValue('volume')).toBe(String(before.volume.total));
    const asOf = page.getByTestId('as-of');
    expect(await asOf.textContent()).toMatch(/^数据截至 \d\d:\d\d（每分钟更新）$/);
    // The leader is reading 东城's cases, one of them open, further down the page.
    await lp.drillInto(DONGCHENG);
    await expect.poll(() => lp.drillCases().count()).toBeGreaterThan(0);
    const listed = await lp.drillCases().count();
    await lp.drillCases().first().click();
    await page.getByTestId('case-timeline').waitFor();
    const main = page.locator('main.leader-main');
    await main.evaluate((el) => el.scrollTo({ top: 300 }));
    const scrolled = await main.evaluate((el) => el.scrollTop);

    // A clue comes in for 东城; a minute on, the page has it without being asked.
    const geo = server.handle.ctx.geo;
    const r = await call(server.url, commander, 'POST', '/api/clues', clueAt(pointIn(geo, DONGCHENG, 7)));
    expect(r.status).toBe(201);
    const after = await apiStats(NO_FILTERS, 'today');
    expect(after.volume.total).toBe(before.volume.total + 1);
    await page.clock.fastForward(61_000);
    await expect.poll(() => lp.measureValue('volume')).toBe(String(after.volume.total));
    await expect
      .poll(() =>
        page
          .locator(`[data-testid=ranking-row][data-code="${DONGCHENG}"] [data-measure=volume]`)
          .textContent(),
      )
      .toBe(String(after.townships!.find((t) => t.code === DONGCHENG)!.volume.total));
    expect(await asOf.textContent()).toMatch(/^数据截至 \d\d:\d\d（每分钟更新）$/);
    // In place: the case still open, the list behind it read again, the page where it was.
    expect(await page.getByTestId('case-timeline').isVisible()).toBe(true);
    await page.getByTestId('drill-back').click();
    await expect.poll(() => lp.drillCases().count()).toBe(listed + 1);
    expect(await main.evaluate((el) => el.scrollTop)).toBe(scrolled);
    expect(await page.getByTestId('leader-loading').count()).toBe(0);

    // The export writes the moment of its own figures, and claims no more.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('drill-down').count()).toBe(0);
    const [csv] = await Promise.all([page.waitForEvent('download'), lp.exportButton('csv').click()]);
    const lines = fs.readFileSync(await csv.path(), 'utf8').split('\r\n');
    expect(lines.find((l) => l.startsWith('数据截至,'))).toMatch(
      /^数据截至,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）$/,
    );
    expect(lines.join('\n')).not.toContain('与领导驾驶舱页面所示数字相同');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
  it('puts the township ranking in view at 1366×768 beside the trend, and draws a one-day period by hour', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    // 比学赶超 first: its top townships in view without scrolling, the trend beside it, not above.
    await expect.poll(() => lp.rankingRowsInView()).toBeGreaterThanOrEqual(8);
    const ranking = (await page.getByTestId('ranking-frame').boundingBox())!;
    const trendBox = (await page.getByTestId('chart-trend').boundingBox())!;
    expect(trendBox.x).toBeGreaterThanOrEqual(ranking.x + ranking.width);
    expect(trendBox.y).toBeLessThan(ranking.y + ranking.height);
    // One scroll (the page's): the table scrolls only sideways; nothing runs past the window.
    const scrolls = () =>
      page.evaluate(() => {
        const wrap = document.querySelector('[data-testid=ranking-frame] .ranking-wrap')!;
        return {
          tableScrollsDown: wrap.scrollHeight > wrap.clientHeight,
          pageWider: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
    expect(await scrolls()).toEqual({ tableScrollsDown: false, pageWider: false });
    // At 1920×1080 every township's row is in view.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect.poll(() => lp.rankingRowsInView()).toBe(15);
    expect(await scrolls()).toEqual({ tableScrollsDown: false, pageWider: false });
    await page.setViewportSize({ width: 1366, height: 768 });

    // 今日: the day by hour (yesterday's same hours beside it), not one lonely point.
    expect(await lp.trendTitle().textContent()).toBe('案件量趋势（按日）');
    await lp.preset('today');
    await expect.poll(() => lp.trendTitle().textContent()).toBe('案件量趋势（按小时）');
    const today = await apiStats(NO_FILTERS, 'today');
    const hours = today.volume.byHour!;
    expect(hours.length).toBeGreaterThan(0);
    expect(hours.reduce((s, h) => s + h.count, 0)).toBe(today.volume.total);
    const now = hours.length - 1;
    const day = (d: string) => d.slice(5);
    await expect
      .poll(() => lp.trendTooltipAt(now, 24))
      .toContain(`本期 ${day(today.from)}：${hours[now]!.count}`);
    const shown = await lp.trendTooltipAt(now, 24);
    expect(shown).toContain(`${String(now).padStart(2, '0')}:00–`);
    expect(shown).toContain(`上期 ${day(today.previous.from)}：${today.previous.volume.byHour![now]!.count}`);
    await screenshot(page, 'leader-today-by-hour-1366');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('on a touch tablet: controls a finger can hit, one finger scrolls past the map, the ranking pinned as it scrolls', async () => {
    const { context, page, consoleErrors } = await openTouchPage(browser, { width: 768, height: 1024 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    await page.getByTestId('map-home').waitFor();
    // Every control at least 40 px tall (44 on a touch screen; a mouse's stay as they were).
    const tall = async (what: string, selector: string, wide = false) => {
      const sizes = await sizesOf(page, selector);
      expect(sizes.length, what).toBeGreaterThan(0);
      for (const s of sizes) {
        expect(s.h, what).toBeGreaterThanOrEqual(40);
        if (wide) expect(s.w, what).toBeGreaterThanOrEqual(40);
      }
    };
    await tall('header links', '.app-header nav a');
    await tall('period', '[data-testid^=preset-]', true);
    await tall('环比 同比', '[data-testid^=compare-]', true);
    await tall('selects', '[data-testid=leader-filters] select');
    await tall('exports', '[data-testid^=export-]');
    await tall('sortable headers', '[data-testid^=sort-]');
    await tall('ranking rows', '[data-testid=ranking-row]');
    await tall('全县', '[data-testid=map-home]', true);
    await page.getByTestId('preset-custom').tap();
    await tall('custom dates', '[data-testid=custom-first], [data-testid=custom-last]');
    await lp.preset('30d');
    await page.getByTestId('ranking-row').first().tap();
    await page.getByTestId('drill-down').waitFor();
    await tall('drill-down ×', '[data-testid=drill-close]', true);
    await page.getByTestId('drill-close').tap();
    await page.getByTestId('drill-down').waitFor({ state: 'detached' });

    // The sorted column's formula is on the page (a header's title never shows to a finger).
    const formula = (key: string) => MEASURES.find((m) => m.key === key)!.formula.zh;
    expect(await page.getByTestId('ranking-formula').textContent()).toContain(formula('volume'));
    await page.getByTestId('sort-closureRate').tap();
    await expect
      .poll(() => page.getByTestId('ranking-formula').textContent())
      .toContain(formula('closureRate'));

    // Scrolled sideways, 名次 and the township stay on the left, side by side; scrolled down past
    // the table's top, its header row stays at the top of the page.
    await page.locator('.ranking-wrap').evaluate((el) => (el.scrollLeft = 300));
    await lp.scrollTo('ranking-table', -150);
    await page.waitForTimeout(300);
    const at = await page.evaluate(() => {
      const box = (s: string) => document.querySelector(s)!.getBoundingClientRect();
      const wrap = box('.ranking-wrap');
      const main = box('.leader-main');
      const rank = box('th.rank');
      const name = box('th.name');
      const cell = box('[data-testid=ranking-row] td.rank');
      const head = document.elementFromPoint(name.x + name.width / 2, name.y + name.height / 2);
      return {
        scrolled: document.querySelector('.ranking-wrap')!.scrollLeft,
        rankLeft: rank.left - wrap.left,
        cellLeft: cell.left - wrap.left,
        nameLeft: name.left - rank.right,
        headTop: rank.top - main.top,
        headSeen: head?.closest('th')?.classList.contains('name') ?? false,
      };
    });
    expect(at.scrolled).toBeGreaterThan(100);
    expect(Math.abs(at.rankLeft)).toBeLessThanOrEqual(1);
    expect(Math.abs(at.cellLeft)).toBeLessThanOrEqual(1);
    expect(Math.abs(at.nameLeft)).toBeLessThanOrEqual(1);
    expect(Math.abs(at.headTop)).toBeLessThanOrEqual(2);
    expect(at.headSeen).toBe(true);
    await screenshot(page, 'leader-tablet-ranking-scrolled');

    // One finger over the heatmap scrolls the page; the map stays where it was.
    await lp.scrollTo('map', 150);
    await page.waitForTimeout(500);
    const box = (await page.getByTestId('map').boundingBox())!;
    const center = await lp.mapCenter();
    const top = await lp.scrollTop();
    await swipe(page, box.x + box.width / 2, box.y + box.height * 0.7, 250);
    await expect.poll(() => lp.scrollTop()).toBeGreaterThan(top + 50);
    const after = await lp.mapCenter();
    expect(after[0]).toBeCloseTo(center[0], 6);
    expect(after[1]).toBeCloseTo(center[1], 6);
    // Moved far off, the map stops near the county, and 全县 brings the county back.
    await page.evaluate(() =>
      (
        document.querySelector('[data-testid=map] .map-canvas') as unknown as {
          __map: { jumpTo(o: { center: [number, number] }): void };
        }
      ).__map.jumpTo({ center: [118, 40] }),
    );
    const far = await lp.mapCenter();
    expect(Math.abs(far[0] - 112.9)).toBeLessThan(1.5);
    expect(Math.abs(far[1] - 35.8)).toBeLessThan(1.5);
    await page.getByTestId('map-home').tap();
    await expect.poll(async () => Math.abs((await lp.mapCenter())[0] - center[0])).toBeLessThan(0.05);
    await screenshot(page, 'leader-tablet-map');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('in English names the 13 matter domains in English: the filter, the domain mix, one line per date', async () => {
    const { context, page, consoleErrors } = await openTouchPage(browser, {
      width: 800,
      height: 1280,
      locale: 'en',
    });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    const cjk = /[\u4e00-\u9fff]/;
    const options = await page.getByTestId('filter-domain').locator('option').allTextContents();
    expect(options).toHaveLength(14); // All and the 13
    for (const o of options) expect(o, o).not.toMatch(cjk);
    expect(options).toContain('City appearance');
    // The mix's largest slice by its English name (its tooltip: name: count (share)).
    await expect.poll(() => lp.domainSliceTooltip()).toMatch(/^[A-Za-z][^\u4e00-\u9fff]*：\d+/m);
    // 本期 2026-11-07 – 2026-12-06 on one line, not broken mid-date at 800 px.
    const label = (await page.getByTestId('period-label').boundingBox())!;
    expect(label.height).toBeLessThan(24);
    await screenshot(page, 'leader-tablet-en');
    // Every measure's English name fits its card, at 768 too (超时案件（期内） the longest of them).
    expect(await lp.measureLabel('overdue')).toBe('Overdue cases (in period)');
    expect(await lp.measureLabelsCut()).toEqual([]);
    await page.setViewportSize({ width: 768, height: 1024 });
    await lp.measure('overdue').waitFor();
    expect(await lp.measureLabelsCut()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('ranks the county departments by the cases they have now, and drills into one department', async () => {
    // One of the 城管局's (擅自挖掘城市道路), in 北城, acknowledged by the department.
    const cgj = await tokenFor(server, 'cgj-e2e', 'department', { kind: 'department', code: 'cgj' });
    const c = (
      await call<{ case: CaseView }>(
        server.url,
        commander,
        'POST',
        '/api/clues',
        clueAt(pointIn(server.handle.ctx.geo, '140581001', 9), { matterCode: 'SR14' }),
      )
    ).body.case;
    expect(c.assignee).toMatchObject({ kind: 'department', code: 'cgj' });
    await step(cgj, c, { action: 'acknowledge' });

    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, leader.username, leader.password);
    await lp.settled();
    await expect.poll(() => lp.rankingRows().count()).toBe(server.handle.ctx.geo.townships.length);
    await page.getByTestId('rank-by-department').click();
    const departments = server.handle.ctx.departments;
    await expect.poll(() => lp.rankingRows().count()).toBe(departments.length);
    expect(await page.getByTestId('ranking-title').textContent()).toContain('县直部门排名');
    expect(await page.locator('[data-testid=ranking-table] th.name').textContent()).toBe('县直部门');
    // Every cell as /api/stats computes it for each department, under its short name.
    const api = await apiStats();
    const shown = await lp.rankingCells();
    expect(Object.keys(shown).sort()).toEqual(api.departments!.map((d) => d.code).sort());
    for (const d of api.departments!)
      for (const m of MEASURES)
        expect(shown[d.code]![m.key], `${d.name} ${m.key}`).toBe(formatCell(m, m.value(d)));
    const row = page.locator('[data-testid=ranking-row][data-code="cgj"]');
    expect(await row.locator('td.name').textContent()).toBe('城市管理');
    expect(await row.locator('td.name').getAttribute('title')).toBe('高平市城市管理局');
    expect(api.departments!.find((d) => d.code === 'cgj')!.volume.total).toBe(1);
    // Most cases first: the 城管局 leads.
    expect((await lp.rankingOrder())[0]).toBe('cgj');
    await screenshot(page, 'leader-ranking-departments-1366');
    // Its 退回率 is counted by who returned the case, and the table says so where it gives formulas.
    await lp.sortBy('returnRate');
    expect(await page.getByTestId('ranking-formula').textContent()).toContain('本部门退回的立案案件数');
    expect(await page.getByTestId('sort-returnRate').getAttribute('title')).toContain('本部门退回');

    // Its row opens the cases it has now: this one.
    await lp.drillInto('cgj');
    await expect.poll(() => lp.drillCases().count()).toBe(1);
    expect(await page.locator('[data-testid=drill-down] h3').textContent()).toContain('高平市城市管理局');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('drill-down').count()).toBe(0);
    // Back to the townships: the same table, the townships again.
    await page.getByTestId('rank-by-township').click();
    await expect.poll(() => lp.rankingRows().count()).toBe(server.handle.ctx.geo.townships.length);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
