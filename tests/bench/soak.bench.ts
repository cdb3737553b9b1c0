// npm run bench:soak — a shift on the big screen, shortened: does the wall page stay the same size
// while it runs for hours? The server as `npm start` runs it (the bundle, the demo county, no
// simulator) in its own process; the screen in headless Chromium, signed in as the commander. For
// SOAK_MINUTES (default 10) every demo team's device reports at 1 Hz, cases go round 退回 → 派遣
// (two actions a second) with a 督办 every 5 s, and every 3 minutes the network drops for 5 s (the
// page reconnects and catches up). The feed, the queue, the counters, the charts and the map change
// all the time while the number of cases stays the same, so what the page holds more at the end
// than after its first minute is held by mistake.
// Each minute, after a forced garbage collection: the JS heap, the DOM's nodes and the event
// listeners (DevTools' Memory.getDOMCounters). Compared: the end against the first minute, as a
// ratio and as MB an hour (the baseline is the same page, warmed up, in the same run).
// Last line: one JSON object. SOAK_HEAP_DIFF=1 also takes a heap snapshot after the second minute
// and at the end and prints what grew most between them, by constructor (where to look for a leak).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { ensureClientBuilt } from '../../server/cli/client-build';
import { buildServer } from '../../server/cli/server-build';
import type { CaseView } from '../../shared/cases';
import { launchBrowser, openPage } from '../e2e/support/browser';
import { SocketControl } from '../e2e/page-models/big-screen-page';
import { startServerProcess } from '../support/process-server';
import { call, login } from '../support/auth';
import { GRID_TIERS } from '../../client/src/lib/map-tiers';
import { cluePlaces, mulberry32, pointInside, townships, walkAndReport, type Walker } from './screen-world';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
if (!Number.isInteger(MINUTES) || MINUTES < 2 || MINUTES > 24 * 60) {
  console.error(
    `SOAK_MINUTES must be a whole number of minutes from 2 to 1440 (got "${process.env.SOAK_MINUTES}")`,
  );
  process.exit(2);
}
if (![undefined, '', '0', '1'].includes(process.env.SOAK_HEAP_DIFF)) {
  console.error(`SOAK_HEAP_DIFF must be 1 (snapshots) or 0 (got "${process.env.SOAK_HEAP_DIFF}")`);
  process.exit(2);
}
const HEAP_DIFF = process.env.SOAK_HEAP_DIFF === '1';
const CYCLING = 30; // cases going round 退回 → 派遣
const DROP_EVERY_MIN = 3;
const DROP_SECONDS = 5;
const PASSWORD = 'demo';
const log = (m: string) => process.stderr.write(`[soak] ${m}\n`);

ensureClientBuilt(log);
await buildServer(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-soak-'));
log('starting the server with the demo county (its history takes a little while)');
const server = await startServerProcess(
  { DEMO: 'on', SIMULATOR: 'off', DATA_DIR: dataDir, NODE_ENV: 'production', DEMO_PASSWORD: PASSWORD },
  180_000,
  { bundle: true },
);
const url = server.url;
const stopAll: Array<() => unknown> = [
  () => server.stop(),
  () => fs.rmSync(dataDir, { recursive: true, force: true }),
];
async function cleanUp(): Promise<void> {
  for (const f of stopAll.reverse()) await f();
}
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));

async function mustCall<T>(token: string, method: string, p: string, body?: unknown): Promise<T> {
  const r = await call<T>(url, token, method, p, body);
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const admin = (await login(url, 'admin', PASSWORD)).token;
const session = await login(url, 'commander', PASSWORD);
const commander = session.token;

// The cases that go round: new clues, routed and dispatched at intake (AUTO_DISPATCH is on).
const matters = (await mustCall<{ matters: Array<{ code: string }> }>(admin, 'GET', '/api/matters')).matters;
const places = cluePlaces(CYCLING, 11);
const cycling: CaseView[] = [];
for (const [i, p] of places.entries()) {
  const r = await mustCall<{ case: CaseView }>(commander, 'POST', '/api/clues', {
    clientId: `soak-${i}`,
    lng: p.lng,
    lat: p.lat,
    matterCode: matters[i % matters.length]!.code,
    description: '值班长测：循环退回、派遣的线索',
    source: 'grid_worker',
  });
  if (r.case.status === 'reported') {
    const d = await mustCall<{ case: CaseView }>(admin, 'POST', `/api/cases/${r.case.id}/actions`, {
      action: 'dispatch',
      version: r.case.version,
    });
    cycling.push(d.case);
  } else cycling.push(r.case);
}

// Every demo team with a device reports where it is, once a second, walking from a point inside its
// township (a county department's squads from the county seat's).
const rand = mulberry32(99);
const towns = townships();
const teams = (
  await mustCall<{ teams: Array<{ deviceIds: string[]; owner: { kind: string; code: string } }> }>(
    admin,
    'GET',
    '/api/teams',
  )
).teams.filter((t) => t.deviceIds.length);
const devices = teams.map((t): Walker => {
  const town = towns.find((x) => x.code === t.owner.code) ?? towns.find((x) => x.code === '140581002')!;
  const [lng, lat] = pointInside(town.area, rand);
  return {
    deviceId: t.deviceIds[0]!,
    token: `${t.deviceIds[0]}:${PASSWORD}`,
    lng,
    lat,
    bearing: rand() * 360,
  };
});
const load = { fixes: 0, fixesFailed: 0, actions: 0, refused: 0, escalations: 0, drops: 0 };
async function moveTeams(): Promise<void> {
  await Promise.all(
    devices.map(async (d) => {
      if (await walkAndReport(url, d, rand, 0.00005, 1.5)) load.fixes++;
      else load.fixesFailed++;
    }),
  );
}
let turn = 0;
/** The case as it is now, after an action of the run's own lost a race with another. */
async function refresh(i: number): Promise<void> {
  const r = await call<{ case: CaseView }>(url, admin, 'GET', `/api/cases/${cycling[i]!.id}`);
  if (r.status === 200) cycling[i] = r.body.case;
}
/** The next case one step round: 退回 by its township (as admin), or 派遣 again by the centre. */
async function cycleOne(): Promise<void> {
  const i = turn++ % cycling.length;
  const c = cycling[i]!;
  const body =
    c.status === 'dispatched'
      ? { action: 'return', version: c.version, reason: '不属于本单位职权' }
      : { action: 'dispatch', version: c.version };
  const r = await call<{ case: CaseView }>(url, admin, 'POST', `/api/cases/${c.id}/actions`, body);
  load.actions++;
  if (r.status === 200) cycling[i] = r.body.case;
  else {
    load.refused++;
    await refresh(i);
  }
}
/** 督办 on one of them (it changes the case's version, so a step round may then be refused once). */
async function escalateOne(): Promise<void> {
  const i = Math.floor(rand() * cycling.length);
  const c = cycling[i]!;
  const r = await call<{ case: CaseView }>(url, commander, 'POST', `/api/cases/${c.id}/actions`, {
    action: 'escalate',
    version: c.version,
    reason: '请尽快处置并反馈进展',
  });
  if (r.status === 200) {
    load.escalations++;
    cycling[i] = r.body.case;
  } else await refresh(i);
}

// ---------------------------------------------------------------- the page
const browser = await launchBrowser();
stopAll.push(() => browser.close());
const { context, page, consoleErrors } = await openPage(browser);
page.on('crash', () => log('page crashed'));
await context.addInitScript((s) => sessionStorage.setItem('session', JSON.stringify(s)), session);
const socket = await SocketControl.install(page);
const cdp: CDPSession = await context.newCDPSession(page);

log('opening the big screen');
await page.goto(`${url}/screen`);
await page.locator('[data-testid=connection-state].live').waitFor({ timeout: 60_000 });
await page.locator('[data-testid^="chart-"][data-drawn]').nth(3).waitFor({ timeout: 60_000 });
const ready = Object.keys(GRID_TIERS)
  .map((t) => `[data-testid=layer-toggle-${t}][data-status=ready]`)
  .join(',');
await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 4, ready, { timeout: 120_000 });
log(`live, charts and grid tiers in; ${devices.length} devices, ${cycling.length} cases going round`);

interface Sample {
  minute: number;
  heapMB: number;
  nodes: number;
  listeners: number;
  feedRows: number;
}
async function sample(p: Page, minute: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
  const feedRows = await p.locator('[data-testid=feed-item]').count();
  return {
    minute,
    heapMB: Math.round((heap.usedSize / 1048576) * 10) / 10,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
    feedRows,
  };
}

const teamTimer = setInterval(() => void moveTeams(), 1000);
const actionTimer = setInterval(() => void cycleOne(), 500);
const escalateTimer = setInterval(() => void escalateOne(), 5000);
type Census = Map<string, { count: number; size: number }>;
/** Every object on the page's heap (a snapshot, after a GC), counted and sized by constructor. */
async function heapCensus(): Promise<Census> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = snap.snapshot.meta.node_types[0];
  const census: Census = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const key = ['object', 'native', 'closure'].includes(type)
      ? `${type === 'closure' ? 'closure ' : ''}${snap.strings[snap.nodes[i + nameAt]!]}`
      : `(${type})`;
    const c = census.get(key) ?? { count: 0, size: 0 };
    c.count++;
    c.size += snap.nodes[i + sizeAt]!;
    census.set(key, c);
  }
  return census;
}
function printGrowth(before: Census, after: Census): void {
  const rows = [...after].map(([k, a]) => {
    const b = before.get(k) ?? { count: 0, size: 0 };
    return { k, count: a.count - b.count, size: a.size - b.size };
  });
  console.log('\ngrew most between the second minute and the end (heap snapshots):');
  console.log('     bytes    objects  constructor');
  for (const r of rows.sort((x, y) => y.size - x.size).slice(0, 20))
    console.log(`${String(r.size).padStart(10)} ${String(r.count).padStart(10)}  ${r.k.slice(0, 100)}`);
}
let censusEarly: Census | null = null;

const started = Date.now();
const samples: Sample[] = [];
const minuteMs = 60_000;
/** The network drops (the socket closed, new ones refused) for DROP_SECONDS, then comes back. */
async function dropNetwork(): Promise<void> {
  load.drops++;
  await socket.cut();
  await page.locator('[data-testid=connection-state]:not(.live)').waitFor();
  await page.waitForTimeout(DROP_SECONDS * 1000);
  socket.restore();
  await page.locator('[data-testid=connection-state].live').waitFor({ timeout: 60_000 });
  log(`network dropped for ${DROP_SECONDS} s and came back: live again`);
}
for (let m = 1; m <= MINUTES; m++) {
  if (m > 1 && (m - 1) % DROP_EVERY_MIN === 0) await dropNetwork();
  await page.waitForTimeout(Math.max(0, started + m * minuteMs - Date.now()));
  const s = await sample(page, m);
  samples.push(s);
  if (HEAP_DIFF && m === 2) censusEarly = await heapCensus();
  log(
    `minute ${String(m).padStart(3)}: heap ${s.heapMB} MB, ${s.nodes} DOM nodes, ${s.listeners} listeners, ${s.feedRows} feed rows; ${load.actions} actions, ${load.fixes} fixes so far`,
  );
}
clearInterval(teamTimer);
clearInterval(actionTimer);
clearInterval(escalateTimer);
const censusLate = HEAP_DIFF ? await heapCensus() : null;
const connectedAtEnd = await page.locator('[data-testid=connection-state].live').count();

const first = samples[0]!;
const last = samples[samples.length - 1]!;
const hours = (last.minute - first.minute) / 60;
// The trend over the whole run (least squares), not the two ends alone: one GC's luck moves an end.
const xs = samples.map((s) => s.minute / 60);
const ys = samples.map((s) => s.heapMB);
const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
const my = ys.reduce((a, b) => a + b, 0) / ys.length;
const slope =
  xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
const result = {
  bench: 'soak',
  minutes: MINUTES,
  heapStartMB: first.heapMB,
  heapEndMB: last.heapMB,
  heapRatio: Math.round((last.heapMB / first.heapMB) * 100) / 100,
  heapMBPerHour: Math.round(slope * 10) / 10,
  nodesStart: first.nodes,
  nodesEnd: last.nodes,
  listenersStart: first.listeners,
  listenersEnd: last.listeners,
  actions: load.actions,
  refused: load.refused,
  escalations: load.escalations,
  fixes: load.fixes,
  fixesFailed: load.fixesFailed,
  drops: load.drops,
  liveAtEnd: connectedAtEnd === 1,
  consoleErrors: consoleErrors.length,
};
console.log(
  `\nbig screen over ${MINUTES} minutes of live updates (${hours.toFixed(2)} h between the first and last sample)`,
);
console.log('minute   heap MB   DOM nodes   listeners   feed rows');
for (const s of samples)
  console.log(
    `${String(s.minute).padStart(6)} ${String(s.heapMB).padStart(9)} ${String(s.nodes).padStart(11)} ${String(s.listeners).padStart(11)} ${String(s.feedRows).padStart(11)}`,
  );
console.log(
  `end against the first minute: heap ×${result.heapRatio} (trend ${result.heapMBPerHour} MB/h), DOM nodes ${first.nodes} → ${last.nodes}, listeners ${first.listeners} → ${last.listeners}`,
);
if (censusEarly && censusLate) printGrowth(censusEarly, censusLate);
if (consoleErrors.length) console.log(`console errors: ${consoleErrors.slice(0, 5).join(' | ')}`);
console.log(JSON.stringify(result));
await context.close();
await cleanUp();
