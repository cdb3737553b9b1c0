// npm run bench:handover — 交接班's figures (GET /api/handovers/current, POST /api/handovers): the
// shift's activity is a count of the case events after the last handover, by type. A county's
// audit trail is kept forever, so the count must read the last few hours, not the whole table.
// Two ways on the same embedded SQLite file of HANDOVER_BENCH_EVENTS events over a year (10 a
// case, as a case's life writes them): the server's, by the index on the events' time (migration
// 015_handovers), against the same query with that index dropped (the table scanned). The open
// cases' half of the summary (the cases by state, on their own index) runs too, on an empty table
// here: what is timed is the events' half.
// HANDOVER_BENCH_DATABASE_URL=postgres://… runs the same on PostgreSQL. Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../server/store/db';
import { insertRows } from '../../server/store/insert-rows';
import { HandoverService } from '../../server/handovers/service';
import { DomainBus } from '../../server/events/bus';
import { ManualClock } from '../../server/clock';
import { mulberry32 } from '../../geo/build/random';
import { databaseUrlFor, pgQuery } from '../support/pg';
import type { CaseEventsTable } from '../../server/store/schema';

const EVENTS = Number(process.env.HANDOVER_BENCH_EVENTS ?? 1_000_000);
const ROUNDS = 7;
const YEAR = 365 * 86_400_000;
const SHIFT = 12 * 3600_000;
const TYPES = [
  'created',
  'dispatch',
  'acknowledge',
  'start',
  'arrive',
  'resolve',
  'verify_pass',
  'escalate',
  'overdue',
  'return',
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fill(store: Store, now: number): Promise<void> {
  const rand = mulberry32(20261204);
  const t0 = performance.now();
  const BATCH = 5000;
  for (let i = 0; i < EVENTS; i += BATCH) {
    const rows: CaseEventsTable[] = [];
    for (let k = i; k < Math.min(EVENTS, i + BATCH); k++)
      rows.push({
        seq: k + 1,
        case_id: `case-${Math.floor(k / 10)}`,
        type: TYPES[k % 10]!,
        actor: 'bench',
        // In seq order over the year (as events are written), a little jitter.
        at: Math.round(now - YEAR + (k / EVENTS) * YEAR + rand() * 1000),
        payload: '{}',
      });
    await store.db.transaction().execute((trx) => insertRows(trx, 'case_events', rows));
    if ((i / BATCH) % 40 === 0)
      process.stderr.write(
        `\r  events written: ${Math.min(EVENTS, i + BATCH).toLocaleString('en')} of ${EVENTS.toLocaleString('en')}`,
      );
  }
  process.stderr.write(`\n  written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function time(service: HandoverService, now: number): Promise<{ ms: number; reported: number }> {
  const runs: number[] = [];
  let reported = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const s = await service.summary(now - SHIFT, now);
    runs.push(performance.now() - t);
    reported = s.activity.reported;
  }
  return { ms: median(runs), reported };
}

async function main(): Promise<void> {
  const url = process.env.HANDOVER_BENCH_DATABASE_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-handover-bench-'));
  let pgName: string | null = null;
  let databaseUrl: string | undefined;
  if (url) {
    pgName = `handover_bench_${process.pid}`;
    await pgQuery(url, `create database ${pgName}`);
    databaseUrl = databaseUrlFor(url, pgName);
  }
  const store = await openStore({ dataDir: dir, databaseUrl, writerThread: false });
  try {
    const now = Date.UTC(2026, 11, 4, 12, 0, 0);
    console.log(
      `handover summary: ${EVENTS.toLocaleString('en')} case events over a year on ${store.engine}`,
    );
    await fill(store, now);
    if (store.engine === 'postgres') await sql`analyze case_events`.execute(store.db);
    else await sql`analyze`.execute(store.db);
    const service = new HandoverService(store, new ManualClock(now), new DomainBus());
    const indexed = await time(service, now);
    await store.db.schema.dropIndex('case_events_at').execute();
    const scanned = await time(service, now);
    if (indexed.reported !== scanned.reported) throw new Error('the two ways counted differently');
    const ratio = scanned.ms / indexed.ms;
    console.log(`  the last ${SHIFT / 3600_000} h (${indexed.reported} clues reported in it):`);
    console.log(`    by the index on the events' time (the server) ${indexed.ms.toFixed(2)} ms`);
    console.log(`    the table scanned (no index)                ${scanned.ms.toFixed(2)} ms`);
    console.log(`    the index is ${ratio.toFixed(0)}× faster (median of ${ROUNDS})`);
    console.log(
      JSON.stringify({
        bench: 'handover',
        engine: store.engine,
        events: EVENTS,
        indexedMs: Number(indexed.ms.toFixed(2)),
        scanMs: Number(scanned.ms.toFixed(2)),
        ratio: Number(ratio.toFixed(1)),
      }),
    );
  } finally {
    await store.close();
    if (pgName && url) await pgQuery(url, `drop database if exists ${pgName}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
