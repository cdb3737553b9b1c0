// A unit's 退回 records (GET /api/returns): its `return` events, newest first, read by the index on
// the events' type (migration 019_case_events_type), each with what the command centre did next
// with the case (its first dispatch, reassignment or rejection after the return) and the
// case as it is now. The unit may no longer be a party of a case it returned (a department's case
// dispatched to a township): the record is still its own, and says whether the case can be opened.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { SessionUser } from '../../shared/auth';
import type {
  CaseEvent,
  PartyRef,
  ReturnDecision,
  ReturnRecord,
  ReturnsPage,
  ReturnsQuery,
} from '../../shared/cases';
import { forbidden } from '../http/errors';
import type { Database } from '../store/schema';
import type { MatterCatalogue } from './catalogue';
import {
  assigneeOf,
  eventView,
  rowCaseNumber,
  rowParties,
  scopeSees,
  type CaseRow,
  type EventRow,
} from './view';

export async function listReturns(
  db: Kysely<Database>,
  catalogue: MatterCatalogue,
  user: SessionUser,
  q: ReturnsQuery,
): Promise<ReturnsPage> {
  const own = user.scope.kind === 'county' ? null : `${user.scope.kind}:${user.scope.code}`;
  if (own && q.party && q.party !== own)
    throw forbidden('只能查看本单位的退回记录 (a unit reads only its own returns)');
  const party = q.party ?? own;
  let sel = db.selectFrom('case_events').where('type', '=', 'return');
  if (party) {
    const [kind, code] = party.split(':', 2) as [string, string];
    // The payload is JSON written by act() ({…, returnedBy: {kind, code, name}, …}): a quote in a
    // value is escaped, so only the key itself matches; `_` in a code is itself (`escape '!'`); the
    // parsed payload is checked below too.
    const pattern = `%"returnedBy":{"kind":"${kind}","code":"${code}",%`.replace(/[!_]/g, '!$&');
    sel = sel.where(sql<SqlBool>`payload like ${pattern} escape '!'`);
  }
  if (q.before !== undefined) sel = sel.where('seq', '<', q.before);
  const rows = (await sel
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute()) as EventRow[];
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit).map(eventView);
  // A page is at most 200 returns: their cases, and what the centre did after, in one read each.
  const ids = [...new Set(page.map((e) => e.caseId))];
  const cases = new Map<string, CaseRow>();
  const decisions = new Map<string, CaseEvent[]>();
  if (ids.length) {
    for (const c of (await db.selectFrom('cases').selectAll().where('id', 'in', ids).execute()) as CaseRow[])
      cases.set(c.id, c);
    // A returned case is dispatched (or reassigned) again, or rejected: a merge is only ever of a
    // case still 待派遣, never after a return (shared/workflow.ts).
    const later = (await db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', 'in', ids)
      .where('type', 'in', ['dispatch', 'reassign', 'reject'])
      .orderBy('seq')
      .execute()) as EventRow[];
    for (const e of later.map(eventView)) {
      let list = decisions.get(e.caseId);
      if (!list) decisions.set(e.caseId, (list = []));
      list.push(e);
    }
  }

  const items: ReturnRecord[] = [];
  for (const r of page) {
    const row = cases.get(r.caseId);
    const by = r.payload.returnedBy as PartyRef | null | undefined;
    if (!row || !by || (party && `${by.kind}:${by.code}` !== party)) continue;
    const next = decisions.get(r.caseId)?.find((e) => e.seq > r.seq);
    let decision: ReturnDecision | null = null;
    if (next) {
      const to = next.type === 'reject' ? null : ((next.payload.assignee as PartyRef | undefined) ?? null);
      decision = {
        type: next.type === 'reject' ? 'reject' : 'dispatch',
        at: next.at,
        to,
        again: !!to && to.kind === by.kind && to.code === by.code,
        note: String(
          (next.type === 'reject' ? next.payload.reason : (next.payload.note ?? next.payload.reason)) ?? '',
        ),
      };
    }
    const location = JSON.parse(row.location) as {
      township?: { name?: string };
      micro?: { name?: string };
    };
    items.push({
      seq: r.seq,
      caseId: row.id,
      caseNo: rowCaseNumber(row),
      matterName: catalogue.byCode.get(row.matter_code)?.name ?? row.matter_code,
      place: [location.township?.name, location.micro?.name].filter(Boolean).join(' › '),
      returnedAt: r.at,
      returnedBy: by,
      by: r.actor.displayName,
      reason: String(r.payload.reason ?? ''),
      decision,
      status: row.status as ReturnRecord['status'],
      assignee: assigneeOf(row),
      visible: scopeSees(user.scope, rowParties(row)),
    });
  }
  return { items, next: more ? page[page.length - 1]!.seq : null };
}
