// 交接班 (shared/handovers.ts): the shift's summary read from the case events and the open cases, and
// the handovers kept in their table. A handover's summary is the server's, taken at the moment it is
// handed over, so the record says what the system showed then, whatever the note says.
import crypto from 'node:crypto';
import { sql, type Kysely, type SqlBool } from 'kysely';
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
import { rowCaseNumber } from '../cases/view';
import { EXTENSION_STATES, OPEN_STATES } from '../../shared/workflow';
import type { SessionUser } from '../../shared/auth';
import type { Clock } from '../clock';
import type { DomainBus } from '../events/bus';
import type { Store } from '../store/db';
import type { Database, HandoversTable } from '../store/schema';
import { conflict, notFound } from '../http/errors';

/** What GET /api/handovers keeps (all optional): handed over in [from, to), by or taken by `who`. */
export interface HandoverFilter {
  from?: number;
  to?: number;
  who?: string;
}

/** The queue's own buckets (client/src/lib/queue.ts), so a handover's counts match its tabs. */
const QUEUE_STATES: Record<Exclude<PendingKind, 'overdue' | 'extension'>, string> = {
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

/** PostgreSQL advisory lock key: one handover or take at a time across the processes. */
const HANDOVER_LOCK = 140_581_015;

export class HandoverService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly bus: DomainBus,
  ) {}

  /** The shift from `from` to `to`: what its case events did, and what is open at `to`. */
  async summary(from: number, to: number, db: Kysely<Database> = this.store.db): Promise<ShiftSummary> {
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
          : kind === 'extension'
            ? // 延期审批: a request waiting, on a case not overdue (one that is, is under 超时督办).
              q
                .where('status', 'in', EXTENSION_STATES)
                .where('overdue', '=', 0)
                .where('extension_request', 'is not', null)
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
        cases: rows.map((r) => ({ id: r.id, no: rowCaseNumber(r) })),
      };
    };
    const pending = Object.fromEntries(
      await Promise.all(PENDING_KINDS.map(async (k) => [k, await pendingOf(k)] as const)),
    ) as ShiftSummary['pending'];
    return { from, to, activity, pending };
  }

  async latest(db: Kysely<Database> = this.store.db): Promise<Handover | null> {
    const row = await db
      .selectFrom('handovers')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? viewOf(row) : null;
  }

  /**
   * Newest first, `limit` of them; with `before` (a handover's id), those older than it (a page
   * further back). `more`: there are older ones still. Undefined when `before` is no handover.
   * `filter`: handed over in [from, to); by or taken by someone whose name contains `who` (any case
   * for A–Z, and on PostgreSQL for other letters too: SQLite's lower() folds only A–Z, so there the
   * pattern folds only those, and a name typed as it is spelt is found on both; `%` and `_` are only
   * themselves).
   */
  async list(
    limit: number,
    before?: string,
    filter: HandoverFilter = {},
  ): Promise<{ handovers: Handover[]; more: boolean } | undefined> {
    const db = this.store.db;
    let q = db.selectFrom('handovers').selectAll();
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (filter.who) {
      const folded =
        this.store.engine === 'postgres'
          ? filter.who.toLowerCase()
          : filter.who.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const pattern = `%${folded.replace(/[!%_]/g, '!$&')}%`;
      q = q.where((eb) =>
        eb.or([
          sql<SqlBool>`lower(by_name) like ${pattern} escape '!'`,
          sql<SqlBool>`lower(taken_by_name) like ${pattern} escape '!'`,
        ]),
      );
    }
    if (before !== undefined) {
      const from = await db
        .selectFrom('handovers')
        .select(['at', 'id'])
        .where('id', '=', before)
        .executeTakeFirst();
      if (!from) return undefined;
      const at = Number(from.at);
      q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', from.id)])]));
    }
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return { handovers: rows.slice(0, limit).map(viewOf), more: rows.length > limit };
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

  /**
   * One handover or take at a time (one process on SQLite, whose transactions on the connection run
   * one after another; an advisory lock across PostgreSQL's processes): two operators pressing 交班
   * together make two records, the second counting from the first, never the same shift twice.
   */
  private serial<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.store.db.transaction().execute(async (trx) => {
      if (this.store.engine === 'postgres')
        await sql`select pg_advisory_xact_lock(${HANDOVER_LOCK})`.execute(trx);
      return work(trx);
    });
  }

  /**
   * 交班: the shift's summary now, with the operator's note. A handover nobody took stays on the
   * record as it was (never taken); the new one counts from it and is the one to take.
   */
  async handOver(user: SessionUser, note: string): Promise<Handover> {
    const view = await this.serial(async (db) => {
      const now = this.clock.now();
      const summary = await this.summary(this.shiftStart(await this.latest(db), now), now, db);
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
      await db.insertInto('handovers').values(row).execute();
      return viewOf(row);
    });
    this.bus.emit('handover', view);
    return view;
  }

  /**
   * 接班: the latest handover, once. One taken already is refused (409) naming who took it; an
   * older one, handed over again since, is refused (409) with the latest.
   */
  async take(user: SessionUser, id: string): Promise<Handover> {
    const view = await this.serial(async (db) => {
      const row = await db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(`交班记录不存在 (no handover ${id})`);
      const latest = await this.latest(db);
      if (latest && latest.id !== row.id)
        throw conflict('已有更新的交班记录，请接最新一班 (handed over again since: take the latest)', {
          handover: latest,
        });
      const was = viewOf(row);
      if (was.taken)
        throw conflict(`该班已由 ${was.taken.by.name} 接班 (already taken over by ${was.taken.by.name})`, {
          handover: was,
        });
      const now = this.clock.now();
      await db
        .updateTable('handovers')
        .set({ taken_at: now, taken_by_id: user.id, taken_by_name: nameOf(user) })
        .where('id', '=', id)
        .where('taken_at', 'is', null)
        .execute();
      return { ...was, taken: { at: now, by: { id: user.id, name: nameOf(user) } } };
    });
    this.bus.emit('handover', view);
    return view;
  }
}
