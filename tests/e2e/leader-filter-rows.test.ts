// The leader page's filter bar (period, comparison, township, domain, source, the exports) in as
// few rows as the window allows: on an upright iPad (768×1024) at most two, in English as in
// Chinese, every control there and inside the window; one row on a 1366 or 1920 px desk; under it
// every measure's card whole, with a month of the demo county's figures.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { openTouchPage } from './support/touch';
import { startTestServer, type TestServer } from '../support/server';
import { prepareDemo } from '../../server/demo/index';
import { LeaderPage } from './page-models/leader-page';

const SHOTS = '/tmp/fd-shots';
const CONTROLS = [
  'preset-today',
  'preset-7d',
  'preset-30d',
  'preset-year',
  'preset-custom',
  'compare-previous',
  'compare-year',
  'filter-township',
  'filter-domain',
  'filter-source',
  'export-xlsx',
  'export-csv',
];

describe('leader filter bar rows', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    // Sixty days of the demo county at work (some 3,000 cases: the last 30 days and the 30 before,
    // for 环比): the cards' figures and bases as a county's are, four digits and a change, not the
    // dashes of an empty database.
    await prepareDemo(server.handle.ctx, { historyDays: 60 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(opts: { width: number; height: number; locale: 'zh-CN' | 'en'; touch: boolean }) {
    const opened = opts.touch
      ? await openTouchPage(browser, opts)
      : await openPage(browser, { width: opts.width, height: opts.height });
    if (!opts.touch && opts.locale === 'en')
      await opened.context.addInitScript(() => localStorage.setItem('locale', 'en'));
    const leader = new LeaderPage(opened.page);
    await leader.signInAndOpen(server.url, 'leader', server.handle.ctx.config.DEMO_PASSWORD);
    await leader.settled();
    return { ...opened, leader };
  }

  async function shot(page: Page, name: string): Promise<void> {
    const file = await screenshot(page, name);
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(SHOTS, path.basename(file)));
  }

  it.each([
    { width: 768, height: 1024, locale: 'en', touch: true, most: 2 },
    { width: 768, height: 1024, locale: 'zh-CN', touch: true, most: 2 },
    { width: 1366, height: 768, locale: 'en', touch: false, most: 2 },
    { width: 1366, height: 768, locale: 'zh-CN', touch: false, most: 1 },
    { width: 1920, height: 1080, locale: 'en', touch: false, most: 1 },
  ] as const)('$locale at $width×$height: at most $most row(s), every control in the window', async (o) => {
    const { context, page, consoleErrors, leader } = await open(o);
    const bar = page.getByTestId('leader-filters');
    const measured = await bar.evaluate((el, ids) => {
      const boxes = ids.map((id) => {
        const c = el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
        const r = c?.getBoundingClientRect();
        return { id, top: c ? c.offsetTop : -1, r: r ? { l: r.left, r: r.right, h: r.height } : null };
      });
      return { boxes, windowWidth: window.innerWidth };
    }, CONTROLS);
    // Every control drawn, wholly inside the window (none hidden, none pushed off the side).
    for (const b of measured.boxes) {
      expect(b.r, b.id).not.toBeNull();
      expect(b.r!.h, b.id).toBeGreaterThan(0);
      expect(b.r!.l, b.id).toBeGreaterThanOrEqual(0);
      expect(b.r!.r, b.id).toBeLessThanOrEqual(measured.windowWidth);
    }
    // Rows: the controls' offsetTop values (within the bar), those a few px apart in one row.
    const tops = [...new Set(measured.boxes.map((b) => b.top))].sort((a, b) => a - b);
    const rows = tops.filter((t, i) => i === 0 || t - tops[i - 1]! > 12).length;
    expect(
      rows,
      JSON.stringify(measured.boxes.map((b) => [b.id, b.top, Math.round(b.r!.l), Math.round(b.r!.r)])),
    ).toBeLessThanOrEqual(o.most);
    // And under the bar, the thirteen measures' cards (seven to a row above 1100 px): each name whole,
    // and nothing on a card past its edge (a four-digit basis beside 环比 −0.5个百分点 ran 17 px over
    // at 1366).
    expect(await leader.measureLabelsCut()).toEqual([]);
    expect(await leader.measureCardsOverflowing()).toEqual([]);
    await shot(page, `leader-filters-${o.locale}-${o.width}`);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
