// The big screen (指挥大屏) on a tablet: its 1920×1080 canvas is drawn at half size there (text
// ~9 px). A notice at the tablet's own scale says so and links the pages made for a tablet that the
// signed-in role may open; it can be dismissed. On a wall or a desk (a mouse, 1280 px and wider)
// the screen shows no notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { openTouchPage } from './support/touch';
import { startTestServer, type TestServer } from '../support/server';
import { tokenFor, TEST_PASSWORD } from '../support/auth';
import { LoginPage } from './page-models/login-page';

describe('big screen on a tablet', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true, env: { AUTO_DISPATCH: 'off' } });
    await tokenFor(server, 'commander', 'commander');
    await tokenFor(server, 'leader', 'leader');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openScreen(page: import('playwright-core').Page, username: string): Promise<void> {
    const login = new LoginPage(page);
    await login.open(server.url);
    await login.signIn(username, TEST_PASSWORD);
    await page.waitForURL(/\/(screen|leader)$/);
    if (!page.url().endsWith('/screen')) await page.goto(`${server.url}/screen`);
    await page.getByTestId('big-screen').waitFor();
  }

  it('tells the leader on a 1024×768 tablet that the screen is scaled down, and links the leader page', async () => {
    const { context, page, consoleErrors } = await openTouchPage(browser, { width: 1024, height: 768 });
    await openScreen(page, 'leader');
    const notice = page.getByTestId('screen-tablet-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('1920×1080');
    // Only the pages the role may open: a leader has no 乡镇工作台.
    expect(await page.getByTestId('tablet-notice-desk').count()).toBe(0);
    // Readable at the tablet's own scale (not the canvas's 0.53).
    const size = await notice.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const scale = await page
      .getByTestId('screen-canvas')
      .evaluate((el) => el.getBoundingClientRect().width / (el as HTMLElement).offsetWidth);
    expect(scale).toBeLessThan(0.6);
    expect(size).toBeGreaterThanOrEqual(14);
    const close = (await page.getByTestId('tablet-notice-close').boundingBox())!;
    expect(close.width).toBeGreaterThanOrEqual(40);
    expect(close.height).toBeGreaterThanOrEqual(40);
    await screenshot(page, 'screen-tablet-notice-1024');
    await page.getByTestId('tablet-notice-leader').tap();
    await page.waitForURL(/\/leader$/);
    await page.getByTestId('leader-page').waitFor();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('offers the commander both tablet pages, and stays away once dismissed', async () => {
    const { context, page } = await openTouchPage(browser, { width: 768, height: 1024, locale: 'en' });
    await openScreen(page, 'commander');
    const notice = page.getByTestId('screen-tablet-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('designed for 1920×1080');
    expect(await page.getByTestId('tablet-notice-desk').textContent()).toBe('Township desk');
    expect(await page.getByTestId('tablet-notice-leader').count()).toBe(1);
    await page.getByTestId('tablet-notice-close').tap();
    await notice.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('big-screen').waitFor();
    await page.waitForTimeout(500);
    expect(await notice.count()).toBe(0);
    await context.close();
  });

  it("tells a laptop's operator in a browser window (its bars leave 657 of 768 px) that F11 makes the screen larger", async () => {
    // Drawn at 0.61 there (text ~10 px), smaller than in a 1280×720 window: the width alone said
    // nothing of it.
    const { context, page, consoleErrors } = await openPage(browser, {
      width: 1366,
      height: 657,
      screen: { width: 1366, height: 768 },
    });
    await openScreen(page, 'commander');
    const notice = page.getByTestId('screen-tablet-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      '大屏按 1920×1080 设计，此处缩小显示；按 F11 全屏可放大；平板请使用',
    );
    // Full screen (F11): the window is the display, drawn at 0.71, and nothing is said.
    await page.setViewportSize({ width: 1366, height: 768 });
    await notice.waitFor({ state: 'detached' });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('draws the charts with the pixels of a 4K wall, not stretched from half as many', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 3840, height: 2160 });
    await openScreen(page, 'commander');
    const canvas = page.locator('[data-testid=chart-volume] canvas').first();
    await canvas.waitFor();
    // The 1920 canvas at ×2: each chart's canvas has two pixels to each of its CSS pixels.
    const ratio = await canvas.evaluate((c: HTMLCanvasElement) => c.width / c.offsetWidth);
    expect(ratio).toBeCloseTo(2, 1);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows no notice on a wall or a desk (a mouse, 1366 px and wider)', async () => {
    for (const [width, height] of [
      [1920, 1080],
      [1366, 768],
    ] as const) {
      const { context, page } = await openPage(browser, { width, height });
      await openScreen(page, 'commander');
      await page.getByTestId('screen-canvas').waitFor();
      await page.waitForTimeout(500);
      expect(await page.getByTestId('screen-tablet-notice').count(), `${width}`).toBe(0);
      await context.close();
    }
  });
});
