// Demo history: N days of a county at work, generated on first start through the real case engine
// (intake, every workflow action, the overdue scan) on a ManualClock moved through simulated time.
// Nothing is written into the tables directly, so the audit trail and the statistics are the ones
// real use would produce. Deterministic from a seed: the same clues, places, scripts and delays.
import type { SessionUser } from '../../shared/auth';
import type { CaseActionInput, CaseView, Clue, DeadlineKind, DeadlineView } from '../../shared/cases';
import { DAY_MS, startOfShanghaiDay } from '../../shared/time';
import { isFinal } from '../../shared/workflow';
import type { UserService } from '../auth/users';
import { ManualClock } from '../clock';
import type { Department } from '../county/departments';
import { createCaseEngine } from '../cases/index';
import type { CaseService } from '../cases/service';
import { DomainBus } from '../events/bus';
import type { GeoIndex } from '../geo/types';
import { HttpError } from '../http/errors';
import type { Logger } from '../logger';
import type { Store } from '../store/db';
import {
  HISTORY_TIMING,
  drawScript,
  escalation,
  freshProgress,
  nextDeadline,
  nextStep,
  noteDone,
  noteRefused,
  type ActionBody,
  type CaseProgress,
  type CaseScript,
  type PlannedStep,
  teamOf,
} from './lifecycle';
import {
  buildWorld,
  clueCountForDay,
  drawClue,
  hashString,
  mulberry,
  timesInDay,
  type ClueDraft,
  type MatterInfo,
  type Rand,
  type WorldModel,
} from './world';

export const HISTORY_META_KEY = 'demo.history';
/** How often the simulated overdue scan runs (the live scheduler: every 15 s). */
const SCAN_EVERY_MS = 15 * 60_000;

export interface HistoryOptions {
  /** Days of history ending now, today included (default 90). */
  days?: number;
  /** Mean clues per weekday-average day (default 50: a county of ~300,000 people). */
  perDay?: number;
  seed?: number;
  /** The end of history, epoch ms (default: now). */
  end?: number;
  autoDispatch: boolean;
}

export interface HistoryDeps {
  store: Store;
  geo: GeoIndex;
  departments: readonly Department[];
  users: UserService;
  logger: Logger;
}

/** One clue of the plan: when, what and where, and the path its case will take. */
export interface PlannedClue {
  index: number;
  at: number;
  draft: ClueDraft;
  script: CaseScript;
}

export interface HistorySummary {
  days: number;
  from: number;
  to: number;
  /** Wall-clock time, and this process's CPU time (the part a busy machine does not inflate). */
  seconds: number;
  cpuSeconds: number;
  cases: number;
  events: number;
  byTownship: Record<string, number>;
  byDomain: Record<string, number>;
  byStatus: Record<string, number>;
  paths: Record<string, number>;
  /** Actions the engine refused (each logged at debug); should be 0. */
  refused: number;
}

export const DEFAULT_HISTORY = { days: 90, perDay: 50, seed: 140581 } as const;

/**
 * Every clue of the history, in time order: a pure function of the world, the seed and the days.
 * Volume grows ~10 % over the period, as a platform does while it is adopted.
 */
export function planHistory(
  world: WorldModel,
  opts: { seed: number; days: number; perDay: number; end: number },
): PlannedClue[] {
  const rand = mulberry(opts.seed);
  const firstDay = startOfShanghaiDay(opts.end) - (opts.days - 1) * DAY_MS;
  const out: PlannedClue[] = [];
  for (let d = 0; d < opts.days; d++) {
    const dayStart = firstDay + d * DAY_MS;
    const trend = 0.95 + (0.1 * d) / Math.max(1, opts.days - 1);
    const times = timesInDay(rand, dayStart, clueCountForDay(rand, dayStart, opts.perDay, trend));
    for (const at of times) {
      const draft = drawClue(world, rand, at);
      const script = drawScript(rand);
      if (at < opts.end) out.push({ index: out.length, at, draft, script });
    }
  }
  return out;
}

/** Whether the demo history should be generated: no case stored yet. */
export async function historyNeeded(store: Store): Promise<boolean> {
  const row = await store.db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  return !row;
}

interface Tracked {
  view: CaseView;
  plan: PlannedClue;
  matter: MatterInfo;
  progress: CaseProgress;
  rand: Rand;
  pending: PlannedStep | null;
  checkPending: boolean;
}

type QueueItem =
  | { t: number; n: number; kind: 'intake'; plan: PlannedClue }
  | { t: number; n: number; kind: 'step' | 'check'; id: string };

export async function generateHistory(deps: HistoryDeps, opts: HistoryOptions): Promise<HistorySummary> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const days = opts.days ?? DEFAULT_HISTORY.days;
  const perDay = opts.perDay ?? DEFAULT_HISTORY.perDay;
  const seed = opts.seed ?? DEFAULT_HISTORY.seed;
  const end = opts.end ?? Date.now();
  const { store, geo, logger } = deps;

  const clock = new ManualClock(end);
  // A second engine over the same store, on simulated time, publishing to nobody.
  const engine = createCaseEngine({
    store,
    clock,
    geo,
    departments: deps.departments,
    bus: new DomainBus(),
    logger,
    autoDispatch: opts.autoDispatch,
  });
  const cases = engine.cases;
  const world = buildWorld({
    townships: geo.layer('townships'),
    first: geo.layer('first'),
    dedicated: geo.layer('dedicated'),
    matters: engine.catalogue.matters,
  });
  const people = await demoPeople(deps.users);
  const plan = planHistory(world, { seed, days, perDay, end });
  const from = plan[0]?.at ?? end;
  await store.db
    .insertInto('meta')
    .values({
      key: HISTORY_META_KEY,
      value: JSON.stringify({ seed, days, perDay, from, to: end, done: false }),
    })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute();
  logger.info(
    { days, clues: plan.length, seed },
    `demo history: generating ${days} days, ${plan.length} clues`,
  );

  const queue = new MinQueue<QueueItem>();
  let n = 0;
  for (const p of plan) queue.push({ t: p.at, n: n++, kind: 'intake', plan: p });
  const tracked = new Map<string, Tracked>();
  const deadlines = new MinQueue<{ t: number; n: number; id: string; kind: DeadlineKind }>();
  let refused = 0;
  let nextScan = Math.ceil(from / SCAN_EVERY_MS) * SCAN_EVERY_MS;
  let lastPct = -1;

  // The screen offers no 合并 into an original already finished: the operator dispatches instead.
  const originalFinished = (view: CaseView) => {
    const original = view.duplicateOf ? tracked.get(view.duplicateOf) : undefined;
    return !!original && isFinal(original.view.status);
  };
  const schedule = (tr: Tracked, now: number) => {
    const view = tr.view;
    if (isFinal(view.status)) return;
    if (originalFinished(view)) tr.progress.mergeOff = true;
    for (const [kind, d] of Object.entries(view.deadlineState) as Array<[DeadlineKind, DeadlineView]>)
      if (d.metAt === null && d.overdueAt === null && d.dueAt < end)
        deadlines.push({ t: d.dueAt, n: n++, id: view.id, kind });
    const teamId = view.assignee ? teamOf(view.assignee) : undefined;
    const step = nextStep(view, tr.matter, tr.plan.script, tr.progress, HISTORY_TIMING, now, tr.rand, teamId);
    tr.pending = step;
    if (step) {
      const t = now + Math.round(step.delayMs);
      if (t < end) queue.push({ t, n: n++, kind: 'step', id: view.id });
    }
    if (!tr.checkPending && tr.plan.script.escalate && !tr.progress.escalated) {
      const due = nextDeadline(view);
      if (due !== null) {
        const t = due + SCAN_EVERY_MS + Math.round(HISTORY_TIMING.escalate(tr.rand));
        if (t < end) {
          tr.checkPending = true;
          queue.push({ t, n: n++, kind: 'check', id: view.id });
        }
      }
    }
  };

  const act = async (tr: Tracked, actor: 'command' | 'assignee', body: ActionBody): Promise<boolean> => {
    const user = actor === 'command' ? people.commander : tr.view.assignee && people.party(tr.view.assignee);
    if (!user) return false;
    try {
      tr.view = await cases.act(user, tr.view.id, { ...body, version: tr.view.version } as CaseActionInput);
      noteDone(tr.progress, body.action);
      return true;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      refused++;
      noteRefused(tr.progress, body.action);
      logger.debug({ err: err.message, caseId: tr.view.id, action: body.action }, 'history: action refused');
      tr.view = (await cases.viewOf(tr.view.id)) ?? tr.view;
      return false;
    }
  };

  for (let item = queue.pop(); item; item = queue.pop()) {
    // The overdue scan at its simulated times, run only when a deadline known to be running has
    // come due (an idle scan finds nothing and costs a query).
    while (nextScan <= item.t) {
      let due = false;
      for (let d = deadlines.peek(); d && d.t <= nextScan; d = deadlines.peek()) {
        deadlines.pop();
        const state = tracked.get(d.id)?.view.deadlineState[d.kind];
        if (state && state.metAt === null && state.overdueAt === null && state.dueAt === d.t) due = true;
      }
      if (due) {
        clock.set(nextScan);
        await engine.deadlines.scan();
      }
      nextScan += SCAN_EVERY_MS;
    }
    clock.set(item.t);
    if (item.kind === 'intake') {
      const p = item.plan;
      const view = await intake(cases, people, p);
      if (view) {
        const tr: Tracked = {
          view,
          plan: p,
          matter: world.matters.get(p.draft.matterCode)!,
          progress: freshProgress(),
          rand: mulberry(hashString(`${seed}:${p.index}`)),
          pending: null,
          checkPending: false,
        };
        tracked.set(view.id, tr);
        schedule(tr, item.t);
      } else refused++;
      const pct = Math.floor(((item.t - from) / Math.max(1, end - from)) * 10) * 10;
      if (pct > lastPct) {
        lastPct = pct;
        logger.info(
          { pct, cases: tracked.size, seconds: round1((performance.now() - started) / 1000) },
          `demo history: ${pct}% (${tracked.size} cases, ${round1((performance.now() - started) / 1000)} s)`,
        );
      }
      continue;
    }
    const tr = tracked.get(item.id)!;
    if (item.kind === 'check') {
      tr.checkPending = false;
      tr.view = (await cases.viewOf(tr.view.id)) ?? tr.view;
      const body = escalation(tr.view, tr.plan.script, tr.progress);
      if (body) await act(tr, 'command', body);
      // The pending step keeps its place in the queue; only the version moved on.
      if (!tr.progress.escalated && !isFinal(tr.view.status)) {
        const due = nextDeadline(tr.view);
        if (due !== null && due + SCAN_EVERY_MS < end) {
          // Within the history, as the first check: past its end, a 督办 was written up to three
          // hours ahead of the clock, first in the live feed and the 超时督办 queue.
          const t = due + SCAN_EVERY_MS + Math.round(HISTORY_TIMING.escalate(tr.rand));
          if (t < end) {
            tr.checkPending = true;
            queue.push({ t, n: n++, kind: 'check', id: tr.view.id });
          }
        }
      }
      continue;
    }
    const step = tr.pending;
    if (!step) continue;
    tr.pending = null;
    if (step.body.action === 'merge' && originalFinished(tr.view)) {
      schedule(tr, item.t); // finished while the clue waited: dispatched or refused instead
      continue;
    }
    const body: ActionBody =
      step.body.action === 'arrive' ? { ...step.body, lng: tr.view.lng, lat: tr.view.lat } : step.body;
    await act(tr, step.actor, body);
    schedule(tr, item.t);
  }
  // The scan up to the end, so what is overdue now is marked.
  clock.set(end);
  await engine.deadlines.scan();

  const summary = await summarize(store, world, { days, from, end, started, cpuStart, refused });
  await store.db
    .updateTable('meta')
    .set({ value: JSON.stringify({ seed, days, perDay, from, to: end, done: true, cases: summary.cases }) })
    .where('key', '=', HISTORY_META_KEY)
    .execute();
  return summary;
}

// ------------------------------------------------------------------ people

interface DemoPeople {
  commander: SessionUser;
  township(code: string): SessionUser | undefined;
  party(p: { kind: string; code: string }): SessionUser | undefined;
}

/** The demo accounts that act in the history: the commander, each township platform and department. */
async function demoPeople(users: UserService): Promise<DemoPeople> {
  const all = await users.list();
  const byUsername = new Map(all.map((u) => [u.username, u]));
  const commander = byUsername.get('commander');
  if (!commander) throw new Error('demo history needs the demo accounts (commander …): create them first');
  const byParty = new Map<string, SessionUser>();
  for (const u of all)
    if (u.scope.kind !== 'county' && u.username === u.scope.code)
      byParty.set(`${u.scope.kind}:${u.scope.code}`, u);
  return {
    commander,
    township: (code) => byParty.get(`township:${code}`),
    party: (p) => byParty.get(`${p.kind}:${p.code}`),
  };
}

/** Grid workers and patrols report through their township's platform; the hotline, the public and cameras through the command centre. */
async function intake(cases: CaseService, people: DemoPeople, p: PlannedClue): Promise<CaseView | null> {
  const d = p.draft;
  const clue: Clue = {
    clientId: `demo-history-${p.index}`,
    lng: d.lng,
    lat: d.lat,
    matterCode: d.matterCode,
    description: d.description,
    source: d.source,
    reporter: d.reporter,
  };
  const township = people.township(d.townshipCode);
  const reporter = d.source === 'grid_worker' || d.source === 'patrol' ? township : undefined;
  try {
    return (await cases.intake(reporter ?? people.commander, clue)).case;
  } catch (err) {
    // A point on the very edge of its township may locate next door: the command centre reports it.
    if (err instanceof HttpError && err.status === 403 && reporter)
      return (await cases.intake(people.commander, clue)).case;
    if (err instanceof HttpError) return null;
    throw err;
  }
}

// ------------------------------------------------------------------ closing figures

async function summarize(
  store: Store,
  world: WorldModel,
  x: { days: number; from: number; end: number; started: number; cpuStart: NodeJS.CpuUsage; refused: number },
): Promise<HistorySummary> {
  const db = store.db;
  const rows = await db
    .selectFrom('cases')
    .select([
      'township_code',
      'domain',
      'status',
      'closed_on_time',
      'returns',
      'reworks',
      'rectify_orders',
      'extensions',
      'rectified',
      'escalations',
      'overdue_count',
      'merged_into',
    ])
    .where('created_at', '>=', x.from)
    .where('created_at', '<=', x.end)
    .execute();
  const names = new Map(world.townships.map((t) => [t.code, t.name]));
  const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  const byTownship: Record<string, number> = {};
  for (const t of world.townships) byTownship[t.name] = 0;
  const byDomain: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const paths: Record<string, number> = {
    closedOnTime: 0,
    closedLate: 0,
    returned: 0,
    rework: 0,
    rectificationOrdered: 0,
    rectificationDone: 0,
    escalated: 0,
    extended: 0,
    everOverdue: 0,
    rejected: 0,
    merged: 0,
  };
  for (const r of rows) {
    count(byTownship, names.get(r.township_code) ?? r.township_code);
    count(byDomain, r.domain);
    count(byStatus, r.status);
    if (r.status === 'closed') count(paths, Number(r.closed_on_time) === 1 ? 'closedOnTime' : 'closedLate');
    if (r.status === 'rejected') count(paths, r.merged_into ? 'merged' : 'rejected');
    if (Number(r.returns) > 0) count(paths, 'returned');
    if (Number(r.reworks) > 0) count(paths, 'rework');
    if (Number(r.rectify_orders) > 0) count(paths, 'rectificationOrdered');
    if (Number(r.rectified) > 0) count(paths, 'rectificationDone');
    if (Number(r.escalations) > 0) count(paths, 'escalated');
    if (Number(r.extensions) > 0) count(paths, 'extended');
    if (Number(r.overdue_count) > 0) count(paths, 'everOverdue');
  }
  const events = await db
    .selectFrom('case_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('at', '>=', x.from)
    .executeTakeFirstOrThrow();
  const sortDesc = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).sort((a, b) => b[1] - a[1]));
  return {
    days: x.days,
    from: x.from,
    to: x.end,
    seconds: round1((performance.now() - x.started) / 1000),
    cpuSeconds: round1(cpuSecondsSince(x.cpuStart)),
    cases: rows.length,
    events: Number(events.n),
    byTownship,
    byDomain: sortDesc(byDomain),
    byStatus: sortDesc(byStatus),
    paths,
    refused: x.refused,
  };
}

/** The closing figures as a few lines of text, for the log and the terminal. */
export function formatSummary(s: HistorySummary): string {
  const line = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    `demo history: ${s.cases} cases and ${s.events} events over ${s.days} days in ${s.seconds} s (${s.cpuSeconds} s CPU)`,
    `  by township: ${line(s.byTownship)}`,
    `  by domain:   ${line(s.byDomain)}`,
    `  by status:   ${line(s.byStatus)}`,
    `  paths:       ${line(s.paths)}`,
  ].join('\n');
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** A binary min-heap on (t, n): time order, and insertion order among equal times. */
class MinQueue<T extends { t: number; n: number }> {
  private items: T[] = [];
  private less = (a: T, b: T) => a.t < b.t || (a.t === b.t && a.n < b.n);

  push(x: T): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const h = this.items;
    if (!h.length) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
