// npm run bench:stats — GET /api/stats for a whole year (the leader page's 今年, 环比 with the year
// before), on the embedded SQLite file of a busy county: STATS_BENCH_CASES_PER_YEAR (default
// 40,000) cases a year over two years. better-sqlite3 is synchronous: while a statement runs, the
// server's one thread runs nothing else (no request answered, no socket event sent to the big
// screen). Two ways to read the same facts and measure them with the same shared/kpi.ts: one
// statement reading both years (the obvious way, and the server's before) against caseStats (a page
// of STATS_PAGE rows a statement, the event loop let through between). For each, median of 5: the
// time the answer takes, and the longest the event loop was held (a 1 ms timer's worst lateness).
// Then 环比's as-of view (同期口径): the previous year's cases as they stood a year ago, replayed
// from their events, every case against only those not finished by then. Then the big screen's 30
// days without a comparison (compare=none) against with 环比, and 今年 with 同比. Last line: one JSON
// object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Insertable } from 'kysely';
import { openStore, type Store } from '../../server/store/db';
import { insertRows } from '../../server/store/insert-rows';
import { caseFacts, caseStats, FACT_COLUMNS, replayAsOf, STATS_PAGE } from '../../server/cases/stats';
import { factsAsOf, needsReplay, trailsOf } from '../../server/cases/facts-as-of';
import { comparisonBasis, resolveStatsPeriod, statsReport, type CaseFacts } from '../../shared/kpi';
import { mulberry32 } from '../../geo/build/random';
import type { CaseEventsTable, CasesTable } from '../../server/store/schema';
import { held } from './support/timing';

const PER_YEAR = Number(process.env.STATS_BENCH_CASES_PER_YEAR ?? 40_000);
const ROUNDS = 5;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 4, 0, 0);
const TOWNSHIPS = Array.from({ length: 15 }, (_, i) => ({
  code: `1405810${String(i + 1).padStart(2, '0')}`,
  name: `乡镇${i + 1}`,
}));
/** The county departments, ranked beside the townships in the county's report. */
const DEPARTMENTS = Array.from({ length: 13 }, (_, i) => ({
  code: `dept${i + 1}`,
  name: `部门${i + 1}`,
  short: `部门${i + 1}`,
}));
const DOMAINS = ['市容环境', '违法建设', '生态环境', '自然资源', '安全生产', '市场监管'];
const SOURCES = ['grid_worker', 'hotline_12345', 'patrol', 'public'];
const QUERY = { from: '2026-01-01', to: '2026-12-05', groupBy: ['township' as const] };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function fill(store: Store): Promise<void> {
  const rand = mulberry32(20261205);
  const start = NOW - 2 * 366 * DAY;
  const total = PER_YEAR * 2;
  const t0 = performance.now();
  let rows: Array<Insertable<CasesTable>> = [];
  let events: Array<Insertable<CaseEventsTable>> = [];
  let seq = 0;
  for (let i = 0; i < total; i++) {
    const id = `c${String(i).padStart(8, '0')}`;
    const at = start + Math.floor((i / total) * (NOW - start));
    const t = TOWNSHIPS[Math.floor(rand() * TOWNSHIPS.length)]!;
    const u = rand();
    const status = u < 0.8 ? 'closed' : u < 0.85 ? 'rejected' : u < 0.95 ? 'in_progress' : 'dispatched';
    const dispatched = status !== 'rejected';
    const started = status === 'closed' || status === 'in_progress';
    const ackMs = Math.round(60_000 + rand() * 3_600_000);
    const arriveMs = ackMs + Math.round(600_000 + rand() * 7_200_000);
    // The trail the row's facts come from (facts-as-of.ts replays it): created, then by status
    // 不予立案; or dispatched, acknowledged, sent, on site, resolved and verified.
    const trail: Array<[string, number, Record<string, unknown>]> = [['created', at, {}]];
    if (!dispatched) trail.push(['reject', at + 3_600_000, {}]);
    else trail.push(['dispatch', at, { assignee: { kind: 'township', code: t.code, name: t.name } }]);
    if (started)
      trail.push(
        ['acknowledge', at + ackMs, {}],
        ['start', at + ackMs, { personnel: 1 }],
        ['arrive', at + arriveMs, {}],
      );
    if (status === 'closed') trail.push(['resolve', at + DAY / 2, {}], ['verify_pass', at + DAY, {}]);
    for (const [type, when, payload] of trail)
      events.push({ seq: ++seq, case_id: id, type, actor: '{}', at: when, payload: JSON.stringify(payload) });
    rows.push({
      id,
      no_day: '20260101',
      no_seq: i + 1,
      created_by: 'bench',
      created_at: at,
      updated_at: trail.at(-1)![1],
      version: trail.length,
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
      // 不予立案 before a dispatch: nobody has it.
      assignee_kind: dispatched ? 'township' : null,
      assignee_code: dispatched ? t.code : null,
      assignee_name: dispatched ? t.name : null,
      cooperating: '[]',
      dispatched_at: dispatched ? at : null,
      first_dispatched_at: dispatched ? at : null,
      ack_ms: started ? ackMs : null,
      arrive_ms: started ? arriveMs : null,
      closed_at: status === 'closed' ? at + DAY : null,
      closed_on_time: status === 'closed' ? (rand() < 0.9 ? 1 : 0) : null,
      rectify_orders: 0,
      rectified: 0,
      reworks: 0,
      returns: 0,
      overdue_count: 0,
      turnouts: started ? 1 : 0,
    } as Insertable<CasesTable>);
    if (rows.length === 5000 || i === total - 1) {
      const batch = rows;
      const trails = events;
      rows = [];
      events = [];
      await store.db.transaction().execute(async (trx) => {
        await insertRows(trx, 'cases', batch);
        await insertRows(trx, 'case_events', trails);
      });
      process.stderr.write(
        `\r  cases written: ${(i + 1).toLocaleString('en')} of ${total.toLocaleString('en')} (${seq.toLocaleString('en')} events)`,
      );
    }
  }
  process.stderr.write(` in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/**
 * The obvious way (the server's before): both years' facts, the same columns, in one statement;
 * the events of the previous year's cases still at work at the comparison moment in one more; then
 * the same report.
 */
async function oneStatement(store: Store) {
  const resolved = resolveStatsPeriod(QUERY, NOW);
  if ('error' in resolved) throw new Error(resolved.error);
  const { period } = resolved;
  const basis = comparisonBasis(period, NOW);
  const rows = await store.db
    .selectFrom('cases')
    .select(['id', 'updated_at', ...FACT_COLUMNS])
    .where('created_at', '>=', basis.previous.start)
    .where('created_at', '<', period.end)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const facts: CaseFacts[] = [];
  const previousFacts: CaseFacts[] = [];
  const replay = new Map<string, number>();
  for (const r of rows) {
    const f = caseFacts(r);
    const at = Number(r.created_at);
    if (at >= period.start) facts.push(f);
    else if (at < basis.until) {
      if (needsReplay(f, Number(r.updated_at), basis.asOf)) replay.set(r.id, previousFacts.length);
      previousFacts.push(f);
    }
  }
  const events = replay.size
    ? await store.db
        .selectFrom('case_events')
        .select(['case_id', 'type', 'at', 'payload'])
        .where('case_id', 'in', [...replay.keys()])
        .orderBy('case_id')
        .orderBy('seq')
        .execute()
    : [];
  const byCase = trailsOf(events);
  for (const [id, i] of replay)
    previousFacts[i] = factsAsOf(previousFacts[i]!, byCase.get(id) ?? [], basis.asOf);
  // When the records begin, as caseStats reads it (the first case by its index).
  const first = await store.db
    .selectFrom('cases')
    .select('created_at')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return statsReport({
    facts,
    previousFacts,
    period,
    basis,
    now: NOW,
    recordsSince: first ? Number(first.created_at) : null,
    filters: {},
    townships: TOWNSHIPS,
    keepEmpty: true,
  });
}

/**
 * 环比 as of the comparison moment by replaying every case of the previous year (the obvious way to
 * an as-of view), against replaying only those not yet finished by then, as caseStats does.
 */
async function replayEvery(store: Store) {
  const resolved = resolveStatsPeriod(QUERY, NOW);
  if ('error' in resolved) throw new Error(resolved.error);
  const basis = comparisonBasis(resolved.period, NOW);
  const rows = await store.db
    .selectFrom('cases')
    .select(['id', 'updated_at', ...FACT_COLUMNS])
    .where('created_at', '>=', basis.previous.start)
    .where('created_at', '<', basis.until)
    .execute();
  const facts = rows.map(caseFacts);
  const replay = async (pick: (f: CaseFacts, updatedAt: number) => boolean) => {
    const out = [...facts];
    const which = new Map(
      rows.flatMap((r, i) => (pick(facts[i]!, Number(r.updated_at)) ? [[r.id, i] as const] : [])),
    );
    const t0 = performance.now();
    await replayAsOf(store, which, out, basis.asOf);
    return { ms: performance.now() - t0, cases: which.size, out: JSON.stringify(out) };
  };
  const every = await replay(() => true);
  const needed = await replay((f, updatedAt) => needsReplay(f, updatedAt, basis.asOf));
  if (every.out !== needed.out) throw new Error('replaying every case and only the unfinished differ');
  return { every, needed, previousCases: rows.length };
}

/**
 * A quarter of this year's dispatched cases given to the departments (their rows' assignee), one in
 * 20 of those returned first by another department (a `return` event naming it, the row's count),
 * and one in 20 granted more time (an `approve_extension` event, the row's `extensions`): half of
 * those before a 改派 to the department (a `reassign` after it), which its 延期率 does not count.
 */
async function giveToDepartments(
  store: Store,
): Promise<{ departmentCases: number; returnEvents: number; extended: number; extendedKept: number }> {
  const rand = mulberry32(20261206);
  const start = Date.parse('2026-01-01T00:00:00+08:00');
  const rows = await store.db
    .selectFrom('cases')
    .select(['id', 'created_at'])
    .where('created_at', '>=', start)
    .where('first_dispatched_at', 'is not', null)
    .execute();
  let seq = Number(
    (
      await store.db
        .selectFrom('case_events')
        .select((eb) => eb.fn.max('seq').as('max'))
        .executeTakeFirst()
    )?.max ?? 0,
  );
  let departmentCases = 0;
  let extended = 0;
  let extendedKept = 0;
  const events: CaseEventsTable[] = [];
  await store.db.transaction().execute(async (trx) => {
    for (const r of rows) {
      if (rand() >= 0.25) continue;
      const d = DEPARTMENTS[Math.floor(rand() * DEPARTMENTS.length)]!;
      departmentCases++;
      const returned = rand() < 0.05;
      const granted = rand() < 0.05;
      await trx
        .updateTable('cases')
        .set({
          assignee_kind: 'department',
          assignee_code: d.code,
          assignee_name: d.name,
          ...(returned ? { returns: 1 } : {}),
          ...(granted ? { extensions: 1 } : {}),
        })
        .where('id', '=', r.id)
        .execute();
      if (granted) {
        extended++;
        const at = Number(r.created_at) + 2 * 60_000;
        const event = (type: string, dt: number, payload: object): CaseEventsTable => ({
          seq: ++seq,
          case_id: r.id,
          type,
          actor: '{}',
          at: at + dt,
          payload: JSON.stringify(payload),
        });
        events.push(event('approve_extension', 0, { days: 3, requestedDays: 3 }));
        if (rand() < 0.5)
          events.push(
            event('reassign', 60_000, { assignee: { kind: 'department', code: d.code, name: d.name } }),
          );
        else extendedKept++;
      }
      if (returned) {
        const by = DEPARTMENTS[(DEPARTMENTS.indexOf(d) + 1) % DEPARTMENTS.length]!;
        events.push({
          seq: ++seq,
          case_id: r.id,
          type: 'return',
          actor: '{}',
          at: Number(r.created_at) + 60_000,
          payload: JSON.stringify({
            reason: '非本部门职责',
            returnedBy: { kind: 'department', code: by.code, name: by.name },
          }),
        });
      }
    }
    await insertRows(trx, 'case_events', events);
  });
  return {
    departmentCases,
    returnEvents: events.filter((e) => e.type === 'return').length,
    extended,
    extendedKept,
  };
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
      paged: () => caseStats(store, { kind: 'county' }, QUERY, NOW, { townships: TOWNSHIPS }),
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
    const replays: Array<Awaited<ReturnType<typeof replayEvery>>> = [];
    for (let r = 0; r < ROUNDS; r++) replays.push(await replayEvery(store));
    const everyMs = median(replays.map((x) => x.every.ms));
    const neededMs = median(replays.map((x) => x.needed.ms));
    const { previousCases } = replays[0]!;
    const replayedNeeded = replays[0]!.needed.cases;
    console.log(
      `  the longest wait for anything else ${ratio.toFixed(1)}× shorter paged (median of ${ROUNDS})`,
    );
    console.log(
      `  环比 as of the same moment: replaying all ${previousCases.toLocaleString('en')} cases of the previous year ${everyMs.toFixed(0)} ms,`,
    );
    console.log(
      `  only the ${replayedNeeded.toLocaleString('en')} not finished by then ${neededMs.toFixed(0)} ms: ${(everyMs / neededMs).toFixed(1)}× less (median of ${ROUNDS}; the same facts)`,
    );
    // The big screen's charts: the last 30 days every poll, with no comparison (compare=none, what
    // the screen asks) against the same with 环比 (what it asked before); and 今年 with 同比, the
    // leader page's default for the year now.
    const month = { from: '2026-11-06', to: '2026-12-05', groupBy: ['township' as const] };
    const timed = async (q: Parameters<typeof caseStats>[2]) => {
      const ms: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now();
        await caseStats(store, { kind: 'county' }, q, NOW, { townships: TOWNSHIPS });
        ms.push(performance.now() - t0);
      }
      return median(ms);
    };
    const monthNoneMs = await timed({ ...month, compare: 'none' });
    const monthPreviousMs = await timed({ ...month, compare: 'previous' });
    const yearOnYearMs = await timed({ ...QUERY, compare: 'year' });
    console.log(
      `  the screen's 30 days: with 环比 ${monthPreviousMs.toFixed(0)} ms, compare=none ${monthNoneMs.toFixed(0)} ms: ${(monthPreviousMs / monthNoneMs).toFixed(1)}× less (median of ${ROUNDS})`,
    );
    console.log(
      `  今年 with 同比 (the same days of last year, as they stood a year ago) ${yearOnYearMs.toFixed(0)} ms`,
    );
    // The county's report ranks the 13 departments too (what the server asks since): a quarter of
    // this year's cases given to departments, one in 20 returned by one first (its event and its
    // row), against the same report without the departments.
    const { departmentCases, returnEvents, extended, extendedKept } = await giveToDepartments(store);
    // The departments' 延期率 counts the grants made while each had the case: not those before a 改派.
    const ranked = await caseStats(
      store,
      { kind: 'county' },
      { ...QUERY, groupBy: ['township', 'department'] },
      NOW,
      {
        townships: TOWNSHIPS,
        departments: DEPARTMENTS,
      },
    );
    const counted = ranked.departments!.reduce((n, d) => n + d.extensionRate.numerator, 0);
    if (counted !== extendedKept)
      throw new Error(
        `the departments' 延期率 counted ${counted} grants, not the ${extendedKept} made while they had the case`,
      );
    // Alternated, round by round (the VM's speed drifts over a run).
    const withRuns: number[] = [];
    const withoutRuns: number[] = [];
    for (let r = 0; r < ROUNDS * 2; r++)
      for (const departments of r % 2 ? [DEPARTMENTS, []] : [[], DEPARTMENTS]) {
        const t0 = performance.now();
        await caseStats(store, { kind: 'county' }, { ...QUERY, groupBy: ['township', 'department'] }, NOW, {
          townships: TOWNSHIPS,
          departments,
        });
        (departments.length ? withRuns : withoutRuns).push(performance.now() - t0);
      }
    const withoutMs = median(withoutRuns);
    const withDepartmentsMs = median(withRuns);
    console.log(
      `  今年 with the departments ranked (${departmentCases.toLocaleString('en')} cases, ${returnEvents.toLocaleString('en')} returns and ${extended.toLocaleString('en')} grants of more time read) ${withDepartmentsMs.toFixed(0)} ms, without ${withoutMs.toFixed(0)} ms: ${(withDepartmentsMs / withoutMs).toFixed(2)}× (median of ${ROUNDS * 2}, alternated)`,
    );
    // A township's page (本单位统计) on 今年: the published county ranking, and with 环比 that ranking
    // on the compared year too, as it stood then, for 名次较上期 (the county's year before read and its
    // open cases replayed), against the same page with no comparison. The bench's cases name no
    // parties, so the township's own figures are empty: the time is the published ranking's.
    const township = { kind: 'township', code: TOWNSHIPS[0]!.code } as const;
    const townshipRuns: Record<'previous' | 'none', Array<{ ms: number; heldMs: number }>> = {
      previous: [],
      none: [],
    };
    for (let r = 0; r < ROUNDS; r++)
      for (const compare of r % 2 ? (['none', 'previous'] as const) : (['previous', 'none'] as const)) {
        const m = await held(() =>
          caseStats(store, township, { ...QUERY, township: township.code, compare }, NOW, {
            townships: TOWNSHIPS,
          }),
        );
        if (compare === 'previous' && !m.out.previous?.ranking)
          throw new Error('no ranking on the compared year');
        townshipRuns[compare].push(m);
      }
    const townshipFig = (c: 'previous' | 'none') => ({
      ms: median(townshipRuns[c].map((x) => x.ms)),
      heldMs: median(townshipRuns[c].map((x) => x.heldMs)),
    });
    const townshipMoves = townshipFig('previous');
    const townshipNone = townshipFig('none');
    console.log(
      `  a township's 今年 with 环比 and 名次较上期 ${townshipMoves.ms.toFixed(0)} ms (event loop held ${townshipMoves.heldMs.toFixed(0)} ms), compare=none ${townshipNone.ms.toFixed(0)} ms (held ${townshipNone.heldMs.toFixed(0)} ms): ${(townshipMoves.ms / townshipNone.ms).toFixed(2)}× (median of ${ROUNDS}, alternated)`,
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
        previousCases,
        replayedNeeded,
        replayEveryMs: Math.round(everyMs),
        replayNeededMs: Math.round(neededMs),
        replayRatio: Number((everyMs / neededMs).toFixed(1)),
        monthPreviousMs: Math.round(monthPreviousMs),
        monthNoneMs: Math.round(monthNoneMs),
        monthRatio: Number((monthPreviousMs / monthNoneMs).toFixed(1)),
        yearOnYearMs: Math.round(yearOnYearMs),
        yearWithDepartmentsMs: Math.round(withDepartmentsMs),
        yearWithoutDepartmentsMs: Math.round(withoutMs),
        departmentsRatio: Number((withDepartmentsMs / withoutMs).toFixed(2)),
        townshipYearMs: Math.round(townshipMoves.ms),
        townshipYearHeldMs: Math.round(townshipMoves.heldMs),
        townshipYearNoneMs: Math.round(townshipNone.ms),
        townshipYearNoneHeldMs: Math.round(townshipNone.heldMs),
        townshipRatio: Number((townshipMoves.ms / townshipNone.ms).toFixed(2)),
      }),
    );
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
