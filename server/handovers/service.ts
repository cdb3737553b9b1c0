// 交接班 (shared/handovers.ts): the shift's summary read from the case events and the open cases, and
// the handovers kept in their table. A handover's summary is the server's, taken at the moment it is
// handed over, so the record says what the system showed then, whatever the note says.
import crypto from 'node:crypto';
import {
  HANDOVER_CASES_MAX,
  PENDING_KINDS,
  SHIFT_ACTIVITY,
  SHIFT_ACTIVITY_KEYS,
  SHIFT_MAX_MS,
  type CurrentShift,
  type Handover,
  type PendingKind,
  type ShiftSummary,
} from '../../shared/handovers';
import { caseNumber } from '../../shared/cases';
import { OPEN_STATES } from '../../shared/workflow';
import type { SessionUser } from '../../shared/auth';
import type { Clock } from '../clock';
import type { DomainBus } from '../events/bus';
import type { Store } from '../store/db';
import type { HandoversTable } from '../store/schema';
import { conflict, notFound } from '../http/errors';

/** The queue's own buckets (client/src/lib/queue.ts), so a handover's counts match its tabs. */
const QUEUE_STATES: Record<Exclude<PendingKind, 'overdue'>, string> = {
  reported: 'reported',
  returned: 'returned',
  resolved: 'resolved',
};

function viewOf(r: HandoversTable): Handover {
  return {
    id: r.id,
    at: Number(r.at),
    by: { id: r.by_id, name: r.by_name },
    summary: JSON.parse(r.summary) as ShiftSummary,
    note: r.note,
    taken:
      r.taken_at === null
        ? null
        : { at: Number(r.taken_at), by: { id: r.taken_by_id ?? '', name: r.taken_by_name ?? '' } },
  };
}

const nameOf = (user: SessionUser): string => user.displayName || user.username;

export class HandoverService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly bus: DomainBus,
  ) {}

  /** The shift from `from` to `to`: what its case events did, and what is open at `to`. */
  async summary(from: number, to: number): Promise<ShiftSummary> {
    const db = this.store.db;
    const types = SHIFT_ACTIVITY_KEYS.flatMap((k) => [...SHIFT_ACTIVITY[k]]);
    const counted = await db
      .selectFrom('case_events')
      .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
      // After the last handover, up to this one: an event at the very moment of a handover is its.
      .where('at', '>', from)
      .where('at', '<=', to)
      .where('type', 'in', types)
      .groupBy('type')
      .execute();
    const byType = new Map(counted.map((r) => [r.type, Number(r.n)]));
    const activity = Object.fromEntries(
      SHIFT_ACTIVITY_KEYS.map((k) => [k, SHIFT_ACTIVITY[k].reduce((s, t) => s + (byType.get(t) ?? 0), 0)]),
    ) as ShiftSummary['activity'];

    const otherOpen = OPEN_STATES.filter((s) => !Object.values(QUEUE_STATES).includes(s));
    const pendingOf = async (kind: PendingKind) => {
      let q = db.selectFrom('cases');
      q =
        kind === 'overdue'
          ? q.where('status', 'in', otherOpen).where('overdue', '=', 1)
          : q.where('status', '=', QUEUE_STATES[kind]);
      const [{ count }] = (await q.select((eb) => eb.fn.countAll<number>().as('count')).execute()) as [
        { count: number },
      ];
      const rows = await q
        .select(['id', 'no_day', 'no_seq'])
        .orderBy('created_at')
        .orderBy('id')
        .limit(HANDOVER_CASES_MAX)
        .execute();
      return {
        count: Number(count),
        cases: rows.map((r) => ({ id: r.id, no: caseNumber(r.no_day, Number(r.no_seq)) })),
      };
    };
    const pending = Object.fromEntries(
      await Promise.all(PENDING_KINDS.map(async (k) => [k, await pendingOf(k)] as const)),
    ) as ShiftSummary['pending'];
    return { from, to, activity, pending };
  }

  async latest(): Promise<Handover | null> {
    const row = await this.store.db
      .selectFrom('handovers')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? viewOf(row) : null;
  }

  async list(limit: number): Promise<Handover[]> {
    const rows = await this.store.db
      .selectFrom('handovers')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(viewOf);
  }

  /** The shift so far: from the last handover (at most SHIFT_MAX_MS back) to now. */
  async current(): Promise<CurrentShift> {
    const now = this.clock.now();
    const latest = await this.latest();
    return { summary: await this.summary(this.shiftStart(latest, now), now), latest };
  }

  private shiftStart(latest: Handover | null, now: number): number {
    return Math.max(now - SHIFT_MAX_MS, Math.min(latest?.at ?? 0, now));
  }

  /** 交班: the shift's summary now, with the operator's note. */
  async handOver(user: SessionUser, note: string): Promise<Handover> {
    const now = this.clock.now();
    const summary = await this.summary(this.shiftStart(await this.latest(), now), now);
    const row: HandoversTable = {
      id: crypto.randomUUID(),
      at: now,
      by_id: user.id,
      by_name: nameOf(user),
      summary: JSON.stringify(summary),
      note,
      taken_at: null,
      taken_by_id: null,
      taken_by_name: null,
    };
    await this.store.db.insertInto('handovers').values(row).execute();
    const view = viewOf(row);
    this.bus.emit('handover', view);
    return view;
  }

  /** 接班: once; a handover already taken is refused (409) with who took it. */
  async take(user: SessionUser, id: string): Promise<Handover> {
    const now = this.clock.now();
    const db = this.store.db;
    const done = await db
      .updateTable('handovers')
      .set({ taken_at: now, taken_by_id: user.id, taken_by_name: nameOf(user) })
      .where('id', '=', id)
      .where('taken_at', 'is', null)
      .executeTakeFirst();
    const row = await db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`交班记录不存在 (no handover ${id})`);
    const view = viewOf(row);
    if (Number(done.numUpdatedRows) === 0) {
      throw conflict(
        `该班已由 ${view.taken?.by.name ?? '他人'} 接班 (already taken over by ${view.taken?.by.name ?? 'someone else'})`,
        { handover: view },
      );
    }
    this.bus.emit('handover', view);
    return view;
  }
}
