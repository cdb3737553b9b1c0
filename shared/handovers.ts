// 交接班: the command centre's shift handover. The operator going off duty hands over (交班) with what
// the shift saw (counted by the server from the case events, not typed), what is left open (待派遣、
// 被退回、超时、待核查, with the cases' numbers) and a note in their own words; the one coming on takes
// it (接班). Every handover is kept, with who handed over and who took it, and when. Zod-free, so the
// screen imports it without the schemas' library (the server validates: server/handovers/routes.ts).
import type { Role } from './auth';
import type { CaseEventType } from './cases';

/** Who hands over and takes over: the command centre. Leaders may read the handovers. */
export const HANDOVER_ROLES: readonly Role[] = ['admin', 'commander'];
export const HANDOVER_READERS: readonly Role[] = ['admin', 'commander', 'leader'];

/** The note's longest (characters): a few lines an operator writes at the end of a shift. */
export const HANDOVER_NOTE_MAX = 1000;
/** A shift runs from the last handover, and never from further back than this (ms). */
export const SHIFT_MAX_MS = 24 * 3600_000;
/** The open cases named per kind in a handover (the oldest); the count covers them all. */
export const HANDOVER_CASES_MAX = 20;

/** What a shift did, each a count of case events of these types during the shift. */
export const SHIFT_ACTIVITY = {
  reported: ['created'],
  dispatched: ['dispatch'],
  reassigned: ['reassign'],
  rejected: ['reject', 'merge'],
  returned: ['return'],
  resolved: ['resolve'],
  closed: ['verify_pass'],
  reworked: ['verify_fail'],
  escalated: ['escalate'],
  // 延期申请 decided: granted (同意延期) and refused (不同意延期). A handover written before 延期 has neither.
  extended: ['approve_extension'],
  extensionDenied: ['deny_extension'],
  overdue: ['overdue'],
} as const satisfies Record<string, readonly CaseEventType[]>;
export type ShiftActivityKey = keyof typeof SHIFT_ACTIVITY;
export const SHIFT_ACTIVITY_KEYS = Object.keys(SHIFT_ACTIVITY) as ShiftActivityKey[];

/**
 * What is left open at the handover, as the queue's tabs: awaiting dispatch, returned, overdue, a
 * 延期申请 to decide (`extension`; a handover written before it has none), awaiting verification.
 */
export const PENDING_KINDS = ['reported', 'returned', 'overdue', 'extension', 'resolved'] as const;
export type PendingKind = (typeof PENDING_KINDS)[number];

export interface PendingCase {
  id: string;
  /** 案件编号. */
  no: string;
}

export interface ShiftSummary {
  /** The shift, epoch ms: after `from` (the last handover, at most SHIFT_MAX_MS back), up to `to` (now). */
  from: number;
  to: number;
  activity: Record<ShiftActivityKey, number>;
  pending: Record<PendingKind, { count: number; cases: PendingCase[] }>;
}

/**
 * A shift's summary as a handover keeps it: one written before a count or an open kind existed
 * (同意延期, 不同意延期, 延期审批) lacks it, so each is optional here; the pages read them through
 * activityOf and pendingOf (client/src/lib/handover-pending.ts).
 */
export interface KeptShiftSummary extends Omit<ShiftSummary, 'activity' | 'pending'> {
  activity: Partial<ShiftSummary['activity']>;
  pending: Partial<ShiftSummary['pending']>;
}

export interface HandoverPerson {
  id: string;
  name: string;
}

export interface Handover {
  id: string;
  /** When it was handed over (the end of the shift). */
  at: number;
  by: HandoverPerson;
  summary: KeptShiftSummary;
  note: string;
  /** Who took it over, and when; null until then. */
  taken: { at: number; by: HandoverPerson } | null;
}

/** GET /api/handovers/current: the shift so far, and the last handover. */
export interface CurrentShift {
  summary: ShiftSummary;
  latest: Handover | null;
}
