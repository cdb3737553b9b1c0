// Stored rows → the case as callers read it; and who may see a case.
import type { Selectable } from 'kysely';
import {
  caseNumber,
  caseSends,
  lastReturnOf,
  DEADLINE_KINDS,
  extendedDue,
  isRunning,
  partyKey,
  type CaseEvent,
  type CaseEventType,
  type CaseView,
  type ClueSource,
  type DeadlineKind,
  type DeadlineView,
  type EventActor,
  type ExtensionAsked,
  type ExtensionRequest,
  type PartyRef,
  type Redispatch,
  type Route,
} from '../../shared/cases';
import type { Scope } from '../../shared/auth';
import type { CaseState } from '../../shared/workflow';
import type { CaseDeadlinesTable, CaseEventsTable, CasesTable } from '../store/schema';
import type { MatterCatalogue } from './catalogue';

export type CaseRow = Selectable<CasesTable>;
export type DeadlineRow = Selectable<CaseDeadlinesTable>;
export type EventRow = Selectable<CaseEventsTable>;

export function assigneeOf(
  row: Pick<CaseRow, 'assignee_kind' | 'assignee_code' | 'assignee_name'>,
): PartyRef | null {
  if (!row.assignee_kind || !row.assignee_code) return null;
  return {
    kind: row.assignee_kind as PartyRef['kind'],
    code: row.assignee_code,
    name: row.assignee_name ?? row.assignee_code,
  };
}

/** Every party that may see the case: its location township, its assignee, its cooperating parties. */
export function partiesOf(township: string, assignee: PartyRef | null, cooperating: PartyRef[]): string[] {
  const keys = new Set<string>([`township:${township}`]);
  if (assignee) keys.add(partyKey(assignee));
  for (const c of cooperating) keys.add(partyKey(c));
  return [...keys];
}

export function rowParties(
  row: Pick<CaseRow, 'township_code' | 'assignee_kind' | 'assignee_code' | 'assignee_name' | 'cooperating'>,
): string[] {
  return partiesOf(row.township_code, assigneeOf(row), JSON.parse(row.cooperating) as PartyRef[]);
}

/** A 延期申请 as stored (cases.extension_request); the deadline it moves is read when it is shown. */
export function storedExtension(row: Pick<CaseRow, 'extension_request'>): ExtensionAsked | null {
  return row.extension_request ? (JSON.parse(row.extension_request) as ExtensionAsked) : null;
}

/**
 * The request waiting for the command centre, with the 办结 deadline it would move and to when;
 * null when none waits, or it lapsed (the deadline has been marked missed, or no longer runs).
 */
export function extensionRequestOf(
  row: Pick<CaseRow, 'extension_request'>,
  finish: DeadlineView | undefined,
): ExtensionRequest | null {
  const stored = storedExtension(row);
  if (!stored || !isRunning(finish)) return null;
  return { ...stored, finishDue: finish.dueAt, until: extendedDue(finish.dueAt, stored.days) };
}

export function scopeSees(scope: Scope, parties: readonly string[]): boolean {
  if (scope.kind === 'county') return true;
  return parties.includes(`${scope.kind}:${scope.code}`);
}

export function isAssignee(scope: Scope, row: Pick<CaseRow, 'assignee_kind' | 'assignee_code'>): boolean {
  return scope.kind !== 'county' && row.assignee_kind === scope.kind && row.assignee_code === scope.code;
}

export function eventView(r: EventRow): CaseEvent {
  return {
    seq: Number(r.seq),
    caseId: r.case_id,
    type: r.type as CaseEventType,
    actor: JSON.parse(r.actor) as EventActor,
    at: Number(r.at),
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  };
}

export const num = (v: number | null): number | null => (v === null ? null : Number(v));

/** A stored case's 案件编号, '' for one stored before numbers (no day or number). */
export const rowCaseNumber = (row: Pick<CaseRow, 'no_day' | 'no_seq'>): string =>
  row.no_day && row.no_seq ? caseNumber(row.no_day, Number(row.no_seq)) : '';

export function caseView(
  row: CaseRow,
  deadlineRows: readonly DeadlineRow[],
  catalogue: MatterCatalogue,
  events?: readonly EventRow[],
): CaseView {
  const matter = catalogue.byCode.get(row.matter_code);
  const assignee = assigneeOf(row);
  const cooperating = JSON.parse(row.cooperating) as PartyRef[];
  const deadlines = Object.fromEntries(DEADLINE_KINDS.map((k) => [k, null])) as Record<
    DeadlineKind,
    number | null
  >;
  const deadlineState: Partial<Record<DeadlineKind, DeadlineView>> = {};
  for (const d of deadlineRows) {
    const kind = d.kind as DeadlineKind;
    deadlines[kind] = Number(d.due_at);
    deadlineState[kind] = { dueAt: Number(d.due_at), metAt: num(d.met_at), overdueAt: num(d.overdue_at) };
  }
  const view: CaseView = {
    id: row.id,
    no: rowCaseNumber(row),
    version: Number(row.version),
    status: row.status as CaseState,
    matterCode: row.matter_code,
    matterName: matter?.name ?? row.matter_code,
    domain: row.domain,
    legalBasis: matter?.legalBasis ?? '',
    description: row.description,
    source: row.source as ClueSource,
    reporter: row.reporter ? JSON.parse(row.reporter) : null,
    photos: JSON.parse(row.photos) as string[],
    lng: Number(row.lng),
    lat: Number(row.lat),
    location: JSON.parse(row.location),
    route: JSON.parse(row.route) as Route,
    assignee,
    cooperating,
    parties: partiesOf(row.township_code, assignee, cooperating).map((k) => {
      const [kind, code] = k.split(':') as ['township' | 'department', string];
      return { kind, code };
    }),
    deadlines,
    deadlineState,
    overdue: Number(row.overdue) === 1,
    escalations: Number(row.escalations),
    escalatedAt: num(row.escalated_at),
    extensionRequest: extensionRequestOf(row, deadlineState.finish),
    extensions: Number(row.extensions ?? 0),
    statusSince: num(row.status_since ?? null),
    duplicateOf: row.duplicate_of,
    mergedInto: row.merged_into,
    result: row.result,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    dispatchedAt: num(row.dispatched_at),
    acknowledgedAt: num(row.acknowledged_at),
    arrivedAt: num(row.arrived_at),
    resolvedAt: num(row.resolved_at),
    closedAt: num(row.closed_at),
  };
  if (events) {
    view.timeline = events.map(eventView);
    addReturnHistory(view, view.timeline);
  }
  return view;
}

/**
 * What the case's sends and returns add to its view: `redispatch` (退回未同意，重新派遣) and, while it
 * is returned, `lastReturn`. `events` in order; others than REDISPATCH_EVENTS are passed over.
 */
export function addReturnHistory(
  view: CaseView,
  events: ReadonlyArray<{ type: string; at: number; payload: Record<string, unknown> }>,
): void {
  const again = redispatchOf(view.assignee, events);
  if (again) view.redispatch = again;
  const back = view.status === 'returned' ? lastReturnOf(events) : null;
  if (back) view.lastReturn = back;
}

/** The events addReturnHistory reads: who a case was sent to, and who sent it back. */
export const REDISPATCH_EVENTS = ['dispatch', 'reassign', 'return'] as const;

/**
 * Whether the case's last dispatch (派遣, 改派) sent it to a unit that had returned it (退回) before,
 * and is the task it has now: then when, and the command centre's note on it (退回未同意，重新派遣).
 * `events` in order; others than REDISPATCH_EVENTS are passed over.
 */
export function redispatchOf(
  assignee: PartyRef | null,
  events: Iterable<{ type: string; at: number; payload: Record<string, unknown> }>,
): Redispatch | null {
  if (!assignee) return null;
  const last = caseSends(events).at(-1);
  if (!last?.again || last.to !== partyKey(assignee)) return null;
  // A dispatch's words are its note; a reassignment's, its reason.
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return { at: last.event.at, note: text(last.event.payload.note) || text(last.event.payload.reason) };
}
