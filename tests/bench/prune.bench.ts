// npm run bench:prune — the hourly deletion of team tracks past TRACK_RETENTION_DAYS, on the
// embedded SQLite file. better-sqlite3 is synchronous: while a statement runs, the server's one
// thread runs nothing else (no request answered, no socket event sent). An hour of 200 teams
// reporting at 1 Hz is 720,000 fixes to delete each hour; lowering the retention deletes days of
// them at once. Two ways on the same PRUNE_BENCH_ROWS expired fixes (and a day of newer ones that
// must stay): one statement (`delete … where at < cutoff`, the obvious way and the server's before)
// against TeamService.prune (PRUNE_BATCH rows a statement, the event loop let through between).
// For each: the time it takes, and the longest the event loop was held (a 1 ms timer's worst lateness,
// what any request arriving then waits at least). Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../server/store/db';
import { insertRows } from '../../server/store/insert-rows';
import { PRUNE_BATCH, TeamService } from '../../server/teams/service';
import { ManualClock } from '../../server/clock';
import type { PositionsTable } from '../../server/store/schema';
import { held } from './support/timing';

const EXPIRED = Number(process.env.PRUNE_BENCH_ROWS ?? 720_000);
const KEPT = 86_400 / 10; // a day of newer fixes, one every 10 s per device
const DEVICES = 200;
const DAY = 86_400_000;
const RETENTION_DAYS = 90;

async function fill(store: Store, now: number): Promise<void> {
  const cutoff = now - RETENTION_DAYS * DAY;
  const t0 = performance.now();
  const BATCH = 10_000;
  const total = EXPIRED + KEPT * 2;
  let written = 0;
  const row = (i: number, at: number): PositionsTable => ({
    device_id: `bench-${i % DEVICES}`,
    at,
    team_id: `BENCH${i % DEVICES}`,
    lng: 112.9 + (i % 97) / 1000,
    lat: 35.8 + (i % 89) / 1000,
    speed: 8,
    bearing: i % 360,
    altitude: null,
    accuracy: 10,
    battery: 80,
  });
  // Expired: the hour before the cutoff, 200 devices at 1 Hz (as the hourly prune finds them).
  for (let i = 0; i < EXPIRED; i += BATCH) {
    const rows: PositionsTable[] = [];
    for (let k = i; k < Math.min(EXPIRED, i + BATCH); k++)
      rows.push(row(k, cutoff - 1 - Math.floor(k / DEVICES) * 1000));
    await store.db.transaction().execute((trx) => insertRows(trx, 'positions', rows));
    written += rows.length;
    if ((i / BATCH) % 20 === 0)
      process.stderr.write(
        `\r  fixes written: ${written.toLocaleString('en')} of ${total.toLocaleString('en')}`,
      );
  }
  const kept: PositionsTable[] = [];
  for (let k = 0; k < KEPT * 2; k++) kept.push(row(k, now - DAY + Math.floor(k / 2) * 10_000 + (k % 2)));
  for (let i = 0; i < kept.length; i += BATCH)
    await store.db.transaction().execute((trx) => insertRows(trx, 'positions', kept.slice(i, i + BATCH)));
  process.stderr.write(
    `\r  fixes written: ${total.toLocaleString('en')} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

async function main(): Promise<void> {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);
  const clock = new ManualClock(now);
  const results: Record<'single' | 'batched', { ms: number; maxHeldMs: number; deleted: number }> =
    {} as never;
  console.log(
    `track pruning: ${EXPIRED.toLocaleString('en')} expired fixes of ${DEVICES} devices (and a day of newer ones) on SQLite`,
  );
  for (const way of ['single', 'batched'] as const) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-prune-bench-'));
    const store = await openStore({ dataDir: dir, writerThread: false });
    try {
      const teams = new TeamService(store, clock, { retentionDays: RETENTION_DAYS });
      for (let i = 0; i < DEVICES; i++)
        await teams.createTeam({
          id: `BENCH${i}`,
          name: `巡查组${i}`,
          kind: 'township',
          ownerCode: '140581002',
          ownerName: '东城街道',
          members: [],
          devices: [{ deviceId: `bench-${i}`, token: 'bench', label: '执法车' }],
        });
      await fill(store, now);
      await sql`analyze`.execute(store.db);
      const cutoff = now - RETENTION_DAYS * DAY;
      const m = await held(async () => {
        if (way === 'batched') return teams.prune();
        const r = await store.db.deleteFrom('positions').where('at', '<', cutoff).executeTakeFirst();
        return Number(r.numDeletedRows);
      });
      results[way] = { ms: m.ms, maxHeldMs: m.heldMs, deleted: m.out };
      const left = await store.db
        .selectFrom('positions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (results[way].deleted !== EXPIRED || Number(left.n) !== KEPT * 2)
        throw new Error(`${way}: deleted ${results[way].deleted}, left ${left.n}: not what was expired`);
      console.log(
        `  ${way === 'single' ? 'one statement (the obvious way)        ' : `TeamService.prune, ${PRUNE_BATCH} a statement`}  ${(results[way].ms / 1000).toFixed(2)} s in all, event loop held at most ${results[way].maxHeldMs.toFixed(0)} ms`,
      );
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const ratio = results.single.maxHeldMs / results.batched.maxHeldMs;
  console.log(
    `  the longest wait for anything else: ${ratio.toFixed(0)}× shorter batched; in all ${(results.batched.ms / results.single.ms).toFixed(2)}× the time`,
  );
  console.log(
    JSON.stringify({
      bench: 'prune',
      engine: 'sqlite',
      expired: EXPIRED,
      batch: PRUNE_BATCH,
      singleMs: Math.round(results.single.ms),
      singleMaxHeldMs: Math.round(results.single.maxHeldMs),
      batchedMs: Math.round(results.batched.ms),
      batchedMaxHeldMs: Math.round(results.batched.maxHeldMs),
      heldRatio: Number(ratio.toFixed(1)),
    }),
  );
}

await main();
