// GET /api/stats: the facts of the cases in scope and filters, read in one query over this period and
// the previous one, measured by shared/kpi.ts. The export (server/export/) writes the same report.
import type { Scope } from '../../shared/auth';
import {
  previousStatsPeriod,
  resolveStatsPeriod,
  statsReport,
  type CaseFacts,
  type StatsQuery,
  type StatsReport,
} from '../../shared/kpi';
import type { CaseState } from '../../shared/workflow';
import type { Store } from '../store/db';
import { unprocessable } from '../http/errors';

export async function caseStats(
  store: Store,
  scope: Scope,
  q: StatsQuery,
  now: number,
  /** The county's townships in code order, for groupBy=township. */
  townships: ReadonlyArray<{ code: string; name: string }> = [],
): Promise<StatsReport> {
  const resolved = resolveStatsPeriod(q, now);
  if ('error' in resolved) throw unprocessable(resolved.error, resolved.field);
  const { period } = resolved;
  const previous = previousStatsPeriod(period);

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
    // The same half-open instants GET /api/cases reads (from ≤ created_at < to).
    .where('created_at', '>=', previous.start)
    .where('created_at', '<', period.end);
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
  return statsReport({
    facts,
    period,
    filters: { township: q.township, domain: q.domain, source: q.source },
    townships:
      q.groupBy === 'township' ? townships.filter((t) => !q.township || t.code === q.township) : undefined,
    // The county sees every township, a case or not; a township or department only those it has cases in.
    keepEmpty: scope.kind === 'county',
  });
}
