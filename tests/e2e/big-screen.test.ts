// The command-centre big screen (指挥大屏) in Chromium against the real server: sign in as the
// commander and see the map, the teams and four charts drawn with figures; a clue a township posts
// over HTTP reaches the feed, the queue and the map live, is dispatched in two clicks, and the
// township's desk, open in a second browser, receives it without reloading; a dispatch that lost a
// race (409) is explained in plain words; after the connection drops, what happened meanwhile
// arrives once. Screenshots land in tests/artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { countTones, launchBrowser, openPage, screenshot } from './support/browser';
import { PNG } from '../support/images';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor, TEST_PASSWORD } from '../support/auth';
import { act, clueAt, pointIn } from '../support/cases';
import { demoTeams, ensureDemoTeams } from '../../server/teams/demo-teams';
import { TeamRegistry } from '../../server/teams/registry';
import type { CaseView } from '../../shared/cases';
import { wgs84ToGcj02 } from '../../client/src/lib/coordinates';
import { CLUSTER_FIT_PADDING, SWITCHER_INSET } from '../../client/src/lib/map-insets';
import { BigScreenPage, SocketControl } from './page-models/big-screen-page';
import { DeskPage } from './page-models/desk-page';
import { LoginPage } from './page-models/login-page';

const DONGCHENG = '140581002';
const BEICHENG = '140581001';
const DEVICE_PASSWORD = 'demo';

describe('big screen (指挥大屏) in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let commanderToken: string;
  let townshipToken: string;
  const commander = { username: 'commander', password: TEST_PASSWORD };
  const township = { username: DONGCHENG, password: TEST_PASSWORD };
  let point = 0;
  /** From beforeAll: a case being worked on, and one waiting for the operator. */
  let working: CaseView;
  let waiting: CaseView;

  /** A clue at the next inner point of `code`, reported by `token` (a grid worker's report). */
  async function clue(
    token: string,
    code = DONGCHENG,
    over: Record<string, unknown> = {},
  ): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(server.url, token, 'POST', '/api/clues', {
      ...clueAt(pointIn(server.handle.ctx.geo, code, point++)),
      description: '网格员上报：人行道上堆放建筑垃圾',
      ...over,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  }

  /** Take a case through `actions` (the command centre dispatches, the township does the rest). */
  async function progress(
    c: CaseView,
    actions: Array<[string, Record<string, unknown>?]>,
  ): Promise<CaseView> {
    let view = c;
    for (const [action, extra] of actions) {
      const token = action === 'dispatch' ? commanderToken : townshipToken;
      const r = await act(server, token, view.id, { action, version: view.version, ...extra });
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
      view = (r.body as { case: CaseView }).case;
    }
    return view;
  }

  /** A browser page with the commander signed in on the big screen, live (with socket control). */
  async function openScreen(opts: { socket?: boolean } = {}) {
    const opened = await openPage(browser);
    const tones = await countTones(opened.page);
    const socket = opts.socket ? await SocketControl.install(opened.page) : undefined;
    const screen = new BigScreenPage(opened.page);
    await screen.signInAndOpen(server.url, commander.username, commander.password);
    await screen.waitLive();
    return { ...opened, screen, socket: socket!, tones };
  }

  /** The `i`th county team with a device reports that it is at `lngLat`. */
  async function reportPosition(i: number, [lng, lat]: [number, number], bearing = 0): Promise<void> {
    const teams = server.handle.ctx.teams.list({ kind: 'county' }).filter((t) => t.deviceIds.length);
    const deviceId = teams[i]!.deviceIds[0]!;
    const res = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': `${deviceId}:${DEVICE_PASSWORD}` },
      body: JSON.stringify({ deviceId, fixes: [{ lng, lat, at: Date.now(), speed: 3, bearing }] }),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  beforeAll(async () => {
    // Clues wait for the operator (no auto-dispatch): the screen is where they get dispatched.
    server = await startTestServer({ serveClient: true, env: { AUTO_DISPATCH: 'off' } });
    const ctx = server.handle.ctx;
    commanderToken = await tokenFor(server, commander.username, 'commander');
    townshipToken = await tokenFor(server, township.username, 'township', {
      kind: 'township',
      code: DONGCHENG,
    });
    // Teams, three of them reporting where they are.
    await ensureDemoTeams(ctx.teams, demoTeams(ctx.geo.townships, ctx.departments, DEVICE_PASSWORD));
    for (let i = 0; i < 3; i++) await reportPosition(i, pointIn(ctx.geo, DONGCHENG, 40 + i), 90 * i);
    // Some work already under way, so every chart has figures: arrivals (response time), an order
    // to rectify and its completion (rectification rate), matters of several domains.
    const done = await progress(await clue(commanderToken), [
      ['dispatch'],
      ['acknowledge'],
      ['start'],
      ['arrive'],
      ['order_rectification'],
      ['report_rectified'],
    ]);
    expect(done.status).toBe('in_progress');
    working = done;
    await progress(await clue(commanderToken, DONGCHENG, { matterCode: 'SR02' }), [
      ['dispatch'],
      ['acknowledge'],
      ['start'],
      ['arrive'],
    ]);
    waiting = await clue(commanderToken, BEICHENG, { matterCode: 'SR02' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs the commander in and draws the map with its cases and teams, four charts with figures and the counters', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await expect.poll(() => screen.chartsDrawn().count(), { timeout: 15_000 }).toBe(4);
    const box = await screen.mapCanvas().boundingBox();
    expect(box!.width).toBeGreaterThan(800);
    expect(box!.height).toBeGreaterThan(500);
    expect(await page.getByTestId('page-title').textContent()).toContain('高平市基层综合执法');
    expect(await page.getByTestId('screen-date').textContent()).toMatch(
      /^\d{4}年\d{2}月\d{2}日 星期[日一二三四五六]$/,
    );
    expect(await page.getByTestId('current-user').textContent()).toMatch(/^值班员：\S/);
    await expect.poll(() => screen.renderedCount('townships-fill'), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => screen.teamMarkers().count()).toBe(3);
    expect(Number(await screen.kpi('cluesToday').textContent())).toBe(3);
    await expect.poll(() => screen.queueTab('awaiting').textContent()).toContain('1');
    // The waiting clue's countdown says which clock it is (the command centre's 30 min to dispatch).
    expect(await screen.queueRow(waiting.id).getByTestId('queue-countdown').textContent()).toMatch(
      /^\s*派遣剩余\s*[12]\d:\d{2}\s*$/,
    );
    await screenshot(page, 'big-screen');
    // Nothing written smaller than 14 design px: scaled to a 1366 laptop that is 10 px.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=big-screen] *')]
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim()))
        .filter((el) => el.getBoundingClientRect().width > 0 && el.getAttribute('aria-hidden') !== 'true')
        .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 14)
        .map((el) => `${getComputedStyle(el).fontSize} ${el.textContent!.trim().slice(0, 12)}`),
    );
    expect(small).toEqual([]);
    // The county is framed beside the layer switcher, not under it.
    const switcher = await screen.boxOnMap('layer-switcher');
    const county = await screen.countyOnMap();
    expect(county.left).toBeGreaterThan(switcher.right);
    expect(county.right).toBeLessThan(county.mapWidth);
    // Once started, the screen reads the grid tiers in the background, still at the county's zoom
    // (where none is drawn): flying to a case later finds them ready.
    await screen.waitGridsRead();
    expect(await screen.zoom()).toBeLessThan(10.5);
    // The density layer is filled only when switched on, then with the open cases.
    expect(await screen.sourceCaseIds('cases-heat')).toEqual([]);
    await screen.toggleLayer('heatmap');
    await expect.poll(() => screen.sourceCaseIds('cases-heat'), { timeout: 10_000 }).toHaveLength(3);
    expect(await screen.sourceCaseIds('cases-heat')).toEqual(
      expect.arrayContaining([working.id, waiting.id]),
    );
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('names every township on the map, legible on top of a team standing on the name; the names give way to the grids close in', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    const names = await screen.townshipNames();
    expect(names.map((n) => n.code).sort()).toEqual(
      server.handle.ctx.geo.townships.map((t) => t.code).sort(),
    );
    expect(names.find((n) => n.code === DONGCHENG)?.name).toBe('东城街道');
    // A team drives onto the middle of 东城街道's name: the name stays on top.
    const dongcheng = names.find((n) => n.code === DONGCHENG)!;
    await reportPosition(0, dongcheng.lngLat, 45);
    await expect.poll(() => screen.teamMarkerAt(dongcheng.lngLat), { timeout: 5000 }).toBe(true);
    const after = await screen.townshipNames();
    expect(after.filter((n) => !n.onTop).map((n) => n.name)).toEqual([]);
    await screenshot(page, 'big-screen-township-names');
    // Close in, the first-level grids' names take over.
    await screen.jumpTo(dongcheng.lngLat, 13);
    await expect.poll(() => screen.townshipNames()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('names teams close in without printing one name over another; the one put away keeps its name on hover', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    // Two teams side by side, 60 m apart: at zoom 14 their names (over 100 px) would cross.
    const spot = pointIn(server.handle.ctx.geo, DONGCHENG, 60);
    await reportPosition(0, spot);
    await reportPosition(1, [spot[0] + 0.0007, spot[1]]);
    await screen.jumpTo(spot, 14);
    await screen.waitMapIdle();
    const crossing = () =>
      page.evaluate(() => {
        const boxes = [...document.querySelectorAll<HTMLElement>('[data-team-id] .name')]
          .filter((n) => n.offsetParent !== null)
          .map((n) => n.getBoundingClientRect());
        let n = 0;
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i]!, boxes[j]!];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
          }
        return { shown: boxes.length, crossing: n };
      });
    await expect.poll(async () => (await crossing()).crossing).toBe(0);
    expect((await crossing()).shown).toBeGreaterThanOrEqual(1);
    const teams = server.handle.ctx.teams.list({ kind: 'county' }).filter((t) => t.deviceIds.length);
    const quiet = page.locator('[data-team-id].quiet');
    await expect.poll(() => quiet.count()).toBeGreaterThanOrEqual(1);
    const id = (await quiet.first().getAttribute('data-team-id'))!;
    expect([teams[0]!.id, teams[1]!.id]).toContain(id);
    expect(await quiet.first().getAttribute('title')).toBe(teams.find((t) => t.id === id)!.name);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("opens a team's card from its marker, with its name and status, rings the marker, and lets go of it on closing", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    // The teams stand close here (two or three, as the test above left them): at the county view
    // their markers would lie on one another, so they are one marker with their number, their
    // statuses said on hover. A click on it zooms in until they part (to where teams are named).
    const group = page.getByTestId('team-group');
    await group.locator('.pill').waitFor();
    const members = (await group.getAttribute('data-teams'))!.split(' ');
    expect(members.length).toBeGreaterThanOrEqual(2);
    expect(await group.locator('.n').textContent()).toBe(String(members.length));
    expect(await group.getAttribute('title')).toMatch(
      new RegExp(`^${members.length} 支队伍：(待命|巡查中|前往现场|现场处置|离线) \\d`),
    );
    for (const m of members) expect(await screen.teamMarker(m).locator('.ring').isVisible()).toBe(false);
    await group.locator('.pill').click();
    await expect.poll(() => group.count()).toBe(0);
    await screen.waitMapIdle();
    expect(await screen.zoom()).toBeGreaterThanOrEqual(12.5);
    for (const m of members) expect(await screen.teamMarker(m).locator('.ring').isVisible()).toBe(true);
    // The last marker is drawn above the others where they overlap.
    const marker = screen.teamMarkers().last();
    const id = (await marker.getAttribute('data-team-id'))!;
    const team = server.handle.ctx.teams.list({ kind: 'county' }).find((t) => t.id === id)!;
    await marker.locator('.ring').click();
    const card = page.getByTestId('team-card');
    await card.waitFor();
    expect(await card.textContent()).toContain(team.name);
    expect(await card.textContent()).toMatch(/待命|巡查中|前往现场|现场处置|离线/);
    // Whom to call: its leader first (队长, or a department's 大队长), the number spaced to read
    // across the room, a tel: link for a desk with a softphone; the members listed leader first.
    const leader = team.members.find((m) => /^大?队长$/.test(m.role))!;
    expect(leader.phone).toMatch(/^1\d{10}$/);
    const call = card.getByTestId('team-card-contact').first();
    expect(await call.textContent()).toBe(
      `${leader.name}${leader.role}${leader.phone!.replace(/^(\d{3})(\d{4})(\d{4})$/, '$1 $2 $3')}`,
    );
    expect(await call.getAttribute('href')).toBe(`tel:${leader.phone}`);
    expect(await card.getByTestId('team-card-contact').count()).toBe(2);
    expect(await card.getByTestId('team-card-members').textContent()).toMatch(
      new RegExp(`^\\s*${leader.name}（${leader.role}）、`),
    );
    // The "7+9+N" shape of a township's team; a department's squad, all its own, has none.
    const shape = card.getByTestId('team-card-shape');
    const count = (source: string) => team.members.filter((m) => m.source === source).length;
    if (team.kind === 'township')
      expect(await shape.textContent()).toBe(
        `（本级 ${count('own')} · 派驻 ${count('posted')} · 协管 ${count('helper')}）`,
      );
    else expect(await shape.count()).toBe(0);
    // Beside the open layer switcher, not over its legend.
    const switcher = (await page.getByTestId('layer-switcher').boundingBox())!;
    expect((await card.boundingBox())!.x).toBeGreaterThanOrEqual(switcher.x + switcher.width);
    await expect.poll(() => marker.getAttribute('class')).toContain('selected');
    expect(await page.locator('[data-testid=team-marker].selected').count()).toBe(1);
    await page.getByTestId('team-card-close').click();
    await card.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=team-marker].selected').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('zooms and pans the map from a team marker as from anywhere on it; a drag that starts on one opens no card', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    // The three teams here are one marker at the county view (the test above); closer in, each is
    // its own.
    await page.getByTestId('team-group').locator('.pill').click();
    await expect.poll(() => page.getByTestId('team-group').count()).toBe(0);
    await screen.waitMapIdle();
    const marker = screen.teamMarkers().last();
    const middle = async () => {
      const b = (await marker.locator('.ring').boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    // The wheel over a marker zooms the map (at the county view the demo's markers stand over the
    // towns).
    const zoom = await screen.zoom();
    const over = await middle();
    await page.mouse.move(over.x, over.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(() => screen.zoom()).toBeGreaterThan(zoom + 0.3);
    await screen.waitMapIdle();
    // A drag that starts on a marker pans the map: the marker goes with it, and no card opens.
    const from = await middle();
    // Towards the map's middle, so the press ends on the map (MapLibre ends a drag released
    // elsewhere, over a chart, only at the pointer's next move).
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    const sx = from.x < box.x + box.width / 2 ? 1 : -1;
    const sy = from.y < box.y + box.height / 2 ? 1 : -1;
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + sx * 16 * i, from.y + sy * 8 * i);
    await page.mouse.up();
    await screen.waitMapIdle();
    const to = await middle();
    // (At least as far as the pointer went: the map may glide on a little after a quick drag.)
    expect(sx * (to.x - from.x)).toBeGreaterThan(150);
    expect(sy * (to.y - from.y)).toBeGreaterThan(70);
    expect(await page.getByTestId('team-card').count()).toBe(0);
    // A click on it still opens its card.
    await marker.locator('.ring').click();
    await page.getByTestId('team-card').waitFor();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('names what is under a resting pointer again once the map has zoomed in under it', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    await screen.waitGridsRead();
    // The pointer over 东城街道 at the county view, clear of the markers (over one, the marker is
    // what is pointed at): the township is named.
    const map = (await page.getByTestId('map').boundingBox())!;
    let pointer: { x: number; y: number } | undefined;
    for (let i = 60; i < 90 && !pointer; i++) {
      const at = await screen.mapPoint(pointIn(server.handle.ctx.geo, DONGCHENG, i));
      const scale = map.width / at.width; // the screen's canvas is scaled to the window
      const p = { x: map.x + at.x * scale, y: map.y + at.y * scale };
      const bare = await page.evaluate(
        ({ x, y }) => document.elementFromPoint(x, y)?.tagName === 'CANVAS',
        p,
      );
      if (bare) pointer = p;
    }
    if (!pointer) throw new Error('no point of 东城街道 clear of the markers');
    await page.mouse.move(pointer.x, pointer.y);
    const tooltip = page.getByTestId('map-tooltip');
    await expect.poll(() => tooltip.locator('.name').textContent()).toBe('东城街道');
    // The wheel, the pointer resting: the grid under it is named, without moving the mouse.
    for (let i = 0; i < 12 && (await screen.zoom()) < 12.5; i++) {
      await page.mouse.wheel(0, -300);
      await page.waitForFunction(
        (sel) => !(document.querySelector(sel) as any).__map.isMoving(),
        '[data-testid=map] .maplibregl-map',
      );
    }
    expect(await screen.zoom()).toBeGreaterThanOrEqual(12.5);
    await expect.poll(() => tooltip.locator('.tier').textContent()).not.toMatch(/^乡镇/);
    expect(await tooltip.locator('.name').textContent()).not.toBe('东城街道');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("says on a team's card what it is on (前往现场, then 现场处置), colours its marker so, and opens that case", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    const teams = server.handle.ctx.teams.list({ kind: 'county' }).filter((t) => t.deviceIds.length);
    const i = teams.findIndex((t) => t.owner.code === DONGCHENG);
    const team = teams[i]!;
    await reportPosition(i, pointIn(server.handle.ctx.geo, DONGCHENG, 41)); // fresh: not offline
    const marker = page.locator(`[data-testid=team-marker][data-team-id="${team.id}"]`);
    await marker.waitFor({ state: 'attached' });
    // Three teams stand close here and may cover each other: the click goes to this one's marker.
    await marker.dispatchEvent('click');
    const card = page.getByTestId('team-card');
    const task = page.getByTestId('team-card-task');
    await card.waitFor();
    expect(await card.textContent()).toContain(team.name);
    await expect.poll(() => task.textContent()).toContain('当前无任务');

    let c = await progress(await clue(commanderToken), [
      ['dispatch'],
      ['acknowledge'],
      ['start', { teamId: team.id }],
    ]);
    // Live, from the township's 派出队伍: the case and 前往现场 since when.
    await expect.poll(() => task.textContent()).toMatch(new RegExp(`${c.no}.*前往现场（\\d{2}:\\d{2} 起）`));
    expect(await task.textContent()).toContain(c.matterName);
    c = await progress(c, [['arrive']]);
    await expect.poll(() => task.textContent()).toMatch(/现场处置（\d{2}:\d{2} 起）/);
    await expect.poll(() => card.locator('.status').textContent()).toContain('现场处置');
    await expect.poll(() => marker.getAttribute('data-status')).toBe('on_site');
    await screenshot(page, 'big-screen-team-card-task');

    // A reload keeps it: the server says what the team is on.
    await page.reload();
    await screen.waitLive();
    await marker.waitFor({ state: 'attached' });
    await marker.dispatchEvent('click');
    await expect.poll(() => task.textContent()).toMatch(new RegExp(`${c.no}.*现场处置`));
    await page.getByTestId('team-card-open-case').click();
    await screen.panelFor(c.id).waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('case')).toBe(c.id);

    await progress(c, [['resolve', { result: '已清理' }]]);
    await expect.poll(() => task.textContent()).toContain('当前无任务');
    await expect.poll(() => marker.getAttribute('data-status')).not.toBe('on_site');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("opens a nearby team's card from the dispatch panel, and moves the map to show it beside the case", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    // The clue waiting in 北城街道; the three teams stand in 东城街道, off the map once it has flown
    // close to the case.
    await screen.selectFromQueue(waiting.id);
    await screen.waitMapIdle();
    const zoomAtCase = await screen.zoom();
    // The layer switcher folds to its title while the panel is open: the map's left edge is free.
    const uncovered = async () => ({
      left: 0,
      right: (await screen.boxOnMap('dispatch-panel')).left,
    });
    const shows = async (lngLat: [number, number]) => {
      const p = await screen.mapPoint(lngLat);
      const u = await uncovered();
      return p.x >= u.left && p.x <= u.right && p.y >= 0 && p.y <= p.height;
    };
    // The nearest of the listed teams the map does not show beside the case.
    const listed = page.getByTestId('dispatch-team');
    const all = server.handle.ctx.teams.list({ kind: 'county' });
    let first = listed.first();
    let team: (typeof all)[number] | undefined;
    for (let i = 0; i < (await listed.count()) && !team; i++) {
      const name = (await listed.nth(i).locator('.tname').textContent())!;
      const t = all.find((x) => x.name === name)!;
      if (!(await shows([t.position!.lng, t.position!.lat]))) [first, team] = [listed.nth(i), t];
    }
    if (!team) throw new Error('every listed team is already on the map beside the case');
    // The operator had unfolded the layer switcher meanwhile: the card folds it again, as the panel
    // did, instead of standing over its legend.
    const fold = page.getByTestId('layer-fold');
    await fold.click();
    expect(await fold.getAttribute('aria-expanded')).toBe('true');
    await first.click();
    const card = page.getByTestId('team-card');
    await card.waitFor();
    expect(await card.textContent()).toContain(team.name);
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    const [cardBox, switcherBox] = [
      await screen.boxOnMap('team-card'),
      await screen.boxOnMap('layer-switcher'),
    ];
    expect(cardBox.top >= switcherBox.bottom || cardBox.left >= switcherBox.right).toBe(true);
    await expect
      .poll(() => page.locator(`[data-testid=team-marker][data-team-id="${team.id}"]`).getAttribute('class'))
      .toContain('selected');
    await screen.waitMapIdle();
    expect(await shows([team.position!.lng, team.position!.lat])).toBe(true);
    expect(await shows([waiting.lng, waiting.lat])).toBe(true);
    // Moved (out, or along when both fit at this zoom), never closer in.
    expect(await screen.zoom()).toBeLessThanOrEqual(zoomAtCase);
    // The case stays selected, its panel open.
    await screen.panelFor(waiting.id).waitFor();
    // Esc closes the card first, the panel staying; the next Esc closes the panel.
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    expect(await screen.panelFor(waiting.id).count()).toBe(1);
    await page.keyboard.press('Escape');
    await screen.panelFor(waiting.id).waitFor({ state: 'detached' });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('draws the map and the charts while a slow part of the case list is still loading', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    // The cases in progress are held back (a slow query, a slow link): the rest must not wait.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldRequests = 0;
    await page.route(/\/api\/cases\?status=in_progress/, async (route) => {
      heldRequests++;
      await held;
      await route.continue();
    });
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, commander.username, commander.password);
    await expect.poll(() => screen.mapHoldsCase(waiting.id), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => screen.chartsDrawn().count(), { timeout: 15_000 }).toBe(4);
    expect(heldRequests).toBeGreaterThan(0);
    expect(await screen.mapHoldsCase(working.id)).toBe(false);
    release();
    await expect.poll(() => screen.mapHoldsCase(working.id), { timeout: 15_000 }).toBe(true);
    await screen.waitLive();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('holds the feed still under a resting pointer for 30 s at most, then shows what came meanwhile', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    // The page's clock (time runs on; fastForward skips ahead).
    await page.clock.install();
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, commander.username, commander.password);
    await screen.waitLive();
    const box = (await page.getByTestId('live-feed').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const paused = page.locator('[data-testid=live-feed] .paused');
    await paused.waitFor();
    // A clue comes in (the queue has it); the feed under the pointer holds still.
    const c = await clue(townshipToken);
    await screen.queueRow(c.id).waitFor();
    expect(await screen.feedItem(c.id).count()).toBe(0);
    // The mouse parked there half a minute: the feed goes on, with the clue at its top.
    await page.clock.fastForward(31_000);
    await paused.waitFor({ state: 'detached' });
    await screen.feedItem(c.id).waitFor();
    // Not held again by the browser's own mousemove as the list moves under the resting pointer.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await paused.count()).toBe(0);
    // The hand moves: held again.
    await page.mouse.move(box.x + box.width / 2 + 8, box.y + box.height / 2);
    await paused.waitFor();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says its charts are estimated while the statistics API does not answer, and not otherwise', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await page.route(/\/api\/stats\?/, (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"down"}' }),
    );
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, commander.username, commander.password);
    // Counted from the cases on screen, by rules of their own: the titles say so.
    await expect.poll(() => screen.chartsDrawn().count(), { timeout: 15_000 }).toBe(4);
    for (const title of ['近30日案件量（估算）', '整改率排名（估算）', '案件领域分布（估算）'])
      expect(await page.getByText(title, { exact: true }).count(), title).toBe(1);
    // The API back: the next reading is its, and the word goes.
    await page.unroute(/\/api\/stats\?/);
    await page.reload();
    await expect.poll(() => screen.chartsDrawn().count(), { timeout: 15_000 }).toBe(4);
    expect(await page.getByText('近30日案件量', { exact: true }).count()).toBe(1);
    expect(await page.getByText(/（估算）/).count()).toBe(0);
    // The refused reads are logged by the browser; nothing else may fail.
    expect(consoleErrors.filter((e) => !/503/.test(e))).toEqual([]);
    await context.close();
  });

  it('shows a clue a township posts in the feed, the queue and the map within 2 s; two clicks dispatch it, and the township desk receives it live', async () => {
    const desk = await openPage(browser, { width: 1366, height: 768 });
    const deskPage = new DeskPage(desk.page);
    await deskPage.signInAndOpen(server.url, township.username, township.password);
    await expect.poll(() => deskPage.connection().textContent(), { timeout: 15_000 }).toContain('实时');

    const { context, page, consoleErrors, screen } = await openScreen();
    // A screen that has finished starting, as on the wall (charts drawn, live, the grid tiers read
    // in the background, the map idle): the 2 s below measure a live update, not the tail of the
    // start on a CPU that also draws the map.
    await expect.poll(() => screen.chartsDrawn().count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    await screen.waitLive();
    await screen.waitGridsRead();
    await screen.waitMapIdle();

    // The township's grid worker reports over HTTP; the screen is not reloaded.
    const posted = Date.now();
    const c = await clue(townshipToken);
    await screen.feedItem(c.id).waitFor({ timeout: 2000 });
    await screen.queueRow(c.id).waitFor({ timeout: Math.max(100, 2000 - (Date.now() - posted)) });
    await expect
      .poll(() => screen.mapHoldsCase(c.id), {
        timeout: Math.max(100, 2000 - (Date.now() - posted)),
        interval: 100,
      })
      .toBe(true);

    // The tab's title counts what waits for the operator (to dispatch, returned), as the queue does.
    const waitingNow = async () =>
      Number(await screen.queueTab('awaiting').locator('b').textContent()) +
      Number(await screen.queueTab('returned').locator('b').textContent());
    const waitingBefore = await waitingNow();
    expect(waitingBefore).toBeGreaterThan(0);
    await expect.poll(() => page.title()).toMatch(new RegExp(`^\\(${waitingBefore}\\) `));

    // Click 1: the queue row. The panel shows where it is, the routing and why; the layer switcher
    // folds to its title (the map between it and the panel was a strip), and the map flies to the
    // case and shows it in the middle of what the panel leaves uncovered, with its grids drawn.
    expect(await page.getByTestId('layer-fold').getAttribute('aria-expanded')).toBe('true');
    await screen.selectFromQueue(c.id);
    await screen.waitMapIdle();
    expect(await page.getByTestId('layer-fold').getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('layer-toggle-cases').count()).toBe(0);
    const at = await screen.mapPoint([c.lng, c.lat]);
    const uncovered = {
      left: 0,
      right: (await screen.boxOnMap('dispatch-panel')).left,
    };
    expect(Math.abs(at.x - (uncovered.left + uncovered.right) / 2)).toBeLessThan(24);
    expect(Math.abs(at.y - at.height / 2)).toBeLessThan(24);
    expect(await screen.renderedCount('grid-second-line')).toBeGreaterThan(0);
    expect(await page.getByTestId('dispatch-location').textContent()).toContain('东城街道');
    expect(await page.getByTestId('dispatch-assignee').textContent()).toBe('东城街道');
    expect(await page.getByTestId('dispatch-reason').textContent()).toContain('东城街道');
    await screenshot(page, 'big-screen-dispatch');
    // Click 2: confirm the suggested owner.
    await screen.confirmDispatch();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣给 东城街道');
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已派遣');
    // The panel's word on it follows the screen's language (English and back), as its other words do.
    await screen.openMenu();
    await page.getByTestId('screen-language').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('Dispatched to 东城街道');
    await screen.openMenu();
    await page.getByTestId('screen-language').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣给 东城街道');
    await expect.poll(() => screen.queueRow(c.id).count()).toBe(0);
    const left = waitingBefore - 1;
    await expect.poll(() => page.title()).toMatch(left ? new RegExp(`^\\(${left}\\) `) : /^[^(]/);
    // One click back to the whole county: the panel closes and the county is framed beside the
    // switcher, as at the start.
    await page.getByTestId('map-overview').click();
    await expect.poll(() => screen.dispatchPanel().count()).toBe(0);
    // The switcher opens again with the panel's closing.
    await expect.poll(() => page.getByTestId('layer-toggle-cases').count()).toBe(1);
    await expect.poll(() => screen.zoom()).toBeLessThan(11);
    await screen.waitMapIdle();
    const whole = await screen.countyOnMap();
    expect(whole.left).toBeGreaterThan((await screen.boxOnMap('layer-switcher')).right);
    expect(whole.right).toBeLessThan(whole.mapWidth);
    expect(whole.right - whole.left).toBeGreaterThan(whole.mapWidth / 2);

    // The township's desk sees the new task without reloading.
    await deskPage.row(c.id).waitFor({ timeout: 5000 });
    await screenshot(desk.page, 'big-screen-township-desk');
    expect(consoleErrors).toEqual([]);
    expect(desk.consoleErrors).toEqual([]);
    await context.close();
    await desk.context.close();
  });

  it("finds a case from the header by the caller's phone, with the keyboard alone, and opens it on the map", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    const c = await clue(commanderToken, BEICHENG, {
      matterCode: 'SR02',
      description: '12345热线来电：小区门口有人摆摊叫卖',
      reporter: { name: '李秀英', phone: '135-2468-9753' },
    });
    const other = await clue(commanderToken, BEICHENG, { reporter: { phone: '135-2468-1111' } });
    // '/' from anywhere on the screen, then part of the number as the caller reads it out.
    await page.keyboard.press('/');
    await page.keyboard.type('2468-9753');
    await screen.search.done();
    expect(await screen.search.results().count()).toBe(1);
    const found = screen.search.results().first();
    expect(await found.getAttribute('data-case-id')).toBe(c.id);
    expect(await found.textContent()).toContain('北城街道');
    expect(await found.textContent()).toContain('流动摊贩');
    await screenshot(page, 'big-screen-search');
    // Enter opens it as a click in the queue would: the panel on the case, the map flown to it.
    await page.keyboard.press('Enter');
    await screen.panelFor(c.id).waitFor({ timeout: 5000 });
    expect(await page.getByTestId('dispatch-location').textContent()).toContain('北城街道');
    // The panel names the case by its number, to be read to the township over the phone.
    expect(c.no).toMatch(/^\d{8}-\d{4}$/);
    expect(await page.getByTestId('dispatch-no').textContent()).toBe(c.no);
    await expect.poll(() => screen.zoom(), { timeout: 5000 }).toBeGreaterThan(13);
    await expect.poll(() => screen.search.box().count()).toBe(0);
    // Its micro-grid is outlined on the map (white, by feature-state), its neighbours are not.
    const micro = c.location.micro.code;
    await expect
      .poll(() => screen.renderedState('grid-micro-line', micro), { timeout: 10_000 })
      .toMatchObject({ selected: true });
    expect(await screen.renderedCount('grid-micro-line')).toBeGreaterThan(1);
    expect(await screen.selectedIds('grid-micro-line')).toEqual([micro]);
    // The query stays after its case opens, selected whole on the next focus (a press in the box):
    // the next caller's number typed replaces it, nothing to clear first.
    const box = page.getByTestId('case-search-input');
    expect(await box.inputValue()).toBe('2468-9753');
    await box.click();
    expect(await box.evaluate((i: HTMLInputElement) => [i.selectionStart, i.selectionEnd])).toEqual([0, 9]);
    // Several found: the arrows choose among them.
    await page.keyboard.type('135-2468');
    expect(await box.inputValue()).toBe('135-2468');
    await screen.search.done();
    const ids = await screen.search
      .results()
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')));
    expect(ids.sort()).toEqual([c.id, other.id].sort());
    const second = (await screen.search.results().nth(1).getAttribute('data-case-id'))!;
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await screen.panelFor(second).waitFor({ timeout: 5000 });
    // Typed and Enter at once, before the search has answered: it opens what it finds first.
    await page.keyboard.press('Escape'); // (the panel closes: the search has let go of the keys)
    await expect.poll(() => screen.dispatchPanel().count()).toBe(0);
    await page.getByTestId('case-search-input').fill('2468-9753');
    await page.keyboard.press('Enter');
    await screen.panelFor(c.id).waitFor({ timeout: 5000 });
    // The number a township reads back over the phone finds that case alone.
    await page.getByTestId('case-search-input').fill(c.no);
    await screen.search.done();
    expect(
      await screen.search.results().evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id'))),
    ).toEqual([c.id]);
    expect(await screen.search.results().first().getByTestId('case-search-no').textContent()).toBe(c.no);
    // Nothing found says so; Esc closes the list, Esc again empties the box.
    await page.getByTestId('case-search-input').fill('没有这样的案件');
    await expect.poll(() => screen.search.box().textContent()).toContain('没有找到相关案件');
    await page.keyboard.press('Escape');
    await expect.poll(() => screen.search.box().count()).toBe(0);
    expect(await screen.panelFor(c.id).count()).toBe(1); // the panel stays: Esc was the search's
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('case-search-input').inputValue()).toBe('');
    // Closing the case lets go of its grid.
    await page.keyboard.press('Escape');
    await expect.poll(() => screen.dispatchPanel().count()).toBe(0);
    await expect
      .poll(() => screen.renderedState('grid-micro-line', micro))
      .toMatchObject({ selected: false });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('registers a phoned-in clue: the place clicked on the map, the matter and the caller; the new case opens with its number to read back', async () => {
    // The caller reported once before, through the hotline's own system.
    const before = await clue(commanderToken, BEICHENG, {
      source: 'hotline_12345',
      reporter: { name: '王芳', phone: '13500001122' },
      description: '12345热线转来：小区门口夜间施工噪声扰民',
    });
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    // Opened from a case's panel: the form takes the panel's place, the switcher stays folded, and
    // the map's padding is the form's (no strip left for a switcher no longer there).
    await screen.selectFromQueue(waiting.id);
    await screen.waitMapIdle();
    await page.getByTestId('clue-open').click();
    await page.getByTestId('clue-form').waitFor();
    await screen.waitMapIdle();
    expect(await page.getByTestId('layer-fold').getAttribute('aria-expanded')).toBe('false');
    const padding = () =>
      page.evaluate(
        (sel) => (document.querySelector(sel) as any).__map.getPadding().left as number,
        '[data-testid=map] .maplibregl-map',
      );
    await expect.poll(padding).toBe(0);
    // Put away; the whole county again for what follows.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('clue-form').count()).toBe(0);
    await page.getByTestId('map-overview').click();
    await expect.poll(() => screen.zoom()).toBeLessThan(11);
    await screen.waitMapIdle();
    await page.getByTestId('clue-open').click();
    await page.getByTestId('clue-form').waitFor();
    // Esc puts it away; the button brings it back.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('clue-form').count()).toBe(0);
    await page.getByTestId('clue-open').click();
    await page.getByTestId('clue-form').waitFor();
    // Nothing to send until the place, the matter and the words are given; it says what is missing.
    expect(await page.getByTestId('clue-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('clue-missing').textContent()).toBe('请先在地图上点击线索所在位置');
    // A case chosen in the queue meanwhile is not opened unseen behind the form: the form stays and
    // says to finish first, nothing is selected.
    await screen.queueRow(waiting.id).click();
    await page.getByTestId('clue-finish-first').waitFor();
    expect(await page.getByTestId('clue-form').count()).toBe(1);
    expect(await screen.dispatchPanel().count()).toBe(0);
    expect(await screen.queueRow(waiting.id).getAttribute('class')).not.toContain('selected');
    await expect.poll(() => page.getByTestId('clue-missing').count(), { timeout: 8000 }).toBe(1);
    // A point outside the county is refused on the spot.
    const outside = await page.evaluate((sel) => {
      const map = (document.querySelector(sel) as any).__map;
      const w = map.getContainer().clientWidth;
      return [
        [w * 0.3, 8],
        [w * 0.5, 8],
        [w * 0.45, map.getContainer().clientHeight - 8],
      ].map(([x, y]) => map.unproject([x, y]).toArray() as [number, number]);
    }, '[data-testid=map] .maplibregl-map');
    const off = outside.find(([lng, lat]) => !server.handle.ctx.geo.locate(lng, lat))!;
    expect(off).toBeDefined();
    await screen.clickMap(off);
    await expect.poll(() => page.getByTestId('clue-place').textContent()).toContain('不在本县范围内');
    expect(await page.getByTestId('clue-submit').isDisabled()).toBe(true);
    // The place in 北城街道, as the caller names it (a grid): found by name, framed on the map clear
    // of the form, and the spot clicked.
    const spot = pointIn(server.handle.ctx.geo, BEICHENG, 40);
    const grid = server.handle.ctx.geo.locate(spot[0], spot[1])!.second.name;
    // A name the map does not know says so, and what to try instead.
    await page.getByTestId('clue-find-place').fill('高平市第一中学');
    expect(await page.getByTestId('clue-place-none').textContent()).toContain('未找到“高平市第一中学”');
    expect(await page.getByTestId('clue-place-option').count()).toBe(0);
    await page.getByTestId('clue-find-place').fill(grid);
    expect(await page.getByTestId('clue-place-none').count()).toBe(0);
    await page.getByTestId('clue-place-option').first().click();
    await expect.poll(() => screen.zoom(), { timeout: 5000 }).toBeGreaterThan(13);
    // Outlined and named on the map (the dedicated grids' names around give way to its name).
    await expect.poll(() => screen.cluePlaceNames()).toEqual([grid, grid]);
    await expect.poll(() => screen.renderedCount('clue-place-line'), { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(() => screen.renderedCount('clue-place-label')).toBe(1);
    // A grid is an area: the form asks for the spot in it, naming it.
    expect(await page.getByTestId('clue-missing').textContent()).toBe(
      `已在地图上框出“${grid}”，请在其中点击线索的具体位置`,
    );
    await screen.waitMapIdle();
    const formLeft = (await screen.boxOnMap('clue-form')).left;
    const at = await screen.mapPoint(spot);
    // The layer switcher is folded to its title while the form is open: the spot is framed in the
    // whole strip beside the form, not under the title.
    expect(await page.getByTestId('layer-toggle-cases').count()).toBe(0);
    const switcher = await screen.boxOnMap('layer-switcher');
    expect(at.x > switcher.right || at.y > switcher.bottom).toBe(true);
    expect(at.x).toBeLessThan(formLeft);
    await screen.clickMap(spot);
    await expect.poll(() => page.getByTestId('clue-place').textContent()).toContain('北城街道');
    await page.getByTestId('clue-matter').selectOption('SR02');
    await page.getByTestId('clue-description').fill('12345热线转来：菜市场门口有人摆摊占道');
    await page.getByTestId('clue-reporter-name').fill('王芳');
    // A phone that is not one is said at once, and 登记 waits for it.
    for (const notOne of ['abc', '+-+']) {
      await page.getByTestId('clue-reporter-phone').fill(notOne);
      await expect
        .poll(() => page.getByTestId('clue-missing').textContent())
        .toContain('联系电话须含至少 3 位数字');
      expect(await page.getByTestId('clue-submit').isDisabled()).toBe(true);
    }
    await page.getByTestId('clue-reporter-phone').fill('135-0000-1122');
    // The number has reported before: the form says so, with the case's number and where it stands.
    const history = page.getByTestId('clue-caller-history');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.textContent()).toContain('此号码此前反映过 1 件');
    const earlier = await page.getByTestId('clue-caller-case').allTextContents();
    expect(earlier).toHaveLength(1);
    expect(earlier[0]).toContain(`${before.no} ${before.matterName}`);
    expect(earlier[0]).toContain(before.status === 'dispatched' ? '已派遣' : '待派遣');
    // The photo the caller sent over WeChat: picked from the disk, uploaded at once, shown in the
    // form; a second one, copied in WeChat and pasted while writing, is taken back before sending.
    const form = page.getByTestId('clue-form');
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: '来电照片.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => form.getByTestId('case-photo').count()).toBe(1);
    await page.getByTestId('clue-description').evaluate(
      (el, bytes) => {
        const pasted = new DataTransfer();
        pasted.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
        el.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }),
        );
      },
      [...PNG],
    );
    await expect.poll(() => form.getByTestId('case-photo').count()).toBe(2);
    expect(await page.getByTestId('clue-description').inputValue()).toBe(
      '12345热线转来：菜市场门口有人摆摊占道',
    );
    await form.locator('.thumb .remove').nth(1).click();
    await expect.poll(() => form.getByTestId('case-photo').count()).toBe(1);
    await expect.poll(() => page.getByTestId('clue-submit').isDisabled()).toBe(false);
    // The form is longer than the map is high (the caller's history, a photo): 登记 stays in view at
    // its foot without scrolling.
    const formBox = await screen.boxOnMap('clue-form');
    const submitBox = await screen.boxOnMap('clue-submit');
    expect(await form.locator('form').evaluate((f) => f.scrollHeight > f.clientHeight)).toBe(true);
    expect(submitBox.bottom).toBeLessThanOrEqual(formBox.bottom);
    expect(submitBox.top).toBeGreaterThan(formBox.top);
    await screenshot(page, 'big-screen-register');
    // What is written is not thrown away by a stray Esc, × or 取消: each asks first, and Esc there
    // or 继续填写 keeps everything as it was.
    const ask = page.getByTestId('clue-discard-ask');
    await page.keyboard.press('Escape');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('放弃已填写的内容？');
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    for (const button of ['clue-close', 'clue-cancel']) {
      await page.getByTestId(button).click();
      await ask.waitFor();
      await page.getByTestId('clue-keep').click();
      await ask.waitFor({ state: 'detached' });
    }
    expect(await page.getByTestId('clue-form').count()).toBe(1);
    expect(await page.getByTestId('clue-description').inputValue()).toBe(
      '12345热线转来：菜市场门口有人摆摊占道',
    );
    expect(await page.getByTestId('clue-reporter-phone').inputValue()).toBe('135-0000-1122');
    await page.getByTestId('clue-submit').click();
    // The new case opens in the dispatch panel, with the number to read back to the caller; the
    // layer switcher stays folded while the panel is open (the form gave way to the panel).
    await expect.poll(() => page.getByTestId('clue-form').count()).toBe(0);
    const panel = screen.dispatchPanel();
    await panel.waitFor();
    expect(await page.getByTestId('layer-fold').getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('layer-toggle-cases').count()).toBe(0);
    const no = (await page.getByTestId('dispatch-no').textContent())!;
    expect(no).toMatch(/^\d{8}-\d{4}$/);
    const found = await call<{ items: CaseView[] }>(
      server.url,
      commanderToken,
      'GET',
      `/api/cases?q=${encodeURIComponent(no)}`,
    );
    expect(found.body.items).toHaveLength(1);
    const stored = found.body.items[0]!;
    expect(await panel.getAttribute('data-case-id')).toBe(stored.id);
    expect(stored).toMatchObject({
      source: 'hotline_12345',
      matterCode: 'SR02',
      description: '12345热线转来：菜市场门口有人摆摊占道',
      reporter: { name: '王芳', phone: '135-0000-1122' },
    });
    expect(stored.location.township.code).toBe(BEICHENG);
    // The photo is the case's now, under its own address, and the panel shows it.
    expect(stored.photos).toHaveLength(1);
    expect(stored.photos[0]).toMatch(new RegExp(`^/api/cases/${stored.id}/photos/[0-9a-f]+$`));
    const shown = page.getByTestId('dispatch-report-photos').getByTestId('case-photo');
    await expect.poll(() => shown.count()).toBe(1);
    await expect.poll(() => shown.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    // Nothing is left kept aside: the one taken back is gone, the one sent went to the case.
    const keptAside = () =>
      fs
        .readdirSync(path.join(server.config.dataDir, 'clue-photos'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.json'));
    await expect.poll(keptAside).toEqual([]);
    // Where it was clicked, to the pixel (a few metres at that zoom).
    expect(Math.abs(stored.lng - spot[0])).toBeLessThan(1e-4);
    expect(Math.abs(stored.lat - spot[1])).toBeLessThan(1e-4);
    expect(await page.getByTestId('dispatch-location').textContent()).toContain('北城街道');
    await screenshot(page, 'big-screen-registered');
    // The form gone, so is the place it found.
    await expect.poll(() => screen.cluePlaceNames()).toEqual([]);
    // The panel closed, the switcher opens again.
    await page.getByTestId('dispatch-close').click();
    await expect.poll(() => page.getByTestId('layer-toggle-cases').count()).toBe(1);
    // Written and thrown away on purpose (放弃): the next form starts empty.
    await page.getByTestId('clue-open').click();
    await page.getByTestId('clue-description').fill('打错了');
    await page.getByTestId('clue-cancel').click();
    await page.getByTestId('clue-discard').click();
    await expect.poll(() => page.getByTestId('clue-form').count()).toBe(0);
    await page.getByTestId('clue-open').click();
    expect(await page.getByTestId('clue-description').inputValue()).toBe('');
    await page.getByTestId('clue-close').click(); // nothing written: closes without asking
    await expect.poll(() => page.getByTestId('clue-form').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('registers a clue at the coordinates a work order or a shared location gives, in the datum it is in', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    await page.getByTestId('clue-open').click();
    await page.getByTestId('clue-form').waitFor();
    const spot = pointIn(server.handle.ctx.geo, DONGCHENG, 41).map((v) => Number(v.toFixed(6))) as [
      number,
      number,
    ];
    const find = page.getByTestId('clue-find-place');
    const option = page.getByTestId('clue-place-option');
    // A place named first (a township), outlined; the coordinates chosen next let go of it: they
    // are the spot itself, ringed.
    await find.fill('东城街道');
    await option.first().click();
    await expect.poll(() => screen.cluePlaceNames()).toEqual(['东城街道', '东城街道']);
    // A work order's coordinates, latitude first with a full-width comma: one choice per datum,
    // the map's own first, which Enter takes.
    await find.fill(`北纬${spot[1]}，东经${spot[0]}`);
    await expect
      .poll(() => option.allTextContents())
      .toEqual([
        `坐标 ${spot[0]}, ${spot[1]} · 天地图 / GPS`,
        `坐标 ${spot[0]}, ${spot[1]} · 高德 / 腾讯 / 微信位置`,
        `坐标 ${spot[0]}, ${spot[1]} · 百度地图`,
      ]);
    await page.keyboard.press('Enter');
    // The spot is set (no click needed), located by the server, and framed close.
    await expect.poll(() => page.getByTestId('clue-place').textContent()).toContain('东城街道');
    expect(await screen.cluePlaceNames()).toEqual([]);
    await expect.poll(() => screen.zoom(), { timeout: 5000 }).toBeGreaterThan(14);
    // The datums stay in view, the chosen one marked.
    expect(await page.getByTestId('clue-datum').textContent()).toContain('天地图 / GPS');
    expect(await option.evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')))).toEqual([
      'true',
      'false',
      'false',
    ]);
    // The caller then shares the location in 微信 (another spot): GCJ-02, hundreds of metres off.
    const there = pointIn(server.handle.ctx.geo, DONGCHENG, 42).map((v) => Number(v.toFixed(6))) as [
      number,
      number,
    ];
    const shared = wgs84ToGcj02(...there).map((v) => Number(v.toFixed(6))) as [number, number];
    await find.fill(`${shared[0]},${shared[1]}`);
    await option.nth(1).click();
    expect(await page.getByTestId('clue-datum').textContent()).toContain('高德 / 腾讯 / 微信位置');
    // Enter in the box after a choice does not undo it.
    await find.press('Enter');
    expect(await page.getByTestId('clue-datum').textContent()).toContain('微信位置');
    expect(await option.nth(1).getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('clue-matter').selectOption('SR02');
    await page.getByTestId('clue-description').fill('来电人微信共享位置：此处有流动摊贩占道');
    await page.getByTestId('clue-submit').click();
    const panel = screen.dispatchPanel();
    await panel.waitFor();
    const id = (await panel.getAttribute('data-case-id'))!;
    const stored = (await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${id}`))
      .body.case;
    // Back on the ground where the caller stood (to the 6th decimal of the shared location: ~0.1 m),
    // not where the GCJ-02 figures would put it.
    expect(Math.abs(stored.lng - there[0])).toBeLessThan(2e-6);
    expect(Math.abs(stored.lat - there[1])).toBeLessThan(2e-6);
    expect(stored.location.township.code).toBe(DONGCHENG);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("makes the command centre's decisions from the panel: verifies what a township reports done, sends one back with a reason, closes a non-case, merges a duplicate, escalates with its words", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    const toDone: Array<[string, Record<string, unknown>?]> = [
      ['dispatch'],
      ['acknowledge'],
      ['start', { personnel: 3 }],
      ['arrive'],
      ['resolve', { result: '已责令当事人清理建筑垃圾，现场恢复原状' }],
    ];
    const done = await progress(await clue(commanderToken), toDone);
    const notDone = await progress(await clue(commanderToken), toDone);
    expect(done.status).toBe('resolved');
    const reasonOf = async (id: string, type: string) => {
      const r = await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${id}`);
      const e = r.body.case.timeline!.filter((x) => x.type === type).at(-1);
      return {
        status: r.body.case.status,
        reason: e?.payload.reason,
        note: e?.payload.note,
        into: r.body.case.mergedInto,
      };
    };

    // 待核查: what the townships report done waits here, on a day's clock.
    await screen.queueTab('verify').click();
    await screen.queueRow(done.id).waitFor({ timeout: 5000 });
    expect(await screen.queueRow(done.id).textContent()).toMatch(/核查剩余\s*(1天0时|23:5\d:\d\d)/);
    await screen.selectFromQueue(done.id);
    await expect.poll(() => page.getByTestId('dispatch-result').textContent()).toContain('现场恢复原状');
    await screenshot(page, 'big-screen-verify');
    // 核查通过 closes the case for good: a stray click only opens its confirmation (Esc puts it
    // away, nothing sent); 确认结案 closes it, with the operator's 核查意见 when written.
    await page.getByTestId('dispatch-verify').click();
    await page.getByTestId('dispatch-reason-form').waitFor();
    expect(await page.getByTestId('dispatch-reason-input').getAttribute('placeholder')).toContain('不可撤回');
    await page.keyboard.press('Escape');
    await page.getByTestId('dispatch-reason-form').waitFor({ state: 'detached' });
    expect(await screen.dispatchState().textContent()).toBe('已办结');
    expect((await reasonOf(done.id, 'verify_pass')).status).toBe('resolved');
    await page.getByTestId('dispatch-verify').click();
    await page.keyboard.type('现场已恢复，核查属实');
    await page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已结案');
    await expect.poll(() => screen.queueRow(done.id).count()).toBe(0);
    expect(await reasonOf(done.id, 'verify_pass')).toMatchObject({
      status: 'closed',
      note: '现场已恢复，核查属实',
    });
    // The panel's timeline shows the 核查意见 with the event.
    await expect
      .poll(() => page.getByTestId('dispatch-timeline').locator('li', { hasText: '核查通过' }).textContent())
      .toContain('现场已恢复，核查属实');

    // 核查不通过 takes a reason (one of the usual ones, a click) and sends it back for rework.
    await screen.selectFromQueue(notDone.id);
    await page.getByTestId('dispatch-rework').click();
    expect(await page.getByTestId('dispatch-reason-submit').isDisabled()).toBe(true);
    // A usual reason picked, Enter sends it (the cursor is back in the field).
    await page.getByTestId('dispatch-quick-reason').first().click();
    await page.keyboard.press('Enter');
    await expect.poll(() => screen.dispatchState().textContent()).toBe('处置中');
    expect(await reasonOf(notDone.id, 'verify_fail')).toMatchObject({
      status: 'in_progress',
      reason: '现场复核，问题仍未整改到位',
    });

    // Someone else dispatches a clue while its 不予立案 is open here: the form goes with the state
    // that allowed it, rather than send what would be refused.
    const taken = await clue(commanderToken, DONGCHENG, { description: '网格员上报：楼道口堆放杂物' });
    await screen.queueTab('awaiting').click();
    await screen.selectFromQueue(taken.id);
    await page.getByTestId('dispatch-reject').click();
    await page.getByTestId('dispatch-reason-form').waitFor();
    await progress(taken, [['dispatch']]);
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已派遣');
    await expect.poll(() => page.getByTestId('dispatch-reason-form').count()).toBe(0);

    // 不予立案: a clue that is not a case, closed with the operator's own words.
    const notACase = await clue(commanderToken, DONGCHENG, { description: '网格员上报：路边有人摆放花盆' });
    await screen.queueTab('awaiting').click();
    await screen.selectFromQueue(notACase.id);
    // Waiting to be dispatched, the suggested unit's team is marked 承办单位.
    await expect.poll(() => page.getByTestId('dispatch-team-own').count()).toBe(1);
    await page.getByTestId('dispatch-reject').click();
    await page.getByTestId('dispatch-reason-input').fill('经核实为居民自家门前花盆，不影响通行');
    await page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchState().textContent()).toBe('不予立案');
    await expect.poll(() => screen.queueRow(notACase.id).count()).toBe(0);
    // Nobody has it: the nearest teams are listed, none marked 承办单位 (the suggestion was 东城街道's).
    await expect.poll(() => page.getByTestId('dispatch-team').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('dispatch-team-own').count()).toBe(0);
    expect(await reasonOf(notACase.id, 'reject')).toMatchObject({
      status: 'rejected',
      reason: '经核实为居民自家门前花盆，不影响通行',
    });

    // A second report of the same thing at the same spot: flagged, the original one click away,
    // merged into it with no words needed.
    const first = await clue(commanderToken, DONGCHENG, { matterCode: 'SR03' });
    const again = await clue(commanderToken, DONGCHENG, {
      matterCode: 'SR03',
      lng: first.lng,
      lat: first.lat,
    });
    expect(again.duplicateOf).toBe(first.id);
    // The queue says why it waits for the operator.
    await expect
      .poll(() => screen.queueRow(again.id).getByTestId('queue-review').textContent())
      .toBe('疑似重复');
    expect(await screen.queueRow(first.id).getByTestId('queue-review').count()).toBe(0);
    await screen.selectFromQueue(again.id);
    // The original named by its case number, as the operator would read it out.
    expect(await page.getByTestId('dispatch-duplicate').textContent()).toContain(first.no);
    await page.getByTestId('dispatch-view-original').click();
    await screen.panelFor(first.id).waitFor();
    await screen.selectFromQueue(again.id);
    await page.getByTestId('dispatch-merge').click();
    await page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toBe(`已合并到原案 ${first.no}`);
    await expect.poll(() => screen.queueRow(again.id).count()).toBe(0);
    expect(await reasonOf(again.id, 'merge')).toMatchObject({ status: 'rejected', into: first.id });
    expect(await screen.queueRow(first.id).count()).toBe(1);
    // Merged, it is with nobody: the panel names the routing's suggestion as such, not an owner.
    await expect.poll(() => page.getByTestId('dispatch-route').textContent()).toContain('系统建议');
    expect(await page.getByTestId('dispatch-route').textContent()).not.toContain('当前主办');
    // Its timeline's 合并 names the case it went into.
    await expect
      .poll(() => page.getByTestId('timeline-merged-into').textContent())
      .toBe(`→ 原案 ${first.no}`);

    // The original keeps the second report, its number and words, for whoever works on it.
    await screen.selectFromQueue(first.id);
    const mergedIn = page.getByTestId('merged-report');
    await expect.poll(() => mergedIn.textContent()).toContain(again.no);
    expect(await mergedIn.textContent()).toContain(again.description);
    // Its timeline records it, with the report's number.
    const mergedLine = page.getByTestId('dispatch-timeline').locator('li', { hasText: '并入重复上报' });
    await expect.poll(() => mergedLine.textContent()).toContain(again.no);
    // A third report, merged meanwhile from another seat (here the API), joins the open panel live.
    const third = await clue(commanderToken, DONGCHENG, {
      matterCode: 'SR03',
      lng: first.lng,
      lat: first.lat,
      description: '第三次上报：垃圾仍未清理',
    });
    const mergedThird = await call(server.url, commanderToken, 'POST', `/api/cases/${third.id}/actions`, {
      action: 'merge',
      version: third.version,
      into: first.id,
    });
    expect(mergedThird.status, JSON.stringify(mergedThird.body)).toBe(200);
    await expect.poll(() => mergedIn.count()).toBe(2);
    expect(await mergedIn.nth(1).textContent()).toContain('第三次上报：垃圾仍未清理');

    // A task the township sends back: the panel says who returned it, when and why, and that the
    // suggestion is that same township; 改派其他单位 sends it elsewhere, recorded with its words.
    const back = await progress(
      await clue(commanderToken, DONGCHENG, { description: '网格员上报：小区门口占道' }),
      [['dispatch'], ['return', { reason: '该路段属北城街道管辖' }]],
    );
    await screen.queueTab('returned').click();
    // Its row says who sent it back and why before it is opened (it said the place alone), the
    // panel's whole sentence on hover.
    const returnedLine = screen.queueRow(back.id).getByTestId('queue-returned');
    await expect
      .poll(async () => (await returnedLine.textContent())?.trim())
      .toBe('东城街道退回：该路段属北城街道管辖');
    expect(await returnedLine.getAttribute('title')).toMatch(
      /^东城街道 \d\d:\d\d 退回：该路段属北城街道管辖$/,
    );
    await screen.selectFromQueue(back.id);
    await expect
      .poll(() => page.getByTestId('dispatch-returned').textContent())
      .toMatch(/东城街道 \d\d:\d\d 退回：该路段属北城街道管辖（建议主办即退回单位，请核实后改派）/);
    // The operator says why, for the unit it goes to (a first dispatch elsewhere is no 改派).
    expect(await page.getByTestId('dispatch-note').getAttribute('placeholder')).toContain('东城街道将看到');
    await page.getByTestId('dispatch-note').fill('已核实，该路段由北城街道管辖');
    await page.getByTestId('dispatch-override').click();
    await page.locator(`[data-testid=dispatch-party][data-code="${BEICHENG}"]`).click();
    // The send names the unit, on one line.
    const send = page.getByTestId('dispatch-send');
    expect(await send.textContent()).toContain('派遣给 北城街道');
    expect((await send.boundingBox())!.height).toBeLessThan(60);
    await send.click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已派遣给 北城街道');
    await expect.poll(() => page.getByTestId('dispatch-assignee').textContent()).toBe('北城街道');
    expect(await page.getByTestId('dispatch-route').textContent()).toContain('当前主办');
    expect(await page.getByTestId('dispatch-reason').textContent()).toContain('系统建议东城街道，已改派。');
    // The timeline says to whom each dispatch sent it.
    await expect
      .poll(() => page.getByTestId('timeline-assignee').allTextContents())
      .toEqual(['→ 东城街道', '→ 北城街道']);
    const redispatched = (
      await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${back.id}`)
    ).body.case;
    expect(redispatched.timeline!.filter((e) => e.type === 'dispatch').at(-1)!.payload.note).toBe(
      '已核实，该路段由北城街道管辖',
    );
    expect(await page.getByTestId('dispatch-note').count()).toBe(0); // no longer returned

    // 督办 on the case sent back for rework: the usual words are there, the operator adds a time;
    // the township reads them in the case's record, and the feed shows it.
    await screen.selectFromFeed(notDone.id);
    // Esc in the words puts the decision away, and leaves the panel open.
    await page.getByTestId('dispatch-escalate').click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('dispatch-reason-form').count()).toBe(0);
    expect(await screen.panelFor(notDone.id).count()).toBe(1);
    await page.getByTestId('dispatch-escalate').click();
    const words = page.getByTestId('dispatch-reason-input');
    expect(await words.inputValue()).toBe('请尽快处置并反馈进展');
    // The cursor is in the words: typing adds to them, Enter sends.
    await page.keyboard.press('End');
    await page.keyboard.type('，今日17时前到场复核');
    await page.keyboard.press('Enter');
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已督办');
    expect(await reasonOf(notDone.id, 'escalate')).toMatchObject({
      status: 'in_progress',
      reason: '请尽快处置并反馈进展，今日17时前到场复核',
    });
    await expect.poll(() => screen.feedItem(notDone.id).textContent()).toContain('督办');
    // A case nobody holds yet (awaiting dispatch): nobody to chase, no 督办.
    const unheld = await clue(townshipToken);
    await screen.selectFromFeed(unheld.id);
    await page.getByTestId('dispatch-reject').waitFor();
    expect(await page.getByTestId('dispatch-escalate').count()).toBe(0);

    // 改派 a case the township has not yet acknowledged: the panel says so in those words, and the
    // timeline names both units.
    const moved = await progress(
      await clue(commanderToken, DONGCHENG, { description: '网格员上报：桥下堆放杂物' }),
      [['dispatch']],
    );
    await screen.selectFromFeed(moved.id);
    await page.getByTestId('dispatch-override').click();
    await page.locator(`[data-testid=dispatch-party][data-code="${BEICHENG}"]`).click();
    expect(await page.getByTestId('dispatch-send').textContent()).toContain('改派给 北城街道');
    await page.getByTestId('dispatch-send').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已改派给 北城街道');
    // The feed says where it went: to a unit other than the place's.
    await expect
      .poll(() => screen.feedItem(moved.id).first().textContent())
      .toMatch(/改派\s*东城街道.*→ 北城街道/);
    await expect
      .poll(() => page.getByTestId('timeline-assignee').allTextContents())
      .toEqual(['→ 东城街道', '→ 北城街道']);
    // 北城街道 then acknowledges it and is chased: the feed names 北城街道, the unit that acted and
    // the one chased, after the place (QA: "督办 南城街道 …" read as if the place's township were
    // chased, when another unit had the case).
    const beicheng = await tokenFor(server, 'beicheng-desk', 'township', {
      kind: 'township',
      code: BEICHENG,
    });
    const readMoved = async () =>
      (await call<{ case: CaseView }>(server.url, commanderToken, 'GET', `/api/cases/${moved.id}`)).body.case;
    const acked = await act(server, beicheng, moved.id, {
      action: 'acknowledge',
      version: (await readMoved()).version,
    });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    const chased = await act(server, commanderToken, moved.id, {
      action: 'escalate',
      version: (await readMoved()).version,
      reason: '请尽快到场',
    });
    expect(chased.status, JSON.stringify(chased.body)).toBe(200);
    // As drawn (innerText): the line's parts apart, as the operator reads them.
    const movedLines = () =>
      screen
        .feedItems(moved.id)
        .evaluateAll((lines) => lines.map((l) => (l as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    await expect.poll(async () => (await movedLines())[0]).toContain('督办');
    const [escalated, acknowledged] = await movedLines();
    expect(escalated).toMatch(/^\d\d:\d\d 督办 东城街道 .+ → 北城街道$/);
    expect(acknowledged).toMatch(/^\d\d:\d\d 签收 东城街道 .+ 承办 北城街道$/);
    expect(await screen.feedItem(moved.id).getByTestId('feed-to').textContent()).toBe('→ 北城街道');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("offers the role's other pages, full screen, English and signing out from the operator's menu in the header; Esc and a press elsewhere close it", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    const menuButton = page.getByTestId('screen-menu');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    await screen.openMenu();
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    // The commander's pages other than this one, in the order of the other pages' headers.
    expect(await screen.menuPages()).toEqual(['乡镇工作台', '领导驾驶舱', '常用语']);
    await screenshot(page, 'big-screen-menu');
    // Esc closes it (and only it: the case open under it stays) and gives the keyboard back to its
    // button; a press elsewhere closes it too.
    await page.keyboard.press('Escape');
    await screen.menuList().waitFor({ state: 'detached' });
    await screen.openByNumber(working);
    await screen.openMenu();
    await page.keyboard.press('Escape');
    await screen.menuList().waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'screen-menu',
    );
    expect(await screen.panelFor(working.id).isVisible()).toBe(true);
    await screen.openMenu();
    await page.getByTestId('page-title').click();
    await screen.menuList().waitFor({ state: 'detached' });

    // 全屏显示 fills the display; the menu then offers 退出全屏, which leaves it.
    await screen.openMenu();
    await page.getByTestId('screen-fullscreen').click();
    await expect.poll(() => screen.isFullscreen()).toBe(true);
    await screen.menuList().waitFor({ state: 'detached' });
    await screen.openMenu();
    expect((await page.getByTestId('screen-fullscreen').textContent())?.trim()).toBe('退出全屏');
    await page.getByTestId('screen-fullscreen').click();
    await expect.poll(() => screen.isFullscreen()).toBe(false);

    // English, and back.
    await screen.openMenu();
    await page.getByTestId('screen-language').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toContain('command screen');
    // The live feed in English: an order to rectify comes in, said short ('Fix ordered', whole in
    // the row's tooltip), and every row's place starts where the others' do.
    const ordered = await progress(await clue(commanderToken), [
      ['dispatch'],
      ['acknowledge'],
      ['start'],
      ['order_rectification'],
    ]);
    const orderRow = page
      .locator(`[data-testid=feed-item][data-case-id="${ordered.id}"]`)
      .filter({ hasText: 'Fix ordered' });
    await orderRow.waitFor();
    expect(await orderRow.getAttribute('title')).toContain('Rectification ordered');
    const rows = await page.getByTestId('feed-item').evaluateAll((items) =>
      items.map((li) => {
        return {
          placeAt: Math.round((li.querySelector('.text') as HTMLElement).getBoundingClientRect().left),
        };
      }),
    );
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows.map((r) => r.placeAt)).size).toBe(1);
    await screen.openMenu();
    expect(await screen.menuPages()).toEqual(['Township desk', 'Leader statistics', 'Usual words']);
    await screenshot(page, 'big-screen-menu-en');
    // The open case says why it was routed there in English too (the record keeps the Chinese).
    const why = page.getByTestId('dispatch-reason');
    expect(await why.textContent()).toMatch(
      /^(Delegated to townships: .+ leads|Not delegated to townships: .+ leads, .+ assists)/,
    );
    expect(await why.textContent()).not.toMatch(/[，；]|主办/);
    await page.getByTestId('screen-language').click();
    await expect.poll(() => page.getByTestId('page-title').textContent()).toContain('指挥');
    expect(await why.textContent()).toBe(working.route!.reason);

    // 常用语 opens the page, whose header leads back to the wall, live again.
    await screen.openMenu();
    await page.getByTestId('nav-phrases').click();
    await page.waitForURL(/\/phrases$/);
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('常用语设置');
    await page.getByTestId('nav-screen').click();
    await page.waitForURL(/\/screen$/);
    await screen.waitLive();
    // 退出登录 is in the menu too: the login page, and the wall no longer signed in.
    await screen.openMenu();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    await page.goto(`${server.url}/screen`);
    await page.getByTestId('login-form').waitFor();
    expect(consoleErrors).toEqual([]);
    await context.close();

    // A leader, who may open the statistics only, is offered just that.
    await tokenFor(server, 'leader-on-wall', 'leader');
    const opened = await openPage(browser);
    const login = new LoginPage(opened.page);
    await login.open(server.url);
    await login.signIn('leader-on-wall', TEST_PASSWORD);
    await opened.page.waitForURL((u) => u.pathname !== '/login');
    await opened.page.goto(`${server.url}/screen`);
    const leaderScreen = new BigScreenPage(opened.page);
    await leaderScreen.openMenu();
    expect(await leaderScreen.menuPages()).toEqual(['领导驾驶舱']);
    // and registers no clues: the button is the command centre's.
    expect(await opened.page.getByTestId('clue-open').count()).toBe(0);
    // A clue waits to be dispatched: the operator's cue, its switch and the title's count are not
    // the leader's.
    await opened.page.keyboard.press('Escape');
    const unanswered = await clue(commanderToken, BEICHENG, { matterCode: 'SR02' });
    expect(unanswered.status).toBe('reported');
    await leaderScreen.waitLive();
    await leaderScreen.queueRow(unanswered.id).waitFor({ timeout: 5000 });
    expect(await opened.page.getByTestId('screen-sound').count()).toBe(0);
    expect(await opened.page.title()).not.toMatch(/^\(/);
    expect(opened.consoleErrors).toEqual([]);
    await opened.context.close();
  });

  it('says in plain words that a case changed under the operator (409), by whom, and shows it as it now is; an action whose answer was lost says whether it was done', async () => {
    const { context, page, consoleErrors, screen, socket } = await openScreen({ socket: true });
    const other = await tokenFor(server, 'commander-li', 'commander');
    /** A new clue, opened from the queue, its panel having read the case. */
    const openNew = async () => {
      const x = await clue(townshipToken);
      await screen.queueRow(x.id).waitFor({ timeout: 5000 });
      await screen.selectFromQueue(x.id);
      await page.getByTestId('dispatch-timeline').waitFor();
      return x;
    };
    const c = await openNew();

    // Another operator dispatches it meanwhile; this screen has not heard yet (held back).
    socket.hold(c.id);
    const before = (await call<{ case: CaseView }>(server.url, other, 'GET', `/api/cases/${c.id}`)).body.case;
    expect(
      (
        await call(server.url, other, 'POST', `/api/cases/${c.id}/actions`, {
          action: 'dispatch',
          version: before.version,
        })
      ).status,
    ).toBe(200);
    await screen.confirmDispatch();
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由 commander-li 于 \d\d:\d\d 派遣，页面已刷新为最新状态，请确认后再操作$/);
    // It reads the case again: dispatched, no longer waiting.
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已派遣');
    await expect.poll(() => screen.queueRow(c.id).count()).toBe(0);
    await screenshot(page, 'big-screen-conflict');
    // Esc closes the panel.
    await page.keyboard.press('Escape');
    await expect.poll(() => screen.dispatchPanel().count()).toBe(0);

    // The same account on another screen: said as this account's, not a stranger's.
    const d = await openNew();
    socket.hold(d.id);
    await progress(d, [['dispatch']]);
    await screen.confirmDispatch();
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由本账号于 \d\d:\d\d 派遣（上次操作的应答未送达，或在另一台屏幕上操作）/);
    await page.keyboard.press('Escape');

    // The dispatch is done, but its answer is lost on the way back: the panel says it cannot tell;
    // once the case's change arrives, it says the case was dispatched, by this account.
    const e = await openNew();
    await page.route(
      (u) => u.pathname === `/api/cases/${e.id}/actions`,
      async (route) => {
        await route.fetch(); // reaches the server, which does it
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await screen.confirmDispatch();
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由本账号于 \d\d:\d\d 派遣/);
    await expect.poll(() => screen.dispatchState().textContent()).toBe('已派遣');
    expect(await screen.dispatchMessage().textContent()).not.toContain('无法连接');
    await page.keyboard.press('Escape');

    // Lost on the way there: the server never had it. Read again unchanged, the panel says it was
    // not done, to try again (it waited for a change that would never come).
    const f = await openNew();
    await page.route(
      (u) => u.pathname === `/api/cases/${f.id}/actions`,
      (route) => route.abort('connectionreset'),
      { times: 1 },
    );
    await screen.confirmDispatch();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('服务器未应答');
    await expect
      .poll(() => screen.dispatchMessage().textContent(), { timeout: 15_000 })
      .toBe('服务器已恢复应答：该操作未生效，案件没有变化，请重新操作');
    expect(await screen.dispatchState().textContent()).toBe('待派遣');
    // The browser logs the refused and the cut requests itself; nothing else may fail.
    expect(consoleErrors.filter((e) => !/409|ERR_CONNECTION_RESET|Failed to fetch/.test(e))).toEqual([]);
    await context.close();
  });

  it('says who moved the case on when an open form is put away by it (another operator acted)', async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    const c = await clue(townshipToken);
    await screen.queueRow(c.id).waitFor({ timeout: 5000 });
    await screen.selectFromQueue(c.id);
    await page.getByTestId('dispatch-timeline').waitFor();
    // The operator starts 不予立案 and writes why …
    await page.getByTestId('dispatch-reject').click();
    await page.getByTestId('dispatch-reason-input').fill('经核实，该处已于昨日清理');
    // … while another operator, at the next seat, dispatches it: the form goes (it is no longer
    // allowed), and says why.
    const nextSeat = await tokenFor(server, 'next-seat', 'commander');
    const r = await act(server, nextSeat, c.id, { action: 'dispatch', version: c.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await page.getByTestId('dispatch-reason-form').waitFor({ state: 'detached' });
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由 next-seat 于 \d\d:\d\d 派遣，原操作已收起$/);
    expect(await screen.dispatchMessage().getAttribute('class')).toContain('warn');
    await screenshot(page, 'big-screen-form-overtaken');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says a live change to the open case that this panel did not make, with no form open, and not its own actions', async () => {
    const { context, page, consoleErrors, screen, socket } = await openScreen({ socket: true });
    const c = await clue(townshipToken);
    await screen.queueRow(c.id).waitFor({ timeout: 5000 });
    await screen.selectFromQueue(c.id);
    await page.getByTestId('dispatch-timeline').waitFor();
    expect(await screen.dispatchMessage().count()).toBe(0); // nothing to say on opening it
    // Another operator dispatches it while this one reads it: the panel says so, in the line above
    // the teams, where the status used to change with no word.
    const thirdSeat = await tokenFor(server, 'third-seat', 'commander');
    const r = await act(server, thirdSeat, c.id, { action: 'dispatch', version: c.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由 third-seat 于 \d\d:\d\d 派遣$/);
    expect(await screen.dispatchMessage().getAttribute('class')).toContain('info');
    expect(await screen.dispatchState().textContent()).toBe('已派遣');
    // The township signs for it at its desk: the line follows.
    await progress((r.body as { case: CaseView }).case, [['acknowledge']]);
    await expect
      .poll(() => screen.dispatchMessage().textContent())
      .toMatch(/^该案件已由 .+ 于 \d\d:\d\d 签收$/);
    await screenshot(page, 'big-screen-live-change');
    // The operator's own 督办 says its own result, not 本账号 as if from elsewhere: also when its
    // live event comes after the answer (a busy wall; another process, through Redis).
    socket!.delay(c.id);
    await page.getByTestId('dispatch-escalate').click();
    await page.getByTestId('dispatch-reason-submit').click();
    await expect.poll(() => screen.dispatchMessage().textContent()).toContain('已督办');
    const feedRows = await screen.feedItems(c.id).count();
    socket!.release(c.id);
    // The event is in: the feed has one more row for the case, the 督办 (its newest).
    await expect.poll(() => screen.feedItems(c.id).count()).toBe(feedRows + 1);
    expect(await screen.feedItem(c.id).textContent()).toContain('督办');
    expect(await screen.dispatchMessage().textContent()).toContain('已督办');
    expect(await screen.dispatchMessage().getAttribute('class')).toContain('ok');
    // Opened again later: nothing said about what happened before it was opened.
    await page.keyboard.press('Escape');
    await expect.poll(() => screen.dispatchPanel().count()).toBe(0);
    await screen.selectFromFeed(c.id);
    await page.getByTestId('dispatch-timeline').waitFor();
    expect(await screen.dispatchMessage().count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('renews its session before the token runs out and stays live; when the account is disabled it goes to the login page and says why', async () => {
    await tokenFor(server, 'wall-screen', 'commander');
    const { context, page, consoleErrors } = await openPage(browser);
    // The page's clock under the test's hand (it runs on as usual until moved).
    await page.clock.install();
    const screen = new BigScreenPage(page);
    await screen.signInAndOpen(server.url, 'wall-screen', TEST_PASSWORD);
    await screen.waitLive();
    const token = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('session')!).token as string);
    const first = await token();
    // 10 h on the wall, 2 h before the token's 12 h are up: the page renews it by itself.
    await page.clock.fastForward('10:00:00');
    await expect.poll(token, { timeout: 10_000 }).not.toBe(first);
    const me = await call(server.url, await token(), 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('wall-screen');
    await screen.waitLive();
    expect(page.url()).toMatch(/\/screen$/);

    // The account is disabled meanwhile: the next renewal is refused, and the page says so.
    await server.handle.ctx.store.db
      .updateTable('users')
      .set({ disabled: 1 })
      .where('username', '=', 'wall-screen')
      .execute();
    await page.clock.fastForward('10:00:00');
    await page.getByTestId('login-expired').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/screen');
    expect(await page.getByTestId('login-expired').textContent()).toContain('请重新登录');
    await screenshot(page, 'big-screen-session-ended');
    // The clock's jumps stall the socket's heartbeat (a reconnection is logged) and the refused
    // renewal is logged by the browser; nothing else may fail.
    expect(consoleErrors.filter((e) => !/WebSocket|socket\.io|401/.test(e))).toEqual([]);
    await context.close();
  });

  it("shows the photos sent with a clue: a source's own as a link that opens it, never a stored script", async () => {
    // A 12345 work order's photo stays on the hotline's server; the page may not show an image from
    // another host (its CSP), so it links to it. A `javascript:` in the same list is named, not linked.
    const hosted = 'https://12345.gaoping.example/attachments/2026/1204/0001.jpg';
    const reported = await clue(townshipToken, DONGCHENG, {
      source: 'hotline_12345',
      photos: [hosted, 'javascript:alert(1)'],
    });
    const { context, page, consoleErrors, screen } = await openScreen();
    await screen.selectFromQueue(reported.id);
    const photos = page.getByTestId('dispatch-report-photos');
    const link = photos.getByTestId('case-photo-link');
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe(hosted);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.textContent()).toContain('查看照片');
    expect(await photos.locator('a').count()).toBe(1);
    expect(await photos.locator('[title="javascript:alert(1)"]').textContent()).toBe('?');

    // The township's desk shows the same, once the case is theirs (before, an <img> of the other
    // host: refused by the CSP, an error in the console and a broken image).
    await progress(reported, [['dispatch']]);
    const desk = await openPage(browser);
    const deskPage = new DeskPage(desk.page);
    await deskPage.signInAndOpen(server.url, township.username, township.password);
    await deskPage.row(reported.id).waitFor();
    await deskPage.openCase(reported.id);
    const deskLink = deskPage.detail().getByTestId('case-photo-link');
    await expect.poll(() => deskLink.count()).toBe(1);
    expect(await deskLink.getAttribute('href')).toBe(hosted);
    expect(await deskPage.detail().locator('a[href^="javascript"]').count()).toBe(0);
    expect(desk.consoleErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await desk.context.close();
    await context.close();
  });

  it('shows reconnecting while the network is down, and a banner across the top after a few seconds; then catches up: what happened meanwhile appears once, with the cue', async () => {
    const waiting = await clue(townshipToken);
    const { context, page, consoleErrors, screen, socket, tones } = await openScreen({ socket: true });
    // Cases already waiting when the screen started are not news: no sound.
    expect(await tones()).toBe(0);

    const cutAt = Date.now();
    await socket.cut();
    await expect.poll(() => screen.connectionState().textContent()).toContain('重连中');
    const missed = await clue(townshipToken);
    // A few seconds down, the wall says so across its top, from when its figures are, and dims them.
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(4000); // not for a blip
    expect(await banner.textContent()).toMatch(/连接中断，数据停止更新于 \d\d:\d\d:\d\d，正在重连…/);
    expect(await page.getByTestId('big-screen').getAttribute('data-stale')).toBe('true');
    // Over the map, clear of the side columns (the queue's tabs, an open case's header).
    const across = (await banner.boundingBox())!;
    const queue = (await page.getByTestId('case-queue').boundingBox())!;
    const counters = (await page.getByTestId('kpi-overdue').boundingBox())!;
    expect(across.x + across.width).toBeLessThanOrEqual(queue.x);
    expect(across.x).toBeGreaterThanOrEqual(counters.x + counters.width);
    // An open case: the banner stands beside its panel, whose header and × stay in view.
    await screen.selectFromQueue(waiting.id);
    await expect
      .poll(async () => (await banner.boundingBox())!.x + (await banner.boundingBox())!.width)
      .toBeLessThan((await page.getByTestId('dispatch-panel').boundingBox())!.x);
    const close = (await page.getByTestId('dispatch-close').boundingBox())!;
    const beside = (await banner.boundingBox())!;
    expect(beside.x + beside.width).toBeLessThan(close.x);
    expect(beside.x).toBeGreaterThanOrEqual(counters.x + counters.width);
    await screenshot(page, 'big-screen-connection-lost');
    await page.getByTestId('dispatch-close').click();
    socket.restore();
    // Chromium spaces out its retries of a WebSocket that keeps failing: after some seconds down,
    // the next attempt can be 15 s away.
    await screen.waitLive(30_000);
    // Live again: the banner goes, the figures are bright.
    expect(await banner.count()).toBe(0);
    expect(await page.getByTestId('big-screen').getAttribute('data-stale')).toBeNull();
    await screen.feedItem(missed.id).waitFor({ timeout: 5000 });
    await screen.queueRow(missed.id).waitFor();
    // Fetched over HTTP on reconnecting and maybe replayed by the socket too: one row all the same.
    await expect.poll(() => screen.feedItems(missed.id).count()).toBe(1);
    // A clue came in to dispatch while away: the two-tone cue, once.
    await expect.poll(tones).toBe(2);
    // The operator switches the sound off (remembered on the device): the next clue is silent.
    await page.getByTestId('screen-sound').click();
    expect(await page.getByTestId('screen-sound').getAttribute('aria-pressed')).toBe('false');
    const live = await clue(townshipToken);
    await screen.feedItem(live.id).waitFor({ timeout: 2000 });
    await screen.queueRow(live.id).waitFor();
    expect(await tones()).toBe(2);
    expect(await page.evaluate(() => localStorage.getItem('screen.sound'))).toBe('off');
    expect(await screen.feedItems(missed.id).count()).toBe(1);
    // The failed reconnection attempts are logged by the browser; nothing else may fail.
    expect(consoleErrors.filter((e) => !/WebSocket|socket\.io/.test(e))).toEqual([]);
    await context.close();
  });

  it("keeps the hovered grid's name clear of the dispatch panel: beside the panel it shows to the pointer's left; the suggested unit's team is marked", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    const c = await clue(commanderToken, DONGCHENG, { description: '悬停提示测试：占道经营' });
    await screen.openByNumber(c);
    await screen.waitMapIdle();
    // Among the nearest teams, the suggested unit's own is marked.
    const own = page.getByTestId('dispatch-team').filter({ has: page.getByTestId('dispatch-team-own') });
    await expect.poll(() => own.count()).toBe(1);
    expect(await own.locator('.tname').textContent()).toContain('东城街道');
    const panel = (await screen.panelFor(c.id).boundingBox())!;
    const map = (await page.getByTestId('map').boundingBox())!;
    const tooltip = page.getByTestId('map-tooltip');
    // In the open (the middle of the map the panel leaves), the name sits below and to the right
    // of the pointer.
    const mid = { x: map.x + (panel.x - map.x) / 2, y: map.y + map.height / 2 };
    await page.mouse.move(mid.x, mid.y);
    await tooltip.waitFor({ timeout: 5000 });
    await expect.poll(async () => (await tooltip.boundingBox())!.x).toBeGreaterThan(mid.x);
    // Just left of the panel, where it would run under the panel, it shows to the left instead.
    const edge = { x: panel.x - 6, y: mid.y };
    await page.mouse.move(edge.x, edge.y);
    await expect
      .poll(async () => {
        const b = await tooltip.boundingBox();
        return b ? b.x + b.width : Infinity;
      })
      .toBeLessThan(edge.x);
    expect(await tooltip.textContent()).toBeTruthy();
    await screenshot(page, 'big-screen-tooltip-by-panel');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('keeps the open case in the address: a reload reopens it with the feed as long as before; Back and Forward close and reopen it', async () => {
    // More events than the feed shows (60), so a reload has to fill it from the server.
    for (let i = 0; i < 30; i++) await progress(await clue(townshipToken), [['dispatch']]);
    const { context, page, consoleErrors, screen } = await openScreen();
    const rows = page.getByTestId('feed-item');
    await expect.poll(() => rows.count()).toBe(60);
    const feedBefore = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-case-id')));
    await screen.openByNumber(working);
    expect(new URL(page.url()).searchParams.get('case')).toBe(working.id);

    await page.reload();
    await screen.waitLive();
    await screen.panelFor(working.id).waitFor({ timeout: 10_000 });
    await expect.poll(() => rows.count()).toBe(60);
    expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-case-id')))).toEqual(
      feedBefore,
    );

    // Back: the case closes (the address without it); Forward: it opens again.
    await page.goBack();
    await expect.poll(() => screen.dispatchPanel().count()).toBe(0);
    expect(new URL(page.url()).searchParams.has('case')).toBe(false);
    await page.goForward();
    await screen.panelFor(working.id).waitFor();
    // Closing the panel (Esc) takes the case out of the address.
    await page.keyboard.press('Escape');
    await expect.poll(() => new URL(page.url()).searchParams.has('case')).toBe(false);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('says so when the address names a case that is not there, and lets the address go', async () => {
    const { context, page, screen } = await openScreen();
    const url = new URL(page.url());
    url.searchParams.set('case', 'no-such-case');
    await page.goto(url.toString());
    await screen.waitLive();
    const note = page.getByTestId('dispatch-missing');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.textContent()).toContain('找不到案件 no-such-case');
    expect(await screen.dispatchPanel().count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.has('case')).toBe(false);
    // Opening a real case replaces the note.
    await screen.openByNumber(working);
    await expect.poll(() => note.count()).toBe(0);
    await context.close();
  });

  it("moves the 30-day chart's today with 今日线索, in the same frame", async () => {
    const { context, page, consoleErrors, screen } = await openScreen();
    await page.locator('[data-testid=chart-volume][data-drawn]').waitFor();
    const before = Number(await screen.kpi('cluesToday').textContent());
    // Each frame from now on: the counter as drawn and the chart's today as set, until the counter moves.
    const seen = page.evaluate(
      (target) =>
        new Promise<{ counter: number; chart: number }>((resolve) => {
          const chart = (document.querySelector('[data-testid=chart-volume]') as any).__chart;
          const frame = (): void => {
            const counter = Number(
              document.querySelector('[data-testid=kpi-cluesToday] .value')!.textContent,
            );
            const data = chart.getOption().series[0].data;
            const last = data[data.length - 1];
            if (counter >= target) resolve({ counter, chart: typeof last === 'number' ? last : last.value });
            else requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
      before + 1,
    );
    await clue(townshipToken);
    expect(await seen).toEqual({ counter: before + 1, chart: before + 1 });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("frames a cluster's cases when it is clicked, clear of the layer switcher, not a step closer at its symbol", async () => {
    // Cases across the three town-centre 街道 (next to each other: one cluster with the county framed).
    for (const code of [BEICHENG, DONGCHENG, '140581003'])
      for (let i = 0; i < 4; i++) await clue(commanderToken, code, { description: '聚合测试：占道经营' });
    const { context, page, consoleErrors, screen } = await openScreen();
    // Until the cases are on the map (they reach it by the map's flush clock, after its first idle).
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const map = (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map;
            const sizes = map
              .queryRenderedFeatures({ layers: ['cases-cluster'] })
              .map((f: any) => f.properties.point_count as number);
            return Math.max(0, ...sizes);
          }),
        // expect.poll's own second is too short on a loaded CI machine (it once saw 3 at its end).
        { timeout: 20_000 },
      )
      .toBeGreaterThan(5);
    await screen.waitMapIdle();
    // The biggest cluster drawn with the county framed whose cases all fit the view at the zoom it
    // splits at (the screen goes no closer than that: a cluster of cases far apart with an early
    // split is framed at its split zoom, some of its cases beyond the edge, as the layer intends;
    // the earlier tests' cases can make the biggest cluster such a one): where it is, its cases, the
    // zoom it splits at.
    const cluster: { at: [number, number]; leaves: [number, number][]; splits: number; zoom: number } =
      await page.evaluate(async (padding) => {
        const map = (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map;
        const src = map.getSource('cases');
        const drawn = map
          .queryRenderedFeatures({ layers: ['cases-cluster'] })
          .sort((a: any, b: any) => b.properties.point_count - a.properties.point_count);
        for (const f of drawn) {
          const id = f.properties.cluster_id;
          const leaves = (await src.getClusterLeaves(id, Infinity, 0)).map(
            (l: any) => l.geometry.coordinates as [number, number],
          );
          const splits = (await src.getClusterExpansionZoom(id)) as number;
          const lngs = leaves.map((p: [number, number]) => p[0]);
          const lats = leaves.map((p: [number, number]) => p[1]);
          const fit = map.cameraForBounds(
            [
              [Math.min(...lngs), Math.min(...lats)],
              [Math.max(...lngs), Math.max(...lats)],
            ],
            { padding },
          );
          if (fit && fit.zoom >= splits)
            return { at: f.geometry.coordinates, leaves, splits, zoom: map.getZoom() as number };
        }
        throw new Error('no cluster drawn whose cases fit the view at its split zoom');
      }, CLUSTER_FIT_PADDING);
    expect(cluster.leaves.length).toBeGreaterThan(5);
    await screen.clickMap(cluster.at);
    await expect.poll(() => screen.zoom(), { timeout: 10_000 }).toBeGreaterThan(cluster.zoom);
    await screen.waitMapIdle();
    expect(await screen.zoom()).toBeGreaterThanOrEqual(cluster.splits);
    // Every case of it in view, right of the switcher; and framed: they span much of the view.
    const points = await Promise.all(cluster.leaves.map((p) => screen.mapPoint(p)));
    const { width, height } = points[0]!;
    for (const p of points) {
      expect(p.x).toBeGreaterThanOrEqual(SWITCHER_INSET);
      expect(p.x).toBeLessThanOrEqual(width);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(height);
    }
    const spanX = Math.max(...points.map((p) => p.x)) - Math.min(...points.map((p) => p.x));
    const spanY = Math.max(...points.map((p) => p.y)) - Math.min(...points.map((p) => p.y));
    expect(Math.max(spanX / (width - SWITCHER_INSET), spanY / height)).toBeGreaterThan(0.5);
    await screenshot(page, 'big-screen-cluster-framed');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows a team registered while the screen is open (npm run teams) at its first fix, renamed on its marker, gone when retired, with no reload', async () => {
    const { context, consoleErrors, screen } = await openScreen();
    await screen.waitMapIdle();
    const ctx = server.handle.ctx;
    const registry = new TeamRegistry(server.store, Date.now, {
      townships: ctx.geo.townships,
      departments: ctx.departments,
    });
    const id = 'T140581002e2e';
    await registry.add({
      id,
      name: '东城街道机动综合行政执法队',
      owner: { kind: 'township', code: DONGCHENG },
    });
    const { token } = await registry.addDevice(id, 'dc-e2e-new');
    const [lng, lat] = pointIn(ctx.geo, DONGCHENG, 60);
    const fix = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': token },
      body: JSON.stringify({ deviceId: 'dc-e2e-new', fixes: [{ lng, lat, at: Date.now(), speed: 0 }] }),
    });
    expect(fix.status).toBe(200);
    // A fix of a team the screen does not know is dropped: the marker shows that it heard of it.
    const marker = screen.teamMarker(id);
    await expect.poll(() => marker.count()).toBe(1);
    expect(await marker.getAttribute('title')).toBe('东城街道机动综合行政执法队');
    // In close, where it stands apart from 东城街道's other teams (at the county view it joins them
    // in one marker).
    await screen.jumpTo([lng, lat], 13);
    await screen.waitMapIdle();
    // Its people named while the screen is open: a leader, and one posted with the longest role a
    // member may have and a landline with an extension. Its card lists the leader first, dials the
    // extension after a pause, and keeps every number whole inside the card.
    await registry.addMember(id, {
      name: '欧阳志强',
      role: '派驻执法人员（自然资源和规划局执法队）',
      source: 'posted',
      department: ctx.departments.find((d) => d.posted)!.code,
      phone: '0350-2345678-801',
    });
    await registry.addMember(id, { name: '司马长风', role: '队长', phone: '139 1234 5678' });
    await marker.locator('.ring').click();
    const card = screen.page.getByTestId('team-card');
    const calls = card.getByTestId('team-card-contact');
    await expect.poll(() => calls.count()).toBe(2);
    expect(await calls.first().textContent()).toBe('司马长风队长139 1234 5678');
    expect(await calls.nth(1).getAttribute('href')).toBe('tel:03502345678,801');
    const edge = await card.boundingBox();
    for (const phone of await card.locator('.contact .phone').all()) {
      const box = (await phone.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(edge!.x + edge!.width - 8);
      expect(await phone.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }
    expect(await calls.nth(1).locator('.phone').textContent()).toBe('0350-2345678-801');
    // The name whole; the role gives way.
    expect(
      await calls
        .nth(1)
        .locator('.who')
        .evaluate((el) => el.scrollWidth <= el.clientWidth),
    ).toBe(true);
    await screenshot(screen.page, 'big-screen-team-card-contacts');
    await screen.page.getByTestId('team-card-close').click();
    await registry.rename(id, '东城街道应急执法队');
    await expect.poll(() => marker.getAttribute('title')).toBe('东城街道应急执法队');
    expect(await marker.locator('.name').textContent()).toBe('东城街道应急执法队');
    await registry.retire(id);
    await expect.poll(() => marker.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
