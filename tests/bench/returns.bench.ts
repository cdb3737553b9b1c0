// npm run bench:returns — 退回记录 (GET /api/returns): a unit's returns, newest first. The audit
// trail is kept forever, and returns are a sliver of it, so a page must not cost a pass over every
// event. Two ways on the same embedded SQLite file of RETURNS_BENCH_EVENTS events over a year (one
// in 50 a `return`, from one of 20 units): the server's (server/cases/returns.ts), by the index on
// the events' type (migration 019_case_events_type), against the same call with that index dropped
// (the table scanned). Both read a unit's first page (50), its tenth (by `before`), and the empty
// page of a unit that has returned nothing (every return looked at, or every event without the index).
// RETURNS_BENCH_DATABASE_URL=postgres://… runs the same on PostgreSQL. Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../server/store/db';
import { insertRows } from '../../server/store/insert-rows';
import { listReturns } from '../../server/cases/returns';
import type { MatterCatalogue } from '../../server/cases/catalogue';
import { mulberry32 } from '../../geo/build/random';
import { databaseUrlFor, pgQuery } from '../support/pg';
import type { CaseEventsTable, CasesTable } from '../../server/store/schema';
import type { SessionUser } from '../../shared/auth';
import type { ReturnsPage } from '../../shared/cases';

const EVENTS = Number(process.env.RETURNS_BENCH_EVENTS ?? 1_000_000);
const ROUNDS = 7;
const YEAR = 365 * 86_400_000;
const EVERY = 50; // one event in 50 is a return
const UNITS = Array.from({ length: 20 }, (_, i) => ({
  kind: 'township',
  code: `1405811${String(i).padStart(2, '0')}`,
  name: `乡镇${i}`,
}));
const OTHER = ['created', 'dispatch', 'acknowledge', 'start', 'arrive', 'resolve', 'verify_pass', 'escalate'];
const UNIT = UNITS[3]!;
const USER: SessionUser = {
  id: 'u-bench',
  username: UNIT.code,
  displayName: UNIT.name,
  role: 'township',
  scope: { kind: 'township', code: UNIT.code },
} as SessionUser;
/** A unit that has returned nothing (a page answered only once every return has been looked at). */
const NONE: SessionUser = {
  ...USER,
  username: 'none',
  scope: { kind: 'department', code: 'none' },
} as SessionUser;
const CATALOGUE = { matters: [], byCode: new Map() } as MatterCatalogue;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function caseRow(id: string, n: number, at: number, township: string): CasesTable {
  return {
    id,
    no_day: '20261204',
    no_seq: n,
    client_id: null,
    created_by: 'bench',
    created_at: at,
    updated_at: at,
    version: 3,
    status: 'returned',
    matter_code: 'SR01',
    domain: 'city',
    source: 'grid_worker',
    description: '占道经营',
    search_text: '',
    reporter: null,
    photos: '[]',
    lng: 112.9,
    lat: 35.8,
    township_code: township,
    location: JSON.stringify({ township: { code: township, name: '乡镇' }, micro: { name: '微网格' } }),
    route: '{}',
    assignee_kind: null,
    assignee_code: null,
    assignee_name: null,
    cooperating: '[]',
    duplicate_of: null,
    merged_into: null,
    result: null,
    escalations: 0,
    escalated_at: null,
    status_since: at,
    extension_request: null,
    extensions: 0,
    overdue: 0,
    dispatched_at: null,
    first_dispatched_at: null,
    acknowledged_at: null,
    arrived_at: null,
    resolved_at: null,
    closed_at: null,
    ack_ms: null,
    arrive_ms: null,
    closed_on_time: null,
    rectify_orders: 0,
    rectified: 0,
    reworks: 0,
    returns: 1,
    overdue_count: 0,
    turnouts: 0,
  };
}

async function fill(store: Store, now: number): Promise<void> {
  const rand = mulberry32(20261206);
  const t0 = performance.now();
  const BATCH = 5000;
  for (let i = 0; i < EVENTS; i += BATCH) {
    const events: CaseEventsTable[] = [];
    const cases: CasesTable[] = [];
    for (let k = i; k < Math.min(EVENTS, i + BATCH); k++) {
      const at = Math.round(now - YEAR + (k / EVENTS) * YEAR + rand() * 1000);
      const caseId = `case-${Math.floor(k / 10)}`;
      const isReturn = k % EVERY === EVERY - 1;
      const unit = UNITS[Math.floor(rand() * UNITS.length)]!;
      if (isReturn) cases.push(caseRow(caseId, k + 1, at, unit.code));
      events.push({
        seq: k + 1,
        case_id: caseId,
        type: isReturn ? 'return' : OTHER[k % OTHER.length]!,
        actor: JSON.stringify({ id: 'u', username: unit.code, displayName: unit.name, role: 'township' }),
        at,
        payload: isReturn
          ? JSON.stringify({ reason: '非本单位职责', returnedBy: unit, from: 'dispatched', to: 'returned' })
          : '{"note":""}',
      });
    }
    await store.db.transaction().execute(async (trx) => {
      await insertRows(trx, 'case_events', events);
      await insertRows(trx, 'cases', cases);
    });
    if ((i / BATCH) % 40 === 0)
      process.stderr.write(
        `\r  events written: ${Math.min(EVENTS, i + BATCH).toLocaleString('en')} of ${EVENTS.toLocaleString('en')}`,
      );
  }
  process.stderr.write(`\n  written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/**
 * The unit's first page, its tenth by `before` (the cursor found on the way), and the empty page of
 * a unit that has returned nothing: median ms each.
 */
async function time(
  store: Store,
): Promise<{ firstMs: number; tenthMs: number; noneMs: number; seqs: string }> {
  const first: number[] = [];
  const tenth: number[] = [];
  const none: number[] = [];
  let seqs = '';
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    let page: ReturnsPage = await listReturns(store.db, CATALOGUE, USER, { limit: 50 });
    first.push(performance.now() - t);
    const firstSeqs = page.items.map((x) => x.seq);
    for (let p = 1; p < 9 && page.next; p++)
      page = await listReturns(store.db, CATALOGUE, USER, { limit: 50, before: page.next });
    t = performance.now();
    page = await listReturns(store.db, CATALOGUE, USER, { limit: 50, before: page.next ?? undefined });
    tenth.push(performance.now() - t);
    seqs = `${firstSeqs.join(',')}|${page.items.map((x) => x.seq).join(',')}`;
    t = performance.now();
    const empty = await listReturns(store.db, CATALOGUE, NONE, { limit: 50 });
    none.push(performance.now() - t);
    if (empty.items.length) throw new Error('a unit with no returns was listed some');
  }
  return { firstMs: median(first), tenthMs: median(tenth), noneMs: median(none), seqs };
}

async function main(): Promise<void> {
  const url = process.env.RETURNS_BENCH_DATABASE_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-returns-bench-'));
  let pgName: string | null = null;
  let databaseUrl: string | undefined;
  if (url) {
    pgName = `returns_bench_${process.pid}`;
    await pgQuery(url, `create database ${pgName}`);
    databaseUrl = databaseUrlFor(url, pgName);
  }
  const store = await openStore({ dataDir: dir, databaseUrl, writerThread: false });
  try {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const returns = Math.floor(EVENTS / EVERY);
    console.log(
      `returns: ${EVENTS.toLocaleString('en')} case events over a year on ${store.engine}, ${returns.toLocaleString('en')} of them returns by ${UNITS.length} units`,
    );
    await fill(store, now);
    if (store.engine === 'postgres') await sql`analyze`.execute(store.db);
    else await sql`analyze`.execute(store.db);
    const indexed = await time(store);
    await store.db.schema.dropIndex('case_events_type').execute();
    const scanned = await time(store);
    if (indexed.seqs !== scanned.seqs) throw new Error('the two ways listed different returns');
    if (!indexed.seqs.includes(','))
      throw new Error('the unit has no returns listed: the bench measured nothing');
    const ratioFirst = scanned.firstMs / indexed.firstMs;
    const ratioTenth = scanned.tenthMs / indexed.tenthMs;
    const ratioNone = scanned.noneMs / indexed.noneMs;
    console.log(`  one unit's returns, 50 a page (median of ${ROUNDS}):`);
    const cols = (x: { firstMs: number; tenthMs: number; noneMs: number }) =>
      [x.firstMs, x.tenthMs, x.noneMs].map((v) => `${v.toFixed(2).padStart(8)} ms`).join('  ');
    console.log(`                                       first page   tenth page   a unit with none`);
    console.log(`    by the index on the events' type   ${cols(indexed)}`);
    console.log(`    the table scanned (no index)       ${cols(scanned)}`);
    console.log(
      `    the index is ${ratioFirst.toFixed(1)}× / ${ratioTenth.toFixed(1)}× / ${ratioNone.toFixed(1)}× faster`,
    );
    console.log(
      JSON.stringify({
        bench: 'returns',
        engine: store.engine,
        events: EVENTS,
        firstPageMs: Number(indexed.firstMs.toFixed(2)),
        firstPageScanMs: Number(scanned.firstMs.toFixed(2)),
        tenthPageMs: Number(indexed.tenthMs.toFixed(2)),
        tenthPageScanMs: Number(scanned.tenthMs.toFixed(2)),
        noneMs: Number(indexed.noneMs.toFixed(2)),
        noneScanMs: Number(scanned.noneMs.toFixed(2)),
        ratio: Number(ratioFirst.toFixed(1)),
        ratioNone: Number(ratioNone.toFixed(1)),
      }),
    );
  } finally {
    await store.close();
    if (pgName && url) await pgQuery(url, `drop database if exists ${pgName}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
