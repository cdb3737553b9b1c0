// GET /api/stats: the facts of the cases in scope and filters, read over this period and the one it
// is compared with (环比's previous period or 同比's same days last year, a page at a time, as it
// stood as long ago as it ends before this one, 同期口径; none with compare=none), measured
// by shared/kpi.ts. The export (server/export/) writes the same report.
import type { Scope } from '../../shared/auth';
import {
  comparisonBasis,
  earlyBasis,
  resolveStatsPeriod,
  statsReportAsync,
  townshipKpisAsync,
  type CaseFacts,
  type ComparisonBasis,
  type StatsQuery,
  type StatsReport,
  type UnitRates,
  unitRates,
} from '../../shared/kpi';
import type { CaseState } from '../../shared/workflow';
import type { Selectable } from 'kysely';
import type { Store } from '../store/db';
import type { CasesTable } from '../store/schema';
import { unprocessable } from '../http/errors';
import { factsAsOf, needsReplay, trailsOf } from './facts-as-of';

/** Rows read per statement by caseStats (a few milliseconds each). */
export const STATS_PAGE = 5000;

/** The columns of `cases` that a report measures (shared/kpi.ts `CaseFacts`). */
export const FACT_COLUMNS = [
  'created_at',
  'township_code',
  'assignee_kind',
  'assignee_code',
  'matter_code',
  'domain',
  'source',
  'status',
  'first_dispatched_at',
  'ack_ms',
  'arrive_ms',
  'closed_on_time',
  'rectify_orders',
  'rectified',
  'reworks',
  'returns',
  'extensions',
  'overdue_count',
  'overdue',
  'turnouts',
] as const;

type FactRow = Pick<Selectable<CasesTable>, (typeof FACT_COLUMNS)[number]>;

/** One case's facts from its row, as either engine returns it (PostgreSQL's bigints as strings). */
export function caseFacts(r: FactRow): CaseFacts {
  return {
    createdAt: Number(r.created_at),
    township: r.township_code,
    assignee: r.assignee_kind && r.assignee_code ? `${r.assignee_kind}:${r.assignee_code}` : null,
    matterCode: r.matter_code,
    domain: r.domain,
    source: r.source,
    status: r.status as CaseState,
    dispatched: r.first_dispatched_at !== null,
    ackMs: r.ack_ms === null ? null : Number(r.ack_ms),
    arriveMs: r.arrive_ms === null ? null : Number(r.arrive_ms),
    closedOnTime: r.closed_on_time === null ? null : Number(r.closed_on_time) === 1,
    rectifyOrders: Number(r.rectify_orders),
    rectified: Number(r.rectified),
    reworks: Number(r.reworks),
    returns: Number(r.returns),
    extensions: Number(r.extensions),
    overdueCount: Number(r.overdue_count),
    overdueNow: Number(r.overdue) === 1,
    turnouts: Number(r.turnouts),
  };
}

/** The county's units a report groups by: the ranking's rows. */
export interface StatsUnits {
  /** The county's townships in code order, for groupBy=township. */
  townships?: ReadonlyArray<{ code: string; name: string }>;
  /** The county departments, ranked by 承办部门 in the county's report with groupBy=department. */
  departments?: ReadonlyArray<{ code: string; name: string; short: string }>;
}

export async function caseStats(
  store: Store,
  scope: Scope,
  q: StatsQuery,
  now: number,
  { townships = [], departments = [] }: StatsUnits = {},
  /** Rows per statement (tests read small pages). */
  pageSize = STATS_PAGE,
): Promise<StatsReport> {
  const resolved = resolveStatsPeriod(q, now);
  if ('error' in resolved) throw unprocessable(resolved.error, resolved.field);
  const { period } = resolved;
  const compare = q.compare ?? 'previous';
  const basis = compare === 'none' ? null : comparisonBasis(period, now, compare);

  const db = store.db;
  /**
   * The rows in scope and filters reported from ≤ created_at < to, a page at a time; `county`: every
   * case on the period, domain and source alone (the published ranking's, below).
   */
  async function* rows(from: number, to: number, county = false, township = !county) {
    let query = db
      .selectFrom('cases')
      .select(['id', 'updated_at', ...FACT_COLUMNS])
      // The same half-open instants GET /api/cases reads (from ≤ created_at < to).
      .where('created_at', '>=', from)
      .where('created_at', '<', to);
    if (scope.kind !== 'county' && !county)
      query = query.where(
        'id',
        'in',
        db.selectFrom('case_parties').select('case_id').where('party', '=', `${scope.kind}:${scope.code}`),
      );
    if (q.township && township) query = query.where('township_code', '=', q.township);
    if (q.domain) query = query.where('domain', '=', q.domain);
    if (q.source) query = query.where('source', '=', q.source);
    // A page at a time, in (created_at, id) order on its index, the event loop let through between
    // pages: a year of a busy county (and the year before, for 环比) is some 80,000 rows, and one
    // statement reading them all held the embedded database's connection, which is synchronous on the
    // server's one thread, for a third of a second (no request answered, no socket event sent).
    let after: { at: number; id: string } | null = null;
    for (;;) {
      let page = query.orderBy('created_at').orderBy('id').limit(pageSize);
      if (after) {
        const { at, id } = after;
        page = page.where((eb) =>
          eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]),
        );
      }
      const got = await page.execute();
      yield got;
      const last = got.at(-1);
      if (got.length < pageSize || !last) return;
      after = { at: Number(last.created_at), id: last.id };
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  const facts: CaseFacts[] = [];
  const byTownship = q.groupBy?.includes('township') ?? false;
  // The departments are ranked in the county's report only (a unit's own cases are not a ranking).
  const rankDepartments =
    scope.kind === 'county' && (q.groupBy?.includes('department') ?? false) && departments.length > 0;
  const factOf = new Map<string, CaseFacts>(); // by case id, for the departments' returns
  for await (const page of rows(period.start, period.end))
    for (const r of page) {
      const f = caseFacts(r);
      facts.push(f);
      if (rankDepartments) factOf.set(r.id, f);
    }
  if (rankDepartments) {
    await readReturnedBy(store, factOf, period);
    await readExtendedNow(store, factOf, period);
  }

  /**
   * The compared period as it stood at basis.asOf: a case finished by then is as its row says; any
   * other is replayed from its events up to then (the cases still at work around that moment). With
   * `returns`, who had returned each by then (the departments' 退回率).
   */
  async function factsAsOfBasis(
    b: ComparisonBasis,
    county: boolean,
    returns: boolean,
    township = !county,
  ): Promise<CaseFacts[]> {
    const out: CaseFacts[] = [];
    const ids: string[] = [];
    const replay = new Map<string, number>(); // case id → its index in out
    for await (const page of rows(b.previous.start, b.until, county, township))
      for (const r of page) {
        const f = caseFacts(r);
        if (needsReplay(f, Number(r.updated_at), b.asOf)) replay.set(r.id, out.length);
        out.push(f);
        ids.push(r.id);
      }
    await replayAsOf(store, replay, out, b.asOf, pageSize);
    if (returns) {
      const byId = new Map(ids.map((id, i) => [id, out[i]!]));
      const span = { start: b.previous.start, end: b.until };
      await readReturnedBy(store, byId, span, b.asOf);
      await readExtendedNow(store, byId, span, b.asOf);
    }
    return out;
  }
  const previousFacts = basis ? await factsAsOfBasis(basis, false, rankDepartments) : [];

  /**
   * A department's own report: its 退回率 and 延期率 as its row in the departments' ranking counts
   * them, over every case on the period and filters (as the county's report reads them), not only
   * the ones it has: the cases it returned are another unit's now.
   */
  async function ownDepartmentRates(party: string): Promise<{ now: UnitRates; before?: UnitRates }> {
    const all = new Map<string, CaseFacts>();
    for await (const page of rows(period.start, period.end, true, true))
      for (const r of page) all.set(r.id, caseFacts(r));
    await readReturnedBy(store, all, period);
    await readExtendedNow(store, all, period);
    const out: { now: UnitRates; before?: UnitRates } = { now: unitRates([...all.values()], party) };
    if (basis) out.before = unitRates(await factsAsOfBasis(basis, true, true, true), party);
    return out;
  }
  const ownRates =
    scope.kind === 'department' ? await ownDepartmentRates(`department:${scope.code}`) : undefined;

  // When the records begin: the first case by the index on created_at (one row read).
  const first = await db
    .selectFrom('cases')
    .select('created_at')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();

  const report = await statsReportAsync({
    facts,
    previousFacts,
    period,
    basis,
    now,
    recordsSince: first ? Number(first.created_at) : null,
    filters: { township: q.township, domain: q.domain, source: q.source },
    townships: byTownship ? townships.filter((t) => !q.township || t.code === q.township) : undefined,
    // The county sees every township, a case or not; a township or department only those it has cases in.
    keepEmpty: scope.kind === 'county',
    departments: rankDepartments ? departments : undefined,
    ownRates,
  });

  // 比学赶超 as the county publishes it (通报) to every township: a township asking per township is
  // also given every township's figures on the period, domain and source (not its township filter,
  // which is its own), by location as the leader's ranking counts them: figures only, never a case
  // (its case lists stay its own). A department is not among the townships ranked: none.
  if (scope.kind === 'township' && byTownship) {
    const county: CaseFacts[] = [];
    for await (const page of rows(period.start, period.end, true))
      for (const r of page) county.push(caseFacts(r));
    report.ranking = await townshipKpisAsync({ facts: county, period, townships, keepEmpty: true });
    // And as it stood on the compared period, for the township's 名次较上期 (where that is a basis).
    if (basis && report.previous && !earlyBasis(report)) {
      const before = await factsAsOfBasis(basis, true, false);
      if (before.length > 0)
        report.previous.ranking = await townshipKpisAsync({
          facts: before,
          period: basis.previous,
          townships,
          keepEmpty: true,
        });
    }
  }
  return report;
}

/**
 * Who returned each of the period's cases (CaseFacts.returnedBy), from their `return` events, by the
 * index on the events' type.
 */
async function readReturnedBy(
  store: Store,
  factOf: ReadonlyMap<string, CaseFacts>,
  period: { start: number; end: number },
  /** Only the returns made by then (a compared period as it stood): all when absent. */
  asOf?: number,
): Promise<void> {
  const db = store.db;
  // The period's cases' returns only (none can be older than its cases): not every later one.
  let query = db
    .selectFrom('case_events')
    .select(['case_id', 'payload'])
    .where('type', '=', 'return')
    .where('at', '>=', period.start);
  if (asOf !== undefined) query = query.where('at', '<=', asOf);
  const events = await query
    .where(
      'case_id',
      'in',
      db
        .selectFrom('cases')
        .select('id')
        .where('created_at', '>=', period.start)
        .where('created_at', '<', period.end),
    )
    .execute();
  for (const e of events) {
    const f = factOf.get(e.case_id);
    if (!f) continue;
    const by = (JSON.parse(e.payload) as { returnedBy?: { kind?: string; code?: string } | null }).returnedBy;
    if (!by?.kind || !by.code) continue;
    const key = `${by.kind}:${by.code}`;
    if (!f.returnedBy?.includes(key)) f.returnedBy = [...(f.returnedBy ?? []), key];
  }
}

/**
 * Whether each of the period's cases granted more time was granted it on the deadline it runs now
 * (CaseFacts.extendedNow: since its last 派遣 or 改派), from those cases' events, up to `asOf` for a
 * compared period as it stood. Only the departments' cases with a grant are read.
 */
async function readExtendedNow(
  store: Store,
  factOf: ReadonlyMap<string, CaseFacts>,
  period: { start: number; end: number },
  asOf?: number,
): Promise<void> {
  // Only the departments' ranking reads it: their cases granted more time (a few in a hundred).
  const ids = [...factOf]
    .filter(([, f]) => f.extensions > 0 && f.dispatched && f.assignee?.startsWith('department:'))
    .map(([id]) => id);
  for (let i = 0; i < ids.length; i += REPLAY_BATCH) {
    let query = store.db
      .selectFrom('case_events')
      .select(['case_id', 'type'])
      .where('case_id', 'in', ids.slice(i, i + REPLAY_BATCH))
      .where('type', 'in', ['dispatch', 'reassign', 'approve_extension'])
      .where('at', '>=', period.start);
    if (asOf !== undefined) query = query.where('at', '<=', asOf);
    const granted = new Map<string, number>(); // case id → grants since its last (re)dispatch
    for (const e of await query.orderBy('case_id').orderBy('seq').execute())
      granted.set(e.case_id, e.type === 'approve_extension' ? (granted.get(e.case_id) ?? 0) + 1 : 0);
    for (const [id, n] of granted) factOf.get(id)!.extendedNow = n > 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Case ids per statement when reading the events of the cases to replay. */
const REPLAY_BATCH = 500;

/**
 * Replaces each listed case's facts with those it had at `asOf`, from its events (facts-as-of.ts),
 * a batch of cases per statement, the event loop let through between batches.
 */
export async function replayAsOf(
  store: Store,
  replay: ReadonlyMap<string, number>,
  facts: CaseFacts[],
  asOf: number,
  pageSize = STATS_PAGE,
): Promise<void> {
  const ids = [...replay.keys()];
  const batch = Math.max(1, Math.min(REPLAY_BATCH, pageSize));
  for (let i = 0; i < ids.length; i += batch) {
    const some = ids.slice(i, i + batch);
    const events = await store.db
      .selectFrom('case_events')
      .select(['case_id', 'type', 'at', 'payload'])
      .where('case_id', 'in', some)
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    const byCase = trailsOf(events);
    for (const id of some) {
      const at = replay.get(id)!;
      facts[at] = factsAsOf(facts[at]!, byCase.get(id) ?? [], asOf);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
