// Each team's current task (当前任务), kept in memory from the case events: read once from the
// database at start, then moved by every case event this process commits (the domain bus) or hears
// of from another process (Redis). The position hot path reads it with one Map lookup.
//
// The rule:
// - A `start` (派出队伍) naming a team (`teamId` in its payload) puts that team on the case, stage
//   en_route (前往现场) since the start. A later start on the same case replaces it (one naming no
//   team takes the case off every team).
// - An `arrive` (到场) on the case while it is in progress moves the stage to on_site (现场处置) since
//   that arrival (a second arrival keeps the first's time).
// - The task is live only while the case is in progress (处置中). It stops when the case leaves that
//   state: resolved (办结), rectification ordered (责令整改: the party has days to put it right, the
//   team is not kept there). It comes back, en_route again since that moment, when the case returns
//   to in progress without a new start: rectification reported (整改完成, the handler re-checks on
//   site) or the verification failed (核查不通过, 返工).
// - It ends for good when the case is closed, or in any state but those above (rejected/merged, back
//   to dispatch: the workflow has none of these after a start): only a new start sends a team again.
// - A team on several live cases (sent to a second before the first was resolved) is on the one with
//   the newest step (start, arrival or return to work): what it did last.
import type { Scope } from '../../shared/auth';
import type { TeamTask, TeamTaskStage } from '../../shared/teams';
import type { CaseEvent, CaseView } from '../../shared/cases';
import type { CaseState } from '../../shared/workflow';
import type { Store } from '../store/db';
import { readEventHead } from '../cases/audit';
import { rowCaseNumber, rowParties, scopeSees } from '../cases/view';

/** What the tasks need of a case event. */
export interface TaskEvent {
  seq: number;
  caseId: string;
  type: string;
  at: number;
  /** Of a start: the team sent (payload.teamId), or null when it named none. */
  teamId?: string | null;
}

/** What the tasks need of the case right after the event. */
export interface TaskCase {
  no: string;
  matterName: string;
  status: CaseState;
  /** Who may see the case, `township:<code>` / `department:<code>`. */
  parties: string[];
}

/** A case event as the domain bus carries it, in the terms above. */
export function taskInputOf(event: CaseEvent, view: CaseView): { event: TaskEvent; case: TaskCase } {
  const teamId = event.payload.teamId;
  return {
    event: {
      seq: event.seq,
      caseId: event.caseId,
      type: event.type,
      at: event.at,
      teamId: typeof teamId === 'string' ? teamId : null,
    },
    case: {
      no: view.no,
      matterName: view.matterName,
      status: view.status,
      parties: view.parties.map((p) => `${p.kind}:${p.code}`),
    },
  };
}

/** A team's work on one case. */
interface CaseWork {
  teamId: string;
  caseId: string;
  caseNo: string;
  matterName: string;
  parties: string[];
  startedAt: number;
  /** The case is in progress: the team is on it now. */
  live: boolean;
  stage: TeamTaskStage;
  since: number;
  /** The last event applied to it. */
  seq: number;
}

/** States a case may leave for in progress again without a new start. */
const PAUSED: readonly CaseState[] = ['rectifying', 'resolved'];

/**
 * The event types that can change a team's task (the others are not read back at start, nor told
 * to the other processes). A task begins with a start, which only an accepted case takes
 * (shared/workflow.ts TRANSITIONS), and the case never comes back to accepted: after it, only these
 * move it (reject, merge, return and reassign all come before any start; escalate, overdue and
 * merged_in move no state). verify_pass (→ closed) is one: it takes the case out of memory.
 */
export const TASK_EVENT_TYPES = [
  'start',
  'arrive',
  'order_rectification',
  'report_rectified',
  'resolve',
  'verify_pass',
  'verify_fail',
] as const;
const TASK_TYPES: ReadonlySet<string> = new Set(TASK_EVENT_TYPES);

export class TeamTasks {
  private byCase = new Map<string, CaseWork>();
  private byTeam = new Map<string, Set<string>>();
  /** Each team's current task (the choice among its live cases, made when one changes). */
  private current = new Map<string, CaseWork>();
  /** While a re-read runs: the events taken in meanwhile, to lay over what it reads. */
  private pending: Array<[TaskEvent, TaskCase]> | null = null;

  /** A team's task as `scope` may see it (a case the account cannot see is not shown). */
  taskOf(teamId: string, scope?: Scope): TeamTask | null {
    const w = this.current.get(teamId);
    if (!w) return null;
    if (scope && !scopeSees(scope, w.parties)) return null;
    return {
      caseId: w.caseId,
      caseNo: w.caseNo,
      matterName: w.matterName,
      stage: w.stage,
      since: w.since,
      startedAt: w.startedAt,
    };
  }

  stageOf(teamId: string): TeamTaskStage | null {
    return this.current.get(teamId)?.stage ?? null;
  }

  /**
   * Whether apply() may do anything with the event: a start, an event on a case a team is on, or
   * any event while a re-read runs (laid over what it reads). Most case events are none
   * of these: checked before the inputs are built.
   */
  wants(e: Pick<TaskEvent, 'caseId' | 'type'>): boolean {
    return e.type === 'start' || this.pending !== null || this.byCase.has(e.caseId);
  }

  /**
   * Whether the event can move a task (a start, or a task event on a case a team is on): the ones
   * the other processes are told of.
   */
  concerns(e: Pick<TaskEvent, 'caseId' | 'type'>): boolean {
    return TASK_TYPES.has(e.type) && (e.type === 'start' || this.byCase.has(e.caseId));
  }

  /**
   * Take one case event in; returns the teams whose current task changed. Events are taken in seq
   * order per case; one already applied (heard twice: the bus and a re-read) is skipped.
   */
  apply(e: TaskEvent, c: TaskCase): string[] {
    this.pending?.push([e, c]);
    const before = this.byCase.get(e.caseId);
    if (before && e.seq <= before.seq) return [];
    const affected = new Set<string>();
    let next: CaseWork | undefined = before && {
      ...before,
      caseNo: c.no,
      matterName: c.matterName,
      parties: c.parties,
      seq: e.seq,
    };
    if (e.type === 'start') {
      next = e.teamId
        ? {
            teamId: e.teamId,
            caseId: e.caseId,
            caseNo: c.no,
            matterName: c.matterName,
            parties: c.parties,
            startedAt: e.at,
            live: c.status === 'in_progress',
            stage: 'en_route',
            since: e.at,
            seq: e.seq,
          }
        : undefined;
    } else if (next) {
      if (c.status === 'in_progress') {
        if (!next.live) Object.assign(next, { live: true, stage: 'en_route', since: e.at });
        else if (e.type === 'arrive' && next.stage === 'en_route')
          Object.assign(next, { stage: 'on_site', since: e.at });
      } else if (PAUSED.includes(c.status)) {
        next.live = false;
      } else {
        next = undefined;
      }
    } else {
      return [];
    }
    if (before) {
      this.unlink(before);
      affected.add(before.teamId);
    }
    if (next) {
      this.byCase.set(e.caseId, next);
      let set = this.byTeam.get(next.teamId);
      if (!set) this.byTeam.set(next.teamId, (set = new Set()));
      set.add(e.caseId);
      affected.add(next.teamId);
    }
    return [...affected].filter((teamId) => this.choose(teamId));
  }

  private unlink(w: CaseWork): void {
    this.byCase.delete(w.caseId);
    const set = this.byTeam.get(w.teamId);
    set?.delete(w.caseId);
    if (set?.size === 0) this.byTeam.delete(w.teamId);
  }

  /** Choose the team's current task again; true when what it shows changed. */
  private choose(teamId: string): boolean {
    let best: CaseWork | undefined;
    for (const caseId of this.byTeam.get(teamId) ?? []) {
      const w = this.byCase.get(caseId)!;
      if (!w.live) continue;
      if (!best || w.since > best.since || (w.since === best.since && w.seq > best.seq)) best = w;
    }
    const was = this.current.get(teamId);
    if (best) this.current.set(teamId, best);
    else this.current.delete(teamId);
    return !sameTask(was, best);
  }

  /**
   * Read the tasks from the records again (at start, and when the link to the other processes was
   * lost for a while) and put them in place; returns the teams whose task changed. The events taken
   * in while the read ran are laid over it, each case's in order (those the read already saw are
   * skipped), so one moved meanwhile keeps its last step — a case whose start this process missed
   * included, which it then learns from the read.
   */
  async reload(store: Store, matterName: (code: string) => string): Promise<string[]> {
    const pending: Array<[TaskEvent, TaskCase]> = (this.pending = []);
    try {
      const fresh = new TeamTasks();
      const head = await readTasks(store, matterName, fresh);
      for (const [e, c] of pending) if (e.seq > head) fresh.apply(e, c);
      for (const w of [...this.byCase.values()]) this.unlink(w);
      for (const w of fresh.byCase.values()) {
        this.byCase.set(w.caseId, w);
        let set = this.byTeam.get(w.teamId);
        if (!set) this.byTeam.set(w.teamId, (set = new Set()));
        set.add(w.caseId);
      }
      const teams = new Set([...this.current.keys(), ...this.byTeam.keys()]);
      return [...teams].filter((teamId) => this.choose(teamId));
    } finally {
      if (this.pending === pending) this.pending = null;
    }
  }
}

function sameTask(a: CaseWork | undefined, b: CaseWork | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.caseId === b.caseId &&
    a.stage === b.stage &&
    a.since === b.since &&
    a.startedAt === b.startedAt &&
    a.caseNo === b.caseNo &&
    a.matterName === b.matterName
  );
}

/**
 * Replay, into `into`, the events up to the log's head of the cases a team may be on now (in
 * progress, rectifying, resolved: index cases_status); returns that head. A case whose state moved
 * since the head was read is one the caller heard of meanwhile.
 */
async function readTasks(
  store: Store,
  matterName: (code: string) => string,
  into: TeamTasks,
): Promise<number> {
  const db = store.db;
  const head = await readEventHead(db);
  const cases = await db
    .selectFrom('cases')
    .select([
      'id',
      'no_day',
      'no_seq',
      'matter_code',
      'township_code',
      'assignee_kind',
      'assignee_code',
      'assignee_name',
      'cooperating',
    ])
    .where('status', 'in', ['in_progress', ...PAUSED])
    .execute();
  const CHUNK = 500;
  for (let i = 0; i < cases.length; i += CHUNK) {
    const some = cases.slice(i, i + CHUNK);
    const byId = new Map(some.map((c) => [c.id, c]));
    const events = await db
      .selectFrom('case_events')
      .select(['seq', 'case_id', 'type', 'at', 'payload'])
      .where('case_id', 'in', [...byId.keys()])
      .where('type', 'in', [...TASK_EVENT_TYPES])
      .where('seq', '<=', head)
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    // The state after each event is its payload's `to` (every action records from and to). What
    // else the tasks need of the case (number, matter, parties) is its row's: read once per case.
    let status: CaseState = 'accepted';
    let last = '';
    let fixed: Omit<TaskCase, 'status'> | undefined;
    for (const r of events) {
      if (r.case_id !== last) {
        last = r.case_id;
        status = 'accepted';
        const c = byId.get(r.case_id)!;
        fixed = { no: rowCaseNumber(c), matterName: matterName(c.matter_code), parties: rowParties(c) };
      }
      const payload = JSON.parse(r.payload) as { teamId?: unknown; to?: unknown };
      if (typeof payload.to === 'string') status = payload.to as CaseState;
      into.apply(
        {
          seq: Number(r.seq),
          caseId: r.case_id,
          type: r.type,
          at: Number(r.at),
          teamId: typeof payload.teamId === 'string' ? payload.teamId : null,
        },
        { ...fixed!, status },
      );
    }
  }
  return head;
}
