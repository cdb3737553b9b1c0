// GET /api/stats: the case facts in range and scope, measured by the shared KPI formulas.
import type { Scope } from '../../shared/auth';
import type { StatsQuery } from '../../shared/cases';
import { computeKpis, type CaseFacts, type Kpis } from '../../shared/kpi';
import { DAY_MS, startOfShanghaiDay } from '../../shared/time';
import type { CaseState } from '../../shared/workflow';
import type { Store } from '../store/db';
import { unprocessable } from '../http/errors';

/** The longest range one request may measure (a year and a day, for leap years and time zones). */
const MAX_RANGE_MS = 367 * DAY_MS;

export interface StatsResult extends Kpis {
  from: number;
  to: number;
  filters: { township?: string; domain?: string; source?: string };
}

export async function caseStats(
  store: Store,
  scope: Scope,
  q: StatsQuery,
  now: number,
): Promise<StatsResult> {
  const to = q.to ?? now;
  // Default: the last 30 Shanghai days including today.
  const from = q.from ?? startOfShanghaiDay(to) - 29 * DAY_MS;
  if (from > to) throw unprocessable('query.from: must not be after query.to', 'query.from');
  if (to - from > MAX_RANGE_MS) throw unprocessable('query.to: statistics span at most 366 days', 'query.to');

  const db = store.db;
  let query = db
    .selectFrom('cases')
    .select([
      'created_at',
      'township_code',
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
      'overdue_count',
      'overdue',
      'turnouts',
    ])
    .where('created_at', '>=', from)
    .where('created_at', '<=', to);
  if (scope.kind !== 'county')
    query = query.where(
      'id',
      'in',
      db.selectFrom('case_parties').select('case_id').where('party', '=', `${scope.kind}:${scope.code}`),
    );
  if (q.township) query = query.where('township_code', '=', q.township);
  if (q.domain) query = query.where('domain', '=', q.domain);
  if (q.source) query = query.where('source', '=', q.source);
  const rows = await query.execute();
  const facts: CaseFacts[] = rows.map((r) => ({
    createdAt: Number(r.created_at),
    township: r.township_code,
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
    overdueCount: Number(r.overdue_count),
    overdueNow: Number(r.overdue) === 1,
    turnouts: Number(r.turnouts),
  }));
  return {
    from,
    to,
    filters: { township: q.township, domain: q.domain, source: q.source },
    ...computeKpis(facts, { from, to }),
  };
}
