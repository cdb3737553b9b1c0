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
