// What a township officer noticed over a shift at 东城街道's desk, in Chromium against the real
// server: the caller to call back (反映人, a tel: link; 匿名 when none); an overdue deadline said as
// 已超时, not a negative clock; a lost connection said across the desk after 5 s; an action form
// overtaken by someone else's acknowledgement says who and when instead of vanishing; an old search
// stays shut when the box gets its focus back without the user; one task's 签收 on its way leaves
// another's to click; 退回记录 says what became of each return; the tone's browser lock is said next
// to its switch until the first click; 派出队伍's picker says what each team is doing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { call, login, tokenFor, TEST_PASSWORD } from '../support/auth';
import { clueAt, pointIn } from '../support/cases';
import { demoTeams, ensureDemoTeams } from '../../server/teams/demo-teams';
import type { CaseView } from '../../shared/cases';
import type { Team } from '../../shared/teams';
import { DeskPage } from './page-models/desk-page';
import { SocketControl } from './page-models/big-screen-page';

const DONGCHENG = '140581002';
const HOUR = 3600_000;

/** The server's clock: real time, or moved back while a case is written that is overdue now. */
const clock = {
  offset: 0,
  now(): number {
    return Date.now() + this.offset;
  },
};

describe('township desk: a shift reviewed', () => {
  let server: TestServer;
  let database: TestDatabase;
  let browser: Browser;
  let commanderToken: string;
  let townshipToken: string;
  let township = { username: DONGCHENG, password: 'demo' };
  let index = 0;

  async function account(username: string, role: 'commander' | 'township', code?: string) {
    try {
      await login(server.url, username, 'demo');
      return { username, password: 'demo' };
    } catch {
      const scope =
        role === 'commander' ? { kind: 'county' as const } : { kind: 'township' as const, code: code! };
      await tokenFor(server, username, role, scope);
      return { username, password: TEST_PASSWORD };
    }
  }

  async function newClue(over: Record<string, unknown> = {}): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 200 + index++)),
      description: '端到端测试：路边堆放建筑垃圾',
      ...over,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.case.status, 'dispatched to the township at once').toBe('dispatched');
    return r.body.case;
  }
  const act = async (c: CaseView, body: Record<string, unknown>): Promise<CaseView> => {
    const r = await call<{ case: CaseView }>(
      server.url,
      townshipToken,
      'POST',
      `/api/cases/${c.id}/actions`,
      {
        ...body,
        version: c.version,
      },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case;
  };

  async function openLiveDesk(on: Browser = browser) {
    const opened = await openPage(on, { width: 1366, height: 768 });
    const desk = new DeskPage(opened.page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    return { ...opened, desk };
  }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ serveClient: true, env: { DEMO: 'on' }, database, clock });
    const ctx = server.handle.ctx;
    await ensureDemoTeams(ctx.teams, demoTeams(ctx.geo.townships, ctx.departments, 'demo'));
    const commander = await account('commander', 'commander');
    township = await account(DONGCHENG, 'township', DONGCHENG);
    commanderToken = (await login(server.url, commander.username, commander.password)).token;
    townshipToken = (await login(server.url, township.username, township.password)).token;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.destroy();
  });

  it('shows the caller to call back, the phone a tel: link, and 匿名 when the report named no one', async () => {
    const called = await newClue({
      source: 'hotline_12345',
      reporter: { name: '王先生', phone: '13912345678' },
    });
    const anonymous = await newClue({ source: 'hotline_12345' });
    const { context, desk, page, consoleErrors } = await openLiveDesk();

    await desk.openCase(called.id);
    const line = page.getByTestId('case-reporter');
    expect(await line.textContent()).toContain('王先生');
    const phone = page.getByTestId('case-reporter-phone');
    expect(await phone.textContent()).toBe('13912345678');
    expect(await phone.getAttribute('href')).toBe('tel:13912345678');

    await desk.openCase(anonymous.id);
    expect((await page.getByTestId('case-reporter').textContent())?.trim()).toBe('匿名');
    expect(await page.getByTestId('case-reporter-phone').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says an overdue deadline is 已超时 with how long, not a negative clock', async () => {
    clock.offset = -6 * HOUR; // dispatched six hours ago: its acknowledgement is long overdue
    let late: CaseView;
    try {
      late = await newClue();
    } finally {
      clock.offset = 0;
    }
    const { context, desk, page } = await openLiveDesk();
    await desk.openCase(late.id);
    const deadlines = page.locator('[data-testid=case-detail] .deadlines');
    await expect.poll(() => deadlines.textContent()).toMatch(/签收 .+（已超时 \d+:\d\d:\d\d）/);
    expect(await deadlines.textContent()).not.toContain('（-');
    await context.close();
  });

  it('says across the desk when the connection is lost, and as of when; it goes once live again', async () => {
    const { context, desk, page } = await openLiveDesk();
    const io = server.handle.io;
    let admit: (() => void) | null = null;
    const gate = new Promise<void>((r) => (admit = r));
    io.use((socket, next) => {
      if (socket.data.user?.username === township.username) void gate.then(() => next());
      else next();
    });
    const banner = page.getByTestId('connection-banner');
    for (const s of io.sockets.sockets.values())
      if (s.data.user?.username === township.username) s.conn.close();
    await expect.poll(() => desk.connection().textContent(), { timeout: 5000 }).toContain('重连中');
    // A blip is not worth a banner; five seconds down is.
    expect(await banner.count()).toBe(0);
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toMatch(/连接中断，数据停止更新于 \d\d:\d\d/);
    expect(await page.getByTestId('desk-page').locator('main[data-stale]').count()).toBe(1);

    admit!();
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    await banner.waitFor({ state: 'detached' });
    expect(await page.locator('main[data-stale]').count()).toBe(0);
    await context.close();
  });

  it('keeps the pane when someone else acknowledges the task under an open form, and says who and when', async () => {
    const c = await newClue();
    const { context, desk, page, consoleErrors } = await openLiveDesk();
    await desk.openCase(c.id);
    await desk.startAction('return'); // the clerk is writing why it is not theirs

    await act(c, { action: 'acknowledge' }); // a colleague, at another desk
    const said = page.getByTestId('case-moved-on');
    await said.waitFor({ timeout: 10_000 });
    await expect.poll(() => said.textContent()).toMatch(/该任务已由 \S+ 于 \d\d:\d\d 签收/);
    expect(await page.getByTestId('action-form-return').count()).toBe(0);
    // Still the same task, with what may be done next.
    expect(await desk.detail().getAttribute('data-case-id')).toBe(c.id);
    await desk.actionButton('start').waitFor();
    await page.getByTestId('case-moved-on-ok').click();
    expect(await said.count()).toBe(0);

    // The clerk's own action is not someone else's: no such message after it.
    const own = await newClue();
    await desk.openCase(own.id);
    await desk.oneClick('acknowledge');
    await desk.waitStatus('已签收');
    expect(await said.count()).toBe(0);
    expect(await page.getByTestId('action-error').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says in plain words when a one-click 签收 comes after a colleague’s, and shows the task as it now is', async () => {
    const opened = await openPage(browser, { width: 1366, height: 768 });
    const { context, page, consoleErrors } = opened;
    const control = await SocketControl.install(page); // a slow network: the colleague's 签收 not heard yet
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    const c = await newClue();
    await desk.row(c.id).waitFor();
    await desk.openCase(c.id);
    control.hold(c.id);
    await act(c, { action: 'acknowledge' }); // at another desk
    await desk.oneClick('acknowledge');
    await expect
      .poll(() => page.getByTestId('action-error').textContent())
      .toBe('该案件刚被其他人处理过，页面已刷新为最新状态，请确认后再操作');
    await desk.waitStatus('已签收');
    expect(await desk.offered()).toEqual(['start', 'request_extension']);
    // The conflict is the page's answer, not a fault: the 409 is the one error the console shows.
    expect(consoleErrors.filter((e) => !/409/.test(e))).toEqual([]);
    await context.close();
  });

  it('says, for a 签收 whose answer was lost, that it cannot tell; then, once the task changes, that it was done', async () => {
    const { context, desk, page, consoleErrors } = await openLiveDesk();
    const c = await newClue();
    await desk.row(c.id).waitFor();
    await desk.openCase(c.id);
    // The 签收 reaches the server, which does it; the answer is lost on the way back.
    await page.route(
      (u) => u.pathname === `/api/cases/${c.id}/actions`,
      async (route) => {
        await route.fetch();
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await desk.oneClick('acknowledge');
    // Before, a connection error stayed under the task even once it showed 已签收.
    await desk.waitStatus('已签收');
    await expect.poll(() => page.getByTestId('case-moved-on').textContent()).toMatch(/于 \d\d:\d\d 签收/);
    expect(await page.getByTestId('action-error').count()).toBe(0);

    // Lost on the way there: read again unchanged, it says the 签收 was not done, to try again.
    const d = await newClue();
    await desk.row(d.id).waitFor();
    await desk.openCase(d.id);
    await page.route(
      (u) => u.pathname === `/api/cases/${d.id}/actions`,
      (route) => route.abort('connectionreset'),
      { times: 1 },
    );
    await desk.oneClick('acknowledge');
    await expect
      .poll(() => page.getByTestId('action-error').textContent(), { timeout: 15_000 })
      .toBe('服务器已恢复应答：该操作未生效，案件没有变化，请重新操作');
    await desk.oneClick('acknowledge');
    await desk.waitStatus('已签收');
    expect(consoleErrors.filter((e) => !/ERR_CONNECTION_RESET|Failed to fetch/.test(e))).toEqual([]);
    await context.close();
  });

  it('lets the clerk 签收 another task while the first one’s 签收 is still on its way', async () => {
    const first = await newClue();
    const second = await newClue();
    const { context, desk, page, consoleErrors } = await openLiveDesk();
    // A slow network for the first task's action only: held until released.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held = false;
    await page.route(`**/api/cases/${first.id}/actions`, async (route) => {
      held = true;
      await released;
      await route.continue();
    });
    await desk.openCase(first.id);
    await desk.oneClick('acknowledge');
    await expect.poll(() => held).toBe(true);
    expect(await desk.actionButton('acknowledge').getAttribute('aria-busy')).toBe('true');

    // Closed and opened again while it is sent: still held (a second click would be its own 409).
    await page.getByTestId('case-close').click();
    await desk.openCase(first.id);
    expect(await desk.actionButton('acknowledge').isDisabled()).toBe(true);

    await desk.openCase(second.id);
    expect(await desk.actionButton('acknowledge').isEnabled()).toBe(true);
    await desk.oneClick('acknowledge');
    await desk.waitStatus('已签收');
    // The first one's answer lands while the clerk is on the second (now under 处置中, its
    // 派出队伍 form open): the second stays open, the form with it.
    await desk.startAction('start');
    release();
    await desk.row(first.id).waitFor({ timeout: 10_000 }); // 已签收: in 处置中 with the second
    expect(await desk.detail().getAttribute('data-case-id')).toBe(second.id);
    expect(await page.getByTestId('action-form-start').isVisible()).toBe(true);
    await page.getByTestId('action-form-start').getByRole('button', { name: '取消' }).click();

    // The first: done, as the clerk asked.
    await desk.openCase(first.id);
    await desk.waitStatus('已签收');
    expect(await page.getByTestId('action-error').count()).toBe(0);
    expect(await page.getByTestId('case-moved-on').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('lists the unit’s 退回 in 退回记录 with what the command centre did, and opens a case from it', async () => {
    const post = async (c: CaseView, token: string, body: Record<string, unknown>): Promise<CaseView> => {
      const r = await call<{ case: CaseView }>(server.url, token, 'POST', `/api/cases/${c.id}/actions`, {
        ...body,
        version: c.version,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.case;
    };
    // One returned and sent back all the same; one returned and waiting.
    let refused = await newClue();
    refused = await post(refused, townshipToken, { action: 'return', reason: '该点位不属本街道' });
    refused = await post(refused, commanderToken, {
      action: 'dispatch',
      assignee: { kind: 'township', code: DONGCHENG },
      note: '经核实属东城街道',
    });
    let waiting = await newClue();
    waiting = await post(waiting, townshipToken, { action: 'return', reason: '非本单位职责' });

    const { context, desk, page, consoleErrors } = await openLiveDesk();
    await page.getByTestId('desk-returns-toggle').click();
    const drawer = page.getByTestId('desk-returns');
    await drawer.waitFor();
    const record = (id: string) => drawer.locator(`[data-testid=desk-return][data-case-id="${id}"]`);
    await record(waiting.id).waitFor();
    // Newest first.
    const ids = await drawer
      .getByTestId('desk-return')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')));
    expect(ids.indexOf(waiting.id)).toBeLessThan(ids.indexOf(refused.id));
    expect(await record(waiting.id).getByTestId('desk-return-outcome').textContent()).toContain(
      '等待指挥中心处理',
    );
    expect(await record(waiting.id).textContent()).toContain('非本单位职责');
    expect(await record(refused.id).getAttribute('data-outcome')).toBe('again');
    expect(await record(refused.id).getByTestId('desk-return-outcome').textContent()).toMatch(
      /退回未同意：\d{4}-\d\d-\d\d \d\d:\d\d 已重新派回本单位/,
    );
    expect(await record(refused.id).getByTestId('desk-return-note').textContent()).toContain(
      '经核实属东城街道',
    );
    await screenshot(page, 'desk-returns-1366');

    // The case sent back is the desk's again: it opens from its record, and the drawer goes.
    await record(refused.id).getByTestId('desk-return-open').click();
    await page.locator(`[data-testid=case-detail][data-case-id="${refused.id}"]`).waitFor();
    expect(await drawer.count()).toBe(0);
    expect(await desk.status().textContent()).toBe('已派遣');
    // Esc puts the drawer away too.
    await page.getByTestId('desk-returns-toggle').click();
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('does not reopen an old search when the box gets its focus back without the user', async () => {
    const c = await newClue({ description: '端到端测试：搜索回访专用的描述' });
    const { context, desk, page } = await openLiveDesk();
    const input = page.getByTestId('case-search-input');
    await input.fill('搜索回访专用');
    await desk.search.done();
    await desk.search.results().first().waitFor();
    // Away (another tab) and back: the browser takes the focus off the box and gives it back.
    await input.evaluate((el: HTMLInputElement) => el.blur());
    await desk.search.box().waitFor({ state: 'detached' });
    await input.evaluate((el: HTMLInputElement) => el.focus());
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await desk.search.box().count()).toBe(0);
    // The user's own click on the box brings the results back.
    await input.click();
    await desk.search.results().first().waitFor();
    expect(await desk.search.results().first().getAttribute('data-case-id')).toBe(c.id);
    await context.close();
  });

  it('says the tone is held back by the browser until a click, while the browser holds it back', async () => {
    const { context, page } = await openPage(browser, { width: 1366, height: 768 });
    // Chrome's autoplay policy as a desk meets it: an AudioContext made before the user has clicked
    // or typed on the page stays suspended, and resume() does nothing until then. Headless Chromium
    // (156, Debian) starts it running even with --autoplay-policy=user-gesture-required (its pages
    // count as activated from the start), so the policy is put in place here, before the page
    // loads, with the page's own clicks and keys as the gesture; its contexts are kept to read.
    await page.addInitScript(() => {
      let gestured = false;
      const gesture = () => (gestured = true);
      window.addEventListener('pointerdown', gesture, { capture: true });
      window.addEventListener('keydown', gesture, { capture: true });
      const Native = window.AudioContext;
      const made: AudioContext[] = [];
      (window as unknown as { audioContexts: AudioContext[] }).audioContexts = made;
      window.AudioContext = class extends Native {
        constructor(...args: ConstructorParameters<typeof AudioContext>) {
          super(...args);
          made.push(this);
          if (!gestured) void super.suspend();
        }
        override resume(): Promise<void> {
          return gestured ? super.resume() : Promise.resolve();
        }
      };
    });
    // Signed in already (the session the tab keeps), the desk opened without a click: as after a
    // reload (a click on the login page would count as the user's gesture for the pages after it).
    const session = await login(server.url, township.username, township.password);
    await page.addInitScript((kept) => sessionStorage.setItem('session', kept), JSON.stringify(session));
    await page.goto(`${server.url}/desk`);
    await page.getByTestId('desk-page').waitFor();
    const states = () =>
      page.evaluate(() =>
        (window as unknown as { audioContexts: AudioContext[] }).audioContexts.map((c) => c.state),
      );
    await expect.poll(states).toEqual(['suspended']);
    const hint = page.getByTestId('desk-sound-blocked');
    await hint.waitFor();
    expect(await hint.textContent()).toContain('点击页面任意处以启用提示音');
    // Still there when a task arrives (its tone cannot sound yet).
    const c = await newClue();
    await page.locator(`[data-testid=desk-row][data-case-id="${c.id}"]`).waitFor();
    expect(await hint.count()).toBe(1);

    await page.getByTestId('desk-page').click({ position: { x: 700, y: 400 } });
    await expect.poll(states).toEqual(['running']);
    await hint.waitFor({ state: 'detached' });
    await context.close();
  });

  it("派出队伍's picker says what each team is doing, the free ones first, busy ones still selectable", async () => {
    const teams = (
      await call<{ teams: Team[] }>(server.url, townshipToken, 'GET', '/api/teams')
    ).body.teams.filter((tm) => tm.owner.kind === 'township' && tm.owner.code === DONGCHENG);
    expect(teams.length).toBeGreaterThan(0);
    const busyTeam = teams[0]!;
    // The team is sent to one task…
    const first = await newClue();
    const acked = await act(first, { action: 'acknowledge' });
    await act(acked, { action: 'start', teamId: busyTeam.id, personnel: 1 });
    // …and another waits for a team.
    const second = await act(await newClue(), { action: 'acknowledge' });

    const { context, desk, page } = await openLiveDesk();
    await desk.tab('in_progress').click();
    await desk.openCase(second.id);
    await desk.startAction('start');
    const options = page.getByTestId('form-team-option');
    const texts = (await options.allTextContents()).map((s) => s.trim());
    const busy = texts.find((s) => s.startsWith(busyTeam.name))!;
    expect(busy).toContain(`正在处置 ${first.no}`);
    expect(busy).toMatch(/前往现场|离线/);
    // Free ones (if the unit has more than one team) before it; the busy one still to be chosen.
    expect(texts.indexOf(busy)).toBe(texts.length - 1);
    for (const s of texts.slice(0, -1)) expect(s).toMatch(/待命|巡查中|离线/);
    await page.getByTestId('form-team').selectOption(busyTeam.id);
    expect(await page.getByTestId('form-team').inputValue()).toBe(busyTeam.id);
    await context.close();
  });
});
