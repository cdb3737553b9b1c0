// The dispatch panel's boundary warning in Chromium against the real server: a clue in 寺庄镇 24 m
// from its border with 石末乡 names 石末乡 and the distance, and one click on 改为石末乡主办 fills the
// panel's choice of another unit with it, so the operator confirms and it goes there; a case located
// before the neighbour was recorded keeps the old words, with nothing to click.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { clueAt } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import { BigScreenPage } from './page-models/big-screen-page';

const SIZHUANG = '140581109';
const SHIMO = '140581202';
/** In 寺庄镇, 24 m from 石末乡 (the reviewer's point). */
const NEAR_SHIMO: [number, number] = [112.825144, 35.805962];

describe('boundary warning on the dispatch panel in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let token: string;
  let matterCode: string;

  async function report(over: Record<string, unknown> = {}): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, token, 'POST', '/api/clues', {
      ...clueAt(NEAR_SHIMO, { matterCode }),
      description: '端到端测试：乡镇交界处占道经营',
      ...over,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  }

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    token = await tokenFor(server, 'commander', 'commander');
    // A matter both townships hold: the suggestion is 寺庄镇 itself, 石末乡 a real alternative.
    const matters = (
      await call<{ matters: Array<{ code: string; delegatedTownships: string[] }> }>(
        server.url,
        token,
        'GET',
        '/api/matters',
      )
    ).body.matters;
    matterCode = matters.find(
      (m) => m.delegatedTownships.includes(SIZHUANG) && m.delegatedTownships.includes(SHIMO),
    )!.code;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('names 石末乡 and how far, and one click makes it the choice the operator confirms', async () => {
    const c = await report();
    expect(c.status).toBe('reported');
    expect(c.route.assignee).toMatchObject({ code: SIZHUANG });
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await screen.openByNumber(c);
    const note = page.getByTestId('dispatch-boundary');
    expect(await page.getByTestId('dispatch-boundary-text').textContent()).toBe(
      '距石末乡边界约 24 米，请确认主办单位',
    );
    expect(await page.getByTestId('dispatch-reason').textContent()).toContain('距石末乡边界约 24 米');
    const choose = note.getByTestId('dispatch-boundary-choose');
    expect(await choose.textContent()).toContain('改为石末乡主办');
    await choose.click();
    // Its send comes up naming it: one more click.
    expect(await page.getByTestId('dispatch-send').textContent()).toContain('派遣给 石末乡');
    await screenshot(page, 'boundary-note-chosen');
    await page.getByTestId('dispatch-send').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣给 石末乡');
    const got = await call<{ case: CaseView }>(server.url, token, 'GET', `/api/cases/${c.id}`);
    expect(got.body.case.assignee).toMatchObject({ kind: 'township', code: SHIMO });
    // Dispatched: no longer a choice to make, so no longer a warning.
    await expect.poll(() => note.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('keeps the old words, nothing to click, for a case located before the neighbour was recorded; says it in English too', async () => {
    const c = await report({ description: '端到端测试：旧案件的边界提示' });
    // As such a case is stored: its location without the neighbour, its note the old one.
    const row = await server.store.db
      .selectFrom('cases')
      .select(['location', 'route'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    const location = JSON.parse(row.location) as Record<string, unknown>;
    delete location.neighbour;
    const route = JSON.parse(row.route) as { reason: string };
    route.reason = route.reason.replace(/距石末乡边界约 24 米/, '位于乡镇边界附近');
    await server.store.db
      .updateTable('cases')
      .set({ location: JSON.stringify(location), route: JSON.stringify(route) })
      .where('id', '=', c.id)
      .execute();
    const fresh = await report({ description: '端到端测试：新案件的边界提示（英文）' });

    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await screen.openByNumber(c);
    expect(await page.getByTestId('dispatch-boundary-text').textContent()).toBe(
      '靠近乡镇边界，请确认主办单位',
    );
    expect(await page.getByTestId('dispatch-boundary-choose').count()).toBe(0);

    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.reload();
    await screen.waitLive();
    await screen.openByNumber(fresh);
    expect(await page.getByTestId('dispatch-boundary-text').textContent()).toBe(
      'About 24 m from the 石末乡 boundary: confirm the owner',
    );
    expect(await page.getByTestId('dispatch-boundary-choose').textContent()).toContain(
      'Make 石末乡 the owner',
    );
    expect(await page.getByTestId('dispatch-reason').textContent()).toContain(
      'about 24 m from the 石末乡 boundary: confirm the owner',
    );
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
