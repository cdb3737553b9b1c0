// The township desk in Chromium against the real server: the 责令整改 form says where the finish
// deadline will move (整改期间不计入办结时限) and the timeline records it; a task the unit had
// returned and the command centre sent back comes in as 退回未同意，重新派遣 with the centre's note,
// not as an ordinary new task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS_DIR, launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { clueAt, pointIn } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import { formatShanghai } from '../../client/src/lib/desk/format';
import { toShanghaiLocal } from '../../client/src/lib/desk/actions';
import { DeskPage } from './page-models/desk-page';
import { BigScreenPage } from './page-models/big-screen-page';
import { shanghaiWhen } from '../../client/src/lib/shanghai-time';

const DONGCHENG = '140581002';
const DAY = 86_400_000;

describe('desk: rectification and the finish deadline, a returned task sent back', () => {
  let server: TestServer;
  let browser: Browser;
  let commander: string;
  let township: string;
  let index = 0;

  async function newClue(): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, commander, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, index++)),
      description: '端到端测试：违规养犬不拴绳',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.case.status).toBe('dispatched');
    return r.body.case;
  }
  const act = async (c: CaseView, by: string, body: Record<string, unknown>) => {
    const r = await call<{ case: CaseView }>(server.url, by, 'POST', `/api/cases/${c.id}/actions`, {
      ...body,
      version: c.version,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case;
  };
  async function openLiveDesk() {
    const opened = await openPage(browser, { width: 1366, height: 768 });
    const desk = new DeskPage(opened.page);
    await desk.signInAndOpen(server.url, 'dongcheng-h', TEST_PASSWORD);
    await expect.poll(() => desk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    return { ...opened, desk };
  }

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    commander = await tokenFor(server, 'commander-h', 'commander');
    await tokenFor(server, 'commander-screen', 'commander'); // the operator at the big screen
    township = await tokenFor(server, 'dongcheng-h', 'township', { kind: 'township', code: DONGCHENG });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says before sending where 责令整改 moves the finish deadline, and the timeline says it moved', async () => {
    let c = await newClue();
    c = await act(c, township, { action: 'acknowledge' });
    c = await act(c, township, { action: 'start' });
    const finishDue = c.deadlines.finish!;
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    await desk.tab('in_progress').click();
    await desk.openCase(c.id);
    await desk.startAction('order_rectification');

    // A rectification to 18:00 two days after the finish deadline: the time left to finish is
    // kept after it (the form counts from its clock, which ticks: either second's answer will do).
    const rectifyLocal = `${toShanghaiLocal(finishDue + 2 * DAY).slice(0, 10)}T18:00`;
    const rectifyDue = Date.parse(`${rectifyLocal}:00+08:00`);
    const before = Date.now();
    await page.getByTestId('form-deadline').fill(rectifyLocal);
    const said = await page.getByTestId('form-finish-due').textContent();
    const after = Date.now();
    const expected = [before - 1000, after].map(
      (now) => `办结时限将顺延至 ${formatShanghai(rectifyDue + finishDue - now)}（整改期间不计时）`,
    );
    expect(expected).toContain(said?.trim());
    await screenshot(page, 'desk-rectify-finish-moves');

    await desk.submit();
    await desk.waitStatus('整改中');
    const moved = (await call<{ case: CaseView }>(server.url, commander, 'GET', `/api/cases/${c.id}`)).body
      .case;
    expect(moved.deadlines.finish).toBeGreaterThan(rectifyDue);
    await expect
      .poll(() => page.getByTestId('timeline-finish-due').textContent())
      .toBe(`办结时限顺延至 ${formatShanghai(moved.deadlines.finish)}（整改期间不计时）`);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('prints the 责令限期整改通知书 for the party, filled from the case and its order, the desk left off the paper', async () => {
    let c = await newClue();
    c = await act(c, township, { action: 'acknowledge' });
    c = await act(c, township, { action: 'start' });
    const due = Date.parse('2027-01-15T18:00:00+08:00');
    c = await act(c, township, { action: 'order_rectification', deadline: due, note: '拴绳并办理犬证' });
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    await desk.tab('rectifying').click();
    await desk.openCase(c.id);
    await page.getByTestId('notice-open').click();
    const notice = page.getByTestId('rectification-notice');
    await notice.waitFor();
    expect(await notice.getByTestId('notice-serial').textContent()).toBe(`编号：${c.no}-1`);
    expect(await notice.getByTestId('notice-facts').textContent()).toBe('端到端测试：违规养犬不拴绳');
    expect(await notice.getByTestId('notice-basis').textContent()).toBe(c.legalBasis);
    // As an official document dates it (no leading zeros), the order's basis cited, not "违反了" it.
    const ordered = (await notice.getByTestId('notice-deadline').textContent())!;
    expect(ordered).toContain('于2027年1月15日18时00分前');
    expect(ordered).toContain(`依据${c.legalBasis}的规定，现责令你（单位）`);
    expect(await notice.getByTestId('notice-requirement').textContent()).toBe('整改要求：拴绳并办理犬证');
    // The officers on site sign by hand with their 执法证号: not the desk's account.
    expect(await notice.textContent()).not.toContain('dongcheng-h');
    expect(await notice.getByTestId('notice-print').evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await notice.locator('h1').textContent()).toBe('高平市东城街道');
    await screenshot(page, 'desk-rectification-notice');
    // On paper: the sheet alone, not the desk under it nor the buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#app').isVisible()).toBe(false);
    expect(await page.getByTestId('notice-print').isVisible()).toBe(false);
    expect(await notice.locator('article').isVisible()).toBe(true);
    await page.pdf({ path: path.join(ARTIFACTS_DIR, 'rectification-notice.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    // Esc puts it away; the desk is as it was.
    await page.keyboard.press('Escape');
    await notice.waitFor({ state: 'detached' });
    await desk.waitStatus('整改中');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("hears a task it returned, sent back by the command centre, as 退回未同意，重新派遣 with the centre's note", async () => {
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    let c = await newClue();
    await desk.row(c.id).waitFor();
    await expect.poll(() => page.getByTestId('new-task-title').textContent()).toContain('新任务');
    c = await act(c, township, { action: 'return', reason: '非本街道职权' });
    await desk.row(c.id).waitFor({ state: 'detached' });
    c = await act(c, commander, {
      action: 'dispatch',
      assignee: { kind: 'township', code: DONGCHENG },
      note: '经协调，重新派遣',
    });

    await expect
      .poll(() => page.getByTestId('new-task-title').textContent())
      .toBe(`退回未同意，重新派遣：${c.matterName}`);
    expect(await page.getByTestId('new-task-detail').textContent()).toContain('经协调，重新派遣');
    expect(await desk.row(c.id).getByTestId('desk-row-redispatch').textContent()).toContain(
      '退回未同意，重新派遣：经协调，重新派遣',
    );
    await screenshot(page, 'desk-redispatch-banner');

    // A reload reads it back the same.
    await page.reload();
    await page.getByTestId('desk-page').waitFor();
    await expect
      .poll(() => page.getByTestId('new-task-title').textContent())
      .toBe(`退回未同意，重新派遣：${c.matterName}`);
    // The detail says it too.
    await desk.openCase(c.id);
    expect(await page.getByTestId('case-redispatch').textContent()).toContain('经协调，重新派遣');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows a department’s task it cooperates on (协办) in its own tab, live and read only, with no new-task cue; gone once closed', async () => {
    const cgj = await tokenFor(server, 'cgj-h', 'department', { kind: 'department', code: 'cgj' });
    const { context, page, consoleErrors, desk } = await openLiveDesk();
    const before = { helping: await desk.count('cooperating'), waiting: await desk.count('acknowledge') };
    // 擅自挖掘城市道路 is the 城管局's in 东城 too: dispatched to it, 东城 cooperating (联合执法).
    const r = await call<{ case: CaseView }>(server.url, commander, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, index++), { matterCode: 'SR14' }),
      description: '端到端测试：人行道被擅自开挖',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    let c = r.body.case;
    expect(c).toMatchObject({ status: 'dispatched', assignee: { kind: 'department', code: 'cgj' } });
    await expect.poll(() => desk.count('cooperating')).toBe(before.helping + 1);
    expect(await desk.count('acknowledge')).toBe(before.waiting); // not a task of its own
    expect(await page.getByTestId('new-task-title').count()).toBe(0); // nor announced as one

    await desk.tab('cooperating').click();
    await desk.row(c.id).waitFor();
    await desk.openCase(c.id);
    await page.getByTestId('read-only').waitFor(); // the department's to act on
    expect(await desk.offered()).toEqual([]);
    await screenshot(page, 'desk-cooperating-tab');

    // The department's steps arrive live; closed, it leaves the tab.
    c = await act(c, cgj, { action: 'acknowledge' });
    await desk.waitStatus('已签收');
    c = await act(c, cgj, { action: 'start' });
    c = await act(c, cgj, { action: 'resolve', result: '已责令恢复路面' });
    c = await act(c, commander, { action: 'verify_pass' });
    await desk.row(c.id).waitFor({ state: 'detached' });
    expect(await desk.count('cooperating')).toBe(before.helping);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("says both on the big screen's timeline too: the dispatch back as 退回未同意，重新派遣, and where 责令整改 moved the finish deadline", async () => {
    let c = await newClue();
    c = await act(c, township, { action: 'return', reason: '非本街道职权' });
    c = await act(c, commander, {
      action: 'dispatch',
      assignee: { kind: 'township', code: DONGCHENG },
      note: '经协调，重新派遣',
    });
    c = await act(c, township, { action: 'acknowledge' });
    c = await act(c, township, { action: 'start' });
    c = await act(c, township, { action: 'order_rectification', deadline: c.deadlines.finish! + 2 * DAY });
    expect(c.deadlines.finish).toBeGreaterThan(c.deadlines.rectify!);

    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander-screen', TEST_PASSWORD);
    await screen.openByNumber(c);
    const timeline = screen.panelFor(c.id).getByTestId('dispatch-timeline');
    const entries = timeline.locator('li');
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(6);
    // Only the second dispatch is marked: the first went to a unit that had not returned anything.
    const marked = timeline.locator('li', { has: page.getByTestId('timeline-redispatch') });
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toContain('退回未同意，重新派遣');
    expect(await marked.textContent()).toContain('经协调，重新派遣');
    expect(await timeline.getByTestId('timeline-finish-due').textContent()).toBe(
      `办结时限顺延至 ${shanghaiWhen(c.deadlines.finish!, Date.now())}（整改期间不计时）`,
    );
    await screenshot(page, 'big-screen-timeline-redispatch-finish-due');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
