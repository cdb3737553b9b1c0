// The desk's news about its tasks, one queue per kind, newest first: a new task (新任务, or
// 退回未同意，重新派遣 when the unit had returned it and the command centre sent it back), the
// command centre's 督办, a second report merged in (重复上报已并入), a task sent back by verification
// (核查不通过), the command centre's answer to a 延期申请 (同意 / 不同意延期). The banner of a kind shows its newest; 知道了 puts that one away and shows the next,
// so a clerk back from lunch, or from a dropped connection whose missed events are replayed, sees
// every 督办 that came in, not only the last. A case is in a kind's queue once: news of it again
// (a second 督办) replaces its entry and moves it to the front. News goes by itself once its case's
// state makes it moot (isMoot): a new task acknowledged, a task out of 返工, a chased task done.
import type { CaseView } from '@shared/cases';
import { isRework } from './desk-case';
import { tabOf } from './tabs';

export type NoticeKind = 'arrival' | 'escalation' | 'merged' | 'rework' | 'extension';

export interface Notice {
  kind: NoticeKind;
  case: CaseView;
  /** When it happened (the event's time; for a new task, when it was dispatched). */
  at: number;
  /**
   * 督办's or 核查不通过's words; a re-dispatched task's (isRedispatch) the command centre's note on
   * the dispatch; empty when none were given.
   */
  reason: string;
  /** A merged report: its number, its source and what the reporter said. */
  merged?: { no: string; source: string; description: string };
  /** The answer to a 延期申请: granted or not, the days, and the 办结 deadline now (when granted). */
  extension?: { granted: boolean; days: number; until: number | null };
}

/**
 * The notice of a task new on the desk. A task this unit had returned (退回) that the command centre
 * sent back all the same (CaseView.redispatch) is news of its own kind of words: 退回未同意，重新派遣,
 * with the centre's note, not an ordinary 新任务 (0096 came back 24 s after its return looking new).
 */
export function arrivalNotice(c: CaseView): Notice {
  return {
    kind: 'arrival',
    case: c,
    at: c.redispatch?.at ?? c.dispatchedAt ?? c.updatedAt,
    reason: c.redispatch?.note ?? '',
  };
}

/** Whether a new task's notice is of a task the unit had returned, sent back to it (退回未同意，重新派遣). */
export function isRedispatch(n: Pick<Notice, 'kind' | 'case'>): boolean {
  return n.kind === 'arrival' && !!n.case.redispatch;
}

/** How many of one kind are kept: beyond that the oldest go (the rows and their badges remain). */
export const NOTICES_PER_KIND = 50;

/** `list` with `n` at the front of its kind, its case's earlier entry of that kind gone. */
export function pushNotice(list: readonly Notice[], n: Notice): Notice[] {
  const out = [n];
  let ofKind = 1;
  for (const x of list) {
    if (x.kind === n.kind && x.case.id === n.case.id) continue;
    if (x.kind === n.kind && ++ofKind > NOTICES_PER_KIND) continue;
    out.push(x);
  }
  return out;
}

/** The pending notices of one kind, newest first. */
export function noticesOf(list: readonly Notice[], kind: NoticeKind): Notice[] {
  return list.filter((x) => x.kind === kind);
}

/** `list` without one kind's newest (the one its banner shows), or, given `caseId`, without that case's. */
export function dismissNotice(list: readonly Notice[], kind: NoticeKind, caseId?: string): Notice[] {
  const i = list.findIndex((x) => x.kind === kind && (caseId === undefined || x.case.id === caseId));
  return i < 0 ? [...list] : [...list.slice(0, i), ...list.slice(i + 1)];
}

/** `list` without any of one kind. */
export function dismissKind(list: readonly Notice[], kind: NoticeKind): Notice[] {
  return list.filter((x) => x.kind !== kind);
}

/** `list` without any notice of one case (it has left the desk: returned, reassigned). */
export function forgetCase(list: readonly Notice[], caseId: string): Notice[] {
  return list.some((x) => x.case.id === caseId)
    ? list.filter((x) => x.case.id !== caseId)
    : (list as Notice[]);
}

/**
 * Whether a task is still new (新): it waits for 签收. Acknowledged (here or by a colleague on
 * another desk), returned or long done, it no longer looks new.
 */
export function isStillNew(c: Pick<CaseView, 'status'>): boolean {
  return c.status === 'dispatched';
}

/**
 * Whether news of `kind` about a case is moot in the case's state now, so it goes by itself:
 * - a new task, once it no longer waits for 签收 (acknowledged here or on another desk, returned);
 * - 核查不通过, once the task has left 返工 (rework under way: 责令整改; done again: 办结, 结案);
 * - 督办, once the desk's work on the task is done (办结, 结案, 退回): nothing is left to chase;
 * - a report merged in, once the case is closed (结案) or returned: no work will follow from it;
 * - the answer to a 延期申请, once the desk's work on the task is done (办结, 结案, 退回).
 */
export function isMoot(kind: NoticeKind, c: Pick<CaseView, 'status' | 'resolvedAt' | 'timeline'>): boolean {
  switch (kind) {
    case 'arrival':
      return !isStillNew(c);
    case 'rework':
      return tabOf({ status: c.status, rework: isRework(c) }) !== 'rework';
    case 'escalation':
    case 'extension':
      return c.status === 'resolved' || c.status === 'closed' || c.status === 'returned';
    case 'merged':
      return c.status === 'closed' || c.status === 'returned';
  }
}

/**
 * A kept notice's case replaced by a newer snapshot of it, so a banner opens the task as it is now
 * (and its tab is the one it is in). A notice the new state makes moot (isMoot) goes: a colleague,
 * on another desk, has acknowledged the new task; the task sent back has been done again.
 */
export function refreshNoticeCases(list: readonly Notice[], c: CaseView): Notice[] {
  const moot = (x: Notice) => x.case.id === c.id && isMoot(x.kind, c);
  if (!list.some((x) => x.case.id === c.id && (x.case !== c || moot(x)))) return list as Notice[];
  return list.filter((x) => !moot(x)).map((x) => (x.case.id === c.id ? { ...x, case: c } : x));
}

/**
 * `live` with the `kept` notices it lacks appended (live news is newer: it stays in front), each
 * kind still at most NOTICES_PER_KIND.
 */
export function mergeKeptNotices(live: readonly Notice[], kept: readonly Notice[]): Notice[] {
  const out = [...live];
  const perKind = new Map<NoticeKind, number>();
  for (const n of out) perKind.set(n.kind, (perKind.get(n.kind) ?? 0) + 1);
  for (const n of kept) {
    if (out.some((x) => x.kind === n.kind && x.case.id === n.case.id)) continue;
    const count = (perKind.get(n.kind) ?? 0) + 1;
    if (count > NOTICES_PER_KIND) continue;
    perKind.set(n.kind, count);
    out.push(n);
  }
  return out;
}

/**
 * The news not yet put away, as kept in the browser (localStorage) so that a reload, or the desk
 * opened again the next morning, still shows it: each notice by its case's id (the case itself is
 * read afresh), and the tasks not yet looked at (新).
 */
export interface StoredNews {
  v: 1;
  notices: Array<Omit<Notice, 'case'> & { caseId: string }>;
  fresh: string[];
}

export const NOTICE_KINDS: readonly NoticeKind[] = ['arrival', 'escalation', 'merged', 'rework', 'extension'];

/** What to keep of `list` and `fresh`. */
export function storeNews(list: readonly Notice[], fresh: ReadonlySet<string>): StoredNews {
  return {
    v: 1,
    notices: list.map(({ case: c, ...rest }) => ({ ...rest, caseId: c.id })),
    fresh: [...fresh],
  };
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length <= max ? v : null);

/**
 * The kept news read back against the desk's cases now: a notice or a 新 mark whose task is no
 * longer on the desk is dropped, a notice its case's state has made moot (isMoot: a new task
 * acknowledged, a task out of 返工 …), a 新 mark once the task no longer waits for 签收, and
 * anything malformed (the storage is the browser's, not
 * ours: an old version, a hand edit). Never more than NOTICES_PER_KIND of a kind.
 */
export function restoreNews(
  raw: string | null,
  caseOf: (id: string) => CaseView | undefined,
): { notices: Notice[]; fresh: Set<string> } {
  const none = { notices: [], fresh: new Set<string>() };
  let data: unknown;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    return none;
  }
  const o = data as Partial<StoredNews> | null;
  if (!o || o.v !== 1 || !Array.isArray(o.notices) || !Array.isArray(o.fresh)) return none;
  let notices: Notice[] = [];
  for (const x of o.notices.slice(0, NOTICES_PER_KIND * NOTICE_KINDS.length).reverse()) {
    const n = x as Partial<StoredNews['notices'][number]> | null;
    const id = str(n?.caseId, 64);
    const c = id ? caseOf(id) : undefined;
    const reason = str(n?.reason, 2000);
    if (!n || !c || !NOTICE_KINDS.includes(n.kind!) || !Number.isFinite(n.at) || reason === null) continue;
    // Moot meanwhile (a colleague acknowledged the new task while this browser was closed, the
    // task sent back was done again): no news.
    if (isMoot(n.kind!, c)) continue;
    const m = n.merged as Notice['merged'] | undefined;
    const merged =
      m && str(m.no, 64) !== null && str(m.source, 64) !== null && str(m.description, 2000) !== null
        ? { no: m.no, source: m.source, description: m.description }
        : undefined;
    const e = n.extension as Notice['extension'] | undefined;
    const extension =
      e &&
      typeof e.granted === 'boolean' &&
      Number.isInteger(e.days) &&
      (e.until === null || Number.isFinite(e.until))
        ? { granted: e.granted, days: e.days, until: e.until }
        : undefined;
    // An answer without what it answered would read as a refusal: not news one can trust.
    if (n.kind === 'extension' && !extension) continue;
    notices = pushNotice(notices, {
      kind: n.kind!,
      case: c,
      at: n.at!,
      reason,
      ...(merged ? { merged } : {}),
      ...(extension ? { extension } : {}),
    });
  }
  const fresh = new Set(
    o.fresh.filter((id): id is string => {
      const c = typeof id === 'string' ? caseOf(id) : undefined;
      return !!c && isStillNew(c);
    }),
  );
  return { notices, fresh };
}
