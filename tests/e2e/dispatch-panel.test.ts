// The big screen's dispatch panel as an operator on a shift uses it (the findings of a 40-minute
// shift): an override of the routing in three clicks from the queue, a usual 不予立案 in three, the
// full list of units in order with long names whole; a success line that goes once the case changes
// from elsewhere (returned by the township); the chip changed with the message that reports the
// operator's own action; a merged duplicate that reads 已合并; in English, the automatic dispatch's
// reason and the matter's domain in English too. Screenshots land in tests/artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { act, clueAt, pointIn, pointNearBoundary } from '../support/cases';
import { demoTeams, ensureDemoTeams } from '../../server/teams/demo-teams';
import type { CaseView } from '../../shared/cases';
import { BigScreenPage, SocketControl } from './page-models/big-screen-page';

const DONGCHENG = '140581002';

describe('the dispatch panel on a shift', () => {
  let server: TestServer;
  let browser: Browser;
  let commanderToken: string;
  let townshipToken: string;
  let point = 0;

  /** A clue reported at `at` (default: the next inner point of 东城街道, auto-dispatched there). */
  async function clue(over: Record<string, unknown> = {}, at?: [number, number]): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt(at ?? pointIn(server.handle.ctx.geo, DONGCHENG, point++)),
      description: '网格员上报：人行道上堆放建筑垃圾',
      ...over,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  }
  /**
   * A clue that waits for the operator: near a township boundary the routing asks for the
   * operator's eye (each matter once: the same matter within 50 m would be a duplicate).
   */
  const waiting = (matterCode: string) =>
    clue({ matterCode }, pointNearBoundary(server.handle.ctx.geo, DONGCHENG));
  const read = async (id: string) =>
    (await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${id}`)).body.case;

  async function openScreen(opts: { socket?: boolean } = {}) {
    const opened = await openPage(browser);
    const socket = opts.socket ? await SocketControl.install(opened.page) : undefined;
    const screen = new BigScreenPage(opened.page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    return { ...opened, screen, socket };
  }

  /** The operator's clicks, counted. */
  function clicker() {
    let n = 0;
    return {
      click: async (l: Locator) => {
        n++;
        await l.click();
      },
      get count() {
        return n;
      },
    };
  }

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    const ctx = server.handle.ctx;
    commanderToken = await tokenFor(server, 'commander', 'commander');
    townshipToken = await tokenFor(server, DONGCHENG, 'township', { kind: 'township', code: DONGCHENG });
    await ensureDemoTeams(ctx.teams, demoTeams(ctx.geo.townships, ctx.departments, 'demo'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('overrides the suggestion in three clicks from the queue: a likely alternative, then its send; anyone else from the full list, in order, long names whole', async () => {
    const c = await waiting('SR01');
    expect(c.status).toBe('reported');
    const here = c.location.township.code;
    const { context, page, consoleErrors, screen } = await openScreen();
    const ops = clicker();
    // 1: the queue's row.
    await screen.queueRow(c.id).waitFor({ timeout: 10_000 });
    await ops.click(screen.queueRow(c.id));
    await screen.panelFor(c.id).waitFor();
    // The likely alternatives, one click each: the department owning 占道经营 (城市管理局) and the
    // two townships whose boundary is nearest the case, each saying why; not the suggestion.
    const alts = page.getByTestId('dispatch-alt');
    await expect.poll(() => alts.count()).toBe(3);
    const codes = await alts.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.code));
    expect(codes[0]).toBe('cgj');
    expect(codes).not.toContain(here);
    expect(await alts.nth(0).textContent()).toContain('主管部门');
    expect(await alts.nth(1).textContent()).toMatch(/距边界 \d+ 米/);
    const neighbour = codes[1]!;
    const neighbourName = (await alts.nth(1).locator('.alt-name').textContent())!;
    await screenshot(page, 'dispatch-panel-alternatives');
    // 2: the neighbour; 3: its send, which names it.
    await ops.click(alts.nth(1));
    const send = page.getByTestId('dispatch-send');
    expect(await send.textContent()).toContain(`派遣给 ${neighbourName}`);
    await ops.click(send);
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain(`已派遣给 ${neighbourName}`);
    expect(ops.count).toBe(3);
    expect((await read(c.id)).assignee?.code).toBe(neighbour);
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已派遣');

    // Anyone else: 改派其他单位 opens every unit, the townships in the county's order, then the
    // departments by name; the longest name wraps, whole.
    const other = await waiting('SR02');
    const more = clicker();
    await screen.queueRow(other.id).waitFor({ timeout: 10_000 });
    await more.click(screen.queueRow(other.id));
    await screen.panelFor(other.id).waitFor();
    await more.click(page.getByTestId('dispatch-override'));
    const units = page.getByTestId('dispatch-party');
    const listed = await units.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.code!));
    const townships = server.handle.ctx.geo.townships.map((t) => t.code).sort();
    expect(listed.slice(0, townships.length)).toEqual(townships);
    const departments = listed.slice(townships.length);
    expect(departments.length).toBeGreaterThan(5);
    const names = await units.allTextContents();
    const deptNames = names.slice(townships.length).map((n) => n.trim());
    expect(deptNames).toEqual([...deptNames].sort(new Intl.Collator('zh-CN').compare));
    const longest = page.locator('[data-testid=dispatch-party][data-code=rsj]');
    expect((await longest.textContent())!.trim()).toBe('高平市人力资源和社会保障局（劳动保障监察）');
    const fits = await longest.evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);
    // The list is scrolled into the panel's view, its send still in view above it.
    const inView = await page.evaluate(() => {
      const box = document.querySelector('[data-testid=dispatch-panel] .scroll')!.getBoundingClientRect();
      const send = document.querySelector('[data-testid=dispatch-send]')!.getBoundingClientRect();
      const units = [...document.querySelectorAll('[data-testid=dispatch-party]')];
      const last = units.at(-1)!.getBoundingClientRect();
      return send.top >= box.top && last.bottom <= box.bottom;
    });
    expect(inView).toBe(true);
    await screenshot(page, 'dispatch-panel-full-list');
    await more.click(longest);
    await more.click(page.getByTestId('dispatch-send'));
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toContain('已派遣给 高平市人力资源和社会保障局（劳动保障监察）');
    expect(more.count).toBe(4);
    expect((await read(other.id)).assignee?.code).toBe('rsj');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('dispatches from the keyboard alone: the focus stays in the panel after an action, Esc gives it to the next case, the list of units is one Tab stop with ↑/↓ and Enter sends', async () => {
    // Two cases waiting one after the other (the queue by time left: the first created is above).
    const first = await waiting('SR07');
    const next = await waiting('SR08');
    const { context, page, consoleErrors, screen } = await openScreen();
    const focused = () =>
      page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return {
          testid: a?.dataset.testid ?? a?.tagName ?? null,
          caseId: a?.dataset.caseId ?? null,
          code: a?.dataset.code ?? null,
          inPanel: !!a?.closest('[data-testid=dispatch-panel]'),
        };
      });
    const rowIds = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid=case-queue] [data-testid=queue-row]')].map(
          (r) => r.dataset.caseId,
        ),
      );
    /** Tab until the control `testid` has the focus (at most `max` presses); how many it took. */
    async function tabTo(testid: string, max = 15): Promise<number> {
      for (let n = 1; n <= max; n++) {
        await page.keyboard.press('Tab');
        if ((await focused()).testid === testid) return n;
      }
      throw new Error(`${testid} not reached in ${max} Tabs`);
    }

    await screen.queueRow(first.id).waitFor({ timeout: 10_000 });
    await screen.queueRow(next.id).waitFor({ timeout: 10_000 });
    const at = (await rowIds()).indexOf(first.id);
    expect((await rowIds())[at + 1]).toBe(next.id);
    // The row, Enter, Tab to 确认派遣, Enter.
    await screen.queueRow(first.id).focus();
    await page.keyboard.press('Enter');
    await screen.panelFor(first.id).waitFor();
    await tabTo('dispatch-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣给');
    // 确认派遣 has given way to 改派: the focus is on what came of it, not fallen to the page.
    await expect.poll(async () => (await focused()).testid).toBe('dispatch-message');
    expect((await focused()).inPanel).toBe(true);
    await screen.queueRow(first.id).waitFor({ state: 'detached' });
    // Esc: the row has left the queue; the focus goes to the case now in its place, the next one.
    await page.keyboard.press('Escape');
    await screen.panelFor(first.id).waitFor({ state: 'detached' });
    expect(await focused()).toMatchObject({ testid: 'queue-row', caseId: next.id });
    expect((await rowIds()).indexOf(next.id)).toBe(at);

    // The next case to another unit: 改派其他单位 opens the list with the focus in it; the list is
    // one Tab stop; End, ↑ choose (the focus with the choice), Enter sends.
    await page.keyboard.press('Enter');
    await screen.panelFor(next.id).waitFor();
    await tabTo('dispatch-override');
    let keys = 0;
    const press = async (key: string) => {
      keys++;
      await page.keyboard.press(key);
    };
    await press('Enter');
    const units = page.getByTestId('dispatch-party');
    await expect.poll(async () => (await focused()).testid).toBe('dispatch-party');
    expect(await page.locator('[data-testid=dispatch-party][tabindex="0"]').count()).toBe(1);
    const codes = await units.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.code!));
    expect((await focused()).code).toBe(codes[0]);
    await press('ArrowDown');
    expect((await focused()).code).toBe(codes[1]);
    expect(await units.nth(1).getAttribute('aria-checked')).toBe('true');
    await press('End');
    await press('ArrowUp');
    const to = codes.at(-2)!;
    expect((await focused()).code).toBe(to);
    expect(await units.nth(codes.length - 2).getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('[data-testid=dispatch-party][tabindex="0"]').getAttribute('data-code')).toBe(
      to,
    );
    const toName = (await units.nth(codes.length - 2).textContent())!.trim();
    expect(await page.getByTestId('dispatch-send').textContent()).toContain(`派遣给 ${toName}`);
    await press('Enter');
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain(`已派遣给 ${toName}`);
    expect(keys).toBe(5);
    expect((await read(next.id)).assignee?.code).toBe(to);
    await expect.poll(async () => (await focused()).testid).toBe('dispatch-message');

    // A case opened from 查找案件 with Enter takes the focus into its panel too.
    await page.keyboard.press('Escape');
    await screen.panelFor(next.id).waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    await page.keyboard.type(first.no);
    await screen.search.done();
    await page.keyboard.press('Enter');
    await screen.panelFor(first.id).waitFor();
    await expect.poll(async () => (await focused()).inPanel).toBe(true);
    // 督办 sent with Enter from its words: the form goes, the focus stays on what came of it.
    await tabTo('dispatch-escalate');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).testid).toBe('dispatch-reason-input');
    await page.keyboard.press('Enter');
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已督办');
    await expect.poll(async () => (await focused()).testid).toBe('dispatch-message');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('rejects a clue with a usual reason in three clicks from the queue', async () => {
    const c = await waiting('SR03');
    const { context, page, consoleErrors, screen } = await openScreen();
    const ops = clicker();
    await screen.queueRow(c.id).waitFor({ timeout: 10_000 });
    await ops.click(screen.queueRow(c.id));
    await screen.panelFor(c.id).waitFor();
    await ops.click(page.getByTestId('dispatch-reject'));
    // The form says a usual reason sends.
    expect(await page.getByTestId('dispatch-reason-form').textContent()).toContain('点选常用理由即不予立案');
    await screenshot(page, 'dispatch-panel-reject-reasons');
    await ops.click(page.getByTestId('dispatch-quick-reason').first());
    await expect.poll(() => screen.dispatchState().textContent()).toBe('不予立案');
    expect(ops.count).toBe(3);
    const after = await read(c.id);
    expect(after.status).toBe('rejected');
    expect(after.timeline!.at(-1)!.payload.reason).toBe('经核实，反映问题不属实');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows the case its own action returned with the message, and lets go of the message once the township returns it', async () => {
    const c = await waiting('SR04');
    // The screen hears nothing of this case live: only the action's answer can change the chip.
    const { context, page, consoleErrors, screen, socket } = await openScreen({ socket: true });
    await screen.queueRow(c.id).waitFor({ timeout: 10_000 });
    await screen.selectFromQueue(c.id);
    socket!.hold(c.id);
    // What the chip said when the message appeared (the same render, or not).
    await page.evaluate(() => {
      const w = window as unknown as { chipWithMessage?: string };
      new MutationObserver((_, obs) => {
        const m = document.querySelector('[data-testid=dispatch-message]');
        if (!m) return;
        w.chipWithMessage = document.querySelector('[data-testid=dispatch-state]')?.textContent ?? '';
        obs.disconnect();
      }).observe(document.body, { childList: true, subtree: true });
    });
    await screen.confirmDispatch();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣给 东城街道');
    expect(
      await page.evaluate(() => (window as unknown as { chipWithMessage?: string }).chipWithMessage),
    ).toBe('已派遣');
    await context.close();

    // On a screen that hears it: the township sends it back while the panel is open. The line
    // under the buttons no longer says 已派遣给 东城街道 beside 已退回: it says the return, by whom.
    const d = await waiting('SR05');
    const live = await openScreen();
    await live.screen.queueRow(d.id).waitFor({ timeout: 10_000 });
    await live.screen.selectFromQueue(d.id);
    await live.screen.confirmDispatch();
    await expect.poll(() => live.screen.dispatchMessage().textContent()).toContain('已派遣给 东城街道');
    const dispatched = await read(d.id);
    const r = await act(server, townshipToken, d.id, {
      action: 'return',
      version: dispatched.version,
      reason: '点位在城东社区与北城街道交界，实际属北城街道辖区',
    });
    expect(r.status).toBe(200);
    await expect.poll(() => live.screen.dispatchState().textContent()).toBe('已退回');
    await expect.poll(() => live.page.getByTestId('dispatch-returned').count()).toBe(1);
    await expect
      .poll(() => live.screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由 .+ 于 \d\d:\d\d 退回$/);
    expect(await live.screen.dispatchMessage().getAttribute('class')).toContain('info');
    await screenshot(live.page, 'dispatch-panel-returned');
    expect(consoleErrors).toEqual([]);
    expect(live.consoleErrors).toEqual([]);
    await live.context.close();
  });

  it('names a merged duplicate 已合并 in the panel and in the search results', async () => {
    const original = await waiting('SR06');
    const again = await waiting('SR06');
    expect(again.duplicateOf).toBe(original.id);
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.queueRow(again.id).waitFor({ timeout: 10_000 });
    await screen.selectFromQueue(again.id);
    await page.getByTestId('dispatch-merge').click();
    await page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已合并');
    await screenshot(page, 'dispatch-panel-merged');
    // 查找案件 by its number: the result's chip says the same.
    await page.getByTestId('case-search-input').fill(again.no);
    await screen.search.done();
    const hit = page.locator(`[data-testid=case-search-result][data-case-id="${again.id}"]`);
    expect(await hit.locator('.state').textContent()).toBe('已合并');
    // A 不予立案 still reads 不予立案 (the other test's rejected clue is a case like it).
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("in English, says the automatic dispatch's reason and the matter's domain in English", async () => {
    const c = await clue(); // inside 东城街道: dispatched at once by the routing
    expect(c.status).toBe('dispatched');
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.openByNumber(c);
    await screen.openMenu();
    await page.getByTestId('screen-language').click();
    await expect.poll(() => page.getByTestId('dispatch-domain').textContent()).toContain('City appearance');
    const auto = page.getByTestId('dispatch-timeline').locator('li', { hasText: 'Dispatched' }).first();
    await expect.poll(() => auto.locator('em').textContent()).toBe('Delegated to townships: 东城街道 leads');
    expect(await page.getByTestId('dispatch-panel').textContent()).not.toContain('事项已赋权');
    await screenshot(page, 'dispatch-panel-english');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
