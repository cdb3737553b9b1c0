// npm run bench:screen — the big screen in headless Chromium against the real server in its own
// process, the bundle `npm start` runs (the history is written first through an in-process server
// on the same database, whose clock can be moved back),
// with the real county pack (full micro layer), 2,000 open cases taken in through POST /api/clues
// and moved along their lifecycle through POST /api/cases/:id/actions, and 200 teams reporting
// through POST /api/positions at 1 Hz. Measures: time from navigation to map and charts drawn with
// data; the longest main-thread task during 30 s of live updates (clues, actions, positions); the
// JS/CSS the page loads (gzip); the JS heap after the run. Then, in the same page, the obvious
// alternative for the micro layer: MapLibre fetching and parsing it in its worker (a URL source,
// what the screen does) against fetch + JSON.parse + setData on the main thread, with the ratio.
// The history is written with the server's clock moved back (cases over 30 days, some overdue).
// Last line: one JSON object. BENCH_PROFILE=1 also prints where the main thread spent its time
// (CPU profile, request waterfall, the page's start-up marks and when each readiness condition was
// first met); BENCH_PROFILE=marks, the waterfall and marks alone; BENCH_PROFILE=trace, what each
// long task was made of. BENCH_TRACE_FILE=<path> keeps the raw profiles and traces (every thread of
// every process) for reading afterwards (for function names in them, build the client first with
// `npx vite build --config client/vite.config.ts --minify false`, and again without after: the
// bench uses client/dist as it finds it when it is newer than the sources).
// BENCH_KEEP_DB=<dir> copies the benchmark's database there at the end, to start a server on it
// (`DATA_DIR=<dir> DEMO=off SIMULATOR=off npm start`) and time its answers without the browser.
// Without a GPU, Chromium reads every WebGL frame back on the main thread, so each map redraw is
// a long task whose length follows the machine's load: the load average is printed with the run,
// and 10 s more of live updates are traced to split the long tasks into that readback (waiting for
// SwiftShader to draw the frame, then the copy) and script (ours and MapLibre's); then LIVE_SECONDS
// more with the server and this process (the load) at nice 19, the browser first on the cores, to
// tell the browser's own cost from the rig's sharing of the machine (maxLongTaskMsBrowserFirst).
// The JS/CSS sizes are gzipped after the run, from client/dist. Before the screen, a browser of
// its own draws a bare MapLibre map of the townships (measureBareMap): the floor any map screen
// has on this machine, printed beside the screen's start-up and redraw as a ratio.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { ensureClientBuilt } from '../../server/cli/client-build';
import type { CaseView } from '../../shared/cases';
import { launchBrowser, openPage } from '../e2e/support/browser';
import { buildServer } from '../../server/cli/server-build';
import { createTestDatabase } from '../support/db';
import { startServerProcess } from '../support/process-server';
import { startTestServer } from '../support/server';
import { call, login, tokenFor, TEST_PASSWORD } from '../support/auth';
import { LABEL_FONT } from '../../client/src/lib/fonts';
import { GRID_TIERS } from '../../client/src/lib/map-tiers';
import {
  cluePlaces,
  mulberry32,
  pointInside,
  townshipCentre,
  townships,
  walkAndReport,
  type Walker,
} from './screen-world';

const OPEN_CASES = 2000;
const CLOSED_CASES = 600;
const TEAMS = 200;
const LIVE_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
/** A further traced stretch of live updates, to split the long tasks into readback and script. */
const SPLIT_SECONDS = 10;
/** Trace events that run script (top level; nested ones are inside them). */
const SCRIPT_EVENTS = new Set([
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'RunMicrotasks',
]);
const PROFILE_MODES = ['1', 'marks', 'trace'];
if (process.env.BENCH_PROFILE && !PROFILE_MODES.includes(process.env.BENCH_PROFILE)) {
  console.error(
    `BENCH_PROFILE must be one of ${PROFILE_MODES.join(', ')} (got "${process.env.BENCH_PROFILE}")`,
  );
  process.exit(2);
}
const PROFILE = !!process.env.BENCH_PROFILE;
/** Where to keep the raw CPU profiles and traces (`<path>.<phase>.cpuprofile`, `<path>.<phase>.json`). */
const TRACE_FILE = process.env.BENCH_TRACE_FILE;
if (TRACE_FILE && !fs.existsSync(path.dirname(path.resolve(TRACE_FILE)))) {
  console.error(
    `BENCH_TRACE_FILE: the folder ${path.dirname(path.resolve(TRACE_FILE))} does not exist; create it or name a file in an existing one`,
  );
  process.exit(2);
}
/** tsx compiles the page functions here with esbuild's keepNames, which calls a `__name` helper. */
const KEEP_NAMES = { content: 'window.__name = (f) => f;' };
const TARGETS = { interactiveMs: 3000, maxLongTaskMs: 50, jsGzipKB: 800, jsHeapMB: 400 };
const HOUR = 3600_000;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

/**
 * Whether fontconfig knows a Chinese face (null: no fontconfig to ask). Without one the page draws
 * an empty box for every character, cheaper to lay out than the glyphs a county's screen draws, so
 * the figures come out better than they are.
 */
function hasChineseFace(): boolean | null {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().length > 0 : null;
}
const chineseFace = hasChineseFace();
if (chineseFace === false)
  log(
    'WARNING: no Chinese face is installed (`fc-list :lang=zh` finds none): the page will draw empty ' +
      'boxes and measure faster than a real screen. Install one first: apt-get install -y fonts-wqy-zenhei',
  );

/** The server's clock, moved back in time while the history is written, then real time again. */
class ShiftedClock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  at(t: number): void {
    this.offset = t - Date.now();
  }
}

// A client built with NODE_ENV=test (the e2e setup under Vitest, before it set production) has
// Vue's development build in it: not what is served, so build again.
const DIST = path.resolve(import.meta.dirname, '../../client/dist');
const devBuild = fs.existsSync(path.join(DIST, 'assets'))
  ? fs
      .readdirSync(path.join(DIST, 'assets'))
      .some(
        (f) =>
          f.endsWith('.js') && fs.readFileSync(path.join(DIST, 'assets', f), 'utf8').includes('[Vue warn]'),
      )
  : false;
if (devBuild) {
  log('client/dist is a development build (NODE_ENV=test): building it again');
  fs.rmSync(path.join(DIST, 'index.html'));
}
ensureClientBuilt(log);
const clock = new ShiftedClock();
const database = await createTestDatabase('sqlite');
const SERVER_ENV = { DEMO: 'off', AUTO_DISPATCH: 'on', SIMULATOR: 'off' };
const setup = await startTestServer({ database, serveClient: false, clock, env: SERVER_ENV });
/** The server's address: the in-process one while the history is written, then its own process's. */
let serverUrl = setup.url;
const admin = await tokenFor(setup, 'bench-admin', 'admin');
await tokenFor(setup, 'bench-commander', 'commander');
const session = await login(serverUrl, 'bench-commander', TEST_PASSWORD);
const commander = session.token;
const matters = (await call<{ matters: Array<{ code: string }> }>(serverUrl, admin, 'GET', '/api/matters'))
  .body.matters;
const rand = mulberry32(2024);

async function mustCall<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const r = await call<T>(serverUrl, token, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// ---------------------------------------------------------------- the history, through the API
type Step = { after: number; action: string; extra?: Record<string, unknown> };
const progress = (minutes: number[], actions: string[]): Step[] =>
  actions.map((action, i) => ({ after: minutes[i]! * 60_000, action }));
const FULL = ['acknowledge', 'start', 'arrive'];
/** What happens to a case after intake, by the die: mostly worked on, some waiting, some late. */
function fateOf(r: number, closed: boolean): Step[] {
  if (closed)
    return r < 0.35
      ? progress(
          [15, 25, 70, 80, 1500, 1560, 1600],
          [...FULL, 'order_rectification', 'report_rectified', 'resolve', 'verify_pass'],
        ).map((s) => (s.action === 'resolve' ? { ...s, extra: { result: '已整改到位' } } : s))
      : progress([15, 25, 70, 240, 300], [...FULL, 'resolve', 'verify_pass']).map((s) =>
          s.action === 'resolve' ? { ...s, extra: { result: '现场处置完毕' } } : s,
        );
  if (r < 0.08) return []; // dispatched, waiting to be acknowledged
  if (r < 0.13) return [{ after: 10 * 60_000, action: 'return', extra: { reason: '不属于本单位职权' } }];
  if (r < 0.2) return progress([15], ['acknowledge']);
  if (r < 0.65) return progress([15, 25, 70], FULL);
  if (r < 0.8) return progress([15, 25, 70, 80], [...FULL, 'order_rectification']);
  return progress([15, 25, 70, 200], [...FULL, 'resolve']).map((s) =>
    s.action === 'resolve' ? { ...s, extra: { result: '现场处置完毕' } } : s,
  );
}

const places = cluePlaces(OPEN_CASES + CLOSED_CASES + 400, 7);
const now0 = Date.now();
const BATCH = 50;
const t0 = performance.now();
let placeN = 0;
const openCases: CaseView[] = [];
for (let b = 0; b < (OPEN_CASES + CLOSED_CASES) / BATCH; b++) {
  const closed = b < CLOSED_CASES / BATCH;
  // Closed cases over the last 30 days, open ones over the last two.
  const created = closed
    ? now0 - (3 + (27 * (CLOSED_CASES / BATCH - b)) / (CLOSED_CASES / BATCH)) * 86_400_000
    : now0 - 48 * HOUR * (1 - (b - CLOSED_CASES / BATCH) / (OPEN_CASES / BATCH)) - 5 * 60_000;
  clock.at(created);
  const batch = await Promise.all(
    Array.from({ length: BATCH }, () => {
      const p = places[placeN++]!;
      return mustCall<{ case: CaseView }>(commander, 'POST', '/api/clues', {
        clientId: `bench-${placeN}`,
        lng: p.lng,
        lat: p.lat,
        matterCode: matters[Math.floor(rand() * matters.length)]!.code,
        description: '网格员巡查发现',
        source: 'grid_worker',
      }).then((r) => ({ view: r.case, steps: fateOf(rand(), closed) }));
    }),
  );
  const times = [...new Set(batch.flatMap((c) => c.steps.map((s) => s.after)))].sort((x, y) => x - y);
  for (const after of times) {
    if (created + after > now0) break;
    clock.at(created + after);
    await Promise.all(
      batch.map(async (c) => {
        const step = c.steps.find((s) => s.after === after);
        if (!step || c.view.status === 'reported') return; // waiting for the operator: leave it
        const r = await call<{ case: CaseView }>(
          serverUrl,
          admin,
          'POST',
          `/api/cases/${c.view.id}/actions`,
          { action: step.action, version: c.view.version, ...step.extra },
        );
        if (r.status === 200) c.view = r.body.case;
      }),
    );
  }
  if (!closed) openCases.push(...batch.map((c) => c.view));
}
clock.offset = 0;
let marked = 0;
for (let n = 1; n; marked += n) n = await setup.handle.ctx.caseDeadlines.scan();
log(
  `history: ${OPEN_CASES + CLOSED_CASES} clues and their actions in ${Math.round((performance.now() - t0) / 1000)} s; ${marked} deadlines marked overdue`,
);

// ---------------------------------------------------------------- teams, reporting over HTTP
const towns = townships();
const devices: Walker[] = [];
for (let i = 0; i < TEAMS; i++) {
  const t = towns[i % towns.length]!;
  await setup.handle.ctx.teams.createTeam({
    id: `BENCH${i}`,
    name: `${t.name}巡查组${i}`,
    kind: 'township',
    ownerCode: t.code,
    ownerName: t.name,
    members: [{ name: '队员', role: '执法队员', source: 'own', departmentCode: null, phone: null }],
    devices: [{ deviceId: `bench-${i}`, token: 'bench-device', label: '执法车' }],
  });
  const [lng, lat] = pointInside(t.area, rand);
  devices.push({ deviceId: `bench-${i}`, token: 'bench-device', lng, lat, bearing: rand() * 360 });
}
let fixesFailed = 0;
/** Every device sends one fix, as a phone would (its own request), 20 at a time. */
async function moveTeams(): Promise<void> {
  const queue = [...devices];
  const send = async (): Promise<void> => {
    for (let d = queue.shift(); d; d = queue.shift())
      if (!(await walkAndReport(serverUrl, d, rand, 0.0001, 8))) fixesFailed++;
  };
  await Promise.all(Array.from({ length: 20 }, send));
}
// The screen is measured against the server as `npm start` runs it, in its own process, on the
// database just written: this process drives the browser and the live load, and its own work (the
// DevTools protocol's traffic, the teams' requests) must not hold up the server's answers.
await setup.close();
await buildServer(log);
const server = await startServerProcess(
  { ...SERVER_ENV, DATA_DIR: database.dataDir, NODE_ENV: 'production' },
  60_000,
  { bundle: true },
);
serverUrl = server.url;
await moveTeams();

// ---------------------------------------------------------------- the page
const bare = await measureBareMap();
log(
  `bare map (MapLibre and the townships alone): drawn after ${bare.drawnMs} ms, one redraw ${bare.redrawMs} ms`,
);
const browser = await launchBrowser();
const { context, page } = await openPage(browser);
page.on('crash', () => console.error('[bench] page crashed'));
page.on('pageerror', (e) => console.error('[bench] page error', e.message));
page.on('console', (m) => m.type() === 'error' && console.error('[bench] console', m.text()));
// Only the URLs are noted while the page loads; the files are read from client/dist and gzipped
// after the run (fetching each body over CDP, a megabyte of MapLibre as base64 in JSON, would load
// this process and the machine while the page loads).
const loaded: Array<{ type: 'script' | 'stylesheet'; url: string }> = [];
page.on('response', (res) => {
  const type = res.request().resourceType();
  if ((type === 'script' || type === 'stylesheet') && res.status() === 200 && res.url().startsWith(serverUrl))
    loaded.push({ type, url: res.url() });
});
await context.addInitScript(KEEP_NAMES);
// Signed in already (the login form is not what is measured), long tasks recorded from the start.
await context.addInitScript((s) => {
  sessionStorage.setItem('session', JSON.stringify(s));
  const w = window as unknown as { __longtasks: Array<{ start: number; duration: number }> };
  w.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}, session);

const cdp = await context.newCDPSession(page);
async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_PROFILE === 'trace') return traced(name, run);
  if (!PROFILE || process.env.BENCH_PROFILE === 'marks') return run();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const out = await run();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  printProfile(name, profile);
  if (TRACE_FILE) fs.writeFileSync(`${TRACE_FILE}.${name}.cpuprofile`, JSON.stringify(profile));
  return out;
}

const waterfall: string[] = [];
if (PROFILE)
  page.on('requestfinished', (req) => {
    const t = req.timing();
    const size = req.sizes().then((z) => z.responseBodySize);
    void size.then((b) =>
      waterfall.push(
        `${String(Math.round(t.startTime - navStart)).padStart(6)} +${String(Math.round(t.responseEnd)).padStart(5)} ms ${String(Math.round(b / 1024)).padStart(6)} kB ${req.url().replace(serverUrl, '')}`,
      ),
    );
  });
let navStart = Date.now();
log('navigating');
const interactiveMs = await profiled('start', async () => {
  navStart = Date.now();
  await page.goto(`${serverUrl}/screen`);
  return untilDrawn(page, { bare: false, everyCondition: PROFILE });
});
log(`interactive after ${Math.round(interactiveMs)} ms`);
if (PROFILE) for (const w of waterfall.sort()) log(`  ${w}`);
if (PROFILE) {
  const marks = await page.evaluate(() => [
    // The page's own marks (map:create, cases:page, chart:drawn:…), then when each condition held.
    ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
    ...Object.entries((window as unknown as { __readyAt: Record<string, number> }).__readyAt).map(
      ([k, t]) => [`ready: ${k}`, t] as const,
    ),
  ]);
  for (const [name, t] of marks.sort((a, b) => a[1] - b[1]))
    log(`  ${String(Math.round(t)).padStart(6)} ms  ${name}`);
}

/** Jump to a place and wait until the micro layer is drawn there; ms taken. */
function showMicro(p: Page, centre: [number, number]): Promise<number> {
  return p.evaluate(
    (c) =>
      new Promise<number>((resolve) => {
        const map = (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map;
        const t = performance.now();
        map.jumpTo({ center: c, zoom: 14.6 });
        const tick = () =>
          map.getLayer('grid-micro-fill') &&
          map.areTilesLoaded() &&
          map.queryRenderedFeatures({ layers: ['grid-micro-fill'] }).length > 0
            ? resolve(performance.now() - t)
            : requestAnimationFrame(tick);
        tick();
      }),
    centre,
  );
}
// Once started, the screen reads the grid tiers in the background (GridLayer's preload): zooming in
// is measured as the operator meets it, after that.
const tiersReadMs = await page.evaluate(
  (tiers) =>
    new Promise<number>((resolve) => {
      const ready = tiers.map((t) => `[data-testid=layer-toggle-${t}][data-status=ready]`).join(',');
      const tick = () =>
        document.querySelectorAll(ready).length === tiers.length || performance.now() > 120_000
          ? resolve(performance.now())
          : requestAnimationFrame(tick);
      tick();
    }),
  Object.keys(GRID_TIERS),
);
log(`grid tiers read in the background, all four ready ${Math.round(tiersReadMs)} ms after navigation`);
const microMs = await showMicro(page, townshipCentre('140581002'));
const microFeatures = await page.evaluate(
  () =>
    (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map.queryRenderedFeatures({
      layers: ['grid-micro-fill'],
    }).length,
);
// Back out to the town and its surroundings: clusters, teams, first-level grids on screen together.
await page.evaluate(() =>
  (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map.jumpTo({ zoom: 11.5 }),
);
await page.waitForTimeout(1000);

// ---------------------------------------------------------------- 30 s of live updates
const loadBefore = os.loadavg()[0]!;
const liveStart = await page.evaluate(() => {
  const w = window as any;
  w.__frames = 0;
  (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map.on('render', () => w.__frames++);
  return performance.now();
});
const live = { clues: 0, actions: 0, conflicts: 0 };
const pool = openCases.filter((c) => c.status !== 'reported');
const NEXT: Record<string, { action: string; extra?: Record<string, unknown> }> = {
  dispatched: { action: 'acknowledge' },
  accepted: { action: 'start' },
  in_progress: { action: 'resolve', extra: { result: '现场处置完毕' } },
  rectifying: { action: 'report_rectified' },
  resolved: { action: 'verify_pass' },
  returned: { action: 'dispatch' },
};
const teamTimer = setInterval(() => void moveTeams(), 1000);
const clueTimer = setInterval(() => {
  const p = places[placeN++ % places.length]!;
  live.clues++;
  void call(serverUrl, commander, 'POST', '/api/clues', {
    clientId: `live-${placeN}`,
    lng: p.lng,
    lat: p.lat,
    matterCode: matters[placeN % matters.length]!.code,
    description: '实时线索',
    source: 'patrol',
  });
}, 200);
const actionTimer = setInterval(() => {
  const i = Math.floor(rand() * pool.length);
  const c = pool[i]!;
  const next = NEXT[c.status];
  if (!next) return;
  live.actions++;
  void call<{ case: CaseView }>(serverUrl, admin, 'POST', `/api/cases/${c.id}/actions`, {
    action: next.action,
    version: c.version,
    ...next.extra,
  }).then((r) => {
    if (r.status === 200) pool[i] = r.body.case;
    else live.conflicts++;
  });
}, 250);
await profiled('live', () => page.waitForTimeout(LIVE_SECONDS * 1000));
const longTasks: Array<{ start: number; duration: number }> = await page.evaluate(
  (since) => (window as any).__longtasks.filter((t: { start: number }) => t.start >= since),
  liveStart,
);
const mapFrames: number = await page.evaluate(() => (window as any).__frames);
// Then, still live but no longer measured (tracing slows the page down), what the long tasks are
// made of: the frame readback (no GPU) against script.
const split = splitLongTasks((await traceMain(() => page.waitForTimeout(SPLIT_SECONDS * 1000))).onMain);
// The same live updates once more, with the server and this process (the load: clues, actions and
// 200 position reports a second) at the lowest CPU priority, as if they ran on machines of their
// own, as they do in a command centre: the browser's processes then have the two cores first.
const browserFirst = await liveStretchBrowserFirst();
clearInterval(teamTimer);
clearInterval(clueTimer);
clearInterval(actionTimer);
const maxLongTaskMs = Math.round(Math.max(0, ...longTasks.map((t) => t.duration)));

// One more clue, timed from POST to its row in the live feed.
const sent = Date.now();
const last = await mustCall<{ case: CaseView }>(commander, 'POST', '/api/clues', {
  clientId: 'live-last',
  lng: places[0]!.lng + 0.0005,
  lat: places[0]!.lat,
  matterCode: matters[0]!.code,
  description: '最后一条实时线索',
  source: 'grid_worker',
});
await page.locator(`[data-testid=feed-item][data-case-id="${last.case.id}"]`).first().waitFor();
const feedLatencyMs = Date.now() - sent;
const teamsOnMap = await page.evaluate(() => document.querySelectorAll('[data-testid=team-marker]').length);

// What one redraw of the map costs at the live view: the floor under any long task a map update
// makes (without a GPU the frame is read back on the main thread).
const frameMs = await medianRedraw(page);

const bytes = { js: 0, css: 0, jsGzip: 0, cssGzip: 0 };
for (const { type, url } of loaded) {
  const file = path.join(DIST, new URL(url).pathname);
  if (!fs.existsSync(file)) throw new Error(`${url} was loaded but is not in client/dist`);
  const body = fs.readFileSync(file);
  const gz = zlib.gzipSync(body, { level: 9 }).length;
  if (type === 'script') {
    bytes.js += body.length;
    bytes.jsGzip += gz;
  } else {
    bytes.css += body.length;
    bytes.cssGzip += gz;
  }
}

await cdp.send('HeapProfiler.collectGarbage');
const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
const jsHeapMB = Math.round(heap.usedSize / 1048576);

// ---------------------------------------------------------------- the alternative, same page
type Run = { ms: number; longest: number; total: number };
/**
 * Give MapLibre the micro layer as a new source (no layer draws it, so only loading is measured)
 * one way or the other: time until the worker holds it, and the main thread's long tasks meanwhile.
 */
async function loadMicro(p: Page, how: 'worker' | 'main', n: number): Promise<Run> {
  return p.evaluate(
    async ({ how, n }) => {
      const w = window as any;
      const map = (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map;
      const id = `bench-micro-${how}-${n}`;
      const t = performance.now();
      const loaded = new Promise<void>((resolve) => {
        const on = (e: any) => {
          if (e.sourceId !== id || e.sourceDataType !== 'metadata') return;
          map.off('sourcedata', on);
          resolve();
        };
        map.on('sourcedata', on);
      });
      if (how === 'worker') map.addSource(id, { type: 'geojson', data: '/api/geo/micro' });
      else {
        // What the screen did before: fetch and parse here, then hand the object to the worker.
        const fc = await (await fetch('/api/geo/micro')).json();
        map.addSource(id, { type: 'geojson', data: fc });
      }
      await loaded;
      const ms = performance.now() - t;
      await new Promise((r) => setTimeout(r, 300)); // let the long-task observer report
      const tasks = w.__longtasks.filter((l: any) => l.start >= t && l.start <= t + ms);
      map.removeSource(id);
      return {
        ms,
        longest: Math.max(0, ...tasks.map((l: any) => l.duration)),
        total: tasks.reduce((a: number, l: any) => a + l.duration, 0),
      };
    },
    { how, n },
  );
}
const compare = { worker: [] as Run[], main: [] as Run[] };
for (let n = 0; n < 3; n++) {
  compare.worker.push(await loadMicro(page, 'worker', n));
  await page.waitForTimeout(500);
  compare.main.push(await loadMicro(page, 'main', n));
  await page.waitForTimeout(500);
}
const median = (xs: number[]) => Math.round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
const alt = {
  workerMs: median(compare.worker.map((r) => r.ms)),
  workerLongestMs: median(compare.worker.map((r) => r.longest)),
  workerBlockedMs: median(compare.worker.map((r) => r.total)),
  mainMs: median(compare.main.map((r) => r.ms)),
  mainLongestMs: median(compare.main.map((r) => r.longest)),
  mainBlockedMs: median(compare.main.map((r) => r.total)),
};

await browser.close();
await server.stop();
// BENCH_KEEP_DB=<dir>: keep a copy of the benchmark's database there, to start a server on it later.
if (process.env.BENCH_KEEP_DB) fs.cpSync(database.dataDir, process.env.BENCH_KEEP_DB, { recursive: true });
await database.destroy();

const result = {
  bench: 'screen',
  interactiveMs: Math.round(interactiveMs),
  maxLongTaskMs,
  jsGzipKB: Math.round(bytes.jsGzip / 1024),
  cssGzipKB: Math.round(bytes.cssGzip / 1024),
  jsHeapMB,
  // Main-thread time in long tasks while the micro layer loads, main-thread parse ÷ worker (a
  // worker run without any long task counts as 50 ms, the long-task threshold: a lower bound).
  microBlockedRatio: Number((alt.mainBlockedMs / Math.max(50, alt.workerBlockedMs)).toFixed(1)),
  // Of the long tasks in the traced stretch after the measured one: share spent waiting for the
  // WebGL frame readback, and in script.
  longTaskReadbackShare: split.totalMs ? Number((split.readbackMs / split.totalMs).toFixed(2)) : 0,
  longTaskScriptShare: split.totalMs ? Number((split.scriptMs / split.totalMs).toFixed(2)) : 0,
  loadAvg: Number(loadBefore.toFixed(1)),
  // The longest task during LIVE_SECONDS more of the same load, the server and the load generator at
  // the lowest CPU priority (as on machines of their own); null where priorities cannot be set.
  maxLongTaskMsBrowserFirst: browserFirst?.maxMs ?? null,
  // The floor on this machine (measureBareMap): MapLibre drawing the townships alone.
  bareMapMs: bare.drawnMs,
  interactiveVsBareMap: Number((interactiveMs / bare.drawnMs).toFixed(2)),
  redrawMs: Math.round(frameMs),
  bareRedrawMs: bare.redrawMs,
  // Measured with the page's Chinese text drawn (false: empty boxes, see hasChineseFace).
  chineseFace,
};
const row = (k: string, v: string | number, target?: number) =>
  console.log(
    `${k.padEnd(44)} ${String(v).padStart(8)}${target !== undefined ? `   target ≤ ${target}  ${Number(v) <= target ? 'ok' : 'MISSED'}` : ''}`,
  );
console.log(
  `data: real server and county pack; ${openCases.length} open + ${CLOSED_CASES} closed cases through the API, ${TEAMS} teams at 1 Hz; ${LIVE_SECONDS} s live: ${live.clues} clues, ${live.actions} actions (${live.conflicts} refused), positions (${fixesFailed} failed)`,
);
row('interactive (ms)', result.interactiveMs, TARGETS.interactiveMs);
row('  bare map: MapLibre drawing the townships alone (ms)', bare.drawnMs);
row('  interactive ÷ bare map', result.interactiveVsBareMap);
row('longest task during live updates (ms)', maxLongTaskMs, TARGETS.maxLongTaskMs);
row('long tasks during live updates', longTasks.length);
row('map frames drawn during live updates, per s', (mapFrames / LIVE_SECONDS).toFixed(1));
if (browserFirst) {
  console.log(`${LIVE_SECONDS} s more, the server and the load at nice 19 (the browser first on the cores):`);
  row('  longest task (ms)', browserFirst.maxMs, TARGETS.maxLongTaskMs);
  row('  long tasks', browserFirst.tasks);
  row('  map frames drawn, per s', (browserFirst.frames / LIVE_SECONDS).toFixed(1));
  row('  longest task, shared ÷ browser first', (maxLongTaskMs / Math.max(1, browserFirst.maxMs)).toFixed(2));
}
console.log(`long tasks in ${SPLIT_SECONDS} s more of live updates, traced (tracing slows the page):`);
row('  long tasks', split.tasks);
row('  in them: total (ms)', split.totalMs);
row('  in them: WebGL frame readback (ms, GLES2::ReadPixels)', split.readbackMs);
row("  in them: script (ms, ours and MapLibre's)", split.scriptMs);
if (split.longest)
  row(
    '  longest (ms): readback + script + other',
    `${split.longest.ms} = ${split.longest.readbackMs} + ${split.longest.scriptMs} + ${split.longest.ms - split.longest.readbackMs - split.longest.scriptMs}`,
  );
row('one map redraw at that view (ms, incl. 2 display frames)', Math.round(frameMs));
row('  bare map: one redraw (ms, the same way)', bare.redrawMs);
row('JS loaded by /screen (gzip kB)', result.jsGzipKB, TARGETS.jsGzipKB);
row('  raw kB', Math.round(bytes.js / 1024));
row('CSS loaded by /screen (gzip kB)', result.cssGzipKB);
row('JS heap after run (MB)', jsHeapMB, TARGETS.jsHeapMB);
row('grid tiers read in the background, ready (ms after navigation)', Math.round(tiersReadMs));
row('micro layer drawn after zooming in (ms)', Math.round(microMs));
row('micro-grids drawn in view', microFeatures);
row('clue POST → row in live feed (ms)', feedLatencyMs);
row('team markers on map', teamsOnMap);
row(
  'Chinese face installed (else empty boxes)',
  chineseFace === null ? 'unknown' : chineseFace ? 'yes' : 'NO',
);
row(
  'machine load average (1 min), before live / after',
  `${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)}`,
);
console.log("loading the micro layer (9 MB), median of 3: URL source parsed in MapLibre's worker vs");
console.log('fetch + JSON.parse + setData on the main thread (what the screen did before):');
row('  worker: ready in (ms)', alt.workerMs);
row('  worker: main thread blocked (ms, long tasks)', alt.workerBlockedMs);
row('  worker: longest main-thread task (ms)', alt.workerLongestMs);
row('  main thread: ready in (ms)', alt.mainMs);
row('  main thread: main thread blocked (ms, long tasks)', alt.mainBlockedMs);
row('  main thread: longest main-thread task (ms)', alt.mainLongestMs);
row(
  '  main thread blocked, main-thread parse ÷ worker',
  `${alt.workerBlockedMs < 50 ? '≥ ' : ''}${result.microBlockedRatio}×`,
);
console.log(JSON.stringify(result));
process.exit(0);

// ---------------------------------------------------------------- live, the browser first
/**
 * LIVE_SECONDS of the live updates already running, with every thread of the server's process and
 * of this one at nice 19 (the browser's stay at 0), measured like the first stretch; the priorities
 * are put back after. Null where the system does not let this process change them.
 */
async function liveStretchBrowserFirst(): Promise<{ maxMs: number; tasks: number; frames: number } | null> {
  const pids = [server.child.pid!, process.pid];
  const before = pids.map((pid) => os.getPriority(pid));
  try {
    for (const pid of pids) renice(pid, 19);
  } catch (e) {
    log(`the server and load at low priority: not measured (${(e as Error).message})`);
    return null;
  }
  try {
    const since = await page.evaluate(() => {
      (window as any).__frames = 0;
      return performance.now();
    });
    await page.waitForTimeout(LIVE_SECONDS * 1000);
    return await page.evaluate((t) => {
      const tasks = (window as any).__longtasks.filter((l: { start: number }) => l.start >= t);
      return {
        maxMs: Math.round(Math.max(0, ...tasks.map((l: { duration: number }) => l.duration))),
        tasks: tasks.length,
        frames: (window as any).__frames,
      };
    }, since);
  } finally {
    pids.forEach((pid, i) => {
      try {
        renice(pid, before[i]!);
      } catch {
        log(`could not put process ${pid} back to nice ${before[i]}: later figures run at low priority`);
      }
    });
  }
}
/** Every thread of a process (Linux sets the priority per thread), now and those it starts later. */
function renice(pid: number, nice: number): void {
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) os.setPriority(Number(tid), nice);
}

// ---------------------------------------------------------------- the map drawn
/**
 * When the page's map (and on the screen its data and charts) is drawn, in ms since navigation:
 * the map exists, its tiles are loaded, the townships drawn; on the screen also cases in the map's
 * source and four charts drawn with figures. Checked each frame in that order, stopping at the
 * first that does not hold (their cost is inside the time); `everyCondition` checks all of them
 * each frame, to note when each first held (window.__readyAt, printed with BENCH_PROFILE). `bare`:
 * the floor page's map (window.__map) instead of the screen's.
 */
function untilDrawn(p: Page, opts: { bare: boolean; everyCondition: boolean }): Promise<number> {
  return p.evaluate(
    ({ bare, everyCondition }) =>
      new Promise<number>((resolve) => {
        const map = (): any =>
          bare
            ? (window as unknown as { __map?: any }).__map
            : (
                document.querySelector('[data-testid=map] .maplibregl-map') as
                  (HTMLElement & { __map?: any }) | null
              )?.__map;
        const conditions: Array<[string, () => boolean]> = [
          ['map', () => !!map()],
          ['tiles loaded', () => !!map()?.areTilesLoaded()],
          [
            'townships drawn',
            () =>
              !!map()?.getLayer('townships-fill') &&
              map().queryRenderedFeatures({ layers: ['townships-fill'] }).length > 0,
          ],
        ];
        if (!bare)
          conditions.push(
            [
              'cases on map',
              () => !!map()?.getSource('cases') && map().querySourceFeatures('cases').length > 0,
            ],
            // Each chart marks itself once ECharts has drawn an option with figures in it.
            [
              '4 charts drawn',
              () => document.querySelectorAll('[data-testid^="chart-"][data-drawn]').length >= 4,
            ],
          );
        const seen: Record<string, number> = {};
        (window as unknown as { __readyAt: Record<string, number> }).__readyAt = seen;
        const ready = () => {
          let all = true;
          for (const [name, holds] of conditions) {
            if (!all && !everyCondition) break;
            if (holds()) seen[name] ??= performance.now();
            else all = false;
          }
          return all;
        };
        const tick = () => {
          if (ready()) return resolve(performance.now());
          if (performance.now() > 60_000) {
            console.error('not drawn after 60 s');
            return resolve(NaN);
          }
          requestAnimationFrame(tick);
        };
        tick();
      }),
    opts,
  );
}

// ---------------------------------------------------------------- the floor: a bare map
/**
 * One redraw of the page's map, rAF to rAF around a forced repaint (two display frames included),
 * median of 7. `bare`: the floor page's map (window.__map) instead of the screen's.
 */
function medianRedraw(p: Page, bare = false): Promise<number> {
  return p.evaluate(async (bareMap) => {
    const w = window as unknown as { __map?: any };
    const map = bareMap
      ? w.__map
      : (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map;
    const raf = () => new Promise<number>((r) => requestAnimationFrame(r));
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await raf();
      const t = performance.now();
      map.triggerRepaint();
      await raf();
      await raf();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[3]!;
  }, bare);
}

/**
 * The least any MapLibre screen costs on this machine, measured before the screen: a page with
 * nothing but MapLibre (its own build from node_modules) drawing the 15 townships (fill, outline,
 * Chinese names) on a dark background, in a box the size of the screen's map at the pixel ratio
 * the screen uses without a GPU. From navigation to the townships drawn,
 * and one redraw. The screen's figures are read against it: what is ours, what is the machine's.
 */
async function measureBareMap(): Promise<{ drawnMs: number; redrawMs: number }> {
  const files: Record<string, [string, string]> = {
    '/maplibre-gl.js': [
      path.resolve(import.meta.dirname, '../../node_modules/maplibre-gl/dist/maplibre-gl.js'),
      'text/javascript',
    ],
    '/maplibre-gl.css': [
      path.resolve(import.meta.dirname, '../../node_modules/maplibre-gl/dist/maplibre-gl.css'),
      'text/css',
    ],
    '/townships.geojson': [
      path.resolve(import.meta.dirname, '../../geo/gaoping/townships.geojson'),
      'application/json',
    ],
  };
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/maplibre-gl.css">
<style>body{margin:0;background:#050d1f}#m{position:absolute;left:470px;top:90px;width:980px;height:680px}</style></head>
<body><div id="m"></div><script src="/maplibre-gl.js"></script><script>
const map = new maplibregl.Map({ container: 'm', center: [112.93, 35.8], zoom: 9.4, pixelRatio: 0.5,
  attributionControl: false, fadeDuration: 0, localIdeographFontFamily: ${JSON.stringify(LABEL_FONT.join(', '))},
  style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#04122b' } }] } });
window.__map = map;
map.on('load', () => {
  map.addSource('t', { type: 'geojson', data: '/townships.geojson' });
  map.addLayer({ id: 'townships-fill', type: 'fill', source: 't', paint: { 'fill-color': '#0d3b7a', 'fill-opacity': 0.5 } });
  map.addLayer({ id: 'townships-line', type: 'line', source: 't', paint: { 'line-color': '#3ea6ff', 'line-width': 1.5 } });
  map.addLayer({ id: 'townships-label', type: 'symbol', source: 't',
    layout: { 'text-field': ['get', 'name'], 'text-size': 15, 'text-font': ${JSON.stringify(LABEL_FONT)} },
    paint: { 'text-color': '#fff' } });
});
</script></body></html>`;
  const floor = http.createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    else if (f) fs.createReadStream(f[0]).pipe(res.writeHead(200, { 'Content-Type': f[1] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => floor.listen(0, '127.0.0.1', r));
  // A browser of its own, closed before the screen's starts: the screen's start must find nothing
  // warmed up by this one (compiled shaders in the GPU process, fonts, the HTTP cache).
  let own: Awaited<ReturnType<typeof launchBrowser>> | null = null;
  try {
    own = await launchBrowser();
    const { page: p } = await openPage(own);
    await p.addInitScript(KEEP_NAMES);
    await p.goto(`http://127.0.0.1:${(floor.address() as { port: number }).port}/`);
    const drawnMs = await untilDrawn(p, { bare: true, everyCondition: false });
    await p.waitForTimeout(500);
    return { drawnMs: Math.round(drawnMs), redrawMs: Math.round(await medianRedraw(p, true)) };
  } finally {
    await own?.close();
    floor.close();
  }
}

// ---------------------------------------------------------------- trace summary (BENCH_PROFILE=trace)
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}
/** Run `run` with Chromium tracing on; the events of the page's renderer main thread. */
async function traceMain<T>(
  run: () => Promise<T>,
  name = 'split',
): Promise<{ out: T; onMain: TraceEvent[] }> {
  const events: TraceEvent[] = [];
  const collect = (e: { value: unknown }) => void events.push(...(e.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', {
    categories:
      'devtools.timeline,disabled-by-default-devtools.timeline,toplevel,v8,blink,gpu,cc,renderer.scheduler',
    transferMode: 'ReportEvents',
  } as never);
  const out = await run();
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  if (TRACE_FILE) fs.writeFileSync(`${TRACE_FILE}.${name}.json`, JSON.stringify(events));
  // The page's renderer main thread: of the CrRendererMain threads (about:blank, the page…), the
  // one that ran the most.
  const busy = (m: TraceEvent) =>
    events
      .filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === 'RunTask')
      .reduce((a, e) => a + (e.dur ?? 0), 0);
  const main = events
    .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((m) => ({ m, busy: busy(m) }))
    .sort((a, b) => b.busy - a.busy)[0]?.m;
  return {
    out,
    onMain: events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X'),
  };
}

/** Length of the union of the events' intervals that falls inside [from, to), in µs. */
function covered(evs: TraceEvent[], from: number, to: number, minus: TraceEvent[] = []): number {
  const cut = (list: TraceEvent[]) =>
    list
      .map((e) => [Math.max(from, e.ts), Math.min(to, e.ts + (e.dur ?? 0))] as [number, number])
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
  const union = (iv: Array<[number, number]>) => {
    const out: Array<[number, number]> = [];
    for (const [a, b] of iv)
      if (out.length && a <= out[out.length - 1]![1])
        out[out.length - 1]![1] = Math.max(out[out.length - 1]![1], b);
      else out.push([a, b]);
    return out;
  };
  const keep = union(cut(evs));
  const drop = union(cut(minus));
  let total = 0;
  for (const [a, b] of keep) {
    total += b - a;
    for (const [c, d] of drop) total -= Math.max(0, Math.min(b, d) - Math.max(a, c));
  }
  return total;
}

interface LongTaskSplit {
  tasks: number;
  totalMs: number;
  readbackMs: number;
  scriptMs: number;
  longest: { ms: number; readbackMs: number; scriptMs: number } | null;
}
/**
 * What the main thread's long tasks were made of: the WebGL frame read back for the software
 * compositor (GLES2::ReadPixels: waiting for SwiftShader to draw the frame, then the copy), our
 * JavaScript and MapLibre's (script, not counting any readback inside it), the rest (style,
 * layout, paint, GC).
 */
function splitLongTasks(onMain: TraceEvent[]): LongTaskSplit {
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000);
  const readback = onMain.filter((e) => e.name === 'GLES2::ReadPixels');
  const script = onMain.filter((e) => SCRIPT_EVENTS.has(e.name));
  const parts = tasks.map((t) => ({
    ms: t.dur! / 1000,
    readbackMs: covered(readback, t.ts, t.ts + t.dur!) / 1000,
    scriptMs: covered(script, t.ts, t.ts + t.dur!, readback) / 1000,
  }));
  const sum = (k: 'ms' | 'readbackMs' | 'scriptMs') => Math.round(parts.reduce((a, p) => a + p[k], 0));
  const longest = parts.sort((a, b) => b.ms - a.ms)[0];
  return {
    tasks: parts.length,
    totalMs: sum('ms'),
    readbackMs: sum('readbackMs'),
    scriptMs: sum('scriptMs'),
    longest: longest
      ? {
          ms: Math.round(longest.ms),
          readbackMs: Math.round(longest.readbackMs),
          scriptMs: Math.round(longest.scriptMs),
        }
      : null,
  };
}

async function traced<T>(name: string, run: () => Promise<T>): Promise<T> {
  const { out, onMain } = await traceMain(run, name);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000);
  log(`trace ${name}: ${tasks.length} tasks > 50 ms on the main thread`);
  const inside = new Map<string, number>();
  for (const t of tasks) {
    const end = t.ts + t.dur!;
    const within = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= end);
    const scripts = [
      ...new Set(
        within
          .filter((e) => e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire')
          .map((e) => {
            const d = e.args?.data as { url?: string; type?: string; functionName?: string } | undefined;
            return `${e.name}:${d?.type ?? ''}${String(d?.url ?? '')
              .split('/')
              .pop()}${d?.functionName ? `#${d.functionName}` : ''}`;
          }),
      ),
    ].slice(0, 4);
    const rp = within.filter((e) => e.name === 'GLES2::ReadPixels').reduce((a, e) => a + (e.dur ?? 0), 0);
    log(
      `  task ${Math.round(t.dur! / 1000)} ms at ${Math.round((t.ts - onMain[0]!.ts) / 1000)} ms (ReadPixels ${Math.round(rp / 1000)} ms): ${scripts.join(' ')}`,
    );
    // Everything inside each long task, by name (and the function for script calls).
    for (const k of within) {
      const d = k.args?.data as { functionName?: string; url?: string; type?: string } | undefined;
      const key = `${k.name}${d?.functionName ? ` ${d.functionName}` : ''}${d?.type ? ` ${d.type}` : ''}${d?.url ? ` ${String(d.url).split('/').pop()}` : ''}`;
      inside.set(key, (inside.get(key) ?? 0) + (k.dur ?? 0));
    }
  }
  for (const [k, us] of [...inside].sort((a, b) => b[1] - a[1]).slice(0, 30))
    log(`  ${String(Math.round(us / 1000)).padStart(6)} ms  ${k}`);
  return out;
}

// ---------------------------------------------------------------- profile summary (BENCH_PROFILE)
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}
function printProfile(name: string, p: CpuProfile): void {
  const self = new Map<number, number>();
  p.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25);
  log(`profile ${name}: ${Math.round((p.endTime - p.startTime) / 1000)} ms`);
  for (const [k, us] of top) log(`  ${String(Math.round(us / 1000)).padStart(6)} ms  ${k}`);
}
