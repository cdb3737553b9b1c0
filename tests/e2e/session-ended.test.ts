// A session ended from `npm run users` while its pages are open, in Chromium against the real server:
// the big screen and the township desk, each live, go to the login page and say why within
// SESSION_CHECK_MS (their socket is disconnected, refused when it comes back, and the server's 401 to
// the session signs them out), long before their token would be renewed. Another account's page
// stays live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { TEST_PASSWORD, tokenFor } from '../support/auth';
import { runUsersCli } from '../support/users-cli';
import { BigScreenPage } from './page-models/big-screen-page';
import { DeskPage } from './page-models/desk-page';

describe('a session ended while its pages are open', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true, env: { SESSION_CHECK_MS: '300' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs out the big screen when its password is changed, and the desk when its account is disabled', async () => {
    await tokenFor(server, 'ended-screen', 'commander');
    await tokenFor(server, 'ended-desk', 'township', { kind: 'township', code: '140581002' });
    await tokenFor(server, 'still-screen', 'commander');
    const pages = await Promise.all([
      openPage(browser),
      openPage(browser, { width: 1366, height: 768 }),
      openPage(browser),
    ]);
    const [screenTab, deskTab, otherTab] = pages;
    const screen = new BigScreenPage(screenTab.page);
    const desk = new DeskPage(deskTab.page);
    const other = new BigScreenPage(otherTab.page);
    await screen.signInAndOpen(server.url, 'ended-screen', TEST_PASSWORD);
    await other.signInAndOpen(server.url, 'still-screen', TEST_PASSWORD);
    await desk.signInAndOpen(server.url, 'ended-desk', TEST_PASSWORD);
    await Promise.all([screen.waitLive(), other.waitLive()]);
    await deskTab.page.locator('[data-testid=desk-connection].live').waitFor({ timeout: 15_000 });

    const passwd = await runUsersCli(server.database, ['passwd', 'ended-screen'], {
      USER_PASSWORD: 'changed-password',
    });
    expect(passwd.code, passwd.stderr).toBe(0);
    const disable = await runUsersCli(server.database, ['disable', 'ended-desk']);
    expect(disable.code, disable.stderr).toBe(0);

    for (const { page } of [screenTab, deskTab]) {
      await page.getByTestId('login-expired').waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByTestId('login-expired').textContent()).toContain('请重新登录');
    }
    expect(new URL(otherTab.page.url()).pathname).toBe('/screen');
    await other.waitLive();
    // The refused handshake and the 401 are logged by the browser; nothing else may fail.
    for (const { consoleErrors } of pages)
      expect(consoleErrors.filter((e) => !/WebSocket|socket\.io|401/.test(e))).toEqual([]);
    for (const { context } of pages) await context.close();
  });
});
