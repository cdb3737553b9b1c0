// 名次较上期 in Chromium against the real server: beside each township's rank, how many places it
// rose or fell since the compared period on the measure sorted by (the same measure, ranked the same
// way, the compared period as it stood at the same moment; out of how many then), green or red where
// a rise is better and plain on a count; nothing where either period gives no rank, and none with no
// basis (同比 against a year without cases). The export writes the same. A township's own page says
// its move beside its rank.
//
// The previous period's cases are reported through the API on the server's clock set back 35 days
// (the clock is the server's injected time source), then the clock runs with the wall again.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { act, clueAt, pointIn } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import type { Clock } from '../../server/clock';
import { DeskPage } from './page-models/desk-page';
import { LeaderPage } from './page-models/leader-page';

const BEICHENG = '140581001';
const DONGCHENG = '140581002';
const MISHAN = '140581101';
const YUANCUN = '140581203'; // 原村乡: no case in either period (one before both)
const DAY = 86_400_000;

/** The wall's time, less `offset`. */
class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() - this.offset;
  }
}

describe('名次较上期 in Chromium', () => {
  const clock = new ShiftedClock();
  let server: TestServer;
  let browser: Browser;

  /** `counts[code]` clues in each township now, the first `returned[code]` of them returned by it. */
  async function report(counts: Record<string, number>, returned: Record<string, number>): Promise<void> {
    const geo = server.handle.ctx.geo;
    const commander = await tokenFor(server, 'commander', 'commander');
    for (const [code, n] of Object.entries(counts)) {
      const township = await tokenFor(server, code, 'township', { kind: 'township', code });
      for (let i = 0; i < n; i++) {
        const r = await call<{ case: CaseView }>(
          server.url,
          commander,
          'POST',
          '/api/clues',
          clueAt(pointIn(geo, code, i + (clock.offset ? 0 : 10))),
        );
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        const c = r.body.case;
        expect(c.assignee).toMatchObject({ kind: 'township', code });
        if (i < (returned[code] ?? 0)) {
          const back = await act(server, township, c.id, {
            version: c.version,
            action: 'return',
            reason: '不属本单位',
          });
          expect(back.status, JSON.stringify(back.body)).toBe(200);
        }
      }
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true, clock });
    await tokenFor(server, 'leader', 'leader');
    // The records begin 61 days ago, before the compared period does (one case then, outside both
    // periods): a compared period that starts before the records is no basis.
    clock.offset = 61 * DAY;
    await report({ [YUANCUN]: 1 }, {});
    // 35 days ago (in the 30 days before the last 30): 米山 3 (one returned), 北城 2, 东城 1.
    clock.offset = 35 * DAY;
    await report({ [MISHAN]: 3, [BEICHENG]: 2, [DONGCHENG]: 1 }, { [MISHAN]: 1 });
    // Now: 东城 3 (one returned), 北城 2, 米山 1.
    clock.offset = 0;
    await report({ [DONGCHENG]: 3, [BEICHENG]: 2, [MISHAN]: 1 }, { [DONGCHENG]: 1 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Each ranked row's move as shown: code → [mark, its words, its colour] (null: none shown). */
  async function moves(page: import('playwright-core').Page) {
    return page.getByTestId('ranking-row').evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => {
          const m = r.querySelector<HTMLElement>('[data-testid=rank-move]');
          return [
            r.getAttribute('data-code')!,
            m ? [m.textContent!.trim(), m.title, getComputedStyle(m).color] : null,
          ];
        }),
      ),
    );
  }

  it("says beside each township's rank how far it moved since the last period, on the measure sorted by", async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const lp = new LeaderPage(page);
    await lp.signInAndOpen(server.url, 'leader', TEST_PASSWORD);
    await lp.settled();
    const dim = await page.getByTestId('ranking-formula').evaluate((el) => getComputedStyle(el).color);
    const green = 'rgb(33, 192, 122)';
    const red = 'rgb(255, 77, 79)';

    // 案件量 (most first): 东城 3rd → 1st, 米山 1st → 3rd, 北城 2nd both times, the rest tied 4th
    // both times. A count: a rise is not good news, so no colour.
    await expect.poll(() => moves(page).then((m) => m[DONGCHENG]?.[0])).toBe('↑2');
    let shown = await moves(page);
    expect(shown[DONGCHENG]).toEqual(['↑2', '较上期上升 2 位（上期第 3 / 15 名）', dim]);
    expect(shown[MISHAN]).toEqual(['↓2', '较上期下降 2 位（上期第 1 / 15 名）', dim]);
    expect(shown[BEICHENG]).toEqual(['–', '与上期持平（上期第 2 / 15 名）', dim]);
    expect(shown[YUANCUN]).toEqual(['–', '与上期持平（上期第 4 / 15 名）', dim]);
    await screenshot(page, 'leader-rank-moves-1366');

    // 退回率 (lowest first): 米山 1/3 → 0/1 rises, 东城 0/1 → 1/3 falls, in colour; a township with
    // no case has no rate, no rank and no move.
    await page.getByTestId('sort-returnRate').click();
    await expect.poll(() => moves(page).then((m) => m[MISHAN]?.[0])).toBe('↑2');
    shown = await moves(page);
    expect(shown[MISHAN]).toEqual(['↑2', '较上期上升 2 位（上期第 3 / 3 名）', green]);
    expect(shown[DONGCHENG]).toEqual(['↓2', '较上期下降 2 位（上期第 1 / 3 名）', red]);
    expect(shown[BEICHENG]?.[0]).toBe('–');
    expect(shown[YUANCUN]).toBeNull();
    // The export writes the same, in the page's order: 名次, 上期名次 and 较上期名次 ending each row.
    const [csv] = await Promise.all([page.waitForEvent('download'), lp.exportButton('csv').click()]);
    const lines = fs.readFileSync(await csv.path(), 'utf8').split('\r\n');
    const head = lines.find((l) => l.startsWith('乡镇（街道）,代码,'))!;
    expect(head.split(',').slice(-3)).toEqual(['名次（退回率）', '上期名次', '较上期名次']);
    const line = (code: string) =>
      lines
        .find((l) => l.split(',')[1] === code)!
        .split(',')
        .slice(-3);
    expect(line(MISHAN)).toEqual(['1', '3', '上升 2 位']);
    expect(line(DONGCHENG)).toEqual(['3', '1', '下降 2 位']);
    expect(line(BEICHENG)).toEqual(['1', '1', '持平']);
    expect(line(YUANCUN)).toEqual(['', '', '']);

    // 同比: last year has no case, no basis: no moves at all.
    await page.getByTestId('compare-year').click();
    await lp.settled();
    await page.getByTestId('no-previous').waitFor();
    expect(await page.getByTestId('rank-move').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("says a township's own move beside its rank on its own page", async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, DONGCHENG, TEST_PASSWORD);
    await page.getByTestId('nav-leader').click();
    await page.waitForURL(/\/leader$/);
    const lp = new LeaderPage(page);
    await lp.settled();
    await expect
      .poll(() => page.getByTestId('own-rank').textContent())
      .toBe('本单位排名：第 1 / 15（案件量） · 较上期上升 2 位（上期第 3 / 15 名）');
    // The published ranking's moves, the same as the county's.
    expect((await moves(page))[MISHAN]?.[0]).toBe('↓2');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
