// 延期申请 end to end, in Chromium against the real server: a township clerk asks for more days on
// the 办结 deadline from the desk (the form says where the deadline would go); the operator finds it
// on the big screen's 延期审批 tab, reads what is asked and why, and grants it in one click; the
// desk hears the answer live (its banner, the moved deadline, the timeline). A second request,
// refused with a reason, comes to the desk as 不同意延期 with that reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { actOn, clueAt, pointIn } from '../support/cases';
import type { CaseView } from '../../shared/cases';
import { formatShanghai } from '../../client/src/lib/desk/format';
import { DeskPage } from './page-models/desk-page';
import { BigScreenPage } from './page-models/big-screen-page';

const DONGCHENG = '140581002';
const DAY = 86_400_000;

describe('延期申请: asked on the desk, decided on the big screen, heard on the desk', () => {
  let server: TestServer;
  let browser: Browser;
  let commander: string;
  let township: string;

  const act = (c: CaseView, by: string, body: Record<string, unknown>) => actOn(server, by, c, body);
  const read = async (c: CaseView) =>
    (await call<{ case: CaseView }>(server.url, commander, 'GET', `/api/cases/${c.id}`)).body.case;

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true });
    commander = await tokenFor(server, 'commander-x', 'commander');
    township = await tokenFor(server, 'dongcheng-x', 'township', { kind: 'township', code: DONGCHENG });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('grants the days a clerk asked for, and refuses a second request with a reason', async () => {
    const r = await call<{ case: CaseView }>(server.url, commander, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 0)),
      description: '端到端测试：占道经营，当事人外出',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    let c = r.body.case;
    for (const action of ['acknowledge', 'start', 'arrive']) c = await act(c, township, { action });
    const due = c.deadlines.finish!;

    // The clerk asks for 5 more days.
    const desk = await openPage(browser, { width: 1366, height: 768 });
    const clerk = new DeskPage(desk.page);
    await clerk.signInAndOpen(server.url, 'dongcheng-x', TEST_PASSWORD);
    await expect.poll(() => clerk.connection().textContent(), { timeout: 10_000 }).toContain('实时');
    await clerk.tab('in_progress').click();
    await clerk.openCase(c.id);
    expect(await clerk.offered()).toContain('request_extension');
    await clerk.startAction('request_extension');
    await desk.page.getByTestId('form-days').fill('5');
    expect((await desk.page.getByTestId('form-extended-to').textContent())?.trim()).toBe(
      `办结时限将由 ${formatShanghai(due)} 延至 ${formatShanghai(due + 5 * DAY)}（须经指挥中心同意）`,
    );
    // No reason: the form says so and sends nothing.
    await clerk.submit();
    expect(await clerk.formErrors().allTextContents()).toEqual(['必填']);
    await desk.page.getByTestId('form-reason').fill('当事人外出，需待其返回后现场处置');
    await screenshot(desk.page, 'desk-extension-request');
    await clerk.submit();
    const waiting = desk.page.getByTestId('case-extension-request');
    await expect
      .poll(() => waiting.textContent())
      .toContain(`已申请延期 5 天（办结时限延至 ${formatShanghai(due + 5 * DAY)}）`);
    expect(await waiting.textContent()).toContain('当事人外出，需待其返回后现场处置');
    // One request at a time: not offered again while it waits; its row says it waits.
    expect(await clerk.offered()).not.toContain('request_extension');
    expect(await clerk.row(c.id).getByTestId('desk-extension').textContent()).toBe('延期待批');

    // The operator finds it under 延期审批 and grants it.
    const wall = await openPage(browser);
    const screen = new BigScreenPage(wall.page);
    await screen.signInAndOpen(server.url, 'commander-x', TEST_PASSWORD);
    await screen.queueTab('extension').click();
    await expect.poll(() => screen.queueTab('extension').textContent()).toContain('1');
    expect(await screen.queueRow(c.id).getByTestId('queue-assignee').textContent()).toContain('东城街道');
    await screen.selectFromQueue(c.id);
    const asked = screen.panelFor(c.id).getByTestId('dispatch-extension');
    expect(await asked.textContent()).toContain('申请延期 5 天');
    expect(await asked.textContent()).toContain('当事人外出，需待其返回后现场处置');
    const approve = wall.page.getByTestId('dispatch-approve-extension');
    expect(await approve.textContent()).toContain('同意延期 5 天');
    await screenshot(wall.page, 'big-screen-extension-request');
    await approve.click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已同意延期');
    await screen.queueRow(c.id).waitFor({ state: 'detached' });
    expect((await read(c)).deadlines.finish).toBe(due + 5 * DAY);

    // The desk hears it: its banner, the deadline moved, the request gone, the timeline.
    await expect
      .poll(() => desk.page.getByTestId('extension-answer-title').textContent())
      .toBe(`指挥中心同意延期 5 天：${c.matterName}`);
    expect(await desk.page.getByTestId('extension-answer-detail').textContent()).toContain(
      `办结时限延至 ${formatShanghai(due + 5 * DAY)}`,
    );
    await waiting.waitFor({ state: 'detached' });
    await clerk.row(c.id).getByTestId('desk-extension').waitFor({ state: 'detached' });
    await expect.poll(() => clerk.detail().textContent()).toContain(`办结 ${formatShanghai(due + 5 * DAY)}`);
    expect(await clerk.detail().textContent()).toContain('（已延期 1 次）');
    await expect
      .poll(() => desk.page.getByTestId('timeline-extension').allTextContents())
      .toEqual([
        `申请延期 5 天，办结时限延至 ${formatShanghai(due + 5 * DAY)}`,
        `同意延期 5 天，办结时限延至 ${formatShanghai(due + 5 * DAY)}`,
      ]);
    await screenshot(desk.page, 'desk-extension-granted');

    // A second request, refused on the screen with a reason.
    c = await read(c);
    c = await act(c, township, { action: 'request_extension', days: 10, reason: '再等检测报告' });
    await screen.queueRow(c.id).waitFor();
    await screen.selectFromQueue(c.id);
    await wall.page.getByTestId('dispatch-deny-extension').click();
    await wall.page.getByTestId('dispatch-reason-input').fill('时限内可以办结，请抓紧');
    await wall.page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('不同意延期');
    await expect
      .poll(() => desk.page.getByTestId('extension-answer-title').textContent())
      .toBe(`指挥中心不同意延期：${c.matterName}`);
    expect(await desk.page.getByTestId('extension-answer-detail').textContent()).toContain(
      '时限内可以办结，请抓紧',
    );
    expect((await read(c)).deadlines.finish).toBe(due + 5 * DAY);

    expect(desk.consoleErrors).toEqual([]);
    expect(wall.consoleErrors).toEqual([]);
    await desk.context.close();
    await wall.context.close();
  });
});
