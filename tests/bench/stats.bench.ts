// npm run bench:stats — GET /api/stats for a whole year (the leader page's 今年, 环比 with the year
// before), on the embedded SQLite file of a busy county: STATS_BENCH_CASES_PER_YEAR (default
// 40,000) cases a year over two years. better-sqlite3 is synchronous: while a statement runs, the
// server's one thread runs nothing else (no request answered, no socket event sent to the big
// screen). Two ways to read the same facts and measure them with the same shared/kpi.ts: one
// statement reading both years (the obvious way, and the server's before) against caseStats (a page
// of STATS_PAGE rows a statement, the event loop let through between). For each, median of 5: the
// time the answer takes, and the longest the event loop was held (a 1 ms timer's worst lateness).
// Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Insertable } from 'kysely';
import { openStore, type Store } from '../../server/store/db';
import { insertRows } from '../../server/store/insert-rows';
import { caseFacts, caseStats, FACT_COLUMNS, STATS_PAGE } from '../../server/cases/stats';
import { previousStatsPeriod, resolveStatsPeriod, statsReport } from '../../shared/kpi';
import { mulberry32 } from '../../geo/build/random';
import type { CasesTable } from '../../server/store/schema';
import { held } from './support/timing';

const PER_YEAR = Number(process.env.STATS_BENCH_CASES_PER_YEAR ?? 40_000);
const ROUNDS = 5;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 4, 0, 0);
const TOWNSHIPS = Array.from({ length: 15 }, (_, i) => ({
  code: `1405810${String(i + 1).padStart(2, '0')}`,
  name: `乡镇${i + 1}`,
}));
const DOMAINS = ['市容环境', '违法建设', '生态环境', '自然资源', '安全生产', '市场监管'];
const SOURCES = ['grid_worker', 'hotline_12345', 'patrol', 'public'];
const QUERY = { from: '2026-01-01', to: '2026-12-05', groupBy: 'township' as const };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fill(store: Store): Promise<void> {
  const rand = mulberry32(20261205);
  const start = NOW - 2 * 366 * DAY;
  const total = PER_YEAR * 2;
  const t0 = performance.now();
  let rows: Array<Insertable<CasesTable>> = [];
  for (let i = 0; i < total; i++) {
    const at = start + Math.floor((i / total) * (NOW - start));
    const t = TOWNSHIPS[Math.floor(rand() * TOWNSHIPS.length)]!;
    const u = rand();
    const status = u < 0.8 ? 'closed' : u < 0.85 ? 'rejected' : u < 0.95 ? 'in_progress' : 'dispatched';
    const dispatched = status !== 'rejected';
    rows.push({
      id: `c${String(i).padStart(8, '0')}`,
      no_day: '20260101',
      no_seq: i + 1,
      created_by: 'bench',
      created_at: at,
      updated_at: at,
      version: 5,
      status,
      matter_code: `M${Math.floor(rand() * 40)}`,
      domain: DOMAINS[Math.floor(rand() * DOMAINS.length)]!,
      source: SOURCES[Math.floor(rand() * SOURCES.length)]!,
      description: '网格员巡查发现',
      search_text: '网格员巡查发现',
      reporter: null,
      photos: '[]',
      lng: 112.9,
      lat: 35.8,
      township_code: t.code,
      location: '{}',
      route: '{}',
      assignee_kind: 'township',
      assignee_code: t.code,
      assignee_name: t.name,
      cooperating: '[]',
      dispatched_at: dispatched ? at : null,
      first_dispatched_at: dispatched ? at : null,
      ack_ms: dispatched ? Math.round(60_000 + rand() * 3_600_000) : null,
      arrive_ms: dispatched ? Math.round(600_000 + rand() * 7_200_000) : null,
      closed_at: status === 'closed' ? at + DAY : null,
      closed_on_time: status === 'closed' ? (rand() < 0.9 ? 1 : 0) : null,
      rectify_orders: rand() < 0.3 ? 1 : 0,
      rectified: rand() < 0.25 ? 1 : 0,
      reworks: rand() < 0.05 ? 1 : 0,
      returns: rand() < 0.08 ? 1 : 0,
      overdue_count: rand() < 0.1 ? 1 : 0,
      turnouts: 1,
    } as Insertable<CasesTable>);
    if (rows.length === 5000 || i === total - 1) {
      const batch = rows;
      rows = [];
      await store.db.transaction().execute((trx) => insertRows(trx, 'cases', batch));
      process.stderr.write(
        `\r  cases written: ${(i + 1).toLocaleString('en')} of ${total.toLocaleString('en')}`,
      );
    }
  }
  process.stderr.write(` in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** The obvious way (the server's before): both years' facts, the same columns, in one statement; then the same report. */
async function oneStatement(store: Store) {
  const resolved = resolveStatsPeriod(QUERY, NOW);
  if ('error' in resolved) throw new Error(resolved.error);
  const { period } = resolved;
  const rows = await store.db
    .selectFrom('cases')
    .select([...FACT_COLUMNS])
    .where('created_at', '>=', previousStatsPeriod(period).start)
    .where('created_at', '<', period.end)
    .execute();
  const facts = rows.map(caseFacts);
  return statsReport({ facts, period, filters: {}, townships: TOWNSHIPS, keepEmpty: true });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-stats-bench-'));
  const store = await openStore({ dataDir: dir, writerThread: false });
  try {
    console.log(
      `year statistics (今年, 环比 with the year before, by township): ${PER_YEAR.toLocaleString('en')} cases a year on SQLite`,
    );
    await fill(store);
    const ways = {
      single: () => oneStatement(store),
      paged: () => caseStats(store, { kind: 'county' }, QUERY, NOW, TOWNSHIPS),
    };
    const runs: Record<keyof typeof ways, Array<{ ms: number; heldMs: number }>> = { single: [], paged: [] };
    let answers: Record<string, string> = {};
    for (let r = 0; r < ROUNDS; r++)
      for (const way of r % 2 ? (['paged', 'single'] as const) : (['single', 'paged'] as const)) {
        const m = await held(ways[way]);
        runs[way].push(m);
        answers[way] = JSON.stringify(m.out);
      }
    if (answers.single !== answers.paged) throw new Error('the two ways measured differently');
    answers = {};
    const fig = (way: keyof typeof ways) => ({
      ms: median(runs[way].map((x) => x.ms)),
      heldMs: median(runs[way].map((x) => x.heldMs)),
    });
    const single = fig('single');
    const paged = fig('paged');
    console.log(
      `  one statement (the obvious way)     ${single.ms.toFixed(0)} ms, event loop held ${single.heldMs.toFixed(0)} ms`,
    );
    console.log(
      `  caseStats, ${STATS_PAGE} rows a statement  ${paged.ms.toFixed(0)} ms, event loop held ${paged.heldMs.toFixed(0)} ms`,
    );
    const ratio = single.heldMs / paged.heldMs;
    console.log(
      `  the longest wait for anything else ${ratio.toFixed(1)}× shorter paged (median of ${ROUNDS})`,
    );
    console.log(
      JSON.stringify({
        bench: 'stats',
        engine: 'sqlite',
        casesPerYear: PER_YEAR,
        page: STATS_PAGE,
        singleMs: Math.round(single.ms),
        singleHeldMs: Math.round(single.heldMs),
        pagedMs: Math.round(paged.ms),
        pagedHeldMs: Math.round(paged.heldMs),
        heldRatio: Number(ratio.toFixed(1)),
      }),
    );
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
