// npm run bench:track — a team's track for 轨迹回放 (GET /api/teams/:id/track) on the embedded
// SQLite file, a device reporting at 1 Hz: a day is 86,400 fixes, the longest window (7 days)
// 604,800. The answer gives at most MAX_TRACK_POINTS, evenly thinned. Two ways to the same points:
// TeamService.track (six hours a statement, the event loop let through between: the database
// counts them and numbers their instants from the index, and only every n-th row is read) against
// the obvious way (read every fix of the window in one statement, keep every n-th in JavaScript).
// better-sqlite3 is synchronous: while a statement runs, the server's one thread runs nothing
// else. For each window, median of 5: the time and the longest the event loop was held. Last line:
// one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../server/store/db';
import { insertRows } from '../../server/store/insert-rows';
import { MAX_TRACK_POINTS, TeamService } from '../../server/teams/service';
import { ManualClock } from '../../server/clock';
import type { PositionsTable } from '../../server/store/schema';
import { held } from './support/timing';

const DAY = 86_400_000;
const DAYS = 7;
const OTHERS = 19; // other devices reporting alongside, every 10 s (the index holds them too)
const ROUNDS = 5;
const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fill(store: Store): Promise<number> {
  const start = NOW - DAYS * DAY;
  const t0 = performance.now();
  let written = 0;
  const BATCH = 10_000;
  let rows: PositionsTable[] = [];
  const flush = async () => {
    const batch = rows;
    rows = [];
    await store.db.transaction().execute((trx) => insertRows(trx, 'positions', batch));
    written += batch.length;
    process.stderr.write(`\r  fixes written: ${written.toLocaleString('en')}`);
  };
  for (let s = 0; s < DAYS * 86_400; s++) {
    const at = start + s * 1000;
    rows.push({
      device_id: 'car-0',
      team_id: 'T0',
      at,
      lng: 112.9 + Math.sin(s / 3000) / 50,
      lat: 35.8 + Math.cos(s / 3000) / 50,
      speed: 8,
      bearing: s % 360,
      altitude: null,
      accuracy: 10,
      battery: 80,
    });
    if (s % 10 === 0)
      for (let d = 1; d <= OTHERS; d++)
        rows.push({
          device_id: `car-${d}`,
          team_id: `T${d}`,
          at,
          lng: 112.9,
          lat: 35.8,
          speed: null,
          bearing: null,
          altitude: null,
          accuracy: null,
          battery: null,
        });
    if (rows.length >= BATCH) await flush();
  }
  if (rows.length) await flush();
  process.stderr.write(` in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return written;
}

/** The obvious way: every fix of the window read, every n-th (and the last) kept in JavaScript. */
async function readAll(store: Store, from: number, to: number) {
  const all = await store.db
    .selectFrom('positions')
    .select(['lng', 'lat', 'at', 'speed', 'bearing'])
    .where('team_id', '=', 'T0')
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at')
    .orderBy('device_id')
    .execute();
  const every = all.length <= MAX_TRACK_POINTS ? 1 : Math.ceil(all.length / (MAX_TRACK_POINTS - 1));
  const points = all.filter((_, i) => i % every === 0 || i === all.length - 1);
  return { points, total: all.length, every };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-track-bench-'));
  const store = await openStore({ dataDir: dir, writerThread: false });
  try {
    console.log(
      `team track (轨迹回放): one device at 1 Hz for ${DAYS} days beside ${OTHERS} others, on SQLite`,
    );
    const teams = new TeamService(store, new ManualClock(NOW), { retentionDays: 90 });
    for (let d = 0; d <= OTHERS; d++)
      await teams.createTeam({
        id: `T${d}`,
        name: `测试执法队${d}`,
        kind: 'township',
        ownerCode: '140581002',
        ownerName: '东城街道',
        members: [],
        devices: [{ deviceId: `car-${d}`, token: `secret-${d}`, label: '执法车' }],
      });
    const written = await fill(store);
    const out: Record<string, number> = {};
    for (const [label, days] of [
      ['day', 1],
      ['week', DAYS],
    ] as const) {
      const from = NOW - days * DAY;
      const to = NOW - 1;
      const ways = {
        server: () => teams.track('T0', { kind: 'county' }, from, to),
        readAll: () => readAll(store, from, to),
      };
      const runs: Record<keyof typeof ways, Array<{ ms: number; heldMs: number }>> = {
        server: [],
        readAll: [],
      };
      const answers: Record<string, string> = {};
      for (let r = 0; r < ROUNDS; r++)
        for (const way of r % 2 ? (['readAll', 'server'] as const) : (['server', 'readAll'] as const)) {
          const m = await held(ways[way]);
          runs[way].push(m);
          answers[way] = JSON.stringify(m.out.points.map((p) => Number(p.at)));
          out[`${label}Points`] = m.out.points.length;
          out[`${label}Total`] = m.out.total;
        }
      if (answers.server !== answers.readAll) throw new Error(`the two ways gave different ${label} tracks`);
      const s = { ms: median(runs.server.map((x) => x.ms)), held: median(runs.server.map((x) => x.heldMs)) };
      const a = {
        ms: median(runs.readAll.map((x) => x.ms)),
        held: median(runs.readAll.map((x) => x.heldMs)),
      };
      console.log(
        `  a ${label} (${out[`${label}Total`]!.toLocaleString('en')} fixes → ${out[`${label}Points`]!.toLocaleString('en')} points): ` +
          `read every fix ${a.ms.toFixed(0)} ms (held ${a.held.toFixed(0)} ms), ` +
          `TeamService.track ${s.ms.toFixed(0)} ms (held ${s.held.toFixed(0)} ms): ${(a.ms / s.ms).toFixed(1)}× sooner, ` +
          `the event loop held ${(a.held / s.held).toFixed(1)}× shorter (median of ${ROUNDS})`,
      );
      out[`${label}ReadAllHeldMs`] = Math.round(a.held);
      out[`${label}HeldRatio`] = Number((a.held / s.held).toFixed(1));
      out[`${label}ReadAllMs`] = Math.round(a.ms);
      out[`${label}ServerMs`] = Math.round(s.ms);
      out[`${label}ServerHeldMs`] = Math.round(s.held);
      out[`${label}Ratio`] = Number((a.ms / s.ms).toFixed(1));
    }
    console.log(JSON.stringify({ bench: 'track', engine: 'sqlite', fixes: written, ...out }));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
