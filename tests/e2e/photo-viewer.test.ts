// The photo viewer in Chromium against the real server: a thumbnail on the township desk or on the
// big screen's dispatch panel opens the photo over the page (no new tab), fitted to the window,
// with its caption and place among the case's photos (reported, then the resolution's evidence);
// ← → and the buttons step through them, a finger swipes; Esc, × and a click beside the photo
// close it, the focus back on the thumbnail, the case still open behind. On the big screen it
// covers the whole window, not the scaled 1920×1080 canvas.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { openTouchPage, sizesOf } from './support/touch';
import { solidPng } from './support/png';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { clueAt, pointIn } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import type { PhotoInfo } from '../../shared/photos';
import { DeskPage } from './page-models/desk-page';
import { BigScreenPage } from './page-models/big-screen-page';
import { PhotoViewerModel } from './page-models/photo-viewer';
import { LeaderPage } from './page-models/leader-page';

const DONGCHENG = '140581002';
/** Where the lead looks at the screenshots too. */
const SHOTS = '/tmp/fd-shots';

/** The three photos, told apart by their widths: two reported with the clue, one as evidence. */
const REPORTED = [solidPng(640, 480, [200, 60, 60]), solidPng(480, 640, [60, 160, 90])];
const EVIDENCE = solidPng(800, 400, [50, 90, 200]);
const WIDTHS = [640, 480, 800];

async function shot(page: Page, name: string): Promise<void> {
  const file = await screenshot(page, name);
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.copyFileSync(file, path.join(SHOTS, path.basename(file)));
}

/** One finger from (x, y) `dx` px sideways (negative: to the left), as the browser receives it. */
async function swipeAcross(page: Page, x: number, y: number, dx: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  // Each event carries its own time, a frame (16 ms) after the one before, so the browser reads the
  // finger's speed from these and not from when a loaded machine happened to deliver them: on a busy
  // CI machine a late move read as a fling, and Chromium swallows the next tap when it stops a fling
  // (as a finger stopping a scroll would), so the × tapped after it did nothing.
  let at = Date.now() / 1000;
  const send = (
    type: 'touchStart' | 'touchMove' | 'touchEnd',
    touchPoints: Array<{ x: number; y: number }>,
  ) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints, timestamp: (at += 0.016) });
  await send('touchStart', [{ x, y }]);
  for (let i = 1; i <= 8; i++) {
    await send('touchMove', [{ x: x + (dx * i) / 8, y }]);
    await page.waitForTimeout(16); // a finger's pace: a frame a move
  }
  // The finger comes to rest before it lifts: a swipe, not a fling.
  for (let i = 0; i < 5; i++) {
    await send('touchMove', [{ x: x + dx, y }]);
    await page.waitForTimeout(16);
  }
  await send('touchEnd', []);
  await cdp.detach();
}

describe('photo viewer in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let commander: string;
  let township: string;
  let resolved: CaseView;

  async function upload(token: string, to: string, body: Buffer): Promise<PhotoInfo> {
    const res = await fetch(`${server.url}${to}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(body),
    });
    const json = (await res.json()) as { photo?: PhotoInfo };
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json.photo!;
  }
  async function step(c: CaseView, token: string, body: Record<string, unknown>): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, token, 'POST', `/api/cases/${c.id}/actions`, {
      ...body,
      version: c.version,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case;
  }

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    commander = await tokenFor(server, 'commander', 'commander');
    township = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    await tokenFor(server, 'leader', 'leader');
    // A clue with two photos (the caller's), dispatched to 东城街道 by the routing, resolved there
    // with a photo of the site.
    const staged = [];
    for (const png of REPORTED) staged.push(await upload(commander, '/api/clue-photos', png));
    const r = await call<{ case: CaseView }>(server.url, commander, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 0), { photos: staged.map((p) => p.url) }),
      description: '端到端测试：路口堆放建筑垃圾（附照片两张）',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    let c = r.body.case;
    expect(c.status).toBe('dispatched');
    c = await step(c, township, { action: 'acknowledge' });
    c = await step(c, township, { action: 'start', personnel: 2 });
    c = await step(c, township, { action: 'arrive' });
    const evidence = await upload(township, `/api/cases/${c.id}/photos`, EVIDENCE);
    resolved = await step(c, township, {
      action: 'resolve',
      result: '已清运建筑垃圾，现场恢复整洁',
      evidence: [evidence.url],
    });
    expect(resolved.photos).toHaveLength(2);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openDesk(page: Page): Promise<DeskPage> {
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, 'dongcheng', TEST_PASSWORD);
    await desk.tab('done').click();
    await desk.openCase(resolved.id);
    // Both reported photos downloaded (a thumbnail is a button once its photo is there).
    await expect.poll(() => reportedThumbs(page).count()).toBe(2);
    return desk;
  }
  const reportedThumbs = (page: Page) => page.getByTestId('case-report-photos').getByTestId('photo-thumb');

  it('on the desk: opens a thumbnail over the page, steps through the case photos, closes back to the thumbnail', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = await openDesk(page);
    const viewer = new PhotoViewerModel(page);
    const reported = reportedThumbs(page);
    const pages = context.pages().length;

    await reported.first().click();
    await viewer.waitOpen();
    // Over this page, not a tab of its own; the whole window.
    expect(context.pages().length).toBe(pages);
    expect(await viewer.box()).toEqual({ x: 0, y: 0, width: 1366, height: 768 });
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[0]);
    expect(await viewer.counter()).toBe('1 / 3');
    expect(await viewer.caption()).toMatch(/^上报照片 · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    // Fitted to the window: the 640×480 photo drawn whole, inside it.
    const drawn = (await viewer.image().boundingBox())!;
    expect(drawn.width).toBeGreaterThan(0);
    expect(drawn.y + drawn.height).toBeLessThanOrEqual(768);
    expect(await viewer.holdsFocus()).toBe(true);
    expect(await viewer.prev().isDisabled()).toBe(true);
    await shot(page, 'photo-viewer-desk-1366');

    // → and the button: the second reported photo, then the resolution's evidence.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[1]);
    expect(await viewer.counter()).toBe('2 / 3');
    await viewer.next().click();
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[2]);
    expect(await viewer.counter()).toBe('3 / 3');
    expect(await viewer.caption()).toContain('办结');
    expect(await viewer.next().isDisabled()).toBe(true);
    await page.keyboard.press('ArrowRight'); // the last: stays
    expect(await viewer.counter()).toBe('3 / 3');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[1]);
    await viewer.prev().click();
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[0]);
    // A click on the photo itself is not one beside it: still open.
    const photo = (await viewer.image().boundingBox())!;
    await page.mouse.click(photo.x + photo.width / 2, photo.y + photo.height / 2);
    expect(await viewer.counter()).toBe('1 / 3');
    // The original a click away, in a tab of its own for whoever needs the file.
    expect(await viewer.original().getAttribute('href')).toMatch(/^blob:/);
    expect(await viewer.original().getAttribute('target')).toBe('_blank');
    // Tab goes round the viewer's controls, never to the page behind.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await viewer.holdsFocus()).toBe(true);
    }

    // Esc closes it: the focus back on the thumbnail, the case still open.
    await page.keyboard.press('Escape');
    await viewer.waitClosed();
    expect(await reported.first().evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await desk.detail().getAttribute('data-case-id')).toBe(resolved.id);

    // The evidence's thumbnail in the timeline opens at its own place; a click beside the photo closes.
    const evidence = page.getByTestId('case-timeline').getByTestId('photo-thumb');
    await evidence.click();
    await viewer.waitOpen();
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[2]);
    expect(await viewer.counter()).toBe('3 / 3');
    await page.mouse.click(1366 / 2, 768 - 4);
    await viewer.waitClosed();
    expect(await evidence.evaluate((el) => el === document.activeElement)).toBe(true);
    // And × too, reached by the keyboard (Enter on the focused thumbnail opens it).
    await page.keyboard.press('Enter');
    await viewer.waitOpen();
    await viewer.close().click();
    await viewer.waitClosed();
    expect(await viewer.focusedTestId()).toBe('photo-thumb');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('in English says where each photo came from in English', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    await context.addInitScript(() => localStorage.setItem('locale', 'en'));
    await openDesk(page);
    const viewer = new PhotoViewerModel(page);
    await reportedThumbs(page).first().click();
    await viewer.waitOpen();
    expect(await viewer.caption()).toMatch(/^Reported photo · /);
    expect(await viewer.close().getAttribute('aria-label')).toBe('Close (Esc)');
    await viewer.next().click();
    await viewer.next().click();
    expect(await viewer.caption()).toMatch(/^Resolve|^Resolved/);
    await page.keyboard.press('Escape');
    await viewer.waitClosed();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('on the big screen: covers the whole window over the scaled canvas; Esc closes the viewer, not the dispatch panel', async () => {
    // A window smaller than the canvas (a laptop driving the wall): the canvas is scaled down.
    const { context, page, consoleErrors } = await openPage(browser, { width: 1280, height: 800 });
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await screen.openByNumber(resolved);
    const viewer = new PhotoViewerModel(page);
    const thumbs = page.getByTestId('dispatch-report-photos').getByTestId('photo-thumb');
    await expect.poll(() => thumbs.count()).toBe(2);
    await thumbs.nth(1).click();
    await viewer.waitOpen();
    expect(await viewer.box()).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[1]);
    expect(await viewer.counter()).toBe('2 / 3');
    // The 480×640 photo fits the 800 px window's height, drawn whole.
    const drawn = (await viewer.image().boundingBox())!;
    expect(drawn.y).toBeGreaterThanOrEqual(0);
    expect(drawn.y + drawn.height).toBeLessThanOrEqual(800);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[2]);
    expect(await viewer.caption()).toContain('办结');
    await shot(page, 'photo-viewer-screen-1280');
    await page.keyboard.press('Escape');
    await viewer.waitClosed();
    expect(await thumbs.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
    // The panel stays: Esc was the viewer's.
    expect(await screen.panelFor(resolved.id).count()).toBe(1);
    // The evidence under 办结结果 opens at its own place.
    await page.getByTestId('dispatch-result').getByTestId('photo-thumb').click();
    await viewer.waitOpen();
    expect(await viewer.counter()).toBe('3 / 3');
    await viewer.close().click();
    await viewer.waitClosed();
    expect(await screen.panelFor(resolved.id).count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("in the leader's drill-down: Esc closes the viewer, the case stays open", async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const leader = new LeaderPage(page);
    await leader.signInAndOpen(server.url, 'leader', TEST_PASSWORD);
    await leader.settled();
    await leader.drillInto(DONGCHENG);
    await leader.drillCases().first().click();
    await expect.poll(() => reportedThumbs(page).count()).toBe(2);
    const viewer = new PhotoViewerModel(page);
    await reportedThumbs(page).nth(1).click();
    await viewer.waitOpen();
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[1]);
    await page.keyboard.press('Escape');
    await viewer.waitClosed();
    // The drill-down's own Esc (back to the list) did not run.
    expect(await page.getByTestId('case-timeline').count()).toBe(1);
    expect(
      await reportedThumbs(page)
        .nth(1)
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('on a tablet: a finger swipes between the photos and every control is 44 px', async () => {
    const { context, page, consoleErrors } = await openTouchPage(browser, { width: 1024, height: 768 });
    await openDesk(page);
    const viewer = new PhotoViewerModel(page);
    await reportedThumbs(page).first().tap();
    await viewer.waitOpen();
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[0]);
    for (const s of await sizesOf(
      page,
      '[data-testid=photo-viewer] button, [data-testid=photo-viewer-original]',
    )) {
      expect(s.w).toBeGreaterThanOrEqual(44);
      expect(s.h).toBeGreaterThanOrEqual(44);
    }
    await shot(page, 'photo-viewer-tablet-1024');
    await swipeAcross(page, 700, 400, -300);
    await expect.poll(() => viewer.counter()).toBe('2 / 3');
    await expect.poll(() => viewer.naturalWidth()).toBe(WIDTHS[1]);
    await swipeAcross(page, 300, 400, 300);
    await expect.poll(() => viewer.counter()).toBe('1 / 3');
    // A swipe is not a tap beside the photo: still open. The × closes it.
    expect(await viewer.root().count()).toBe(1);
    await viewer.close().tap();
    await viewer.waitClosed();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
