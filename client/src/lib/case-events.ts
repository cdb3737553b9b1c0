// Case events as the server sends them, live (`case:events` packets) and on resync (GET /api/events):
// `{seq, caseId, type, actor, at, payload, case}` where `case` is the whole case (shared/realtime
// CaseEventMessage). Parsed here (every payload that crosses the wire is checked), applied by the
// cases store: each seq once, and per case the snapshot with the highest version.
import { CASE_ACTIONS, transitionOf, type CaseAction } from '@shared/workflow';
import { normaliseCase, type CaseItem } from './case-model';

export interface CaseEvent {
  seq: number;
  caseId: string;
  /** `created`, an action (`dispatch`, `acknowledge`, …) or `overdue` (shared/cases EVENT_TYPES). */
  type: string;
  /** Who did it, as the feed names them. */
  actor: string;
  /** The account that did it (its username), when the server names one. */
  actorUsername?: string;
  at: number;
  payload: Record<string, unknown>;
  /** The case after the event (live) or as it is now (resync); null if it could not be read. */
  case: CaseItem | null;
}

export function parseCaseEvent(input: unknown): CaseEvent | null {
  if (!input || typeof input !== 'object') return null;
  const o = input as Record<string, unknown>;
  const seq = Number(o.seq);
  const snapshot = normaliseCase(o.case);
  const caseId = typeof o.caseId === 'string' ? o.caseId : snapshot?.id;
  if (!Number.isSafeInteger(seq) || seq <= 0 || !caseId || typeof o.type !== 'string') return null;
  if (snapshot && snapshot.id !== caseId) return null;
  const actor = o.actor as Record<string, unknown> | string | undefined;
  const at = typeof o.at === 'number' ? o.at : Date.parse(String(o.at));
  return {
    seq,
    caseId,
    type: o.type,
    actor:
      typeof actor === 'string' ? actor : String(actor?.displayName ?? actor?.username ?? actor?.id ?? ''),
    ...(actor && typeof actor === 'object' && typeof actor.username === 'string'
      ? { actorUsername: actor.username }
      : {}),
    at: Number.isFinite(at) ? at : 0,
    payload: (o.payload && typeof o.payload === 'object' ? o.payload : {}) as Record<string, unknown>,
    case: snapshot,
  };
}

/** Whether `next` should replace `prev`: the higher version wins (equal: the newer read). */
export const isNewer = (next: CaseItem, prev: CaseItem | undefined): boolean =>
  !prev || next.version >= prev.version;

export interface FeedEntry {
  key: string;
  seq: number;
  at: number;
  caseId: string;
  /** The event type (`created`, `dispatch`, `overdue`, …). */
  action: string;
  actor: string;
  /**
   * The unit the command centre's action was for: a dispatch's or a reassignment's (to whom it sent
   * the case then), the one chased (督办), answered (同意延期) or whose work was checked (核查).
   */
  to?: string;
  /** The unit that acted (签收, 派出队伍, 退回, 办结 …) or ran late (超时): the one that had the task. */
  by?: string;
}

/** The unit a dispatch or a reassignment sent the case to (its payload's assignee), or ''. */
export function sentTo(e: { type: string; payload?: Record<string, unknown> }): string {
  if (e.type !== 'dispatch' && e.type !== 'reassign') return '';
  return nameOf(e.payload?.assignee);
}

const nameOf = (v: unknown): string => {
  const name = (v as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : '';
};

/**
 * Whom an event concerns besides the place, as the feed names them: `to` the unit the centre sent or
 * chased, `by` the unit that acted; null when none (a new clue, a rejection, a case nobody had).
 * Each event names who had the task as it was written (its payload's holder): the case it carries
 * is the case now on a replay, reassigned since perhaps, so it cannot say. An event from before
 * holder was written names none, except a 退回 (its returnedBy).
 */
export function concerned(e: {
  type: string;
  payload?: Record<string, unknown>;
}): { to: string } | { by: string } | null {
  const sent = sentTo(e);
  if (sent) return { to: sent };
  const holder = nameOf(e.payload?.holder) || (e.type === 'return' ? nameOf(e.payload?.returnedBy) : '');
  if (!holder) return null;
  if (e.type === 'overdue') return { by: holder };
  if (!(CASE_ACTIONS as readonly string[]).includes(e.type)) return null;
  return transitionOf(e.type as CaseAction).actor === 'assignee' ? { by: holder } : { to: holder };
}

export const feedEntry = (e: CaseEvent): FeedEntry => ({
  key: `e${e.seq}`,
  seq: e.seq,
  at: e.at,
  caseId: e.caseId,
  action: e.type,
  actor: e.actor,
  ...concerned(e),
});

/**
 * The feed with `entries` merged in: newest (highest seq) first, each seq once, at most `max`.
 * Entries usually arrive in order, so this is a prepend; a late one is slotted into place.
 */
export function mergeFeed(feed: readonly FeedEntry[], entries: FeedEntry[], max: number): FeedEntry[] {
  if (!entries.length) return feed as FeedEntry[];
  const have = new Set(feed.map((f) => f.seq));
  const fresh = entries.filter((e) => !have.has(e.seq) && have.add(e.seq));
  const head = feed[0]?.seq ?? -Infinity;
  if (fresh.every((e) => e.seq > head))
    return [...fresh.sort((a, b) => b.seq - a.seq), ...feed].slice(0, max);
  return [...fresh, ...feed].sort((a, b) => b.seq - a.seq).slice(0, max);
}
