// The county restores its database from last night's backup (README: Backup, restore and upgrade:
// stop the server, put the backup in DATA_DIR, start it) while the wall screen and a township's desk
// stay open. The restored log hands out seqs again from the backup's head, so the pages, which had
// read further, would have taken the new events for ones they had and dropped them: a clue
// registered after the restore never reached the wall. Each page now sees the log behind its cursor
// when it reconnects, loads afresh, and shows the server as it is.
// And upgraded (`git pull && npm ci && npm start`): a page left open names the chunks of the build
// before, which the server no longer has; the first click that needed one did nothing.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { actOn, clueAt, pointIn } from '../support/cases';
import { makeTempDir } from '../support/temp-dir';
import type { CaseView } from '../../shared/cases';
import { BigScreenPage } from './page-models/big-screen-page';
import { DeskPage } from './page-models/desk-page';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DONGCHENG = '140581002';

/** `npm run backup -- <dir>` on a running server's DATA_DIR. */
function backup(dataDir: string, target: string): Promise<string> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...inherited } = process.env;
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/cli/backup.ts', target],
      { cwd: ROOT, env: { ...inherited, DATA_DIR: dataDir }, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
}

describe('pages left open while the server is restored from a backup or upgraded', () => {
  let server: TestServer;
  let browser: Browser;
  let before: TestDatabase;
  let restored: TestDatabase;
  const backupDir = makeTempDir();
  let commanderToken: string;
  let point = 0;

  async function clue(token: string, description: string): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, token, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, point++)),
      description,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  }

  beforeAll(async () => {
    before = await createTestDatabase('sqlite');
    server = await startTestServer({ database: before, serveClient: true, env: { AUTO_DISPATCH: 'off' } });
    commanderToken = await tokenFor(server, 'commander', 'commander');
    await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await before?.destroy();
    await restored?.destroy();
    backupDir.remove();
  });

  it('loads the wall and the desk afresh at the reconnect, and shows what happens after the restore', async () => {
    // Last night's work, backed up.
    const kept = await clue(commanderToken, '网格员上报：人行道堆放建筑垃圾（备份前）');
    await actOn(server, commanderToken, kept, { action: 'dispatch' });
    const target = path.join(backupDir.dir, 'backup');
    expect(await backup(before.dataDir, target)).toMatch(/backup done: 1 cases/);
    // This morning's, lost with the restore: more events than the backup's log will get again
    // before the pages reconnect.
    const lost: CaseView[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await clue(commanderToken, `网格员上报：占道经营（备份后 ${i + 1}）`);
      lost.push(await actOn(server, commanderToken, c, { action: 'dispatch' }));
    }

    const wall = await openPage(browser);
    const screen = new BigScreenPage(wall.page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await screen.feedItem(lost[3]!.id).waitFor();
    const desk = await openPage(browser, { width: 1366, height: 768 });
    const deskPage = new DeskPage(desk.page);

    await deskPage.signInAndOpen(server.url, 'dongcheng', TEST_PASSWORD);
    await deskPage.row(lost[3]!.id).waitFor();
    await desk.page.locator('[data-testid=desk-connection].live').waitFor({ timeout: 15_000 });
    const loads = { wall: 0, desk: 0 };
    wall.page.on('load', () => loads.wall++);
    desk.page.on('load', () => loads.desk++);

    // Stop the server, put the backup in an empty DATA_DIR, start it where the pages are.
    const port = server.port;
    await server.close();
    restored = await createTestDatabase('sqlite');
    fs.cpSync(target, restored.dataDir, { recursive: true });
    server = await startTestServer({
      database: restored,
      port,
      serveClient: true,
      env: { AUTO_DISPATCH: 'off' },
    });

    // Each page comes back live, loaded afresh: what was lost with the restore is gone from it.
    await expect.poll(() => loads.wall, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => loads.desk, { timeout: 20_000 }).toBe(1);
    await screen.waitLive(20_000);
    await desk.page.locator('[data-testid=desk-connection].live').waitFor({ timeout: 15_000 });
    await expect.poll(() => screen.feedItems(lost[3]!.id).count()).toBe(0);
    await deskPage.row(kept.id).waitFor();
    expect(await deskPage.row(lost[3]!.id).count()).toBe(0);

    // A clue after the restore (its events take seqs the pages had seen before): on the wall and,
    // dispatched, on the township's desk.
    const fresh = await clue(commanderToken, '网格员上报：违规养犬不拴绳（恢复后）');
    await screen.feedItem(fresh.id).waitFor({ timeout: 5_000 });
    await actOn(server, commanderToken, fresh, { action: 'dispatch' });
    await deskPage.row(fresh.id).waitFor({ timeout: 5_000 });
    await screenshot(wall.page, 'restore-wall-after');
    await wall.context.close();
    await desk.context.close();
  });

  it('loads a page afresh when it asks for a chunk of the build before an upgrade, with what was clicked open', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    // The server now has another build: the 交接班 dialog's chunk of this page's build is gone.
    const chunk = /\/assets\/HandoverDialog-[\w-]+\.js$/;
    let refused = 0;
    // Refused once: the page loaded afresh asks for the chunk its new build names.
    await page.route(
      chunk,
      async (route) => {
        refused++;
        await route.fulfill({ status: 404, body: 'Not Found' });
      },
      { times: 1 },
    );
    let loads = 0;
    page.on('load', () => loads++);
    await screen.openMenu();
    await page.getByTestId('screen-handover').click();
    await expect.poll(() => loads, { timeout: 10_000 }).toBe(1);
    expect(refused).toBe(1);
    await screen.waitLive();
    // The page loaded afresh opens 交接班 by itself: the click is answered, not lost.
    await page.getByTestId('handover-dialog').waitFor();
    // Once: the next load of the page does not open it again.
    await page.keyboard.press('Escape');
    await page.getByTestId('handover-dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => sessionStorage.getItem('reopenAfterReload'))).toBeNull();

    // A page from the menu whose part of the build is gone: the page loaded afresh is that one.
    // (A minute later: the page reloads for a missing part once a minute at most.)
    await page.evaluate(() => sessionStorage.removeItem('reloadedForBuildAt'));
    await page.route(/\/assets\/TownshipDeskView-[\w-]+\.js$/, (route) => route.fulfill({ status: 404 }), {
      times: 1,
    });
    await screen.openMenu();
    await page.getByTestId('nav-desk').click();
    await expect.poll(() => loads, { timeout: 10_000 }).toBe(2);
    await page.getByTestId('desk-connection').waitFor();
    expect(new URL(page.url()).pathname).toBe('/desk');
    // Only the refused chunks' own words in the console, from before the reloads.
    expect(
      consoleErrors.filter((e) => !/404|HandoverDialog|TownshipDeskView|dynamically imported module/.test(e)),
    ).toEqual([]);
    await context.close();
  });

  it('tells a desk at rest, which asks the API nothing, of an upgrade within a minute', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await page.clock.install();
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, 'dongcheng', TEST_PASSWORD);
    await page.locator('[data-testid=desk-connection].live').waitFor({ timeout: 15_000 });
    const notice = page.getByTestId('update-notice');
    // API answers name the build (script and stylesheet); a map layer, kept five minutes by the
    // browser's cache, does not (read from the cache, it would name a build gone since).
    const health = await page.request.get(`${server.url}/api/health`);
    expect(health.headers()['x-client-build']).toMatch(/^index-[\w-]+\.js\+style-[\w-]+\.css$/);
    const layer = await page.request.get(`${server.url}/api/geo/townships`);
    expect(layer.status()).toBe(200);
    expect(layer.headers()['x-client-build']).toBeUndefined();
    // The server now serves another build; the desk, at rest, reads nothing from the API (its news
    // come over the socket): only the minute's look at /api/health can tell it.
    const NEXT = 'index-Upgraded1.js+style-Upgraded1.css';
    let asked = 0;
    await page.route(
      (u) => u.pathname === '/api/health',
      async (route) => {
        asked++;
        try {
          const response = await route.fetch();
          await route.fulfill({ response, headers: { ...response.headers(), 'x-client-build': NEXT } });
        } catch {
          // the page has gone
        }
      },
    );
    await page.clock.fastForward(61_000);
    await notice.waitFor({ timeout: 15_000 });
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(await notice.textContent()).toContain('系统已更新到新版本');
    expect(consoleErrors).toEqual([]);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  });

  it('tells a wall left open through an upgrade, waits while someone types, and loads it afresh once unused', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    // The page's clock runs on; fastForward skips the minute without use.
    await page.clock.install();
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    const own = await page.evaluate(
      () => document.querySelector<HTMLScriptElement>('script[type="module"][src]')!.src,
    );
    expect(own).toMatch(/\/assets\/index-[\w-]+\.js$/);
    const notice = page.getByTestId('update-notice');
    expect(await notice.count()).toBe(0);

    // The server is upgraded under the page, which asks for no chunk: its answers name another
    // build, and its page loads that one. (Once the page has asked for that page — just before it
    // reloads — the server is this build again, so the page loaded afresh runs.)
    const NEXT = 'index-Upgraded0.js';
    let upgraded = true;
    let served = 0;
    await page.route(
      (u) => u.pathname.startsWith('/api/'),
      async (route) => {
        // The map's layers may still be on their way when the test closes the page: nothing to answer.
        try {
          const response = await route.fetch();
          const { 'content-encoding': _e, 'content-length': _l, ...headers } = response.headers();
          await route.fulfill({
            response,
            headers: upgraded ? { ...headers, 'x-client-build': NEXT } : headers,
          });
        } catch {
          // the page has gone
        }
      },
    );
    await page.route(
      (u) => u.pathname === '/',
      async (route) => {
        if (!upgraded) return route.fallback();
        served++;
        upgraded = false;
        await route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><script type="module" crossorigin src="/assets/${NEXT}"></script>`,
        });
      },
    );
    let loads = 0;
    page.on('load', () => loads++);

    // The operator is typing a search when a clue comes in (the wall reads its figures again).
    const search = page.getByTestId('case-search-input');
    await search.fill('东城');
    await clue(commanderToken, '网格员上报：占道经营（升级后）');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('输入完成并停止操作 1 分钟后自动刷新');
    await page.clock.fastForward(70_000);
    expect(await notice.textContent()).toContain('输入完成');
    expect(loads).toBe(0);
    expect(served).toBe(0);

    // Done typing, the wall left alone: a minute on, it loads afresh, and runs as it did.
    await search.fill('');
    await search.blur();
    await expect
      .poll(() => notice.textContent())
      .toMatch(/系统已更新到新版本，页面将在 \d+ 秒无操作后自动刷新/);
    await screenshot(page, 'update-notice-wall');
    await page.clock.fastForward(61_000);
    await expect.poll(() => loads, { timeout: 15_000 }).toBe(1);
    expect(served).toBe(1);
    await screen.waitLive();
    const fresh = await clue(commanderToken, '网格员上报：乱堆乱放（升级后）');
    await screen.feedItem(fresh.id).waitFor({ timeout: 5_000 });
    expect(await notice.count()).toBe(0);

    // Upgraded again: 立即刷新 does not wait for the minute.
    upgraded = true;
    await clue(commanderToken, '网格员上报：噪声扰民（再次升级）');
    await notice.waitFor({ timeout: 15_000 });
    await page.getByTestId('update-reload').click();
    await expect.poll(() => loads, { timeout: 15_000 }).toBe(2);
    expect(served).toBe(2);
    await screen.waitLive();
    expect(await notice.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  });
});
