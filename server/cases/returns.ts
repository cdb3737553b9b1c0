// A unit's 退回 records (GET /api/returns): its `return` events, newest first, read by the index on
// the events' type (migration 019_case_events_type), each with what the command centre did next
// with the case (its first dispatch, reassignment, rejection or merge after the return) and the
// case as it is now. The unit may no longer be a party of a case it returned (a department's case
// dispatched to a township): the record is still its own, and says whether the case can be opened.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { SessionUser } from '../../shared/auth';
import type {
  EventActor,
  PartyRef,
  ReturnDecision,
  ReturnRecord,
  ReturnsPage,
  ReturnsQuery,
} from '../../shared/cases';
import { forbidden } from '../http/errors';
import type { Database } from '../store/schema';
import type { MatterCatalogue } from './catalogue';
import { assigneeOf, rowCaseNumber, rowParties, scopeSees, type CaseRow } from './view';

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
  let sel = db
    .selectFrom('case_events')
    .select(['seq', 'case_id', 'at', 'actor', 'payload'])
    .where('type', '=', 'return');
  if (party) {
    const [kind, code] = party.split(':', 2) as [string, string];
    // The payload is JSON written by act() ({…, returnedBy: {kind, code, name}, …}): a quote in a
    // value is escaped, so only the key itself matches; `_` in a code is itself (`escape '!'`); the
    // parsed payload is checked below too.
    const pattern = `%"returnedBy":{"kind":"${kind}","code":"${code}",%`.replace(/[!_]/g, '!$&');
    sel = sel.where(sql<SqlBool>`payload like ${pattern} escape '!'`);
  }
  if (q.before !== undefined) sel = sel.where('seq', '<', q.before);
  const rows = await sel
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const ids = [...new Set(page.map((r) => r.case_id))];
  const cases = new Map<string, CaseRow>();
  const after = new Map<string, Array<{ seq: number; type: string; at: number; payload: string }>>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const c of (await db
      .selectFrom('cases')
      .selectAll()
      .where('id', 'in', chunk)
      .execute()) as CaseRow[])
      cases.set(c.id, c);
    const decided = await db
      .selectFrom('case_events')
      .select(['case_id', 'seq', 'type', 'at', 'payload'])
      .where('case_id', 'in', chunk)
      .where('type', 'in', ['dispatch', 'reassign', 'reject', 'merge'])
      .orderBy('seq')
      .execute();
    for (const e of decided) {
      let list = after.get(e.case_id);
      if (!list) after.set(e.case_id, (list = []));
      list.push({ seq: Number(e.seq), type: e.type, at: Number(e.at), payload: e.payload });
    }
  }
  const mergedInto = [...cases.values()].map((c) => c.merged_into).filter((x): x is string => !!x);
  const targetNo = new Map<string, string>();
  if (mergedInto.length)
    for (const t of await db
      .selectFrom('cases')
      .select(['id', 'no_day', 'no_seq'])
      .where('id', 'in', mergedInto.slice(0, 500))
      .execute())
      targetNo.set(t.id, rowCaseNumber(t));

  const items: ReturnRecord[] = [];
  for (const r of page) {
    const row = cases.get(r.case_id);
    const payload = JSON.parse(r.payload) as { reason?: unknown; returnedBy?: PartyRef | null };
    const by = payload.returnedBy;
    if (!row || !by || (party && `${by.kind}:${by.code}` !== party)) continue;
    const seq = Number(r.seq);
    const next = after.get(r.case_id)?.find((e) => e.seq > seq);
    let decision: ReturnDecision | null = null;
    if (next) {
      const p = JSON.parse(next.payload) as {
        assignee?: PartyRef;
        reason?: unknown;
        note?: unknown;
        into?: unknown;
      };
      const to = next.type === 'dispatch' || next.type === 'reassign' ? (p.assignee ?? null) : null;
      decision = {
        type: next.type === 'reassign' ? 'dispatch' : (next.type as ReturnDecision['type']),
        at: next.at,
        to,
        again: !!to && to.kind === by.kind && to.code === by.code,
        note:
          next.type === 'reject'
            ? String(p.reason ?? '')
            : next.type === 'merge'
              ? (targetNo.get(String(p.into)) ?? '')
              : String(p.note ?? p.reason ?? ''),
      };
    }
    const location = JSON.parse(row.location) as {
      township?: { name?: string };
      micro?: { name?: string };
    };
    items.push({
      seq,
      caseId: row.id,
      caseNo: rowCaseNumber(row),
      matterName: catalogue.byCode.get(row.matter_code)?.name ?? row.matter_code,
      place: [location.township?.name, location.micro?.name].filter(Boolean).join(' › '),
      returnedAt: Number(r.at),
      returnedBy: by,
      by: (JSON.parse(r.actor) as EventActor).displayName,
      reason: String(payload.reason ?? ''),
      decision,
      status: row.status as ReturnRecord['status'],
      assignee: assigneeOf(row),
      visible: scopeSees(user.scope, rowParties(row)),
    });
  }
  return { items, next: more ? Number(page[page.length - 1]!.seq) : null };
}
