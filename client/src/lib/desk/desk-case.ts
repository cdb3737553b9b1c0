// Reading cases for the desk: which are the desk's own work, whether one is rework (sent back by
// verification, 返工), when it is due, and the desk's working order. The case shape is shared/cases.ts.
import type { CaseView } from '../../../../shared/cases';
import type { TabCase } from './tabs';

/** The party a desk works for: a township platform or a county department. */
export interface DeskParty {
  kind: 'township' | 'department';
  code: string;
}

export const partyParam = (p: DeskParty) => `${p.kind}:${p.code}`;
/** GET /api/cases's filter for the desk's own work (its lists, its search). */
export const ownCasesQuery = (p: DeskParty) => `assignee=${encodeURIComponent(partyParam(p))}`;
/** GET /api/cases's filter for the tasks of other units the desk's unit cooperates on (协办). */
export const cooperatingCasesQuery = (p: DeskParty) => `cooperating=${encodeURIComponent(partyParam(p))}`;

/** The desk's own work: cases assigned to its party now. */
export function isOwnCase(c: Pick<CaseView, 'assignee'>, party: DeskParty | null): boolean {
  return !!party && !!c.assignee && c.assignee.kind === party.kind && c.assignee.code === party.code;
}

/** Another unit's task the desk's unit cooperates on (协办): named among its cooperating parties. */
export function isCooperatingCase(
  c: Pick<CaseView, 'assignee' | 'cooperating'>,
  party: DeskParty | null,
): boolean {
  return (
    !!party &&
    !isOwnCase(c, party) &&
    (c.cooperating ?? []).some((p) => p.kind === party.kind && p.code === party.code)
  );
}

/**
 * Whether the desk keeps `next` in place of what it holds of the case (`held`, the highest version
 * seen `seen`). A higher version always; a read (`read`: a list or the case fetched) is current, so
 * the same version too. An event's snapshot at the same version only with more deadlines marked
 * missed: the scheduler's overdue mark (超时) changes a case without counting a version, and marks are
 * only ever added at one version, so the snapshot with more is the later (events from several
 * server processes may arrive out of order).
 */
export function replacesSnapshot(
  next: Pick<CaseView, 'version' | 'deadlineState'>,
  seen: number,
  held: Pick<CaseView, 'deadlineState'> | undefined,
  read: boolean,
): boolean {
  if (next.version !== seen) return next.version > seen;
  return read || (!!held && overdueMarks(next) > overdueMarks(held));
}

function overdueMarks(c: Pick<CaseView, 'deadlineState'>): number {
  let n = 0;
  for (const d of Object.values(c.deadlineState ?? {})) if (d?.overdueAt != null) n++;
  return n;
}

/**
 * Rework (返工): verification failed and sent it back. A case that was resolved once and is being
 * handled again carries its earlier resolution time; a timeline, when present, says it outright.
 */
export function isRework(c: Pick<CaseView, 'status' | 'resolvedAt' | 'timeline'>): boolean {
  if (c.status !== 'in_progress' && c.status !== 'rectifying') return false;
  if (c.timeline?.length) {
    for (let i = c.timeline.length - 1; i >= 0; i--) {
      const type = c.timeline[i]!.type;
      if (type === 'verify_fail') return true;
      if (type === 'resolve') return false;
    }
    return false;
  }
  return c.resolvedAt !== null;
}

export type RowMomentKind = 'closed' | 'resolved' | 'returned' | 'dispatched' | 'reported';

/**
 * The moment a desk row shows, and what happened then: for work that has left the desk's hands
 * (已办理) when it left them (结案, 办结, 退回), the tab's order; for work in hand when it was
 * dispatched (派遣) to the desk.
 */
export function rowMoment(
  c: Pick<CaseView, 'status' | 'closedAt' | 'resolvedAt' | 'updatedAt' | 'dispatchedAt' | 'createdAt'>,
): { kind: RowMomentKind; at: number } {
  if (c.status === 'closed' && c.closedAt != null) return { kind: 'closed', at: c.closedAt };
  if (c.status === 'resolved' && c.resolvedAt != null) return { kind: 'resolved', at: c.resolvedAt };
  if (c.status === 'returned') return { kind: 'returned', at: c.updatedAt };
  return c.dispatchedAt != null
    ? { kind: 'dispatched', at: c.dispatchedAt }
    : { kind: 'reported', at: c.createdAt };
}

/** The case as the tab logic reads it. */
export function toTabCase(c: CaseView, party: DeskParty | null): TabCase & { arrivedAt: number | null } {
  // A deadline already met (acknowledged, arrived …) no longer counts down.
  const due = (k: 'acknowledge' | 'arrive' | 'finish' | 'rectify') =>
    c.deadlineState?.[k]?.metAt != null ? null : (c.deadlines[k] ?? null);
  return {
    id: c.id,
    status: c.status,
    rework: isRework(c) && c.status === 'in_progress',
    cooperating: isCooperatingCase(c, party),
    overdue: c.overdue,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    doneAt: rowMoment(c).at,
    arrivedAt: c.arrivedAt,
    deadlines: {
      acknowledge: due('acknowledge'),
      arrive: due('arrive'),
      finish: due('finish'),
      rectify: due('rectify'),
    },
  };
}
