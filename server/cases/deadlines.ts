// The deadline scheduler: marks each missed deadline (签收、到场、办结、整改) overdue exactly once,
// with an event. Time comes from the injected clock, so tests move it instead of waiting.
import { SYSTEM_ACTOR, type CaseEvent, type DeadlineKind } from '../../shared/cases';
import { DEADLINE_LABELS } from '../../shared/cases';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store } from '../store/db';
import { appendEvents } from './audit';
import type { CaseService } from './service';
import { assigneeOf } from './view';

/** Runs a job on one process only; the default runs it here. Scale-out wraps it in a database lock. */
export type RunOnce = (job: () => Promise<void>) => Promise<void>;
export const runHere: RunOnce = (job) => job();

export interface DeadlineSchedulerDeps {
  store: Store;
  clock: Clock;
  cases: CaseService;
  logger: Logger;
  intervalMs?: number;
  runOnce?: RunOnce;
  /** Deadlines handled per scan; the rest wait for the next one. */
  batch?: number;
  /**
   * Marks made between two turns of the event loop (default 25). Each mark is its own transaction
   * on the embedded database's synchronous connection, and awaiting it lets no other request in:
   * a scan finding hundreds due at once (after a restart, a backlog) held the server for all of them.
   */
  marksPerTurn?: number;
}

class AlreadyHandled extends Error {}

export class DeadlineScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private rerun: Promise<number> | null = null;

  constructor(private readonly deps: DeadlineSchedulerDeps) {}

  start(): void {
    if (this.timer) return;
    const every = this.deps.intervalMs ?? 15_000;
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await this.rerun?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      await (this.deps.runOnce ?? runHere)(async () => {
        await this.scan();
      });
    } catch (err) {
      this.deps.logger.warn({ err }, 'overdue scan failed; will retry at the next tick');
    }
  }

  /**
   * Mark every deadline due by now and still running; resolves with how many this run marked. Runs
   * never overlap: asked during a run, it runs once more after it (callers asking meanwhile share
   * that run), so the answer always covers deadlines due when it was asked.
   */
  scan(): Promise<number> {
    if (this.running) {
      this.rerun ??= this.running
        .catch(() => undefined)
        .then(() => {
          this.rerun = null;
          return this.scan();
        });
      return this.rerun;
    }
    this.running = this.scanOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async scanOnce(): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const due = await store.db
      .selectFrom('case_deadlines')
      .select(['case_id', 'kind', 'due_at'])
      .where('met_at', 'is', null)
      .where('overdue_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(this.deps.batch ?? 1000)
      .execute();
    let marked = 0;
    const perTurn = this.deps.marksPerTurn ?? 25;
    let sinceTurn = 0;
    for (const d of due) {
      if (++sinceTurn > perTurn) {
        sinceTurn = 1;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const events = await this.mark(d.case_id, d.kind as DeadlineKind, Number(d.due_at), now);
      if (!events) continue;
      marked++;
      const view = await this.deps.cases.viewOf(d.case_id);
      if (view) void this.deps.cases.publish(events, view);
    }
    return marked;
  }

  /** One deadline, in its own transaction; undefined when it was met or marked meanwhile. */
  private async mark(
    caseId: string,
    kind: DeadlineKind,
    dueAt: number,
    now: number,
  ): Promise<CaseEvent[] | undefined> {
    try {
      return await this.deps.store.db.transaction().execute(async (trx) => {
        // The case row first, as every action does, so two writers never wait on each other in
        // opposite orders (PostgreSQL would abort one as a deadlock).
        // Its unit comes back with it (the overdue event names who is late, `holder`).
        const held = await trx
          .updateTable('cases')
          .set((eb) => ({ overdue: 1, overdue_count: eb('overdue_count', '+', 1) }))
          .where('id', '=', caseId)
          .returning(['assignee_kind', 'assignee_code', 'assignee_name'])
          .executeTakeFirstOrThrow();
        const r = await trx
          .updateTable('case_deadlines')
          .set({ overdue_at: now })
          .where('case_id', '=', caseId)
          .where('kind', '=', kind)
          .where('met_at', 'is', null)
          .where('overdue_at', 'is', null)
          .where('due_at', '<=', now)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AlreadyHandled();
        // Who is late (holder), as an action's event names who had the task then (CaseService.act).
        const holder = assigneeOf(held);
        return appendEvents(trx, [
          {
            caseId,
            type: 'overdue',
            actor: { ...SYSTEM_ACTOR, displayName: '系统超时监测' },
            at: now,
            payload: {
              deadline: kind,
              label: `${DEADLINE_LABELS[kind]}超时`,
              dueAt,
              ...(holder ? { holder } : {}),
            },
          },
        ]);
      });
    } catch (err) {
      if (err instanceof AlreadyHandled) return undefined;
      throw err;
    }
  }
}
