// Cases on the wire: the clue a source reports (线索), the actions on a case, the case as it is
// read, and its audit events. Both sides enforce the same limits (shared/limits.ts).
import { z } from 'zod';
import { jurisdictionSchema } from './geo';
import { MATTER_CODE } from './matters';
import { CLUE_SOURCES, PHONE_PATTERN, type ClueSource } from './clue-sources';
import { CASE_ACTIONS, CASE_STATES, type CaseAction, type CaseState } from './workflow';
import { plainText } from './text';
import { queryInt, queryObject } from './query';
import {
  DAY_MS,
  END_OF_LAST_DAY,
  FIRST_LISTED_INSTANT,
  LAST_DAY,
  parseInstant,
  RECTIFY_DEADLINE_MAX_DAYS,
} from './time';
import {
  DESCRIPTION_MAX,
  DUPLICATE_RADIUS_M,
  EXTENSION_MAX_DAYS,
  NOTE_MAX,
  PHOTO_URL_MAX,
  PHOTOS_MAX,
  REASON_MAX,
  SEARCH_MAX,
} from './limits';

export {
  DESCRIPTION_MAX,
  DUPLICATE_RADIUS_M,
  EXTENSION_MAX_DAYS,
  NOTE_MAX,
  PHOTO_URL_MAX,
  PHOTOS_MAX,
  REASON_MAX,
  SEARCH_MAX,
};

export { CLUE_SOURCES, SOURCE_LABELS, type ClueSource } from './clue-sources';

const photoSchema = z.string().trim().min(1).max(PHOTO_URL_MAX);
const photosSchema = z.array(photoSchema).max(PHOTOS_MAX, `at most ${PHOTOS_MAX} photos`);

export const reporterSchema = z.strictObject({
  name: plainText(50).pipe(z.string().min(1)).optional(),
  phone: z.string().trim().regex(PHONE_PATTERN, 'at least three digits, with +, - or spaces').optional(),
  /** The grid worker's or patrol officer's id, when the source has one. */
  id: z.string().trim().min(1).max(64).optional(),
});
export type Reporter = z.infer<typeof reporterSchema>;

/** Chosen by the source for safe retries: the same clientId never makes a second case. */
export const clientIdSchema = z.string().trim().min(1).max(100);

/** Any field not listed is refused (400 naming it), never dropped unseen, as for the actions. */
export const clueSchema = z.strictObject({
  clientId: clientIdSchema.optional(),
  lng: z.number().finite().min(-180).max(180),
  lat: z.number().finite().min(-90).max(90),
  matterCode: z.string().regex(MATTER_CODE, 'a matter code such as SR01'),
  description: plainText(DESCRIPTION_MAX).pipe(z.string().min(1, 'required')),
  source: z.enum(CLUE_SOURCES),
  reporter: reporterSchema.optional(),
  photos: photosSchema.optional(),
});
export type Clue = z.infer<typeof clueSchema>;

export const PARTY_KINDS = ['township', 'department'] as const;
export const partyRefSchema = z.object({
  kind: z.enum(PARTY_KINDS),
  code: z.string(),
  name: z.string(),
});
export type PartyRef = z.infer<typeof partyRefSchema>;
/** A party as a caller names it (the name is looked up). */
export const partyInputSchema = z.strictObject({
  kind: z.enum(PARTY_KINDS),
  code: z.string().min(1).max(32),
});
export type PartyInput = z.infer<typeof partyInputSchema>;
export const partyKey = (p: { kind: string; code: string }): string => `${p.kind}:${p.code}`;

export const routeSchema = z.object({
  assignee: partyRefSchema,
  cooperating: z.array(partyRefSchema),
  reason: z.string(),
  /** The operator must confirm before dispatch (near a boundary, or a possible duplicate). */
  needsReview: z.boolean(),
});
export type Route = z.infer<typeof routeSchema>;

export const DEADLINE_KINDS = ['acknowledge', 'arrive', 'finish', 'rectify'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  acknowledge: '签收',
  arrive: '到场',
  finish: '办结',
  rectify: '整改',
};

/**
 * The 办结 (finish) deadline once 责令整改 is ordered at `now` with its rectification due at
 * `rectifyDue`. 整改期间不计入办结时限: the time the case had left to finish at the order is kept
 * after the rectification's deadline, so a legitimate rectification never makes the case late.
 * A finish deadline already past at the order stays where it was: the order does not turn an
 * overdue case into one on time. A second order moves it again by the same rule.
 */
export function finishDueAfterRectification(finishDue: number, rectifyDue: number, now: number): number {
  if (finishDue <= now) return finishDue;
  return Math.max(finishDue, rectifyDue + (finishDue - now));
}

/** A request for more days on the 办结 deadline (延期申请) as asked: how many, why, who and when. */
export interface ExtensionAsked {
  days: number;
  reason: string;
  at: number;
  by: string;
}

/**
 * An assignee's 延期申请 waiting for the command centre, with the deadline it would move
 * (`finishDue`, as it stands now) and to when (`until`, that deadline plus the days).
 */
export interface ExtensionRequest extends ExtensionAsked {
  finishDue: number;
  until: number;
}

/**
 * Whether a deadline still runs: neither met (or stopped) nor marked missed. A 延期 is asked and
 * decided only while the 办结 one does.
 */
export const isRunning = (d: Pick<DeadlineView, 'metAt' | 'overdueAt'> | undefined): d is DeadlineView =>
  !!d && d.metAt === null && d.overdueAt === null;

/**
 * Whether the waiting request can still be decided at `now`: its 办结 deadline has not come. Past
 * it the request has lapsed, though the server's scan (every 15 s) may not have marked it yet.
 */
export const extensionOpen = (
  r: Pick<ExtensionRequest, 'finishDue'> | null | undefined,
  now: number,
): boolean => !!r && r.finishDue > now;

/** The 办结 deadline `days` later (an extension, 延期). */
export const extendedDue = (finishDue: number, days: number): number => finishDue + days * DAY_MS;

export interface DeadlineView {
  dueAt: number;
  /** When it stopped counting: met, or no longer applicable (returned, rejected, closed). */
  metAt: number | null;
  /** When the scheduler marked it missed; set once. */
  overdueAt: number | null;
}

const version = z.number().int().min(1);
/** Days of an extension (延期): whole days, 1 to EXTENSION_MAX_DAYS. */
const extensionDays = z
  .number()
  .int('whole days')
  .min(1, 'at least 1 day')
  .max(EXTENSION_MAX_DAYS, `at most ${EXTENSION_MAX_DAYS} days`);
const reason = plainText(REASON_MAX).pipe(z.string().min(1, 'required'));
const note = plainText(NOTE_MAX).optional();

/**
 * `POST /api/cases/:id/actions`: the action, the version the caller saw, and its own fields; any
 * other field is refused (400 naming it), never dropped unseen (a reason sent to an action that has
 * none would be lost).
 */
export const caseActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('dispatch'), version, assignee: partyInputSchema.optional(), note }),
  z.strictObject({ action: z.literal('reject'), version, reason }),
  z.strictObject({
    action: z.literal('merge'),
    version,
    into: z.string().min(1).max(64),
    reason: reason.optional(),
  }),
  z.strictObject({ action: z.literal('acknowledge'), version, note }),
  z.strictObject({ action: z.literal('return'), version, reason }),
  z.strictObject({
    action: z.literal('start'),
    version,
    teamId: z.string().min(1).max(64).optional(),
    /** 出动人次 counted for this turnout. */
    personnel: z.number().int().min(1).max(500).default(1),
    note,
  }),
  z
    .strictObject({
      action: z.literal('arrive'),
      version,
      // Numbers as JSON has them, never coerced ("" and null had been read as 0, "0x70" as 112).
      lng: z.number().finite().min(-180).max(180).optional(),
      lat: z.number().finite().min(-90).max(90).optional(),
      note,
    })
    .refine((a) => (a.lng === undefined) === (a.lat === undefined), {
      message: 'lng and lat come together',
      path: ['lat'],
    }),
  z.strictObject({
    action: z.literal('order_rectification'),
    version,
    /** Epoch ms, after now and at most 366 days ahead; defaults to the matter's rectify days from now. */
    deadline: z
      .number()
      .int()
      .positive()
      .max(END_OF_LAST_DAY, `too far ahead: at most ${RECTIFY_DEADLINE_MAX_DAYS} days from now`)
      .optional(),
    note,
  }),
  z.strictObject({ action: z.literal('report_rectified'), version, note, photos: photosSchema.optional() }),
  z.strictObject({
    action: z.literal('resolve'),
    version,
    result: plainText(NOTE_MAX).pipe(z.string().min(1, 'required')),
    evidence: photosSchema.optional(),
  }),
  z.strictObject({ action: z.literal('verify_pass'), version, note }),
  z.strictObject({ action: z.literal('verify_fail'), version, reason }),
  z.strictObject({ action: z.literal('escalate'), version, reason }),
  z.strictObject({
    action: z.literal('reassign'),
    version,
    assignee: partyInputSchema,
    reason: reason.optional(),
  }),
  z.strictObject({ action: z.literal('request_extension'), version, days: extensionDays, reason }),
  /** `days`: what is granted, the request's own when left out (the centre may grant fewer, or more). */
  z.strictObject({ action: z.literal('approve_extension'), version, days: extensionDays.optional(), note }),
  z.strictObject({ action: z.literal('deny_extension'), version, reason }),
]);
export type CaseActionInput = z.infer<typeof caseActionSchema>;
// Every action of the workflow has a schema, and no schema names an unknown action.
const _actionsCovered: Record<CaseAction, true> = Object.fromEntries(
  CASE_ACTIONS.map((a) => [a, true]),
) as Record<CaseAction, true>;
void _actionsCovered;

export interface EventActor {
  id: string;
  username: string;
  displayName: string;
  role: string;
}
export const SYSTEM_ACTOR: EventActor = {
  id: 'system',
  username: 'system',
  displayName: '系统',
  role: 'system',
};

/**
 * `merged_in`: on the case a duplicate was merged into (the duplicate's own event is `merge`); its
 * payload names the report (`merged`, `no`) and carries its words. It changes no field of the case.
 */
export const EVENT_TYPES = ['created', ...CASE_ACTIONS, 'overdue', 'merged_in'] as const;
export type CaseEventType = (typeof EVENT_TYPES)[number];

/** One audit event: written with the change it records, never updated or deleted. */
export interface CaseEvent {
  seq: number;
  caseId: string;
  type: CaseEventType;
  actor: EventActor;
  at: number;
  payload: Record<string, unknown>;
}

/**
 * 案件编号: the Shanghai day the clue was reported and its number that day, `20261204-0012`. Short
 * enough to read to a township over the phone; numbered at intake in the commit that stores the case,
 * so the numbers of a day have no gaps and no two cases share one (server/cases/case-numbers.ts).
 */
export function caseNumber(day: string, seq: number): string {
  return `${day}-${String(seq).padStart(4, '0')}`;
}

/** `20261204`: the day part of a case number, from a Shanghai day `2026-12-04`. */
export const caseNumberDay = (shanghaiDay: string): string => shanghaiDay.replace(/-/g, '');

/**
 * A search that is a case number (`20261204-0012`, `20261204-12`, `202612040012`, full-width digits
 * too) → its day and number; otherwise null.
 */
export function parseCaseNumber(q: string): { day: string; seq: number } | null {
  const m = /^(\d{8})(?:-(\d{1,6})|(\d{4,6}))$/.exec(q.normalize('NFKC').trim());
  if (!m) return null;
  const day = m[1]!;
  const month = Number(day.slice(4, 6));
  const date = Number(day.slice(6, 8));
  const seq = Number(m[2] ?? m[3]);
  if (month < 1 || month > 12 || date < 1 || date > 31 || seq < 1) return null;
  return { day, seq };
}

export interface CaseMatterRef {
  code: string;
  name: string;
  domain: string;
  legalBasis: string;
}

/** The case as every reader gets it. */
export interface CaseView {
  id: string;
  /** 案件编号, `20261204-0012` (caseNumber). */
  no: string;
  version: number;
  status: CaseState;
  matterCode: string;
  matterName: string;
  domain: string;
  legalBasis: string;
  description: string;
  source: ClueSource;
  reporter: Reporter | null;
  photos: string[];
  lng: number;
  lat: number;
  location: z.infer<typeof jurisdictionSchema>;
  route: Route;
  /** Who has the task now; null until dispatched, and after a return. */
  assignee: PartyRef | null;
  cooperating: PartyRef[];
  /** Every party that may see the case: location township, assignee, cooperating parties. */
  parties: Array<{ kind: 'township' | 'department'; code: string }>;
  /** When each deadline falls due; null when none runs (not dispatched, or never ordered). */
  deadlines: Record<DeadlineKind, number | null>;
  /** Each deadline in full: due, met (or stopped), marked overdue. */
  deadlineState: Partial<Record<DeadlineKind, DeadlineView>>;
  /** A deadline has passed unmet. */
  overdue: boolean;
  escalations: number;
  /** When the command centre last escalated it (督办); null if never. */
  escalatedAt: number | null;
  /**
   * The assignee's request for more days (延期申请) waiting for the command centre; null when none
   * waits. It lapses when the 办结 deadline passes undecided, or the case leaves the states it is
   * asked in (EXTENSION_STATES).
   */
  extensionRequest: ExtensionRequest | null;
  /** Extensions granted (同意延期) so far. */
  extensions: number;
  /**
   * When it entered its current state (its last transition: the 退回 of a returned case, the order
   * of a rectifying one); the clock its state runs on starts here. Null for a case finished before
   * the server kept it.
   */
  statusSince: number | null;
  /** A possible duplicate of this open case (same matter within 50 m). */
  duplicateOf: string | null;
  /** The case this one was merged into. */
  mergedInto: string | null;
  result: string | null;
  createdAt: number;
  updatedAt: number;
  dispatchedAt: number | null;
  acknowledgedAt: number | null;
  arrivedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  timeline?: CaseEvent[];
  /**
   * Present when the unit that has the task now had returned it (退回) before and the command
   * centre sent it back all the same (退回未同意，重新派遣): when, and the centre's note on that
   * dispatch ('' when it gave none).
   */
  redispatch?: Redispatch;
  /**
   * While the case is returned (被退回): its last 退回, who sent it back, when and why. Read by the
   * operator's queue row and the dispatch panel alike (lastReturnOf over the case's events).
   */
  lastReturn?: LastReturn;
  /**
   * The reports merged into this one as duplicates (合并), oldest first: a second caller's words,
   * phone and photos stay with the case the work is done on. With the timeline (GET /api/cases/:id).
   */
  mergedFrom?: MergedReport[];
}

export interface Redispatch {
  at: number;
  note: string;
}

export interface LastReturn {
  at: number;
  /** The unit that returned it; null for an event that names none. */
  by: PartyRef | null;
  reason: string;
}

/**
 * The last 退回 in `events` (in order): who, when, why; null when there is none. Only a returned
 * case carries it (CaseView.lastReturn): once sent on, the return is history, in the timeline.
 */
export function lastReturnOf(
  events: Iterable<{ type: string; at: number; payload?: Record<string, unknown> }>,
): LastReturn | null {
  let last: { at: number; payload?: Record<string, unknown> } | null = null;
  for (const e of events) if (e.type === 'return') last = e;
  if (!last) return null;
  const by = partyRefSchema.safeParse(last.payload?.returnedBy).data ?? null;
  const reason = last.payload?.reason;
  return { at: last.at, by, reason: typeof reason === 'string' ? reason : '' };
}

/**
 * Each 派遣 or 改派 in `events` (in order), the unit it sent the case to (partyKey) and whether that
 * unit had returned the case (退回) before: `again`, 退回未同意，重新派遣. Other events are passed
 * over; a send naming no unit is left out. The server's CaseView.redispatch reads the last; the big
 * screen's timeline marks each.
 */
export function caseSends<E extends { type: string; payload?: Record<string, unknown> }>(
  events: Iterable<E>,
): Array<{ event: E; to: string; again: boolean }> {
  const returnedBy = new Set<string>();
  const sends: Array<{ event: E; to: string; again: boolean }> = [];
  const key = (v: unknown) => {
    const p = v as Partial<PartyRef> | null | undefined;
    return p && typeof p.kind === 'string' && typeof p.code === 'string' ? partyKey(p as PartyRef) : null;
  };
  for (const e of events) {
    if (e.type === 'return') {
      const by = key(e.payload?.returnedBy);
      if (by) returnedBy.add(by);
    } else if (e.type === 'dispatch' || e.type === 'reassign') {
      const to = key(e.payload?.assignee);
      if (to) sends.push({ event: e, to, again: returnedBy.has(to) });
    }
  }
  return sends;
}

export interface MergedReport {
  id: string;
  no: string;
  createdAt: number;
  source: ClueSource;
  description: string;
  reporter: Reporter | null;
  photos: string[];
}

const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** An instant: epoch ms or ISO 8601, a real calendar date, 1969-12-31 to 9999-12-31 (Shanghai). */
const epochOrDate = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx) => {
    const n = parseInstant(v);
    if (n === null || n < FIRST_LISTED_INSTANT || n > END_OF_LAST_DAY) {
      ctx.addIssue({
        code: 'custom',
        message: `epoch milliseconds or an ISO 8601 date or date-time, from 1969-12-31 to ${LAST_DAY} (Asia/Shanghai)`,
      });
      return z.NEVER;
    }
    return n;
  });
const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

/**
 * A unit named in a query: `township:140581002` or `department:zrzyj`. The shape here; that it is a
 * unit of the county, where the query is read (400 naming the parameter: no such township …).
 */
const partyParam = z
  .string()
  .regex(/^(township|department):[A-Za-z0-9_-]{1,40}$/, '`township:<code>` or `department:<code>`');
/** `township:<code>`, `department:<code>`, or a bare code (either kind's). */
const assigneeParam = z
  .string()
  .regex(
    /^(?:(?:township|department):)?[A-Za-z0-9_-]{1,40}$/,
    '`township:<code>`, `department:<code>` or a bare code',
  );

export const caseListQuerySchema = queryObject({
  status: listOf(CASE_STATES).optional(),
  township: z
    .string()
    .regex(/^\d{9}$/, 'a 9-digit township code')
    .optional(),
  /** `township:140581002`, `department:zrzyj`, or a bare code: a unit of the county. */
  assignee: assigneeParam.optional(),
  /**
   * `township:140581002` or `department:zrzyj`: the cases this unit cooperates on (协办, 联合执法)
   * and is not the assignee of.
   */
  cooperating: partyParam.optional(),
  matter: z.string().regex(MATTER_CODE).optional(),
  source: z.enum(CLUE_SOURCES).optional(),
  overdue: boolParam.optional(),
  from: epochOrDate.optional(),
  to: epochOrDate.optional(),
  /**
   * Cases that entered the state they are in at or after this instant, whenever reported: the
   * big screen's cases closed or rejected today, for 今日结案 (`from` is the report time).
   */
  statusFrom: epochOrDate.optional(),
  /**
   * Free text: the case's description, place names, domain, reporter's name or phone, or its
   * matter's name contains it, or it is 8+ characters of its id, or it is its case number
   * (`20261204-0012`; server/cases/search-text.ts).
   * Blank means none.
   */
  q: z
    .string()
    .trim()
    .max(SEARCH_MAX, `at most ${SEARCH_MAX} characters`)
    .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters')
    .optional()
    .transform((s) => s || undefined),
  cursor: z.string().min(1).max(200).optional(),
  limit: queryInt(1, 500).default(50),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

export interface CaseListPage {
  items: CaseView[];
  total: number;
  nextCursor: string | null;
  /** The event log's head read before this page: the page reflects every event up to it. */
  head: number;
}

/**
 * GET /api/returns: the 退回 a unit made, newest first. A township or department reads its own (the
 * party defaults to it); the county's users name any unit, or none for every unit's.
 */
export const returnsQuerySchema = queryObject({
  party: partyParam.optional(),
  /** The page after this one: the `next` of the page before (a return's event seq). */
  before: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInt(1, 200).default(50),
});
export type ReturnsQuery = z.infer<typeof returnsQuerySchema>;

/** What the command centre did with a 退回: the case's first dispatch (or 改派) or rejection after it. */
export interface ReturnDecision {
  type: 'dispatch' | 'reject';
  at: number;
  /** dispatch: the unit it was sent to. */
  to: PartyRef | null;
  /** dispatch: sent back to the unit that returned it (退回未同意，重新派遣). */
  again: boolean;
  /** dispatch: its note ('' when none); reject: its reason. */
  note: string;
}

export interface ReturnRecord {
  /** The return's event seq (the cursor). */
  seq: number;
  caseId: string;
  caseNo: string;
  matterName: string;
  /** Township › micro grid. */
  place: string;
  returnedAt: number;
  returnedBy: PartyRef;
  /** Who at the unit returned it (display name). */
  by: string;
  reason: string;
  /** null: the command centre has not decided yet. */
  decision: ReturnDecision | null;
  /** The case now: its state and assignee. */
  status: CaseState;
  assignee: PartyRef | null;
  /** Whether the caller may open the case now (still one of its parties). */
  visible: boolean;
}

export interface ReturnsPage {
  items: ReturnRecord[];
  /** `before` for the next page; null at the end. */
  next: number | null;
}

// GET /api/stats reads its query with statsQuerySchema in shared/kpi.ts.

export const isCaseState = (s: string): s is CaseState => (CASE_STATES as readonly string[]).includes(s);
