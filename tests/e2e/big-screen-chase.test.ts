// Chasing overdue work (督办) from the big screen, in Chromium against the real server: a township
// leaves a dispatched case unanswered past its deadline; the 当前超时 counter opens 超时督办, where
// it waits with nothing said of any chase; the operator escalates it from the panel, and the row
// and the panel say when;
// a second escalation made elsewhere reaches the row and the panel live, with its count. The server's clock
// runs three hours behind while the case is reported and dispatched, then catches up, so the
// deadline has passed when the scheduler looks (a real scan, the real server).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser, openPage, screenshot } from './support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { tokenFor, TEST_PASSWORD } from '../support/auth';
import { act, clueAt, pointIn } from '../support/cases';
import { call } from '../support/auth';
import type { Clock } from '../../server/clock';
import type { CaseView } from '../../shared/cases';
import { shanghaiWhen } from '../../client/src/lib/shanghai-time';
import { shanghaiDay, shanghaiDayStart } from '../../shared/time';
import { LoginPage } from './page-models/login-page';
import { BigScreenPage } from './page-models/big-screen-page';

const DONGCHENG = '140581002';
/** The county department with the longest name (geo/gaoping/departments.json). */
const RSJ = {
  code: 'rsj',
  name: '高平市人力资源和社会保障局（劳动保障监察）',
  short: '人力资源和社会保障局',
};
const HOUR = 3_600_000;

/** The wall clock, shifted by `offset` (ms). */
class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

describe('chasing overdue work (督办) on the big screen', () => {
  let server: TestServer;
  let browser: Browser;
  let commanderToken: string;
  let overdue: CaseView;
  /** Two more cases overdue, for 一键督办. */
  let others: CaseView[];
  const clock = new ShiftedClock();

  beforeAll(async () => {
    server = await startTestServer({ serveClient: true, clock, env: { AUTO_DISPATCH: 'off' } });
    commanderToken = await tokenFor(server, 'commander', 'commander');
    // Reported and dispatched three hours ago; nobody at the township has accepted them since.
    clock.offset = -3 * HOUR;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const posted = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
        ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 3 + i)),
        description: '网格员上报：商铺占道经营，多次劝导无效',
      });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      // The last one sent to a county department with a long name, not to the place's township.
      const dispatched = await act(server, commanderToken, posted.body.case.id, {
        action: 'dispatch',
        version: posted.body.case.version,
        ...(i === 2 ? { assignee: { kind: 'department', code: RSJ.code } } : {}),
      });
      expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
      ids.push(posted.body.case.id);
    }
    clock.offset = 0;
    await server.handle.ctx.caseDeadlines.scan();
    const read = await Promise.all(ids.map((id) => readCase(id)));
    overdue = read[0]!;
    others = read.slice(1);
    for (const c of read) {
      expect(c.overdue).toBe(true);
      expect(c.escalatedAt).toBeNull();
    }
    browser = await launchBrowser();
  });

  async function readCase(id: string): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${id}`);
    expect(r.status).toBe(200);
    return r.body.case;
  }

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says in the queue and the panel which overdue case was chased, when, and how often', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    // The red 当前超时 counter opens the queue's 超时督办, where the case waits. It is named and
    // explained apart from the leader page's 超时案件（期内） (cases reported in its period).
    await expect.poll(() => screen.kpi('overdue').textContent()).toBe('3');
    expect(await page.getByTestId('kpi-overdue').locator('.label').textContent()).toBe('当前超时');
    expect(await page.getByTestId('kpi-overdue').getAttribute('title')).toContain('不论何日上报');
    expect(await page.getByTestId('kpi-closedToday').getAttribute('title')).toContain('不论何日上报');
    expect(await screen.queueTab('overdue').getAttribute('aria-selected')).toBe('false');
    await page.getByTestId('kpi-overdue').click();
    expect(await screen.queueTab('overdue').getAttribute('aria-selected')).toBe('true');
    // The tabs from the keyboard: ← shows the list before it, with the focus; → comes back.
    await screen.queueTab('overdue').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await screen.queueTab('returned').getAttribute('aria-selected')).toBe('true');
    expect(await screen.queueTab('returned').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await screen.queueTab('overdue').getAttribute('aria-selected')).toBe('true');
    const row = screen.queueRow(overdue.id);
    await row.waitFor();
    expect(await row.getByTestId('queue-chased').count()).toBe(0);

    // From the keyboard: the row takes the focus, Enter opens the case and takes the focus into
    // its panel (Tab goes through its actions, not on down the queue); Esc gives it back to the row.
    // Enter, Esc and Enter again in quick succession once stopped the map for good (uncaught
    // MapLibre errors each frame, which the console check at the end catches).
    await row.focus();
    await page.keyboard.press('Enter');
    await screen.panelFor(overdue.id).waitFor();
    const focusIn = (sel: string) => page.evaluate((sel) => !!document.activeElement?.closest(sel), sel);
    await expect.poll(() => focusIn('[data-testid=dispatch-panel]')).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusIn('[data-testid=dispatch-panel]')).toBe(true);
    await page.keyboard.press('Escape');
    await screen.panelFor(overdue.id).waitFor({ state: 'detached' });
    expect(await focusIn(`[data-testid=queue-row][data-case-id="${overdue.id}"]`)).toBe(true);
    await page.keyboard.press('Enter');
    await screen.panelFor(overdue.id).waitFor();
    expect(await page.getByTestId('dispatch-chased').count()).toBe(0);
    // Which deadline it missed, in the panel and the row: 签收, due first (到场 has passed too).
    expect(await page.getByTestId('dispatch-missed').textContent()).toMatch(
      // The due time names its day when that was not today (in Shanghai's first three hours).
      /签收已超时 \d:\d\d:\d\d（(\d\d-\d\d )?\d\d:\d\d 到期）/,
    );
    expect(await row.getByTestId('queue-countdown').textContent()).toMatch(/签收已超时\s*\d:\d\d:\d\d$/);
    // A decision's form put away with Esc leaves the focus in the panel (it fell to the page, and
    // the next Esc did not give it back to the row).
    await page.getByTestId('dispatch-escalate').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('dispatch-reason-submit').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('dispatch-reason-submit').waitFor({ state: 'detached' });
    expect(await focusIn('[data-testid=dispatch-panel]')).toBe(true);
    await page.getByTestId('dispatch-escalate').click();
    await page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已督办');
    const first = (
      await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${overdue.id}`)
    ).body.case;
    expect(first.escalations).toBe(1);
    const at = shanghaiWhen(first.escalatedAt!, Date.now());
    await expect.poll(() => row.getByTestId('queue-chased').textContent()).toBe(`督办 ${at}`);
    await expect.poll(() => page.getByTestId('dispatch-chased').textContent()).toBe(`已督办（${at}）`);

    // Escalated again from elsewhere (another desk, over the API): the row and the panel follow
    // live, with the count.
    const again = await act(server, commanderToken, overdue.id, {
      action: 'escalate',
      version: first.version,
      reason: '请今日内到场',
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const second = (again.body as { case: CaseView }).case;
    const later = shanghaiWhen(second.escalatedAt!, Date.now());
    await expect.poll(() => row.getByTestId('queue-chased').textContent()).toBe(`督办2次 ${later}`);
    await expect
      .poll(() => page.getByTestId('dispatch-chased').textContent())
      .toBe(`已督办 2 次，最近 ${later}`);
    // Still in 超时督办 (escalating changes no state), most overdue first as before.
    expect(await row.getAttribute('data-sla')).toBe('red');
    await screenshot(page, 'big-screen-chased');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('names who is late in 超时督办 (the unit the case is with), and ends a dispatch line of the feed with that unit, whole', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await page.getByTestId('kpi-overdue').click();
    // Sent to the department: the row names it (short, the county's name dropped; in full on hover)
    // before the place, which is the township's.
    const toDept = screen.queueRow(others[1]!.id);
    const holder = toDept.getByTestId('queue-assignee');
    await expect.poll(() => holder.textContent()).toBe(`承办 ${RSJ.short}`);
    expect(await holder.getAttribute('title')).toBe(`承办单位：${RSJ.name}`);
    expect(await toDept.locator('.place').textContent()).toMatch(/^东城街道 · /);
    // With the township itself: named once, as the unit, the place after it without it again.
    const toTownship = screen.queueRow(overdue.id);
    expect(await toTownship.getByTestId('queue-assignee').textContent()).toBe('承办 东城街道');
    expect(await toTownship.locator('.place').textContent()).toMatch(/^· \S/);

    // The feed's line for that dispatch: 派遣 东城街道 <matter> → 人力资源和社会保障局, the unit
    // drawn whole inside the row (the place and the matter give way), the full line its tooltip.
    const line = page.locator(`[data-testid=feed-item].dispatch[data-case-id="${others[1]!.id}"]`);
    await line.waitFor();
    // Its deadlines missed (超时) name the department too, as the one late (承办), not the place's
    // township.
    expect(
      await page
        .locator(`[data-testid=feed-item].overdue[data-case-id="${others[1]!.id}"]`)
        .first()
        .getByTestId('feed-to')
        .textContent(),
    ).toBe(`承办 ${RSJ.short}`);
    expect(await line.getByTestId('feed-to').textContent()).toBe(`→ ${RSJ.short}`);
    expect(await line.getAttribute('title')).toMatch(
      new RegExp(`派遣 东城街道 .+ → ${RSJ.name.replace(/[()（）]/g, '.')}$`),
    );
    const fits = await line.evaluate((li: HTMLElement) => {
      const to = li.querySelector('[data-testid=feed-to]') as HTMLElement;
      const row = li.getBoundingClientRect();
      const box = to.getBoundingClientRect();
      const pad = parseFloat(getComputedStyle(li).paddingRight) * (row.width / li.offsetWidth);
      // Whole to the last fraction of a pixel: a box narrower than its words by 0.05 px (scrollWidth
      // and clientWidth round it away) draws the ellipsis over the unit's last characters.
      const words = document.createRange();
      words.selectNodeContents(to);
      return {
        inRow: box.right <= row.right - pad + 0.5,
        whole: box.width >= words.getBoundingClientRect().width,
      };
    });
    expect(fits).toEqual({ inRow: true, whole: true });
    await screenshot(page, 'big-screen-overdue-holder');
    // In English the unit is the record's Chinese name, short the same way: the records write the
    // county's name in Chinese whatever the page's language.
    await screen.openMenu();
    await page.getByTestId('screen-language').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toContain('command screen');
    expect(await line.getByTestId('feed-to').textContent()).toBe(`→ ${RSJ.short}`);
    expect(await holder.textContent()).toContain(RSJ.short);
    expect(await holder.textContent()).not.toContain(RSJ.name);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('escalates every overdue case not chased today at once (一键督办), with its progress, and not the one already chased', async () => {
    // A leader on the wall sees the same overdue cases, and is offered no 一键督办: 督办 is the
    // command centre's.
    await tokenFor(server, 'leader-on-wall', 'leader');
    const watching = await openPage(browser);
    const leaderScreen = new BigScreenPage(watching.page);
    const login = new LoginPage(watching.page);
    await login.open(server.url);
    await login.signIn('leader-on-wall', TEST_PASSWORD);
    await watching.page.waitForURL((u) => u.pathname !== '/login'); // a leader lands on /leader
    await watching.page.goto(`${server.url}/screen`);
    await leaderScreen.waitLive();
    await watching.page.getByTestId('kpi-overdue').click();
    for (const c of [overdue, ...others]) await leaderScreen.queueRow(c.id).waitFor();
    expect(await watching.page.getByTestId('queue-chase-all').count()).toBe(0);
    expect(watching.consoleErrors).toEqual([]);
    await watching.context.close();

    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await page.getByTestId('kpi-overdue').click();
    // The first case was chased in the test before: two are left.
    const start = page.getByTestId('queue-chase-all-start');
    await expect.poll(() => start.textContent()).toContain('一键督办今日未督办的 2 件');
    await start.click();
    const words = page.getByTestId('queue-chase-all-words');
    expect(await words.inputValue()).toBe('请尽快处置并反馈进展');
    await words.fill('今日12时前到场处置并回复');
    // What the progress line says as it goes (recorded as the page changes, not sampled).
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { progressSeen: string[] }).progressSeen = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=queue-chase-all-progress]')?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('queue-chase-all-send').click();
    await expect.poll(() => page.getByTestId('queue-chase-all-message').textContent()).toBe('已督办 2 件');
    expect(await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen)).toEqual(
      ['督办中 0/2', '督办中 1/2'],
    );
    for (const c of others) {
      const now = await readCase(c.id);
      expect(now.escalations).toBe(1);
      const at = shanghaiWhen(now.escalatedAt!, Date.now());
      await expect
        .poll(() => screen.queueRow(c.id).getByTestId('queue-chased').textContent())
        .toBe(`督办 ${at}`);
      const full = await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${c.id}`);
      expect(
        full.body.case.timeline!.filter((e) => e.type === 'escalate').map((e) => e.payload.reason),
      ).toEqual(['今日12时前到场处置并回复']);
    }
    // The one chased before keeps its two escalations; nothing is left to chase today.
    expect((await readCase(overdue.id)).escalations).toBe(2);
    expect(await start.count()).toBe(0);
    await screenshot(page, 'big-screen-chase-all');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('gives the focus back to the menu when 交接班, opened from the keyboard, is put away', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    // 交接班 from the menu, by the keys: the note takes the focus; Esc gives it back to the menu's
    // button (the item pressed went with the menu), not to the top of the page.
    await page.getByTestId('screen-menu').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-handover').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('handover-dialog').waitFor();
    await expect.poll(() => screen.focusedTestId()).toBe('handover-note');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('handover-dialog').count()).toBe(0);
    await expect.poll(() => screen.focusedTestId()).toBe('screen-menu');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('takes the focus into 登记线索 opened by Enter, and gives it back to the button when put away', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    // 登记线索 by Enter: the form (its button gone with it up) takes the focus, and Tab goes to its
    // own controls, not past them to the queue; Esc on the untouched form puts it away and the
    // focus is on 登记线索 again.
    await page.getByTestId('clue-open').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('clue-form').waitFor();
    await expect.poll(() => screen.focusedTestId()).toBe('clue-form');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=clue-form]'))).toBe(
      true,
    );
    await page.getByTestId('clue-form').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('clue-form').count()).toBe(0);
    await expect.poll(() => screen.focusedTestId()).toBe('clue-open');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows the hint of the 值班员 search in 历次交班 whole, in English too', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await screen.openMenu();
    await page.getByTestId('screen-language').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toContain('command screen');
    await screen.openMenu();
    await page.getByTestId('screen-handover').click();
    await page.getByTestId('handover-history-toggle').click();
    const who = page.getByTestId('handover-history-who');
    await who.waitFor();
    // The placeholder's words, as the input draws them, against the room inside its padding.
    const fit = await who.evaluate((el: HTMLInputElement) => {
      const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      return { hint: el.placeholder, fits: ctx.measureText(el.placeholder).width <= room };
    });
    expect(fit).toEqual({ hint: 'handed or took over', fits: true });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('hands the shift over with its figures and a note, and the next operator, on another screen, takes it over live (交接班)', async () => {
    await server.handle.ctx.users.ensure({
      username: 'wang',
      displayName: '王坐席',
      role: 'admin',
      scope: { kind: 'county' },
      password: TEST_PASSWORD,
    });
    const next = await openPage(browser);
    const nextScreen = new BigScreenPage(next.page);
    await nextScreen.signInAndOpen(server.url, 'wang', TEST_PASSWORD);
    await nextScreen.waitLive();
    expect(await next.page.getByTestId('handover-waiting').count()).toBe(0);

    const { context, page, consoleErrors } = await openPage(browser);
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'commander', TEST_PASSWORD);
    await screen.waitLive();
    await screen.openMenu();
    await page.getByTestId('screen-handover').click();
    const dialog = page.getByTestId('handover-dialog');
    await dialog.waitFor();
    // The shift so far, counted by the server: the three clues reported and dispatched, the four
    // escalations of the tests before, and the overdue marks the scan made.
    // No handover before: the shift is the last 24 hours, across midnight, so both ends name their day.
    expect(await dialog.locator('h3').first().textContent()).toMatch(
      /本班情况（\d\d-\d\d \d\d:\d\d 至 \d\d-\d\d \d\d:\d\d）/,
    );
    const tile = (k: string) => dialog.getByTestId(`handover-activity-${k}`).locator('b');
    await expect.poll(() => tile('reported').textContent()).toBe('3');
    expect(await tile('dispatched').textContent()).toBe('3');
    expect(await tile('escalated').textContent()).toBe('4');
    const marks = await server.store.db
      .selectFrom('case_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'overdue')
      .executeTakeFirstOrThrow();
    expect(await tile('overdue').textContent()).toBe(String(marks.n));
    // What is left open, as the queue's tabs: the three overdue cases, by number; each opens its case.
    const overdueRow = dialog.getByTestId('handover-pending-overdue');
    expect(await overdueRow.locator('.count').textContent()).toBe('3');
    expect(
      (await overdueRow.getByTestId('handover-case').allTextContents()).map((x) => x.trim()).sort(),
    ).toEqual([overdue, ...others].map((c) => c.no).sort());
    // A clue reported while the dialog is open: what is open follows, as the queue does.
    const reportedRow = dialog.getByTestId('handover-pending-reported');
    expect(await reportedRow.locator('.count').textContent()).toBe('0');
    const fresh = await call<{ case: CaseView }>(server.url, commanderToken, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 9)),
      description: '网格员上报：夜间施工噪音扰民',
    });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    await expect.poll(() => reportedRow.locator('.count').textContent(), { timeout: 5000 }).toBe('1');
    await overdueRow.getByTestId('handover-case').filter({ hasText: overdue.no }).click();
    await screen.panelFor(overdue.id).waitFor();
    expect(await dialog.count()).toBe(0);

    // 交班 with a note. Written, then the dialog closed by Esc before sending: the note is still
    // there when it opens again.
    const noteText = `${overdue.no} 已两次督办，东城街道仍未签收，请早上电话催办。`;
    await screen.openMenu();
    await page.getByTestId('screen-handover').click();
    await page.getByTestId('handover-note').fill(noteText);
    expect(await dialog.textContent()).toContain('草稿已保存');
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    await screen.openMenu();
    await page.getByTestId('screen-handover').click();
    expect(await page.getByTestId('handover-note').inputValue()).toBe(noteText);
    await page.getByTestId('handover-send').click();
    await expect.poll(() => page.getByTestId('handover-message').textContent()).toContain('交班，等待接班');
    await expect
      .poll(() => page.getByTestId('handover-last-note').textContent())
      .toBe(`${overdue.no} 已两次督办，东城街道仍未签收，请早上电话催办。`);
    // Sent: the draft is gone.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('Draft')))).toEqual(
      [],
    );
    // Not offered to take over one's own shift.
    expect(await page.getByTestId('handover-take').count()).toBe(0);
    // Nor a second 交班 of the shift just begun (本班情况 10:01 至 10:01, no note) by a slip: until it
    // is taken over, the dialog shows the handover made, and 再次交班 is a deliberate press that says
    // what it does to the one waiting; 取消 folds it away again.
    const again = page.getByTestId('handover-again');
    await again.waitFor();
    expect(await page.getByTestId('handover-send').count()).toBe(0);
    expect(await page.getByTestId('handover-note').count()).toBe(0);
    expect(await dialog.getByTestId('handover-activity').count()).toBe(0);
    expect(await dialog.getByTestId('handover-pending').count()).toBe(1); // what is open, still
    await again.click();
    expect(await page.getByTestId('handover-again-warn').textContent()).toContain('尚未接班');
    expect(await page.getByTestId('handover-note').inputValue()).toBe('');
    expect(await page.getByTestId('handover-send').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: '取消' }).click();
    await again.waitFor();
    expect(await page.getByTestId('handover-send').count()).toBe(0);

    // The next operator's screen says so at once, and takes it over in two presses.
    const waiting = next.page.getByTestId('handover-waiting');
    await waiting.waitFor();
    // In English the header's words are wider (Handover waiting, On duty): the title keeps clear of
    // the clock.
    await nextScreen.openMenu();
    await next.page.getByTestId('screen-language').click();
    await expect.poll(() => next.page.getByTestId('page-title').textContent()).toContain('command screen');
    const gap = await next.page.evaluate(
      () =>
        document.querySelector('[data-testid=screen-clock]')!.getBoundingClientRect().left -
        document.querySelector('[data-testid=page-title]')!.getBoundingClientRect().right,
    );
    expect(gap).toBeGreaterThanOrEqual(8);
    await nextScreen.openMenu();
    await next.page.getByTestId('screen-language').click();
    await expect.poll(() => next.page.getByTestId('page-title').textContent()).toContain('指挥');
    await waiting.click();
    const nextDialog = next.page.getByTestId('handover-dialog');
    await expect
      .poll(() => nextDialog.getByTestId('handover-last-note').textContent())
      .toContain('请早上电话催办');
    expect(await nextDialog.getByTestId('handover-last').textContent()).toContain('commander 于');
    await next.page.getByTestId('handover-take').click();
    await expect.poll(() => nextDialog.getByTestId('handover-message').textContent()).toContain('已接班');
    expect(await waiting.count()).toBe(0);
    // The one who handed over sees who took it, live, in the dialog still open.
    await expect.poll(() => page.getByTestId('handover-taken').textContent()).toContain('已由 王坐席 于');
    expect(await page.getByTestId('handover-message').count()).toBe(0); // no longer "waiting"
    // Taken over: the form is back, for the shift after it.
    await page.getByTestId('handover-send').waitFor();
    expect(await page.getByTestId('handover-again').count()).toBe(0);
    // 历次交班: the record, newest first, with who took it and the note.
    await page.getByTestId('handover-history-toggle').click();
    const earlier = page.getByTestId('handover-history-item');
    await earlier.first().waitFor();
    expect(await earlier.count()).toBe(1);
    expect(await earlier.first().textContent()).toMatch(
      /commander.*→ 王坐席（\d\d:\d\d）.*超时督办 3.*请早上电话催办/,
    );
    const stored = await call<{ handovers: Array<{ taken: { by: { name: string } } | null }> }>(
      server.url,
      commanderToken,
      'GET',
      '/api/handovers?limit=1',
    );
    expect(stored.body.handovers[0]!.taken?.by.name).toBe('王坐席');
    await screenshot(page, 'big-screen-handover');
    // 打印: the record as a 交接班记录表, through the browser's print dialog, printed alone on white.
    await page.evaluate(() => {
      const w = window as unknown as { prints: number };
      w.prints = 0;
      window.print = () => void w.prints++;
    });
    const sheet = page.getByTestId('handover-sheet');
    expect(await sheet.count()).toBe(0);
    await earlier.first().getByTestId('handover-history-print').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { prints: number }).prints)).toBe(1);
    expect(await sheet.isVisible()).toBe(false); // on screen, nothing changes
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await sheet.isVisible()).toBe(true);
      expect(await page.locator('#app').isVisible()).toBe(false);
      expect(await sheet.locator('h1').textContent()).toBe('高平市综合执法指挥中心交接班记录');
      expect(await sheet.getByTestId('handover-sheet-by').textContent()).toBe('commander');
      expect((await sheet.getByTestId('handover-sheet-taken').textContent())?.trim()).toBe('王坐席');
      expect(await sheet.getByTestId('handover-sheet-note').textContent()).toContain('请早上电话催办');
      expect(await sheet.getByTestId('handover-sheet-pending').textContent()).toContain(overdue.no);
      expect(await sheet.getByTestId('handover-sheet-activity').locator('th').allTextContents()).toEqual(
        expect.arrayContaining(['新超时', '同意延期', '不同意延期']),
      );
      await screenshot(page, 'handover-sheet-print');
      await page.pdf({ path: path.join(ARTIFACTS_DIR, 'handover-sheet.pdf'), format: 'A4' });
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    // Ten at a time: 更早的交班 reads the ten before the last shown.
    for (let i = 0; i < 10; i++)
      expect(
        (await call(server.url, commanderToken, 'POST', '/api/handovers', { note: `补充交班 ${i}` })).status,
      ).toBe(201);
    await page.getByTestId('handover-history-toggle').click();
    await page.getByTestId('handover-history-toggle').click(); // read afresh
    await expect.poll(() => earlier.count()).toBe(10);
    expect(await earlier.first().textContent()).toContain('补充交班 9');
    await page.getByTestId('handover-history-older').click();
    await expect.poll(() => earlier.count()).toBe(11);
    expect(await earlier.last().textContent()).toContain('请早上电话催办');
    expect(await page.getByTestId('handover-history-older').count()).toBe(0);
    // On a 1366×768 laptop, scrolled down to the oldest: the dialog fits the window and keeps its
    // title, ×, 历次交班 and, at its foot, the action (再次交班 while the last waits, else 交班) in view.
    await page.setViewportSize({ width: 1366, height: 768 });
    // The 1920×1080 canvas scaled to the window (940 px wide at 1920, about 669 here).
    await expect.poll(async () => (await dialog.boundingBox())!.width).toBeLessThan(700);
    const scrolled = await dialog.evaluate((d) => {
      let moved = 0;
      for (const el of [d, ...d.querySelectorAll('*')])
        if (el.scrollHeight > el.clientHeight + 1) moved += el.scrollTop = el.scrollHeight;
      return moved;
    });
    expect(scrolled).toBeGreaterThan(0);
    const box = (await dialog.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    const close = (await dialog.locator('header .close').boundingBox())!;
    expect(close.y).toBeGreaterThanOrEqual(box.y);
    expect(close.y + close.height).toBeLessThan(box.y + 60);
    // Each is where it is drawn, not under what scrolled or cut by the dialog's edge.
    const reachable = (testid: string) =>
      page.getByTestId(testid).evaluate((el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.bottom <= window.innerHeight && !!hit && el.contains(hit);
      });
    expect(await reachable('handover-again')).toBe(true);
    expect(await reachable('handover-history-toggle')).toBe(true);
    await page.getByTestId('handover-again').click();
    expect(await reachable('handover-send')).toBe(true);
    await screenshot(page, 'big-screen-handover-1366');
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect.poll(async () => (await dialog.boundingBox())!.width).toBe(940);
    // Nothing scrolled shows above the title.
    expect(
      await dialog.evaluate((d) => {
        const r = d.getBoundingClientRect();
        return [3, 12].map((dy) => !!document.elementFromPoint(r.left + 60, r.top + dy)?.closest('header'));
      }),
    ).toEqual([true, true]);
    // 查找: by who handed over or took over (as typed), by day; 清除条件 shows them all again.
    const who = page.getByTestId('handover-history-who');
    const dayInput = page.getByTestId('handover-history-day');
    const none = page.getByTestId('handover-history-none');
    await who.fill('王');
    await expect.poll(() => earlier.count()).toBe(1);
    expect(await earlier.first().textContent()).toMatch(/commander.*→ 王坐席.*请早上电话催办/);
    await page.getByTestId('handover-history-clear').click();
    await expect.poll(() => earlier.count()).toBe(10);
    expect(await who.inputValue()).toBe('');
    const latest = await call<{ handovers: Array<{ at: number }> }>(
      server.url,
      commanderToken,
      'GET',
      '/api/handovers?limit=1',
    );
    const day = shanghaiDay(latest.body.handovers[0]!.at);
    await dayInput.fill(shanghaiDay(shanghaiDayStart(day) - 1)); // the day before: none
    await none.waitFor();
    expect(await none.textContent()).toContain('没有符合条件的交班记录');
    expect(await earlier.count()).toBe(0);
    await dayInput.fill(day); // that day: all eleven, ten at a time
    await expect.poll(() => earlier.count()).toBe(10);
    expect(await page.getByTestId('handover-history-older').count()).toBe(1);
    await who.fill('补充'); // names, not notes
    await none.waitFor();
    await screenshot(page, 'big-screen-handover-search');
    await page.getByTestId('handover-history-clear').click();
    await expect.poll(() => earlier.count()).toBe(10);
    expect(await dayInput.inputValue()).toBe('');
    // The last, 补充交班 9, is this account's own and waits: for a seat account shared by the shifts,
    // the next operator takes it over under the same account, confirming it in a second press.
    await expect.poll(() => page.getByTestId('handover-last-note').textContent()).toBe('补充交班 9');
    expect(await page.getByTestId('handover-take').count()).toBe(0);
    await page.getByTestId('handover-take-own').click();
    expect(await page.getByTestId('handover-take-own-confirm-text').textContent()).toContain(
      '共用一个坐席账号',
    );
    await page.getByTestId('handover-take-own-confirm').click();
    await expect.poll(() => page.getByTestId('handover-taken').textContent()).toContain('已由 commander 于');
    await expect.poll(() => page.getByTestId('handover-waiting').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    expect(next.consoleErrors).toEqual([]);
    await next.context.close();
    await context.close();
  });
});
