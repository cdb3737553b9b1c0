// The township desk (乡镇工作台) in Chromium against the real server: a township user receives a
// task live with a banner and a sound, acknowledges it, sends its team, marks arrival, resolves it
// with a photo, while the command centre receives each step over Socket.IO; after a dropped
// connection the desk fetches what it missed, once, and closes an open task that left meanwhile; returning needs a reason (the county's usual
// words a click away, worded by the command centre on its 常用语 page); a department sees only its own cases; it finds its own task by the
// caller's phone, and says so when the task cannot be fetched; the desk fits 1366×768 and a
// tablet; the sound can be switched off.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { PNG } from '../support/images';
import { countTones, launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { PHRASES_FILE } from '../../server/county/phrases';
import { call, login, tokenFor, TEST_PASSWORD } from '../support/auth';
import { connectSocket, waitConnected, type ClientSocket } from '../support/socket';
import { clueAt, pointIn } from '../support/cases';
import { demoTeams, ensureDemoTeams } from '../../server/teams/demo-teams';
import type { CaseView } from '../../shared/cases';
import { shanghaiDay, shanghaiDayStart } from '../../shared/time';
import { shanghaiWhen } from '../../client/src/lib/shanghai-time';
import { formatShanghai } from '../../client/src/lib/desk/format';
import { boundsOf } from '../../client/src/lib/geo-bounds';
import { DeskPage } from './page-models/desk-page';
import { PhrasesPage } from './page-models/phrases-page';

const DONGCHENG = '140581002';
const DAY = 86_400_000;

/** The server's clock: real time, or moved back while an old case is written. */
const clock = {
  offset: 0,
  now(): number {
    return Date.now() + this.offset;
  },
};
const RETURN_WORDS = ['非本街道辖区，请核实位置后改派', '属县直部门职权，建议改派'];

describe('township desk in Chromium', () => {
  let server: TestServer;
  let database: TestDatabase;
  let browser: Browser;
  let commanderToken: string;
  let commander = { username: 'commander', password: 'demo' };
  let township = { username: DONGCHENG, password: 'demo' };
  let department = { username: 'zrzyj', password: 'demo' };
  let otherDepartment = { username: 'scjgj', password: 'demo' };
  let commanderSocket: ClientSocket;
  const seen: Array<{ type: string; caseId: string; seq: number }> = [];
  let index = 0;

  async function account(username: string, role: 'commander' | 'township' | 'department', code?: string) {
    try {
      await login(server.url, username, 'demo');
      return { username, password: 'demo' };
    } catch {
      const scope =
        role === 'commander'
          ? { kind: 'county' as const }
          : role === 'township'
            ? { kind: 'township' as const, code: code! }
            : { kind: 'department' as const, code: code! };
      await tokenFor(server, username, role, scope);
      return { username, password: TEST_PASSWORD };
    }
  }

  async function newClue(over: Record<string, unknown> = {}): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, index++)),
      description: '端到端测试：人行道上堆放建筑垃圾',
      ...over,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  }

  /** The township's desk in a page of its own at 1366×768, signed in and live; `tones` counts the cue. */
  async function openLiveDesk() {
    const opened = await openPage(browser, { width: 1366, height: 768 });
    const tones = await countTones(opened.page);
    const desk = new DeskPage(opened.page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    return { ...opened, tones, desk };
  }

  beforeAll(async () => {
    // The county words its own 退回 reasons (常用语): the desk offers those instead of its built-in ones.
    database = await createTestDatabase('sqlite');
    fs.writeFileSync(path.join(database.dataDir, PHRASES_FILE), JSON.stringify({ return: RETURN_WORDS }));
    server = await startTestServer({ serveClient: true, env: { DEMO: 'on' }, database, clock });
    const ctx = server.handle.ctx;
    await ensureDemoTeams(ctx.teams, demoTeams(ctx.geo.townships, ctx.departments, 'demo'));
    commander = await account('commander', 'commander');
    township = await account(DONGCHENG, 'township', DONGCHENG);
    department = await account('zrzyj', 'department', 'zrzyj');
    otherDepartment = await account('scjgj', 'department', 'scjgj');
    commanderToken = (await login(server.url, commander.username, commander.password)).token;
    // The command centre, listening as the big screen does.
    commanderSocket = connectSocket(server.url, commanderToken);
    commanderSocket.on('case:events', (events) => {
      for (const e of events) seen.push({ type: e.type, caseId: e.caseId, seq: e.seq });
    });
    await waitConnected(commanderSocket);
    browser = await launchBrowser();
  });

  /** An action on `c` at the version it holds, by `by`'s token; it must be taken. */
  const act = async (c: CaseView, by: string, body: Record<string, unknown>) => {
    const r = await call<{ case: CaseView }>(server.url, by, 'POST', `/api/cases/${c.id}/actions`, {
      ...body,
      version: c.version,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case;
  };

  afterAll(async () => {
    commanderSocket?.disconnect();
    await browser?.close();
    await server?.close();
    await database?.destroy();
  });

  it('receives a new task live, with a visible and audible cue and the countdown running', async () => {
    const { context, page, consoleErrors, tones, desk } = await openLiveDesk();
    await page.getByTestId('desk-list').waitFor();
    const before = await desk.count('acknowledge');

    // A clue reported now reaches the desk without a reload: a banner, a highlighted row, the count.
    const created = await newClue();
    expect(created.status).toBe('dispatched');
    await desk.banner().waitFor({ timeout: 5000 });
    expect(await desk.banner().textContent()).toContain(created.matterName);
    expect(await desk.banner().textContent()).toContain(created.no); // to quote to the command centre
    await desk.row(created.id).waitFor();
    expect(await desk.count('acknowledge')).toBe(before + 1);
    expect(await desk.row(created.id).getByTestId('desk-countdown').textContent()).toMatch(
      /签收剩余 \d+:\d{2}/,
    );
    // The sound (on by default): two tones.
    await expect.poll(tones).toBe(2);
    await screenshot(page, 'desk-new-task-1366');
    // The tab's title counts it, for a clerk in another tab; hidden, it alternates with 【新任务】.
    const base = await page.evaluate(() => document.title.replace(/^\(\d+\) /, ''));
    expect(await page.title()).toBe(`(1) ${base}`);
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => page.title(), { timeout: 3000 }).toBe(`【新任务】${base}`);
    await expect.poll(() => page.title(), { timeout: 3000 }).toBe(`(1) ${base}`);
    // Looked at: no longer news, the title as it was.
    await page.getByTestId('new-task-open').click();
    await expect.poll(() => page.title()).toBe(base);
    expect(await desk.banner().count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  let handled: CaseView | null = null;
  it('handles a task from acknowledgement to resolution with a photo, offering only legal actions', async () => {
    const created = await newClue();
    handled = created;
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await desk.row(created.id).waitFor();
    const before = await desk.count('acknowledge');

    await desk.openCase(created.id);
    expect(await desk.offered()).toEqual(['acknowledge', 'return']);
    await screenshot(page, 'desk-detail-1366');
    // 签收 is one click: nothing to fill in, no form.
    await desk.oneClick('acknowledge');
    await desk.waitStatus('已签收');
    expect(await page.getByTestId('action-form-acknowledge').count()).toBe(0);
    expect(await desk.count('acknowledge')).toBe(before - 1);
    // 申请延期 last: from 签收, while the 办结 deadline runs.
    expect(await desk.offered()).toEqual(['start', 'request_extension']);

    // Send the team: two members.
    await desk.startAction('start');
    const members = page.getByTestId('form-member');
    // Every name whole on one line, however long the role beside it (派驻执法人员（市场监管）).
    const names = page.getByTestId('form-member-name');
    expect(await names.count()).toBeGreaterThan(2);
    // One line: under two font sizes high.
    const heights = await names.evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)),
    );
    expect(
      heights.every((h) => h < 1.8),
      String(heights),
    ).toBe(true);
    await members.nth(0).check();
    await members.nth(1).check();
    await desk.submit();
    await desk.waitStatus('处置中');
    expect(await desk.offered()).toEqual(['arrive', 'order_rectification', 'resolve', 'request_extension']);

    await desk.oneClick('arrive');
    await expect.poll(() => desk.offered()).toEqual(['order_rectification', 'resolve', 'request_extension']);

    // Resolve with text and a photo; an empty result is refused first.
    await desk.startAction('resolve');
    await desk.submit();
    expect(await desk.formErrors().first().textContent()).toBe('必填');
    await page.getByTestId('form-result').fill('已责令当事人清理建筑垃圾，现场恢复整洁');
    await desk.attachPhoto('现场.png', 'image/png', PNG);
    await page
      .locator('[data-testid=action-form-resolve] [data-testid=case-photo]')
      .waitFor({ timeout: 5000 });
    await screenshot(page, 'desk-resolve-form-1366');
    await desk.submit();
    await desk.waitStatus('已办结');
    await expect
      .poll(() => desk.timelineTypes())
      .toEqual(['created', 'dispatch', 'acknowledge', 'start', 'arrive', 'resolve']);
    await page.locator('[data-testid=case-timeline] [data-testid=case-photo]').first().waitFor();
    expect(await page.getByTestId('case-timeline').textContent()).toContain('出动 2 人次');
    await desk.tab('done').click();
    await desk.row(created.id).waitFor();
    // The row says when it left the desk (办结, the minute it was resolved), not when it was sent.
    const resolvedAt = (
      await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${created.id}`)
    ).body.case.resolvedAt!;
    expect(await desk.row(created.id).getByTestId('desk-row-time').textContent()).toBe(
      `办结 ${formatShanghai(resolvedAt)}`,
    );
    await screenshot(page, 'desk-resolved-1366');
    // What has left the desk is on its map under 已办理 only (or while it is open): the work in
    // hand is what the map is read for.
    await expect.poll(() => desk.mapCaseIds()).toContain(created.id);
    await desk.tab('in_progress').click();
    if (await desk.detail().count()) await page.getByTestId('case-close').click();
    await expect.poll(() => desk.mapCaseIds()).not.toContain(created.id);
    await desk.tab('done').click();
    await expect.poll(() => desk.mapCaseIds()).toContain(created.id);

    // Verification fails (返工): the task comes back under the rework tab.
    const resolved = (
      await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${created.id}`)
    ).body.case;
    const failed = await call(server.url, commanderToken, 'POST', `/api/cases/${created.id}/actions`, {
      action: 'verify_fail',
      version: resolved.version,
      reason: '现场仍有少量垃圾未清理',
    });
    expect(failed.status).toBe(200);
    await page.reload();
    // From the keyboard: ← on 已办理 shows the tab before it, 返工, and takes the focus there.
    await desk.tab('done').click();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => desk.tab('rework').getAttribute('aria-selected')).toBe('true');
    expect(await desk.tab('rework').evaluate((el) => el === document.activeElement)).toBe(true);
    await desk.row(created.id).waitFor();
    expect(await desk.count('rework')).toBe(1);

    // Everything fits 1366×768: nothing scrolls sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('lets the command centre see each of those steps live, in order', async () => {
    expect(handled).not.toBeNull();
    await expect
      .poll(() => seen.filter((e) => e.caseId === handled!.id).map((e) => e.type), { timeout: 5000 })
      .toEqual(expect.arrayContaining(['acknowledge', 'start', 'arrive', 'resolve']));
    const steps = seen.filter((e) => e.caseId === handled!.id);
    expect(steps.map((e) => e.seq)).toEqual([...steps.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('after a dropped connection fetches what it missed before going live again, once each', async () => {
    // A task before the desk opens: its load then holds a sequence number to resume from, whichever
    // tests ran before (a live event alone does not move it: the desk cannot tell whether the events
    // between, outside its scope, were missed).
    await newClue();
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    // One task live, so the desk holds a sequence number to resume from.
    const first = await newClue();
    await desk.row(first.id).waitFor();
    const before = await desk.count('acknowledge');

    // The network drops the desk's connection, and its reconnects are held at the door.
    const io = server.handle.io;
    let admit: (() => void) | null = null;
    const gate = new Promise<void>((r) => (admit = r));
    io.use((socket, next) => {
      if (socket.data.user?.username === township.username) void gate.then(() => next());
      else next();
    });
    const resyncs: string[] = [];
    page.on('request', (r) => r.url().includes('/api/events?') && resyncs.push(r.url()));
    for (const s of io.sockets.sockets.values())
      if (s.data.user?.username === township.username) s.conn.close();
    await expect.poll(() => desk.connection().textContent(), { timeout: 5000 }).toContain('重连中');

    // Meanwhile: a new task, and the first one handled elsewhere (acknowledged over the API).
    const missed = await newClue();
    const township1 = (await login(server.url, township.username, township.password)).token;
    const ack = await call(server.url, township1, 'POST', `/api/cases/${first.id}/actions`, {
      action: 'acknowledge',
      version: first.version,
    });
    expect(ack.status).toBe(200);
    expect(await desk.row(missed.id).count()).toBe(0);

    admit!();
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    await desk.row(missed.id).waitFor();
    await desk.banner().waitFor();
    expect(await desk.banner().textContent()).toContain(missed.matterName);
    // Resumed from its sequence number, not reloaded: the events after it, each applied once.
    expect(resyncs.length).toBeGreaterThan(0);
    expect(resyncs[0]).toMatch(/after=[1-9]\d*/);
    expect(await desk.row(missed.id).count()).toBe(1);
    expect(await desk.count('acknowledge')).toBe(before); // + missed, − first (acknowledged)
    await desk.tab('in_progress').click();
    await desk.row(first.id).waitFor();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('reads a task opened while the network was down once it is back: its timeline, and that a 签收 sent meanwhile was not done', async () => {
    const { context, page, desk } = await openLiveDesk();
    const task = await newClue();
    await desk.row(task.id).waitFor();

    // The network drops; the clerk opens the task (its read fails: the list row is shown) and signs for it.
    await context.setOffline(true);
    await expect.poll(() => desk.connection().textContent(), { timeout: 15_000 }).toContain('重连中');
    await desk.row(task.id).click();
    await desk.detail().waitFor();
    await desk.actionButton('acknowledge').click();
    const line = page.getByTestId('action-error');
    await expect.poll(() => line.textContent(), { timeout: 10_000 }).toContain('服务器未应答');

    // Back: the task is read (its timeline shows), and the line says the 签收 was not done.
    await context.setOffline(false);
    await expect.poll(() => desk.connection().textContent(), { timeout: 20_000 }).toContain('实时');
    await expect
      .poll(() => page.getByTestId('timeline-entry').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => line.textContent(), { timeout: 20_000 }).toContain('该操作未生效');
    expect(await desk.status().textContent()).toBe('已派遣');
    await context.close();
  });

  it("hears the command centre's 督办 on one of its tasks live: a red banner with its words, the tones, the task a click away", async () => {
    const c = await newClue();
    const { context, page, consoleErrors, tones, desk } = await openLiveDesk();
    await desk.row(c.id).waitFor();
    expect(await page.getByTestId('escalation-banner').count()).toBe(0);

    const r = await call<{ case: CaseView }>(
      server.url,
      commanderToken,
      'POST',
      `/api/cases/${c.id}/actions`,
      {
        action: 'escalate',
        version: c.version,
        reason: '已超时，请立即安排到场',
      },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const banner = page.getByTestId('escalation-banner');
    await banner.waitFor({ timeout: 5000 });
    expect(await banner.textContent()).toContain(`指挥中心督办：${c.matterName}`);
    expect(await banner.textContent()).toContain('已超时，请立即安排到场');
    await expect.poll(tones).toBe(2);
    // The row's 督办 badge says when, for the township to see how long ago it was chased (on a
    // tablet too: in the badge, not only in its tooltip).
    const at = shanghaiWhen(r.body.case.escalatedAt!, Date.now());
    const badge = desk.row(c.id).getByTestId('desk-escalated');
    await expect.poll(() => badge.textContent()).toBe(`督办 ${at}`);
    expect(await badge.getAttribute('title')).toBe(`已督办（${at}）`);
    await screenshot(page, 'desk-escalated');
    await page.getByTestId('escalation-open').click();
    await expect.poll(() => desk.detail().getAttribute('data-case-id')).toBe(c.id);
    await expect.poll(() => desk.timelineTypes()).toContain('escalate');
    await page.getByTestId('escalation-dismiss').click();
    expect(await banner.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('keeps every 督办 that came in while its connection was down, not only the last: the banner steps through them and lists them all', async () => {
    const a = await newClue();
    const b = await newClue();
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    await desk.row(b.id).waitFor();
    const escalate = async (c: CaseView, reason: string) => {
      const r = await call<{ case: CaseView }>(
        server.url,
        commanderToken,
        'POST',
        `/api/cases/${c.id}/actions`,
        { action: 'escalate', version: c.version, reason },
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.case;
    };

    // The desk's connection drops; its reconnects wait at the door while the command centre chases two tasks.
    const io = server.handle.io;
    let admit: (() => void) | null = null;
    const gate = new Promise<void>((r) => (admit = r));
    io.use((socket, next) => {
      if (socket.data.user?.username === township.username) void gate.then(() => next());
      else next();
    });
    for (const s of io.sockets.sockets.values())
      if (s.data.user?.username === township.username) s.conn.close();
    await expect.poll(() => desk.connection().textContent(), { timeout: 5000 }).toContain('重连中');
    await escalate(a, '群众反映强烈，请今天处理');
    const bNow = await escalate(b, '已超时，请立即安排到场');
    admit!();
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');

    // Both heard on the resync: the newest in the banner, the count beside it.
    const banner = page.getByTestId('escalation-banner');
    await expect.poll(() => banner.getAttribute('data-count'), { timeout: 5000 }).toBe('2');
    expect(await banner.textContent()).toContain(`${b.no} · 已超时，请立即安排到场`);
    expect(await page.getByTestId('escalation-more').textContent()).toContain('共 2 条');
    await page.getByTestId('escalation-more').click();
    const items = page.getByTestId('escalation-item');
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')))).toEqual([
      b.id,
      a.id,
    ]);
    expect(await items.nth(1).textContent()).toContain(`${a.no} · 群众反映强烈，请今天处理`);
    await screenshot(page, 'desk-escalations-listed');
    // The older one, a click from the list: its task opens, the list closes, the news stays.
    await items.nth(1).locator('button.item').click();
    await expect.poll(() => desk.detail().getAttribute('data-case-id')).toBe(a.id);
    expect(await page.getByTestId('escalation-list').count()).toBe(0);
    expect(await banner.getAttribute('data-count')).toBe('2');

    // 知道了 puts the newest away and the next takes its place.
    await page.getByTestId('escalation-dismiss').click();
    await expect.poll(() => banner.getAttribute('data-count')).toBe('1');
    expect(await banner.textContent()).toContain(`${a.no} · 群众反映强烈，请今天处理`);
    expect(await page.getByTestId('escalation-more').count()).toBe(0);

    // Chased again, live: that task comes first once more, and 全部知道了 puts both away.
    await escalate(bNow, '第二次督办：请回复到场时间');
    await expect.poll(() => banner.getAttribute('data-count'), { timeout: 5000 }).toBe('2');
    expect(await banner.textContent()).toContain('第二次督办：请回复到场时间');
    await page.getByTestId('escalation-more').click();
    await page.getByTestId('escalation-dismiss-all').click();
    expect(await banner.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('hears a second report of one of its tasks merged in by the command centre: who reported it and what they said, in a banner and the timeline', async () => {
    const c = await newClue({ matterCode: 'SR09' });
    const { context, page, consoleErrors, tones, desk } = await openLiveDesk();
    await desk.row(c.id).waitFor();
    // A caller reports the same thing 18 m away: flagged as a possible duplicate, left for the operator.
    const r = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt([c.lng + 0.0002, c.lat], { matterCode: 'SR09' }),
      source: 'hotline_12345',
      description: '又有人反映：垃圾还在，已经堆了三天',
      reporter: { name: '王先生', phone: '13800000000' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const dup = r.body.case;
    expect(dup.duplicateOf).toBe(c.id);
    expect(await page.getByTestId('merged-in-banner').count()).toBe(0);
    const merged = await call(server.url, commanderToken, 'POST', `/api/cases/${dup.id}/actions`, {
      action: 'merge',
      version: dup.version,
      into: c.id,
      reason: '重复上报，合并处理',
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const banner = page.getByTestId('merged-in-banner');
    await banner.waitFor({ timeout: 5000 });
    const text = await banner.textContent();
    expect(text).toContain(`重复上报已并入：${c.matterName}`);
    expect(text).toContain(`${c.no} 收到 12345热线 的重复上报：又有人反映：垃圾还在，已经堆了三天`);
    await expect.poll(tones).toBe(2);
    await screenshot(page, 'desk-merged-in');
    await page.getByTestId('merged-in-open').click();
    await expect.poll(() => desk.detail().getAttribute('data-case-id')).toBe(c.id);
    await expect.poll(() => desk.timelineTypes()).toContain('merged_in');
    expect(await page.getByTestId('timeline-merged').textContent()).toContain(
      `重复上报 ${dup.no}（12345热线）：又有人反映：垃圾还在，已经堆了三天`,
    );
    await page.getByTestId('merged-in-dismiss').click();
    expect(await banner.count()).toBe(0);
    // The task itself is as it was: still the desk's, in the same state.
    expect(await desk.status().textContent()).toBe('已派遣');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("needs a reason to return a task, the county's usual words a click away (changed without a restart); the task then leaves the desk", async () => {
    const c = await newClue();
    const inHand = await newClue();
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await desk.row(c.id).waitFor();
    await desk.openCase(c.id);
    await desk.startAction('return');
    await desk.submit();
    expect(await desk.formErrors().first().textContent()).toBe('必填');
    // The county's usual words, one click each; the reason is then edited like any text.
    await expect.poll(() => page.getByTestId('form-usual-reason').allTextContents()).toEqual(RETURN_WORDS);
    await page.getByTestId('form-usual-reason').nth(1).click();
    expect(await page.getByTestId('form-reason').inputValue()).toBe(RETURN_WORDS[1]);
    await page.getByTestId('form-reason').fill('不属于本街道职权范围，建议改派县自然资源局');
    await desk.submit();
    await desk.row(c.id).waitFor({ state: 'detached' });
    const r = await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${c.id}`);
    expect(r.body.case.status).toBe('returned');
    // Off the map too, while the work in hand stays on it.
    if (await desk.detail().count()) await page.getByTestId('case-close').click();
    await expect.poll(() => desk.mapCaseIds()).not.toContain(c.id);
    expect(await desk.mapCaseIds()).toContain(inHand.id);
    expect(r.body.case.timeline!.at(-1)!.payload.reason).toBe('不属于本街道职权范围，建议改派县自然资源局');

    // The county changes its words while the desk stays open: the next form offers the new ones.
    const file = path.join(database.dataDir, PHRASES_FILE);
    const changed = ['位置在相邻街道，请改派', ...RETURN_WORDS];
    fs.writeFileSync(file, JSON.stringify({ return: changed }));
    try {
      const next = await newClue();
      await desk.row(next.id).waitFor();
      await desk.openCase(next.id);
      await desk.startAction('return');
      await expect.poll(() => page.getByTestId('form-usual-reason').allTextContents()).toEqual(changed);
    } finally {
      fs.writeFileSync(file, JSON.stringify({ return: RETURN_WORDS }));
    }
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('after 退回 of a task that lies in another township says 已退回指挥中心 and closes it, fetches nothing it may no longer see, and brings its own township back into view; a reassign by the centre while open says where the task went', async () => {
    // The command centre sent 东城街道 a clue lying in another township (a wrong dispatch, the
    // reason to return it): once returned, it is outside the desk's scope (a GET of it is a 404).
    const ctx = server.handle.ctx;
    // The township farthest from 东城街道: opening a task there takes the map off the desk's own.
    const [ox, oy] = ctx.geo.unit(DONGCHENG)!.centroid;
    const away = (code: string) => {
      const [x, y] = ctx.geo.unit(code)!.centroid;
      return (x - ox) ** 2 + (y - oy) ** 2;
    };
    const elsewhere = ctx.geo.townships.reduce((a, b) => (away(b.code) > away(a.code) ? b : a));
    const reassignTo = async (c: CaseView, code: string) =>
      act(c, commanderToken, { action: 'reassign', assignee: { kind: 'township', code } });
    const misplaced = await reassignTo(
      await newClue({
        ...clueAt(pointIn(ctx.geo, elsewhere.code, 3)),
        description: '端到端测试：派错了的任务',
      }),
      DONGCHENG,
    );
    expect(misplaced.assignee).toMatchObject({ code: DONGCHENG });
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const caseFetches: Array<{ url: string; status: number }> = [];
    page.on('response', (r) => {
      if (/\/api\/cases\/[^/?]+$/.test(new URL(r.url()).pathname))
        caseFetches.push({ url: r.url(), status: r.status() });
    });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    await desk.row(misplaced.id).waitFor();
    await desk.openCase(misplaced.id);
    // Opening it took the map over the other township.
    const mapCenter = () =>
      page.evaluate(() => {
        const map = (document.querySelector('[data-testid=map] .map-canvas') as HTMLElement & { __map?: any })
          .__map;
        const c = map.getCenter();
        return [c.lng, c.lat] as [number, number];
      });
    const townships = ctx.geo.layer('townships');
    const own = boundsOf(townships.features.filter((f) => f.properties?.code === DONGCHENG))!;
    const inOwn = ([lng, lat]: [number, number]) =>
      lng >= own[0] && lng <= own[2] && lat >= own[1] && lat <= own[3];
    await expect.poll(async () => inOwn(await mapCenter()), { timeout: 5000 }).toBe(false);

    await desk.startAction('return');
    await page.getByTestId('form-reason').fill('位置在相邻乡镇，请核实后改派');
    await desk.submit();
    const departed = page.getByTestId('desk-departed');
    await departed.waitFor();
    expect(await page.getByTestId('desk-departed-text').textContent()).toContain('已退回指挥中心');
    expect(await departed.textContent()).toContain(misplaced.no);
    expect(await desk.row(misplaced.id).count()).toBe(0);
    expect(await page.getByTestId('detail-failed').count()).toBe(0);
    expect(await desk.detail().count()).toBe(0);
    await expect.poll(async () => inOwn(await mapCenter()), { timeout: 5000 }).toBe(true);
    await screenshot(page, 'desk-after-return-confirmed');
    await page.getByTestId('desk-departed-ok').click();
    expect(await departed.count()).toBe(0);
    expect(await page.getByText('在左侧选择一个任务查看详情').count()).toBe(1);

    // The command centre gives a task the clerk has open to another township: said in words.
    const taken = await newClue({ description: '端到端测试：改派走的任务' });
    await desk.row(taken.id).waitFor();
    await desk.openCase(taken.id);
    await reassignTo(taken, elsewhere.code);
    await departed.waitFor();
    expect(await page.getByTestId('desk-departed-text').textContent()).toBe(
      `该案件已由指挥中心改派给${elsewhere.name}，不再由本单位办理`,
    );
    expect(await desk.row(taken.id).count()).toBe(0);
    await screenshot(page, 'desk-reassigned-away');
    // Neither the answer to 退回 nor its event (heard before the reassign's: events come in order)
    // fetched the returned task again: no 404, the opening its only fetch.
    expect(caseFetches.filter((f) => f.status !== 200)).toEqual([]);
    expect(caseFetches.filter((f) => f.url.includes(misplaced.id)).length).toBe(1);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('closes the open task that left it while its connection was down when it resyncs by reloading its lists: where it went if it can still read it, whom to ask if not', async () => {
    const ctx = server.handle.ctx;
    const elsewhere = ctx.geo.townships.find((t) => t.code !== DONGCHENG)!;
    const reassignTo = async (c: CaseView, code: string) =>
      act(c, commanderToken, { action: 'reassign', assignee: { kind: 'township', code } });
    // Lies in 东城街道: given to another township, 东城 still reads it (its ground) and can say where.
    const ownGround = await newClue({ description: '端到端测试：断线时改派走的任务' });
    // Lies in another township, sent to 东城 by mistake: given back there, 东城 can no longer read it.
    const foreign = await reassignTo(
      await newClue({
        ...clueAt(pointIn(ctx.geo, elsewhere.code, 7)),
        description: '端到端测试：断线时改派走的外乡镇任务',
      }),
      DONGCHENG,
    );
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    // As after an outage longer than the server keeps the connection's missed packets for, and
    // than the desk replays over HTTP: the connection comes back without them (the server ends it,
    // so Socket.IO keeps nothing to recover), and replaying the events fails, so the desk reloads
    // its lists whole and hears no event of what left it.
    await page.route(/\/api\/events\?/, (route) => route.abort('failed'));
    const reloads: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/cases') reloads.push(r.url());
    });
    const io = server.handle.io;
    /** The desk's connection ends, `meanwhile` happens, and it reconnects and resyncs. */
    const dropWhile = async (meanwhile: () => Promise<unknown>) => {
      let admit: (() => void) | null = null;
      const gate = new Promise<void>((r) => (admit = r));
      io.use((socket, next) => {
        if (socket.data.user?.username === township.username) void gate.then(() => next());
        else next();
      });
      for (const s of io.sockets.sockets.values())
        if (s.data.user?.username === township.username) s.disconnect(true);
      await expect.poll(() => desk.connection().textContent(), { timeout: 5000 }).toContain('重连中');
      await meanwhile();
      reloads.length = 0;
      admit!();
      await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
      expect(reloads.length).toBeGreaterThan(0); // reloaded whole, not replayed
    };
    const departed = page.getByTestId('desk-departed');

    await desk.row(ownGround.id).waitFor();
    await desk.openCase(ownGround.id);
    await dropWhile(() => reassignTo(ownGround, elsewhere.code));
    await departed.waitFor();
    expect(await page.getByTestId('desk-departed-text').textContent()).toBe(
      `该案件已由指挥中心改派给${elsewhere.name}，不再由本单位办理`,
    );
    expect(await departed.textContent()).toContain(ownGround.no);
    expect(await desk.detail().count()).toBe(0);
    expect(await desk.row(ownGround.id).count()).toBe(0);
    await page.getByTestId('desk-departed-ok').click();

    await desk.openCase(foreign.id);
    await dropWhile(() => reassignTo(foreign, elsewhere.code));
    await departed.waitFor();
    expect(await departed.getAttribute('data-case-id')).toBe(foreign.id);
    expect(await page.getByTestId('desk-departed-text').textContent()).toBe(
      '该案件已不在本单位的任务中，本单位已无法查看；如需了解去向，请联系指挥中心',
    );
    expect(await departed.textContent()).toContain(foreign.no);
    expect(await desk.detail().count()).toBe(0);
    expect(await page.getByTestId('detail-failed').count()).toBe(0);
    await screenshot(page, 'desk-left-while-offline');
    // The only console errors: the replays held back, and the 404 that said the case is out of reach.
    expect(consoleErrors.filter((e) => !/net::ERR_FAILED|status of 404/.test(e))).toEqual([]);
    await context.close();
  });

  it('takes the 退回 words the command centre sets on its 常用语 page at its next form, and the page never overwrites a change made meanwhile', async () => {
    const file = path.join(database.dataDir, PHRASES_FILE);
    const deskTab = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(deskTab.page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    const editorTab = await openPage(browser, { width: 1366, height: 768 });
    const editor = new PhrasesPage(editorTab.page);
    try {
      await editor.signInAndOpen(server.url, commander.username, commander.password);
      // The county's 退回 words as the file has them; 督办 on the built-in words, listed.
      await expect.poll(() => editor.words('return')).toEqual(RETURN_WORDS);
      expect(await editor.builtInWords('escalate')).toEqual([
        '请尽快处置并反馈进展',
        '已超时，请立即安排到场',
        '群众反映强烈，请优先办理',
      ]);

      await editor.input('return', 0).fill('位置有误，请核实后改派');
      await editor.add('return');
      // Blank, then the same as one above: said beside the word, and nothing can be saved.
      expect(await editor.problems('return')).toEqual(['不能为空']);
      expect(await editor.saveButton().isDisabled()).toBe(true);
      await editor.input('return', 2).fill(` ${RETURN_WORDS[1]}`);
      expect(await editor.problems('return')).toEqual(['与上面的某条重复']);
      expect(await editor.saveButton().isDisabled()).toBe(true);
      await editor.input('return', 2).fill('请补充现场照片后再派');
      expect(await editor.problems('return')).toEqual([]);
      await editorTab.page.getByTestId('phrases-unsaved').waitFor();
      await editor.saveButton().click();
      await expect.poll(() => editor.notice().textContent()).toContain('已保存');
      const saved = ['位置有误，请核实后改派', RETURN_WORDS[1]!, '请补充现场照片后再派'];
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ return: saved });
      await screenshot(editorTab.page, 'phrases-page-1366');

      // The desk, open all along, offers them at its next 退回 form.
      const next = await newClue();
      await desk.row(next.id).waitFor();
      await desk.openCase(next.id);
      await desk.startAction('return');
      await expect.poll(() => deskTab.page.getByTestId('form-usual-reason').allTextContents()).toEqual(saved);

      // Someone changes the file while the page holds an edit: the save is refused, the file kept,
      // and 载入最新 shows what the file now says.
      await editor.chooseOwn('escalate');
      expect(await editor.words('escalate')).toEqual([
        '请尽快处置并反馈进展',
        '已超时，请立即安排到场',
        '群众反映强烈，请优先办理',
      ]);
      fs.writeFileSync(file, JSON.stringify({ return: ['由文件改的用语'] }));
      await editor.saveButton().click();
      await expect.poll(() => editor.notice().textContent()).toContain('常用语已被他人修改');
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ return: ['由文件改的用语'] });
      await editorTab.page.getByTestId('phrases-reload').click();
      await expect.poll(() => editor.words('return')).toEqual(['由文件改的用语']);
      expect(await editor.builtInWords('escalate')).toHaveLength(3);
      expect(await editorTab.page.getByTestId('phrases-unsaved').count()).toBe(0);

      // The file broken by hand: the page names it, and saving the words shown (unchanged) mends it.
      fs.writeFileSync(file, '{"return": [');
      await editorTab.page.reload();
      await editorTab.page.getByTestId('phrases-fault').waitFor();
      expect(await editorTab.page.getByTestId('phrases-fault').textContent()).toContain('phrases.json 有误');
      expect(await editor.words('return')).toEqual(['由文件改的用语']);
      await editor.saveButton().click();
      await expect.poll(() => editor.notice().textContent()).toContain('已保存');
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ return: ['由文件改的用语'] });
      expect(await editorTab.page.getByTestId('phrases-fault').count()).toBe(0);

      // Signing out with words unsaved asks first; declined, the page and the session stay.
      await editor.input('return', 0).fill('还没保存的用语');
      const asked = new Promise<string>((resolve) =>
        editorTab.page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.message()))),
      );
      await editorTab.page.getByRole('button', { name: '退出登录' }).click();
      expect(await asked).toBe('有未保存的修改，确定离开吗？');
      expect(new URL(editorTab.page.url()).pathname).toBe('/phrases');
      expect(await editor.words('return')).toEqual(['还没保存的用语']);
      await editorTab.page.getByTestId('phrases-undo').click();
      await editorTab.page.getByRole('button', { name: '退出登录' }).click();
      await editorTab.page.getByTestId('login-form').waitFor();
      expect(await editorTab.page.evaluate(() => sessionStorage.getItem('session'))).toBeNull();

      // 409 is the refusal the page explains; nothing else went wrong.
      expect(editorTab.consoleErrors.filter((e) => !e.includes('409'))).toEqual([]);
      expect(deskTab.consoleErrors).toEqual([]);
    } finally {
      fs.writeFileSync(file, JSON.stringify({ return: RETURN_WORDS }));
      await editorTab.context.close();
      await deskTab.context.close();
    }
  });

  it('shows a department only its own cases', async () => {
    const matters = (
      await call<{ matters: Array<{ code: string; department: string; delegatedTownships: string[] }> }>(
        server.url,
        commanderToken,
        'GET',
        '/api/matters',
      )
    ).body.matters;
    const notDelegated = matters.find(
      (m) => m.department === 'zrzyj' && !m.delegatedTownships.includes(DONGCHENG),
    )!;
    expect(notDelegated, 'a zrzyj matter not delegated to 东城街道').toBeTruthy();
    const own = await newClue({ matterCode: notDelegated.code, description: '端到端测试：占用耕地建房' });
    expect(own.assignee).toMatchObject({ kind: 'department', code: 'zrzyj' });
    const township = await newClue();

    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, department.username, department.password);
    await desk.row(own.id).waitFor();
    expect(await desk.row(township.id).count()).toBe(0);
    expect(await page.getByTestId('desk-party-name').textContent()).toContain('自然资源');
    // A department's desk, named so, in its menu too, beside its own statistics (本单位统计).
    expect(await page.getByTestId('page-title').textContent()).toBe('部门工作台');
    expect(await page.getByTestId('nav-desk').textContent()).toBe('部门工作台');
    expect(await page.getByTestId('nav-leader').textContent()).toBe('本单位统计');
    await screenshot(page, 'desk-department-1366');
    await context.close();

    const other = await openPage(browser, { width: 1366, height: 768 });
    const otherDesk = new DeskPage(other.page);
    await otherDesk.signInAndOpen(server.url, otherDepartment.username, otherDepartment.password);
    await other.page.getByTestId('desk-list').waitFor();
    await expect.poll(() => otherDesk.count('acknowledge')).toBe(0);
    expect(await otherDesk.row(own.id).count()).toBe(0);
    expect([...consoleErrors, ...other.consoleErrors]).toEqual([]);
    await other.context.close();
  });

  it("finds its own task by the caller's phone, and opens it in its tab; not another township's", async () => {
    // The caller's case, already under way (so in the 处置中 tab, not the one shown first), and a
    // case in another township from the same phone, which this desk may not see.
    const phone = '137-2026-1202';
    const own = await newClue({
      reporter: { name: '王秀英', phone },
      description: '端到端测试：夜间施工噪声扰民',
    });
    const token = (await login(server.url, township.username, township.password)).token;
    const acked = await call<{ case: CaseView }>(server.url, token, 'POST', `/api/cases/${own.id}/actions`, {
      action: 'acknowledge',
      version: own.version,
    });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    const started = await call<{ case: CaseView }>(
      server.url,
      token,
      'POST',
      `/api/cases/${own.id}/actions`,
      {
        action: 'start',
        version: acked.body.case.version,
      },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const elsewhere = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, '140581101', 0)),
      description: '端到端测试：同一来电人反映的另一处问题',
      reporter: { name: '王秀英', phone },
    });
    expect(elsewhere.status).toBe(201);

    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await desk.tab('acknowledge').click();
    // '/' from anywhere on the desk, the number as read out, Enter.
    await page.keyboard.press('/');
    await page.keyboard.type('13720261202');
    await desk.search.done();
    const found = await desk.search
      .results()
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')));
    expect(found).toEqual([own.id]);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid=case-detail][data-case-id="${own.id}"]`).waitFor();
    await expect.poll(() => desk.tab('in_progress').getAttribute('aria-selected')).toBe('true');
    expect(await desk.row(own.id).getAttribute('class')).toContain('selected');
    // 案件编号, as the command centre reads it out, in the detail and on the row.
    expect(await page.getByTestId('case-no').textContent()).toBe(own.no);
    expect(await desk.row(own.id).textContent()).toContain(own.no);
    expect(await desk.search.box().count()).toBe(0);
    await screenshot(page, 'desk-search');
    expect(consoleErrors).toEqual([]);
    await context.close();

    // The command centre looking at 东城街道's desk may see every case, the other township's too;
    // the desk's search finds only 东城街道's.
    const county = await openPage(browser, { width: 1366, height: 768 });
    const form = new (await import('./page-models/login-page')).LoginPage(county.page);
    commander = await account('commander', 'commander');
    await form.open(server.url);
    await form.signIn(commander.username, commander.password);
    await county.page.waitForURL(/\/screen/);
    await county.page.goto(`${server.url}/desk?party=township:${DONGCHENG}`);
    const countyDesk = new DeskPage(county.page);
    await countyDesk.rows().first().waitFor();
    await county.page.getByTestId('case-search-input').fill('137 2026 1202');
    await countyDesk.search.done();
    expect(
      await countyDesk.search.results().evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id'))),
    ).toEqual([own.id]);
    expect(county.consoleErrors).toEqual([]);
    await county.context.close();
  });

  it('says so when a found task cannot be fetched, and fetches it again on 重试', async () => {
    // A task closed 40 days ago: older than the 已办理 tab holds, so only the search finds it, and
    // the desk has nothing of it to show until the case itself is fetched.
    const phone = '135-2026-1001';
    const token = (await login(server.url, township.username, township.password)).token;
    clock.offset = -40 * DAY;
    let old = await newClue({ reporter: { name: '李桂兰', phone }, description: '端到端测试：旧案件' });
    for (const [who, body] of [
      [token, { action: 'acknowledge' }],
      [token, { action: 'start', personnel: 2 }],
      [token, { action: 'arrive' }],
      [token, { action: 'resolve', result: '已处理完毕' }],
      [commanderToken, { action: 'verify_pass' }],
    ] as const) {
      const r = await call<{ case: CaseView }>(server.url, who, 'POST', `/api/cases/${old.id}/actions`, {
        ...body,
        version: old.version,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      old = r.body.case;
    }
    clock.offset = 0;
    expect(old.status).toBe('closed');
    const today = await newClue();

    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await desk.row(today.id).waitFor();
    await desk.tab('done').click();
    expect(await desk.row(old.id).count()).toBe(0);
    // The network drops the case's fetch (not the search's, not the actions').
    const caseUrl = new RegExp(`/api/cases/${old.id}$`);
    await page.route(caseUrl, (route) => route.abort('failed'));
    await page.getByTestId('case-search-input').fill('13520261001');
    await desk.search.done();
    await page.keyboard.press('Enter');
    const failed = page.getByTestId('detail-failed');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('无法打开该案件：无法连接服务器，请检查网络后重试');

    // The network is back: 重试 opens it.
    await page.unroute(caseUrl);
    await failed.getByRole('button', { name: '重试' }).click();
    await page.locator(`[data-testid=case-detail][data-case-id="${old.id}"]`).waitFor();
    expect(await failed.count()).toBe(0);
    // The only console error is the dropped request itself.
    expect(consoleErrors.filter((e) => !e.includes('net::ERR_FAILED'))).toEqual([]);
    await context.close();
  });

  it("lets the command centre look at a township's desk, read only, each desk with its own news", async () => {
    const c = await newClue();
    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    commander = await account('commander', 'commander');
    const login = new (await import('./page-models/login-page')).LoginPage(page);
    await login.open(server.url);
    // A demo server says what the simulator's accounts are, and that they are not for signing in.
    const simulatorHint = page.getByTestId('demo-hint-simulator');
    await simulatorHint.waitFor();
    expect(await simulatorHint.textContent()).toContain(
      'sim- 开头的账号（如 sim-command 模拟坐席）是演示模拟器自己的',
    );
    expect(await simulatorHint.textContent()).toContain('请勿用其登录');
    await login.signIn(commander.username, commander.password);
    await page.waitForURL(/\/screen/);
    await page.goto(`${server.url}/desk?party=township:${DONGCHENG}`);
    await desk.row(c.id).waitFor();
    expect(await page.getByTestId('desk-party').inputValue()).toBe(`township:${DONGCHENG}`);
    await desk.openCase(c.id);
    expect(await desk.offered()).toEqual([]);
    expect(await desk.detail().textContent()).toContain('只读');
    // Each desk looked at keeps its own news: a 督办 heard on 东城街道's is not 北城街道's, and is
    // there again on going back, and after a reload.
    const chased = await call(server.url, commanderToken, 'POST', `/api/cases/${c.id}/actions`, {
      action: 'escalate',
      version: c.version,
      reason: '请今天处理',
    });
    expect(chased.status, JSON.stringify(chased.body)).toBe(200);
    const banner = page.getByTestId('escalation-banner');
    await banner.waitFor({ timeout: 5000 });
    await page.getByTestId('desk-party').selectOption('township:140581001');
    await expect.poll(() => page.getByTestId('desk-party').inputValue()).toBe('township:140581001');
    await expect.poll(() => banner.count()).toBe(0);
    await page.getByTestId('desk-party').selectOption(`township:${DONGCHENG}`);
    await desk.row(c.id).waitFor();
    await expect.poll(() => banner.textContent()).toContain('请今天处理');
    await page.reload();
    await desk.row(c.id).waitFor();
    await expect.poll(() => banner.textContent()).toContain('请今天处理');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("plays back a team's track for the day on the desk's map", async () => {
    const teams = (
      await call<{
        teams: Array<{ id: string; name: string; deviceIds: string[]; owner: { code: string } }>;
      }>(server.url, commanderToken, 'GET', '/api/teams')
    ).body.teams;
    const team = teams.find((tm) => tm.owner.code === DONGCHENG && tm.deviceIds.length)!;
    const [lng, lat] = pointIn(server.handle.ctx.geo, DONGCHENG, 0);
    const now = Date.now();
    // Twenty fixes half a minute apart, all on today's date in Shanghai (what the desk plays back):
    // just after midnight there, closer together.
    const step = Math.max(1, Math.min(30_000, Math.floor((now - shanghaiDayStart(shanghaiDay(now))) / 21)));
    const fixes = Array.from({ length: 20 }, (_, i) => ({
      lng: lng + i * 0.0004,
      lat: lat + i * 0.0002,
      at: now - (20 - i) * step,
      speed: 3,
    }));
    const res = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': `${team.deviceIds[0]}:demo` },
      body: JSON.stringify({ deviceId: team.deviceIds[0], fixes }),
    });
    expect(res.status, await res.clone().text()).toBe(200);

    const { context, page, consoleErrors } = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await page.getByTestId('track-open').click();
    await page.getByTestId('track-team').selectOption(team.id);
    // The team's whole name fits its box (it was cut beside the date at 1366).
    const fits = await page.getByTestId('track-team').evaluate((el) => {
      const select = el as HTMLSelectElement;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(select).font;
      probe.style.whiteSpace = 'nowrap';
      probe.textContent = select.selectedOptions[0]!.text;
      document.body.appendChild(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      return { need, have: select.clientWidth - 28 }; // less the arrow and padding
    });
    expect(fits.need).toBeLessThanOrEqual(fits.have);
    await page.getByTestId('track-load').click();
    await page.getByTestId('track-play').waitFor();
    expect(await page.getByTestId('track-panel').textContent()).toContain('20 个定位点');
    const start = await page.getByTestId('track-time').textContent();
    await page.getByTestId('track-play').click();
    await expect.poll(() => page.getByTestId('track-time').textContent(), { timeout: 5000 }).not.toBe(start);
    await screenshot(page, 'desk-track-1366');
    // Dragged to its right end (the slider moves in whole seconds: it stops just short of the last
    // fix), 播放 plays again from the start rather than stopping at once.
    const play = page.getByTestId('track-play');
    await page.locator('[data-testid=track-panel] .slider').focus();
    await page.keyboard.press('End');
    await expect.poll(() => play.textContent()).toContain('播放');
    const end = await page.getByTestId('track-time').textContent();
    await play.click();
    await expect.poll(() => page.getByTestId('track-time').textContent(), { timeout: 5000 }).not.toBe(end);
    // Closing playback gives the desk its view back (it stayed zoomed to the track).
    const zoom = () =>
      page.evaluate(() => (document.querySelector('.maplibregl-map') as any).__map.getZoom() as number);
    const framed = await zoom();
    await page.getByTestId('track-panel').locator('.x').click();
    await expect.poll(zoom, { timeout: 5000 }).toBeLessThan(framed - 1);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('remembers the sound switched off, and works on a tablet', async () => {
    const { context, page, consoleErrors } = await openPage(browser, { width: 1024, height: 768 });
    const tones = await countTones(page);
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    expect(await desk.soundToggle().isChecked()).toBe(true);
    await desk.soundToggle().uncheck();
    await page.reload();
    await page.getByTestId('desk-page').waitFor();
    expect(await desk.soundToggle().isChecked()).toBe(false);
    // A new task still shows its banner, silently.
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    const quiet = await newClue();
    await desk.banner().waitFor({ timeout: 5000 });
    await desk.row(quiet.id).waitFor();
    expect(await tones()).toBe(0);
    await desk.rows().first().waitFor();
    await desk.rows().first().click();
    await desk.detail().waitFor();
    await screenshot(page, 'desk-tablet-1024');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    // The map's legend sits above the map, so it never hides a township's name.
    const legendClearOfMap = async () => {
      const legend = (await page.getByTestId('desk-map-legend').boundingBox())!;
      const map = (await page.locator('[data-testid=desk-map] canvas').boundingBox())!;
      return legend.y + legend.height <= map.y && map.height > 200;
    };
    expect(await legendClearOfMap()).toBe(true);
    await page.setViewportSize({ width: 768, height: 1024 });
    await desk.detail().waitFor();
    await screenshot(page, 'desk-tablet-768-portrait');
    await expect.poll(legendClearOfMap).toBe(true);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('works by touch on a tablet either way round: 退回 in view on its side (and with the keyboard up), the news on its own line upright, the search inside the screen, controls a finger can hit', async () => {
    // A tablet: touch, no mouse (pointer: coarse), on its side first.
    const context = await browser.newContext({
      viewport: { width: 1024, height: 768 },
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    const c = await newClue({ description: '端到端测试：平板上退回的任务' });
    await desk.banner().waitFor({ timeout: 5000 });
    await desk.tab('acknowledge').tap();
    await desk.row(c.id).tap();
    await page.locator(`[data-testid=case-detail][data-case-id="${c.id}"]`).waitFor();

    // 签收, 退回 and × for a finger: 40 px at least (they were 37, and × 24).
    expect(await desk.shortControls('[data-testid=case-detail] button', 40)).toEqual([]);
    // The toolbar's 退回记录 too, as its search and sound switch (it was 29 px).
    expect(await desk.shortControls('[data-testid=desk-returns-toggle]', 44)).toEqual([]);
    // 退回: its reason and 确认退回 in view in the detail without a scroll (the map below had kept
    // 300 px and left them under the panel's edge).
    await desk.actionButton('return').tap();
    await page.getByTestId('action-form-return').waitFor();
    const panel = await desk.box('case-detail');
    await expect
      .poll(async () => {
        const submit = await desk.box('action-submit');
        return submit.y >= panel.y && submit.y + submit.height <= Math.min(panel.y + panel.height, 768) + 1;
      })
      .toBe(true);
    expect(await desk.shortControls('[data-testid=action-form-return] button', 40)).toEqual([]);
    await screenshot(page, 'desk-tablet-return-1024');
    // The keyboard up leaves 408 px: the detail keeps a screen's height (it had shrunk to 24 px).
    await page.setViewportSize({ width: 1024, height: 408 });
    await page.getByTestId('form-reason').tap();
    expect((await desk.box('case-detail')).height).toBeGreaterThanOrEqual(300);
    await page.getByTestId('form-reason').fill('非本街道辖区，请核实位置后改派');
    await page.getByTestId('action-submit').scrollIntoViewIfNeeded();
    const submit = await desk.box('action-submit');
    expect(submit.y).toBeGreaterThanOrEqual(0);
    expect(submit.y + submit.height).toBeLessThanOrEqual(408);
    await screenshot(page, 'desk-tablet-return-keyboard');
    await page.getByTestId('action-form-return').getByRole('button', { name: '取消' }).tap();

    // Upright, the list shown: the news has a line of its own, clear of the search box, its
    // words whole; its buttons a finger's size.
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByTestId('case-close').tap();
    await page.getByTestId('desk-list').waitFor();
    const next = await newClue({ description: '端到端测试：平板竖放时到达的任务' });
    await desk.banner().waitFor({ timeout: 5000 });
    const banner = await desk.box('new-task-banner');
    const search = await desk.box('case-search');
    const apart = (a: typeof banner, b: typeof banner) =>
      a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    expect(apart(banner, search)).toBe(true);
    expect(banner.x + banner.width).toBeLessThanOrEqual(768);
    expect(await desk.reads('new-task-title', `新任务：${next.matterName}`)).toBe(true);
    expect(await desk.shortControls('[data-testid^=new-task] button', 40)).toEqual([]);
    // The map takes the rest of the screen below the list (360 px had left a blank under it).
    const map = await desk.box('desk-map');
    expect(map.y + map.height).toBeGreaterThanOrEqual(1024 - 1);
    // A press on the banner's words shows them whole.
    await page.getByTestId('new-task-detail').tap();
    expect(await desk.reads('new-task-detail', next.no!)).toBe(true);
    await screenshot(page, 'desk-tablet-768-news');

    // 查找案件: the list of what it found inside the screen (it ran 53 px past its right edge).
    await page.getByTestId('case-search-input').tap();
    await page.getByTestId('case-search-input').fill(c.no!);
    await desk.search.results().first().waitFor();
    const found = (await desk.search.box().boundingBox())!;
    expect(found.x).toBeGreaterThanOrEqual(0);
    expect(found.x + found.width).toBeLessThanOrEqual(768);
    await screenshot(page, 'desk-tablet-768-search');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('hears a task it reported done sent back by verification (核查不通过): a red banner with the reason, the task in 返工', async () => {
    const token = (await login(server.url, township.username, township.password)).token;
    let c = await newClue();
    for (const body of [
      { action: 'acknowledge' },
      { action: 'start', personnel: 2 },
      { action: 'arrive' },
      { action: 'resolve', result: '已清理' },
    ]) {
      const r = await call<{ case: CaseView }>(server.url, token, 'POST', `/api/cases/${c.id}/actions`, {
        ...body,
        version: c.version,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      c = r.body.case;
    }
    const { context, page, consoleErrors, tones, desk } = await openLiveDesk();
    expect(await page.getByTestId('rework-banner').count()).toBe(0);
    const r = await call(server.url, commanderToken, 'POST', `/api/cases/${c.id}/actions`, {
      action: 'verify_fail',
      version: c.version,
      reason: '现场复核仍有建筑垃圾，请彻底清理',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const banner = page.getByTestId('rework-banner');
    await banner.waitFor({ timeout: 5000 });
    expect(await banner.textContent()).toContain(`核查不通过，请返工：${c.matterName}`);
    expect(await banner.textContent()).toContain(`${c.no} · 现场复核仍有建筑垃圾，请彻底清理`);
    await expect.poll(tones).toBe(2);
    await page.getByTestId('rework-open').click();
    await expect.poll(() => desk.detail().getAttribute('data-case-id')).toBe(c.id);
    await desk.row(c.id).waitFor();
    expect(await desk.tab('rework').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('rework-dismiss').click();
    expect(await banner.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('lets news go once its task has moved on: 新 once acknowledged (by a colleague too) or closed, 核查不通过 once the task is done again; a reload agrees', async () => {
    const token = (await login(server.url, township.username, township.password)).token;
    const work = [
      { action: 'start', personnel: 2 },
      { action: 'arrive' },
      { action: 'resolve', result: '已清理' },
    ];
    let back = await newClue();
    for (const body of [{ action: 'acknowledge' }, ...work]) back = await act(back, token, body);
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    // A new task (新, its banner) and a task sent back (its banner, in 返工).
    let arrived = await newClue();
    await desk.banner().waitFor({ timeout: 5000 });
    await desk.row(arrived.id).getByTestId('desk-fresh').waitFor();
    back = await act(back, commanderToken, { action: 'verify_fail', reason: '现场复核仍有建筑垃圾' });
    await page.getByTestId('rework-banner').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('rework-banner').getAttribute('data-count')).toBe('1');

    // A colleague acknowledges the new task on another desk: no banner, and its row no longer new.
    arrived = await act(arrived, token, { action: 'acknowledge' });
    await expect.poll(() => desk.banner().count()).toBe(0);
    await desk.tab('in_progress').click();
    await desk.row(arrived.id).waitFor();
    expect(await desk.row(arrived.id).getByTestId('desk-fresh').count()).toBe(0);

    // The task sent back is done again (办结): out of 返工, its notice goes.
    back = await act(back, token, { action: 'resolve', result: '已彻底清理' });
    await expect.poll(() => page.getByTestId('rework-banner').count()).toBe(0);
    // Both closed: under 已办理 neither looks new, nor any news points at them, after a reload too.
    for (const body of work) arrived = await act(arrived, token, body);
    arrived = await act(arrived, commanderToken, { action: 'verify_pass' });
    back = await act(back, commanderToken, { action: 'verify_pass' });
    for (const reload of [false, true]) {
      if (reload) {
        await page.reload();
        await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
      }
      await desk.tab('done').click();
      await desk.row(arrived.id).waitFor();
      await desk.row(back.id).waitFor();
      expect(await page.getByTestId('desk-fresh').count()).toBe(0);
      expect(await page.getByTestId('rework-banner').count()).toBe(0);
      expect(await desk.banner().count()).toBe(0);
    }
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says on an English desk what the system recorded in Chinese: who dispatched the task, and why there', async () => {
    const c = await newClue();
    expect(c.status).toBe('dispatched');
    const opened = await openPage(browser, { width: 1366, height: 768 });
    await opened.page.goto(server.url);
    await opened.page.evaluate(() => localStorage.setItem('locale', 'en'));
    const desk = new DeskPage(opened.page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await desk.openCase(c.id);
    const dispatch = opened.page.locator('[data-testid=timeline-entry][data-type=dispatch]');
    expect(await dispatch.getByTestId('timeline-actor').innerText()).toBe('Automatic dispatch');
    expect(await dispatch.getByTestId('timeline-reason').innerText()).toBe(
      `Reason: Delegated to townships: ${c.route.assignee.name} leads`,
    );
    expect(await dispatch.innerText()).not.toMatch(/系统|赋权|主办/);
    await screenshot(opened.page, 'desk-timeline-en');
    expect(opened.consoleErrors).toEqual([]);
    await opened.context.close();
  });

  it('says the rest of an English desk in English too: the deadlines, who reported, the members a team dispatch sent', async () => {
    const c = await newClue();
    const opened = await openPage(browser, { width: 1366, height: 768 });
    const { page } = opened;
    await page.goto(server.url);
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    const desk = new DeskPage(page);
    await desk.signInAndOpen(server.url, township.username, township.password);
    await desk.openCase(c.id);
    // Deadlines in words and brackets of English (they read "acknowledge 12-06 13:18 （59:57）").
    const deadlines = page.locator('[data-testid=case-detail] .deadlines');
    expect(await deadlines.innerText()).toMatch(/^Acknowledge by \d\d-\d\d \d\d:\d\d \(\d+:\d\d left\)$/m);
    expect(await deadlines.innerText()).not.toMatch(/[（）]/);
    // The person who reported it, with what they are (the name is the county's record).
    const report = page.locator('[data-testid=timeline-entry]').first();
    expect(await report.getByTestId('timeline-actor').innerText()).toMatch(/ \(Command centre\)$/);
    await desk.oneClick('acknowledge');
    await page.locator('[data-testid=case-status]:text-is("Accepted")').waitFor({ timeout: 10_000 });
    await desk.startAction('start');
    const legend = page.locator('[data-testid=action-form-start] legend');
    expect(await legend.innerText()).toBe('Members sent (0)');
    const names = await page
      .getByTestId('form-member-name')
      .evaluateAll((els) => els.slice(0, 2).map((e) => e.textContent!.trim()));
    await page.getByTestId('form-member').nth(0).check();
    await page.getByTestId('form-member').nth(1).check();
    expect(await legend.innerText()).toBe('Members sent (2)');
    await desk.submit();
    const start = page.locator('[data-testid=timeline-entry][data-type=start]');
    await start.waitFor({ timeout: 10_000 });
    // Recorded as the county reads it, said in English (it read "Note: 出动队员：段鹏静、毛秀洋").
    expect(await start.getByTestId('timeline-members').innerText()).toBe(`Members sent: ${names.join(', ')}`);
    expect(await start.innerText()).not.toMatch(/出动队员|Note:/);
    const events = (await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${c.id}`))
      .body.case.timeline!;
    expect(events.find((e) => e.type === 'start')!.payload.note).toBe(`出动队员：${names.join('、')}`);
    await screenshot(page, 'desk-timeline-en-members');
    expect(opened.consoleErrors).toEqual([]);
    await opened.context.close();
  });

  it("keeps every banner's buttons in view on a 1366 laptop when news of all four kinds waits at once: the words give way; a colleague's 签收 and a reload keep it true", async () => {
    const token = (await login(server.url, township.username, township.password)).token;
    let done = await newClue();
    for (const body of [
      { action: 'acknowledge' },
      { action: 'start', personnel: 2 },
      { action: 'arrive' },
      { action: 'resolve', result: '已清理' },
    ])
      done = await act(done, token, body);
    const chased = await newClue();
    const target = await newClue({ matterCode: 'SR09' });
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    await desk.row(target.id).waitFor();

    // Two new tasks, two 督办 (so 共 2 条), a second report merged in, a task sent back.
    const first = await newClue({
      description: '端到端测试：小区门口流动摊贩占道经营，影响车辆通行和行人安全',
    });
    const second = await newClue({ description: '端到端测试：沿街商铺店外经营，占用人行道堆放货物和桌椅' });
    await act(chased, commanderToken, {
      action: 'escalate',
      reason: '群众多次反映，请今天之内安排人员到场处置并回复结果',
    });
    await act(target, commanderToken, { action: 'escalate', reason: '请尽快处理' });
    const dup = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt([target.lng + 0.0002, target.lat], { matterCode: 'SR09' }),
      source: 'hotline_12345',
      description: '又有人反映：垃圾还在，已经堆了三天，气味很大，请尽快清运',
      reporter: { name: '王先生', phone: '13800000000' },
    });
    expect(dup.status, JSON.stringify(dup.body)).toBe(201);
    expect(dup.body.case.duplicateOf).toBe(target.id);
    await act(dup.body.case, commanderToken, {
      action: 'merge',
      into: target.id,
      reason: '重复上报，合并处理',
    });
    await act(done, commanderToken, {
      action: 'verify_fail',
      reason: '现场复核仍有建筑垃圾，请彻底清理后重新上报',
    });

    const kinds = ['new-task', 'escalation', 'merged-in', 'rework'];
    for (const k of kinds) await page.getByTestId(`${k}-banner`).waitFor({ timeout: 5000 });
    await expect.poll(() => page.getByTestId('new-task-banner').getAttribute('data-count')).toBe('2');
    await expect.poll(() => page.getByTestId('escalation-banner').getAttribute('data-count')).toBe('2');
    // Each banner whole on the screen, and each of its buttons whole inside it, its words unclipped.
    const boxes = await page.evaluate((kinds) => {
      return kinds.map((k) => {
        const banner = document.querySelector(`[data-testid=${k}-banner]`)!;
        const b = banner.getBoundingClientRect();
        return {
          kind: k,
          inView: b.left >= 0 && b.right <= window.innerWidth,
          buttons: [...banner.querySelectorAll('button')].map((btn) => {
            const r = btn.getBoundingClientRect();
            return {
              text: btn.textContent!.trim(),
              whole: r.left >= b.left && r.right <= b.right && r.width > 0,
              unclipped: btn.scrollWidth <= btn.clientWidth,
            };
          }),
        };
      });
    }, kinds);
    for (const box of boxes) {
      expect(box.inView, `${box.kind} on screen`).toBe(true);
      for (const btn of box.buttons) expect(btn, box.kind).toMatchObject({ whole: true, unclipped: true });
      expect(box.buttons.map((b) => b.text)).toContain('知道了');
    }
    // Each says what kind of news it is, the matter and the case number, readable (a second line, the
    // kind's short word where the full ones do not fit); two lines high at most.
    const newest: Record<string, CaseView> = {
      'new-task': second,
      escalation: target,
      'merged-in': target,
      rework: done,
    };
    const kindWords: Record<string, string[]> = {
      'new-task': ['新任务'],
      escalation: ['指挥中心督办', '督办'],
      'merged-in': ['重复上报已并入', '重复上报'],
      rework: ['核查不通过，请返工', '返工'],
    };
    const readable = async (k: string, words: Record<string, string[]>) => {
      const title = await page.getByTestId(`${k}-title`).innerText();
      expect(title, k).toContain(newest[k]!.matterName);
      expect(await desk.reads(`${k}-title`, newest[k]!.matterName), `${k}: ${title}`).toBe(true);
      expect(
        words[k]!.some((w) => title.startsWith(w)),
        `${k}: ${title}`,
      ).toBe(true);
      expect(await desk.reads(`${k}-detail`, newest[k]!.no), k).toBe(true);
      const height = await page.getByTestId(`${k}-banner`).evaluate((e) => e.getBoundingClientRect().height);
      expect(height, k).toBeLessThan(52);
    };
    await screenshot(page, 'desk-all-banners-1366');
    for (const k of kinds) await readable(k, kindWords);
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const k of kinds) await readable(k, kindWords);
    await screenshot(page, 'desk-all-banners-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    // And each still works: 知道了 on the rework banner puts it away.
    await page.getByTestId('rework-dismiss').click();
    expect(await page.getByTestId('rework-banner').count()).toBe(0);
    // A colleague acknowledges one of the new tasks on another desk: it is no longer news here.
    await act(first, token, { action: 'acknowledge' });
    await expect.poll(() => page.getByTestId('new-task-banner').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('new-task-banner').textContent()).toContain(second.no);
    // A reload (or the desk opened again tomorrow) keeps what was not put away, and only that.
    await page.reload();
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    await expect.poll(() => page.getByTestId('escalation-banner').getAttribute('data-count')).toBe('2');
    expect(await page.getByTestId('new-task-banner').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('new-task-banner').textContent()).toContain(second.no);
    expect(await page.getByTestId('merged-in-banner').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('merged-in-banner').textContent()).toContain('又有人反映：垃圾还在');
    expect(await page.getByTestId('rework-banner').count()).toBe(0);
    // In English too (longer words): the kind, the matter and the number.
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.reload();
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('Live');
    await page.getByTestId('merged-in-banner').waitFor();
    for (const k of ['new-task', 'escalation', 'merged-in'])
      await readable(k, {
        'new-task': ['New task'],
        escalation: ['Escalated'],
        'merged-in': ['Duplicate report merged in', 'Reported again'],
      });
    await screenshot(page, 'desk-banners-1366-en');
    await page.evaluate(() => localStorage.setItem('locale', 'zh-CN'));
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  // Last: it moves the server's clock on, and every open case is then overdue.
  it("marks a task 超时 the moment the command centre's scheduler finds its deadline missed, without a reload", async () => {
    const c = await newClue();
    const { context, consoleErrors, desk } = await openLiveDesk();
    await desk.row(c.id).waitFor();
    expect(await desk.row(c.id).getByTestId('desk-overdue').count()).toBe(0);
    // Two hours on, past the time to acknowledge: the scheduler marks it (an `overdue` event, the
    // case's version unchanged).
    clock.offset = 2 * 3600_000;
    try {
      expect(await server.handle.ctx.caseDeadlines.scan()).toBeGreaterThan(0);
    } finally {
      clock.offset = 0;
    }
    await desk.row(c.id).getByTestId('desk-overdue').waitFor({ timeout: 5000 });
    expect(await desk.row(c.id).getByTestId('desk-overdue').textContent()).toBe('超时');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
