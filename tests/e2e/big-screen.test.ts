// The command-centre big screen in Chromium against the real server: sign in as commander, see the
// map and the charts, watch a clue arrive live, dispatch it in one click and see the township desk
// receive it. Parts that need a backend piece still being built report themselves as skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import pointOnFeature from '@turf/point-on-feature';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, login, tokenFor, TEST_PASSWORD } from '../support/auth';
import { BigScreenPage } from './page-models/big-screen-page';

const DONGCHENG = '140581002';

describe('big screen (指挥大屏) in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let token: string;
  let commander = { username: 'commander', password: 'demo' };
  let township = { username: DONGCHENG, password: 'demo' };
  const has = { geo: false, cases: false, clues: false, events: false };

  /** Demo accounts when the server seeds them, otherwise test accounts with the same roles. */
  async function account(
    username: string,
    role: 'commander' | 'township',
  ): Promise<{ username: string; password: string }> {
    try {
      await login(server.url, username, 'demo');
      return { username, password: 'demo' };
    } catch {
      await tokenFor(
        server,
        username,
        role,
        role === 'township' ? { kind: 'township', code: DONGCHENG } : { kind: 'county' },
      );
      return { username, password: TEST_PASSWORD };
    }
  }

  beforeAll(async () => {
    // Clues wait for the operator (no auto-dispatch), so the screen is where they get dispatched.
    server = await startTestServer({ serveClient: true, env: { DEMO: 'on', AUTO_DISPATCH: 'off' } });
    commander = await account('commander', 'commander');
    township = await account(DONGCHENG, 'township');
    token = (await login(server.url, commander.username, commander.password)).token;
    has.geo = (await call(server.url, token, 'GET', '/api/geo/county')).status === 200;
    has.cases = (await call(server.url, token, 'GET', '/api/cases?limit=1')).status === 200;
    has.clues = has.geo && has.cases && (await call(server.url, token, 'GET', '/api/matters')).status === 200;
    // Live case events and their resync (issue 5): without them nothing reaches the screen live.
    has.events = (await call(server.url, token, 'GET', '/api/events?after=0&limit=1')).status === 200;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs the commander in through the form and draws the map, four charts and the counters', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, commander.username, commander.password);
    await expect
      .poll(() => screen.chartsInitialised().count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(4);
    // With the county's townships every chart has rows to draw (without them, the ranking is empty).
    await expect
      .poll(() => screen.chartCanvases().count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(has.geo ? 4 : 3);
    const box = await screen.mapCanvas().boundingBox();
    expect(box!.width).toBeGreaterThan(800);
    expect(box!.height).toBeGreaterThan(500);
    await expect.poll(() => screen.connectionState().textContent(), { timeout: 10_000 }).toContain('实时');
    expect(await page.getByTestId('page-title').textContent()).toContain('高平市');
    if (has.geo)
      await expect.poll(() => screen.renderedCount('townships-fill'), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500); // let the charts' entry animation finish for the picture
    await screenshot(page, 'big-screen');
    // Missing backend pieces answer 404 (logged by Chromium); anything else is an error of ours.
    expect(
      consoleErrors.filter((e) => !(e.includes('404') && (!has.geo || !has.cases || !has.events))),
    ).toEqual([]);
    await context.close();
  });

  it('shows a clue posted through the API in the feed and on the map within 2 s, and dispatches it in one click seen live by the township', async (ctx) => {
    if (!has.clues || !has.events) ctx.skip(); // needs /api/geo, /api/cases, /api/clues and live case events
    const desk = await openPage(browser);
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, commander.username, commander.password);
    await expect.poll(() => screen.connectionState().textContent(), { timeout: 10_000 }).toContain('实时');

    // The township desk, signed in in its own browser.
    await desk.page.goto(`${server.url}/login`);
    await desk.page.getByTestId('login-username').fill(township.username);
    await desk.page.getByTestId('login-password').fill(township.password);
    await desk.page.getByTestId('login-submit').click();
    await desk.page.waitForURL(/\/desk$/);

    // A point well inside 东城街道 and a matter delegated to it.
    const townships = (await call<FeatureCollection<Polygon>>(server.url, token, 'GET', '/api/geo/townships'))
      .body;
    const dongcheng = townships.features.find((f) => f.properties?.code === DONGCHENG) as Feature<Polygon>;
    const [lng, lat] = pointOnFeature(dongcheng).geometry.coordinates as [number, number];
    const matters = (
      await call<{ matters: Array<{ code: string; delegatedTownships: string[] }> }>(
        server.url,
        token,
        'GET',
        '/api/matters',
      )
    ).body.matters;
    const matter = matters.find((m) => m.delegatedTownships.includes(DONGCHENG))!;
    const posted = Date.now();
    const res = await call<{ case: { id: string } }>(server.url, token, 'POST', '/api/clues', {
      clientId: `e2e-${posted}`,
      lng,
      lat,
      matterCode: matter.code,
      description: '端到端测试：路边堆放建筑垃圾',
      source: 'grid_worker',
    });
    expect(res.status).toBe(201);
    const id = res.body.case.id;

    await screen.feedItem(id).waitFor({ timeout: 2000 });
    await expect
      .poll(() => screen.mapHoldsCase(id), {
        timeout: 2000 - Math.min(1500, Date.now() - posted),
        interval: 100,
      })
      .toBe(true);

    // Select (1) and confirm the suggested owner (2).
    await screen.selectFromFeed(id);
    expect(await page.getByTestId('dispatch-reason').textContent()).toContain('东城街道');
    await screenshot(page, 'big-screen-dispatch');
    await screen.confirmDispatch();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣');
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已派遣');

    // The township's desk sees it without reloading.
    await desk.page.getByText(id).first().waitFor({ timeout: 5000 });
    await screenshot(desk.page, 'big-screen-township-desk');
    expect(consoleErrors).toEqual([]);
    await context.close();
    await desk.context.close();
  });
});
