// npm run bench:screen — the big screen in headless Chromium with the full micro layer, 2,000 open
// cases and 200 teams moving at 1 Hz: time from navigation to map and charts drawn with data, the
// longest main-thread task during 30 s of live updates, the JS/CSS the page loads (gzip), the JS
// heap after the run. Uses the real geo and case APIs when the server has them, otherwise the
// seeded stand-in county of screen-world.ts (said so in the table). Last line: one JSON object.
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { ensureClientBuilt } from '../../server/cli/client-build';
import { launchBrowser, openPage } from '../e2e/support/browser';
import { startTestServer } from '../support/server';
import { call, login, tokenFor, TEST_PASSWORD } from '../support/auth';
import { buildCases, buildWorld, mulberry32 } from './screen-world';

const CASES = 2000;
const TEAMS = 200;
const LIVE_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const TARGETS = { interactiveMs: 3000, maxLongTaskMs: 50, jsGzipKB: 800, jsHeapMB: 400 };

ensureClientBuilt((m) => process.stderr.write(`[bench] ${m}\n`));
const server = await startTestServer({ serveClient: true, env: { DEMO: 'off', AUTO_DISPATCH: 'on' } });
await tokenFor(server, 'bench-commander', 'commander');
const session = await login(server.url, 'bench-commander', TEST_PASSWORD);
const token = session.token;
const world = buildWorld();
const realGeo = (await call(server.url, token, 'GET', '/api/geo/micro')).status === 200;
const realCases = (await call(server.url, token, 'GET', '/api/cases?limit=1')).status === 200;

// 200 teams with a device each, spread over the county.
const rand = mulberry32(2024);
const teamIds: Array<{ deviceId: string; lng: number; lat: number; bearing: number }> = [];
for (let i = 0; i < TEAMS; i++) {
  const t = world.townships[i % world.townships.length]!;
  const id = `BENCH${i}`;
  await server.handle.ctx.teams.createTeam({
    id,
    name: `${t.name}巡查组${i}`,
    kind: 'township',
    ownerCode: t.code,
    ownerName: t.name,
    members: [{ name: '队员', role: '执法队员', source: 'own', departmentCode: null }],
    devices: [{ deviceId: `bench-${i}`, token: 'bench', label: '执法车' }],
  });
  const [x0, y0, x1, y1] = t.box;
  teamIds.push({
    deviceId: `bench-${i}`,
    lng: x0 + (x1 - x0) * rand(),
    lat: y0 + (y1 - y0) * rand(),
    bearing: rand() * 360,
  });
}
async function moveTeams(): Promise<void> {
  const now = Date.now();
  await Promise.all(
    teamIds.map((t) => {
      t.bearing = (t.bearing + (rand() - 0.5) * 30 + 360) % 360;
      t.lng += Math.sin((t.bearing * Math.PI) / 180) * 0.0001;
      t.lat += Math.cos((t.bearing * Math.PI) / 180) * 0.0001;
      return server.handle.ctx.teams.ingest(t.deviceId, [
        { lng: t.lng, lat: t.lat, at: now, speed: 8, bearing: t.bearing },
      ]);
    }),
  );
}
await moveTeams();
process.stderr.write(`[bench] teams ready; geo ${realGeo}, cases ${realCases}\n`);

// 2,000 open cases: through the real intake when it exists, else the stand-in served to the page.
const mockCases = buildCases(world, CASES, Date.now()).map((c) => ({
  lng: c.lng,
  lat: c.lat,
  ...c,
  status: c.status === 'closed' ? 'dispatched' : c.status,
}));
if (realCases && realGeo) {
  const matters = (await call<{ matters: Array<{ code: string }> }>(server.url, token, 'GET', '/api/matters'))
    .body.matters;
  for (let i = 0; i < CASES; i += 50)
    await Promise.all(
      mockCases.slice(i, i + 50).map((c, j) =>
        call(server.url, token, 'POST', '/api/clues', {
          clientId: `bench-${i + j}`,
          lng: c.lng,
          lat: c.lat,
          matterCode: matters[(i + j) % matters.length]!.code,
          description: '基准测试线索',
          source: 'grid_worker',
        }),
      ),
    );
}

const browser = await launchBrowser();
const { context, page } = await openPage(browser);
page.on('crash', () => console.error('[bench] page crashed'));
page.on('pageerror', (e) => console.error('[bench] page error', e.message));
page.on(
  'console',
  (m) => m.type() === 'error' && !m.text().includes('404') && console.error('[bench] console', m.text()),
);
const bytes = { js: 0, css: 0, jsGzip: 0, cssGzip: 0 };
page.on('response', async (res) => {
  const type = res.request().resourceType();
  if (type !== 'script' && type !== 'stylesheet') return;
  try {
    const body = await res.body();
    const gz = zlib.gzipSync(body, { level: 9 }).length;
    if (type === 'script') {
      bytes.js += body.length;
      bytes.jsGzip += gz;
    } else {
      bytes.css += body.length;
      bytes.cssGzip += gz;
    }
  } catch {
    /* redirects have no body */
  }
});
if (!realGeo)
  await page.route('**/api/geo/*', (r) => {
    const layer = new URL(r.request().url()).pathname.split('/').pop() as keyof typeof world.layers;
    return r.fulfill({ json: world.layers[layer] });
  });
if (!realCases) {
  await page.route('**/api/cases?*', (r) =>
    r.fulfill({ json: { items: mockCases, total: CASES, nextCursor: null } }),
  );
  await page.route('**/api/events?*', (r) => r.fulfill({ json: { events: [], lastSeq: 0 } }));
  await page.route('**/api/stats?*', (r) => r.fulfill({ json: {} }));
}
// tsx compiles the page functions below with esbuild's keepNames, which calls a `__name` helper.
await context.addInitScript({ content: 'window.__name = (f) => f;' });
// Signed in already (the login form is not what is measured), long tasks recorded from the start.
await context.addInitScript((s) => {
  sessionStorage.setItem('session', JSON.stringify(s));
  const w = window as unknown as { __longtasks: Array<{ start: number; duration: number }> };
  w.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}, session);

process.stderr.write('[bench] navigating\n');
await page.goto(`${server.url}/screen`);
const interactiveMs = await page.evaluate(
  () =>
    new Promise<number>((resolve) => {
      const ready = () => {
        const el = document.querySelector('[data-testid=map] .maplibregl-map') as
          (HTMLElement & { __map?: any }) | null;
        const map = el?.__map;
        const charts = document.querySelectorAll('[data-testid^="chart-"] canvas').length;
        return (
          !!map &&
          map.areTilesLoaded() &&
          !!map.getLayer('townships-fill') &&
          map.queryRenderedFeatures({ layers: ['townships-fill'] }).length > 0 &&
          map.querySourceFeatures('cases').length > 0 &&
          charts >= 4
        );
      };
      const started = performance.now();
      const tick = () => {
        if (ready()) return resolve(performance.now());
        if (performance.now() - started > 60_000) {
          const map = (document.querySelector('[data-testid=map] .maplibregl-map') as any)?.__map;
          console.error(
            `not ready: map ${!!map} loaded ${map?.loaded()} townships ${map?.queryRenderedFeatures({ layers: ['townships-fill'] }).length} cases ${map?.querySourceFeatures('cases').length} charts ${document.querySelectorAll('[data-testid^="chart-"] canvas').length}`,
          );
          return resolve(NaN);
        }
        requestAnimationFrame(tick);
      };
      tick();
    }),
);

process.stderr.write(`[bench] interactive after ${Math.round(interactiveMs)} ms\n`);
// The full micro layer: zoom to a town centre where micro-grids are drawn.
async function zoomToMicro(p: Page): Promise<number> {
  return p.evaluate(
    (centre) =>
      new Promise<number>((resolve) => {
        const map = (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map;
        const t0 = performance.now();
        map.jumpTo({ center: centre, zoom: 14.2 });
        const tick = () =>
          map.areTilesLoaded() && map.queryRenderedFeatures({ layers: ['grid-micro-fill'] }).length > 0
            ? resolve(performance.now() - t0)
            : requestAnimationFrame(tick);
        tick();
      }),
    [
      (world.townships[1]!.box[0] + world.townships[1]!.box[2]) / 2,
      (world.townships[1]!.box[1] + world.townships[1]!.box[3]) / 2,
    ],
  );
}
const microMs = await zoomToMicro(page);
const microFeatures = await page.evaluate(
  () =>
    (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map.querySourceFeatures(
      'grid-micro',
    ).length,
);
// Back out to the county, where clusters, teams and every layer are on screen together.
await page.evaluate(() =>
  (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map.jumpTo({ zoom: 11.5 }),
);
await page.waitForTimeout(1000);

// 30 s of live updates: every team moves each second (the server coalesces to one broadcast per
// second), and with the case API a clue arrives every 200 ms.
const liveStart = await page.evaluate(() => performance.now());
let clueN = 0;
const matters = realCases
  ? ((await call<{ matters: Array<{ code: string }> }>(server.url, token, 'GET', '/api/matters')).body
      .matters ?? [])
  : [];
const teamTimer = setInterval(() => void moveTeams(), 1000);
const clueTimer =
  realCases && realGeo && matters.length
    ? setInterval(() => {
        const c = mockCases[clueN++ % mockCases.length]!;
        void call(server.url, token, 'POST', '/api/clues', {
          clientId: `live-${clueN}`,
          lng: c.lng,
          lat: c.lat,
          matterCode: matters[clueN % matters.length]!.code,
          description: '实时线索',
          source: 'patrol',
        });
      }, 200)
    : null;
await page.waitForTimeout(LIVE_SECONDS * 1000);
clearInterval(teamTimer);
if (clueTimer) clearInterval(clueTimer);
const longTasks = await page.evaluate(
  (since) => (window as any).__longtasks.filter((t: { start: number }) => t.start >= since),
  liveStart,
);
const maxLongTaskMs = Math.round(Math.max(0, ...longTasks.map((t: { duration: number }) => t.duration)));
const teamsMoved = await page.evaluate(
  () =>
    (document.querySelector('[data-testid=map] .maplibregl-map') as any).__map.querySourceFeatures('teams')
      .length,
);

const cdp = await context.newCDPSession(page);
await cdp.send('HeapProfiler.collectGarbage');
const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
const jsHeapMB = Math.round(heap.usedSize / 1048576);

await browser.close();
await server.close();

const result = {
  bench: 'screen',
  interactiveMs: Math.round(interactiveMs),
  maxLongTaskMs,
  jsGzipKB: Math.round(bytes.jsGzip / 1024),
  cssGzipKB: Math.round(bytes.cssGzip / 1024),
  jsHeapMB,
};
const row = (k: string, v: string | number, target?: number) =>
  console.log(
    `${k.padEnd(34)} ${String(v).padStart(10)}${target !== undefined ? `   target ≤ ${target}  ${Number(v) <= target ? 'ok' : 'MISSED'}` : ''}`,
  );
console.log(
  `data: geo ${realGeo ? 'real pack' : 'stand-in (screen-world.ts)'}, cases ${realCases ? 'real intake' : 'stand-in'}; ${CASES} open cases, ${TEAMS} teams at 1 Hz, ${LIVE_SECONDS} s live`,
);
row('interactive (ms)', result.interactiveMs, TARGETS.interactiveMs);
row('longest task during updates (ms)', maxLongTaskMs, TARGETS.maxLongTaskMs);
row('long tasks during updates', longTasks.length);
row('JS loaded by /screen (gzip kB)', result.jsGzipKB, TARGETS.jsGzipKB);
row('  raw kB', Math.round(bytes.js / 1024));
row('CSS loaded by /screen (gzip kB)', result.cssGzipKB);
row('JS heap after run (MB)', jsHeapMB, TARGETS.jsHeapMB);
row('micro layer drawn after zoom (ms)', Math.round(microMs));
row('micro features in view', microFeatures);
row('team features on map', teamsMoved);
console.log(JSON.stringify(result));
process.exit(0);
