// What a timeline entry (全过程记录) says, in the page's language. The server records who acted and
// why in Chinese where the system acted (its actor 系统自动派遣, 系统超时监测; the routing sentence of an
// automatic dispatch): those are the case's record, shown as stored in Chinese; another language
// says the same in its own words (the routing reason from the facts the case carries, as the big
// screen's dispatch panel does: lib/route-reason.ts). What people wrote stays as they wrote it.
import type { CaseEvent } from '@shared/cases';
import type { Translate } from '../translate';
import { routeReason } from '../route-reason';
import { MEMBERS_NOTE } from './actions';

const ZH = 'zh-CN';

/**
 * Who acted: a person's name as recorded; the system in the page's language. Another language
 * adds what the person is (指挥中心坐席 (Command centre)): the name is the county's record, often
 * Chinese, and a reader of English still learns who acted.
 */
export function actorName(
  e: Pick<CaseEvent, 'type' | 'actor'>,
  locale: string,
  t: Translate,
  te: (key: string) => boolean,
): string {
  const a = e.actor;
  if (!a) return '';
  const system = a.id === 'system';
  const name = whoActed(e.type, a.displayName || a.username, system, locale, t, te);
  const role = `desk.timeline.role.${a.role}`;
  if (system || locale === ZH || !te(role)) return name;
  return t('desk.timeline.withRole', { name, role: t(role) });
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The newest entry of a timeline after seq `since` (all of it by default), passing over the types
 * in `skip`; null when there is none. The desk's case detail and the screen's dispatch panel say
 * with it who moved a case on under an open form.
 */
export function newestAfter<E extends { seq: number; type: string }>(
  timeline: readonly E[] | null | undefined,
  since = 0,
  skip: ReadonlySet<string> = NONE,
): E | null {
  let newest: E | null = null;
  for (const e of timeline ?? [])
    if (e.seq > since && !skip.has(e.type) && (!newest || e.seq > newest.seq)) newest = e;
  return newest;
}

/** What an entry did (签收, 派遣, …) in the page's language; a type it has no words for, as recorded. */
export function actionLabel(type: string, t: Translate, te: (key: string) => boolean): string {
  const key = `screen.actions.${type}`;
  return te(key) ? t(key) : type;
}

/** Where a 责令整改 moved the finish deadline (its event's `finishDue`: 整改期间不计入办结时限), or null. */
export function finishDueOf(e: { payload?: Record<string, unknown> }): number | null {
  const v = e.payload?.finishDue;
  return typeof v === 'number' ? v : null;
}

/**
 * How many times the 办结 deadline running now was extended (同意延期): those granted since the
 * last 派遣 or 改派, which start it afresh — not a grant the unit before had. Without the timeline
 * (a list row, before the case's detail has come), 0: the case's own count (every grant) could be
 * the unit before's, so nothing is said until the timeline says it.
 */
export function extensionsNow(item: {
  extensions: number;
  timeline?: ReadonlyArray<Pick<CaseEvent, 'type' | 'seq'>>;
}): number {
  if (!item.timeline || item.extensions === 0) return 0;
  let since = -Infinity;
  for (const e of item.timeline)
    if ((e.type === 'dispatch' || e.type === 'reassign') && e.seq > since) since = e.seq;
  return item.timeline.filter((e) => e.type === 'approve_extension' && e.seq > since).length;
}

/**
 * What a 延期 entry asked or decided, in the page's language: 申请延期 5 天，办结时限延至 …; 同意延期
 * 3 天（申请 5 天）…; 申请延期 5 天未获同意. Null for any other entry (or one without its figures).
 */
export function extensionLine(
  e: { type: string; payload?: Record<string, unknown> },
  t: Translate,
  when: (at: number) => string,
): string | null {
  const p = e.payload ?? {};
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const days = n(p.days);
  if (days === null) return null;
  if (e.type === 'request_extension' && n(p.until) !== null)
    return t('desk.timeline.extensionAsked', { days, time: when(n(p.until)!) });
  if (e.type === 'approve_extension' && n(p.extendedTo) !== null) {
    const asked = n(p.requestedDays);
    const time = when(n(p.extendedTo)!);
    return asked !== null && asked !== days
      ? t('desk.timeline.extensionGrantedOf', { days, asked, time })
      : t('desk.timeline.extensionGranted', { days, time });
  }
  if (e.type === 'deny_extension') return t('desk.timeline.extensionDenied', { days });
  return null;
}

/**
 * A note in its parts: the members a `start` sent (recorded at the note's start as
 * 出动队员：张伟、李娜；, lib/desk/actions.ts), and the rest as written. Each page says the first in its
 * own words; any other note is all `rest`.
 */
export function noteParts(e: Pick<CaseEvent, 'type' | 'payload'>): {
  members: string[] | null;
  rest: string | null;
} {
  const note = typeof e.payload.note === 'string' && e.payload.note.trim() ? e.payload.note : null;
  if (e.type !== 'start' || !note?.startsWith(MEMBERS_NOTE.prefix)) return { members: null, rest: note };
  const body = note.slice(MEMBERS_NOTE.prefix.length);
  const end = body.indexOf(MEMBERS_NOTE.end);
  const names = (end < 0 ? body : body.slice(0, end))
    .split(MEMBERS_NOTE.between)
    .map((n) => n.trim())
    .filter(Boolean);
  const rest = end < 0 ? '' : body.slice(end + MEMBERS_NOTE.end.length).trim();
  return names.length ? { members: names, rest: rest || null } : { members: null, rest: note };
}

/** The name recorded, or the system's in the page's language (the screen's timeline too). */
export function whoActed(
  type: string,
  recorded: string,
  system: boolean,
  locale: string,
  t: Translate,
  te: (key: string) => boolean,
): string {
  if (!system || locale === ZH) return recorded;
  const key = `desk.timeline.system.${type}`;
  return te(key) ? t(key) : t('desk.timeline.system.other');
}

/**
 * The reason an entry gives, or null when none: an automatic dispatch's is the routing sentence,
 * said from the case's route in the page's language; any other as written.
 */
export function eventReason(
  e: { type: string; payload: CaseEvent['payload'] },
  // The desk's case or the big screen's (its dispatch panel's timeline says it the same way).
  c: Parameters<typeof routeReason>[0] | undefined,
  locale: string,
  t: Translate,
): string | null {
  const reason = e.payload.reason;
  if (typeof reason !== 'string' || !reason.trim()) return null;
  if (locale !== ZH && e.type === 'dispatch' && e.payload.auto === true && c?.route?.reason === reason)
    return routeReason(c, locale, t) ?? reason;
  return reason;
}
