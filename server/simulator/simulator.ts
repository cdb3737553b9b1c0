// The live demo: simulated people working the county through the public interfaces only — HTTP
// (sign-in, clues, case actions, device fixes) and Socket.IO (what a dashboard hears). Grid workers
// report clues at a set rate; the command centre dispatches what waits for review, re-dispatches
// returns, verifies and chases overdue work; township and department clerks acknowledge, send their
// team, report arrival and the result, sometimes late, sometimes returning the task; the teams drive
// there and back (and there again after 整改完成 or 返工, for the re-check), reporting GPS fixes as a
// phone would. The same module is the load generator.
// It acts under the demo's accounts for it (sim-command, sim-<unit code>: server/auth/demo-accounts.ts),
// so a case's timeline tells its work from that of the people at the screen and the desks.
//
// It makes room for the people trying the demo (GET /api/presence, read every few seconds):
// - While a person (not one of its sim-… accounts) has a township's or department's desk open, it
//   leaves that unit's tasks alone — no 签收, 派出队伍, 到场, 办结 … on them — and takes them up again
//   PRESENCE_LINGER_MS (a minute) after the last such person has left. A team already on its way
//   still drives to the site and waits there for the person to record 到场.
// - While a person signed in as a command-centre operator (role commander) has the big screen open,
//   the command centre's steps (dispatching what waits for review, returned tasks, verification,
//   督办) are left to that person for COMMAND_GRACE_MS (two minutes) from when the case became ready
//   for one; a step still not taken then is taken by the simulated seat, as a colleague covering.
//   Most clues are dispatched by the server's own routing (AUTO_DISPATCH) the moment they come in,
//   so someone who just opens the big screen still sees the county at work; someone working it gets
//   the first go at every decision, and nothing waits for ever on a screen left open.
import { EventEmitter } from 'node:events';
import type { FeatureCollection } from 'geojson';
import { io, type Socket } from 'socket.io-client';
import type { CaseListPage, CaseView } from '../../shared/cases';
import type { PresenceSnapshot } from '../../shared/presence';
import type { Team, TeamPositionUpdate, TeamsChange } from '../../shared/teams';
import { CASE_STATES, isFinal, type CaseAction } from '../../shared/workflow';
import {
  LIVE_TIMING,
  drawScript,
  escalation,
  freshProgress,
  nextStep,
  noteDone,
  noteRefused,
  type ActionBody,
  type CaseProgress,
  type CaseScript,
  type PlannedStep,
  teamOf,
} from '../demo/lifecycle';
import {
  buildWorld,
  drawClue,
  hashString,
  mulberry,
  poisson,
  type MatterInfo,
  type Rand,
  type WorldModel,
} from '../demo/world';
import { SIM_COMMAND, simUnitUsername } from '../auth/demo-accounts';
import { isDemoDevice } from '../teams/demo-teams';
import { Fleet, countySeatOf, seatOf, type DeviceFix, type Vehicle } from './fleet';
import { ApiClient } from './http-client';

export interface SimulatorOptions {
  /** The server, e.g. http://127.0.0.1:3000. */
  url: string;
  /** The demo accounts' password (DEMO_PASSWORD); device tokens are `<deviceId>:<password>`. */
  password: string;
  /** New clues per minute (a Poisson process at this mean rate). */
  ratePerMinute: number;
  /** Stop by itself after this long; without it, run until stop(). */
  durationMs?: number;
  seed?: number;
  /** Work the cases (dispatch, acknowledge, …), not just report clues. Default true. */
  workflow?: boolean;
  /** Drive the teams and send their fixes. Default true. */
  teams?: boolean;
  /** Progress lines, every `progressEveryMs` (default 60 s). */
  log?: (line: string) => void;
  progressEveryMs?: number;
  /** Connections kept open to the server (default 32). */
  maxSockets?: number;
  /** People work, and teams drive, this many times faster than LIVE_TIMING (default 1; tests use more). */
  pace?: number;
  /**
   * No step is scripted late (签收, 到场, 办结 on time): for tests that wait for a first step, which a
   * late 签收 (its limit and minutes more, drawn for ~9 % of cases) would put past any short wait.
   */
  onTime?: boolean;
  /** How often to read who is at a screen (GET /api/presence); default 5 s. */
  presenceEveryMs?: number;
  /** A unit's tasks are left alone until this long after the last person left its desk; default 60 s. */
  presenceLingerMs?: number;
  /** A command step waits this long for a person at the big screen before the simulator takes it; default 120 s. */
  commandGraceMs?: number;
}

export interface SimulatorStats {
  startedAt: number;
  elapsedMs: number;
  clues: { posted: number; failed: number; skipped: number; errors: Record<string, number> };
  /** POST /api/clues round trips, ms. */
  latency: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  actions: {
    done: Partial<Record<CaseAction, number>>;
    failed: number;
    errors: Record<string, number>;
    /** Steps left to a person at the desk or the big screen (each case's step counted once). */
    leftToPeople: number;
  };
  fixes: { sent: number; failed: number };
  /** `team:positions` broadcasts heard on the socket. */
  broadcasts: number;
  /** Case events heard on the socket (when the server sends them). */
  caseEvents: number;
}

interface CaseMemory {
  view: CaseView;
  script: CaseScript;
  progress: CaseProgress;
  rand: Rand;
  timer: NodeJS.Timeout | null;
  inFlight: boolean;
  /** The team's car is on its way; the arrival will trigger the next step. */
  awaitingTeam: boolean;
  /** The team sent to the site (on its way or there), until the work there ends. */
  team: string | null;
  /** The script's late arrival (lateArrive) was a late start: the team has waited, and sets off. */
  setOff: boolean;
  /**
   * 派出队伍 named no team: the team was busy (Fleet.canTake), and people without a tracker went, so
   * their 到场 is a timed one. Unknown after a restart: the team then goes.
   */
  untracked: boolean;
  /** A refused action: plan again only once the case has moved on. */
  blockedVersion: number | null;
  /** A step left to a person: the case's version then, and since when (epoch ms). */
  held: { version: number; since: number } | null;
  /**
   * The step left to a person, while it waits: looked at again after each read of who is at a
   * screen (readPresence), when the case moves (consider), and at the grace's end for a command step.
   */
  waiting: PlannedStep | null;
  /** A command step's wait ends at the grace's end (COMMAND_GRACE_MS): one timer for it. */
  graceTimer: NodeJS.Timeout | null;
  /**
   * The case came back to work at `since` (its statusSince: 整改完成 or 核查不通过, after a first
   * 到场), and whether the team has been on site since (progress.revisit) is known as of `version`:
   * from this run's own steps, or read from the case's timeline (a restart, or a person's step).
   */
  backAt: { since: number; version: number } | null;
}

const OPEN_STATES = CASE_STATES.filter((s) => !isFinal(s));
const POLL_EVERY_MS = 3000;
const CLUE_TICK_MS = 250;
const FLEET_TICK_MS = 1000;
/** A moving device reports every 5 s; a standing one every minute (offline after 5 minutes of silence). */
const MOVING_REPORT_MS = 5000;
const IDLE_REPORT_MS = 60_000;
const MAX_IN_FLIGHT_CLUES = 500;
const MAX_OPEN_PAGES = 4;
const PRESENCE_EVERY_MS = 5000;
/** A unit's tasks wait this long after the last person left its desk (a page reload is not leaving). */
const PRESENCE_LINGER_MS = 60_000;
/** How long a command step waits for the person at the big screen before the simulated seat takes it. */
const COMMAND_GRACE_MS = 120_000;
/** The OsmAnd protocol gives speed in knots. */
const KNOTS_PER_MPS = 1.943844;

/** A refused sign-in: its HTTP status and the server's words. */
class SignInError extends Error {
  constructor(
    readonly status: number,
    reason: string | undefined,
  ) {
    super(`${status} ${reason ?? ''}`.trim());
  }
}

export class Simulator extends EventEmitter {
  private readonly client: ApiClient;
  /** The seed of this run's randomness (--seed repeats it). */
  readonly seed: number;
  private readonly rand: Rand;
  private readonly runId: string;
  private readonly tokens = new Map<string, Promise<string>>();
  /** The command centre's account: the simulator's own (sim-command), or the demo commander's. */
  private command = SIM_COMMAND;
  /** A township's or department's clerk: the simulator's own (sim-<code>), or the unit's demo account. */
  private clerk: (code: string) => string = simUnitUsername;
  private world!: WorldModel;
  private matters = new Map<string, MatterInfo>();
  private teams = new Map<string, Team>();
  private readonly fleet: Fleet;
  private readonly lastReport = new Map<string, number>();
  private readonly buffered = new Map<string, DeviceFix[]>();
  private readonly memory = new Map<string, CaseMemory>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private socket: Socket | null = null;
  private stopped = false;
  private started = 0;
  private clueSeq = 0;
  private cluesInFlight = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private polling = false;
  private pollAgain = false;
  private pokeTimer: NodeJS.Timeout | null = null;
  private latencies: number[] = [];
  private stats: Omit<SimulatorStats, 'latency' | 'elapsedMs'>;
  private finished!: () => void;
  /** When each unit (`township:<code>`, `department:<code>`) last had a person's desk open. */
  private readonly deskSeenAt = new Map<string, number>();
  /** When a person last had the big screen open as a command-centre operator. */
  private commandSeenAt = -Infinity;
  /** The teams the server says are on site when this run starts: case id → team. */
  private readonly placed = new Map<string, string>();
  /** GET /api/presence was refused last time (said once in the log). */
  private presenceUnread = false;
  /** Resolves when the simulator has stopped (after `durationMs`, or stop()). */
  readonly done: Promise<void>;

  constructor(readonly opts: SimulatorOptions) {
    super();
    this.client = new ApiClient(opts.url, { maxSockets: opts.maxSockets ?? 32 });
    // A fixed seed repeats a run; without one, each start reports new clues (the same ones again
    // would all be flagged as duplicates of the first run's).
    this.seed = opts.seed ?? (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) >>> 0;
    this.rand = mulberry(this.seed);
    this.fleet = new Fleet(mulberry(this.seed ^ 0x5eed));
    this.runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    this.stats = {
      startedAt: 0,
      clues: { posted: 0, failed: 0, skipped: 0, errors: {} },
      actions: { done: {}, failed: 0, errors: {}, leftToPeople: 0 },
      fixes: { sent: 0, failed: 0 },
      broadcasts: 0,
      caseEvents: 0,
    };
    this.done = new Promise((resolve) => (this.finished = resolve));
  }

  /** Sign in, read the county and the teams, then start every loop. Rejects with a readable reason. */
  async start(): Promise<void> {
    await this.chooseAccounts();
    const [matters, townships, first, dedicated, teams] = await Promise.all([
      this.get<{ matters: MatterInfo[] }>(this.command, '/api/matters'),
      this.get<FeatureCollection>(null, '/api/geo/townships'),
      this.get<FeatureCollection>(null, '/api/geo/first'),
      this.get<FeatureCollection>(null, '/api/geo/dedicated'),
      this.get<{ teams: Team[] }>(this.command, '/api/teams'),
    ]);
    this.matters = new Map(matters.matters.map((m) => [m.code, m]));
    this.world = buildWorld({ townships, first, dedicated, matters: matters.matters });
    this.teams = new Map(teams.teams.map((t) => [t.id, t]));
    // Sign every clerk in up front (four at a time: each costs the server a password hash), so the
    // first clue or action of each is not held up; one that fails is tried again when needed.
    const clerks = [
      ...this.world.townships.map((t) => t.code),
      ...new Set(matters.matters.map((m) => m.department)),
    ].map(this.clerk);
    for (let i = 0; i < clerks.length; i += 4)
      await Promise.all(clerks.slice(i, i + 4).map((u) => this.token(u).catch(() => undefined)));
    if (this.opts.teams !== false) {
      this.buildFleet();
      await this.placeTeamsOnSite(teams.teams);
    }
    this.started = Date.now();
    this.stats.startedAt = this.started;
    this.connectSocket();

    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.intervals.push(t);
    };
    if (this.opts.ratePerMinute > 0) every(CLUE_TICK_MS, () => this.clueTick());
    // The teams' first fixes before any step on a case: a team on site reports from the site before
    // the work there can end (and it drive off).
    if (this.opts.teams !== false) {
      every(FLEET_TICK_MS, () => this.fleetTick());
      this.fleetTick();
    }
    if (this.opts.workflow !== false) {
      // Who is at a screen first, so no step is taken under the nose of a person already there.
      await this.readPresence();
      every(this.opts.presenceEveryMs ?? PRESENCE_EVERY_MS, () => void this.readPresence());
      every(POLL_EVERY_MS, () => void this.poll());
      void this.poll();
    }
    if (this.opts.log) every(this.opts.progressEveryMs ?? 60_000, () => this.opts.log!(this.progressLine()));
    if (this.opts.durationMs !== undefined) {
      const t = setTimeout(() => void this.stop(), this.opts.durationMs);
      t.unref();
      this.intervals.push(t);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return this.done;
    this.stopped = true;
    for (const t of this.intervals) clearInterval(t);
    if (this.pokeTimer) clearTimeout(this.pokeTimer);
    for (const m of this.memory.values()) {
      if (m.timer) clearTimeout(m.timer);
      if (m.graceTimer) clearTimeout(m.graceTimer);
    }
    // Let the requests under way finish (a few seconds at most), so the summary counts them.
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
    this.socket?.disconnect();
    this.client.close();
    this.finished();
  }

  /** Whether this run drives the team (not one retired on the server, nor one without a device). */
  drives(teamId: string): boolean {
    return this.fleet.has(teamId);
  }

  snapshot(): SimulatorStats {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number) =>
      sorted.length
        ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10
        : null;
    return {
      ...structuredClone(this.stats),
      elapsedMs: Date.now() - this.started,
      latency: { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted.length ? q(1) : null },
    };
  }

  progressLine(): string {
    const s = this.snapshot();
    const actions = Object.values(s.actions.done).reduce((a, b) => a + (b ?? 0), 0);
    return (
      `simulator ${Math.round(s.elapsedMs / 1000)} s: clues ${s.clues.posted} posted, ${s.clues.failed} failed` +
      (s.clues.skipped ? `, ${s.clues.skipped} skipped (server slower than the rate)` : '') +
      ` · POST /api/clues p50 ${s.latency.p50 ?? '–'} ms p95 ${s.latency.p95 ?? '–'} ms` +
      ` · actions ${actions} (${s.actions.failed} refused) · fixes ${s.fixes.sent} · position broadcasts ${s.broadcasts}`
    );
  }

  // ---------------------------------------------------------------- HTTP with many identities

  /**
   * Its own accounts, or — on a demo server or database from before them (or with sim-command
   * disabled) — the demo commander's and the units' own, as before, said in one line. Told by one
   * sign-in: each refused one counts against this address's limit, which people here share.
   */
  private async chooseAccounts(): Promise<void> {
    const refused = (err: unknown) => err instanceof SignInError && err.status === 401;
    const own = await this.token(SIM_COMMAND).then(
      () => true,
      (err: unknown) => {
        if (refused(err)) return false;
        throw new Error(
          `cannot sign in as ${SIM_COMMAND} at ${this.opts.url}: ${(err as Error).message}. ` +
            'Is the server running in demo mode (DEMO=on)?',
        );
      },
    );
    if (own) return;
    await this.token('commander').catch((err: Error) => {
      throw new Error(
        `cannot sign in as the simulator's ${SIM_COMMAND} nor the demo commander at ${this.opts.url}: ${err.message}. ` +
          'Is the server running in demo mode (DEMO=on), with the same DEMO_PASSWORD?',
      );
    });
    this.command = 'commander';
    this.clerk = (code) => code;
    this.opts.log?.(
      `simulator: no account ${SIM_COMMAND} to sign in with (a demo database from before the simulator's own accounts, or it is disabled): ` +
        'acting as commander and the township and department accounts, so timelines show its work under their names; ' +
        'a demo start of this version creates the accounts',
    );
  }

  private token(username: string): Promise<string> {
    let t = this.tokens.get(username);
    if (!t) {
      t = this.client.raw('POST', '/api/auth/login', { username, password: this.opts.password }).then((r) => {
        if (r.status !== 200) throw new SignInError(r.status, (r.body as { error?: string })?.error);
        return (r.body as { token: string }).token;
      });
      t.catch(() => this.tokens.delete(username));
      this.tokens.set(username, t);
    }
    return t;
  }

  /** As `username` (null: no sign-in); a 401 signs in again once (tokens last 12 hours). */
  private async call(
    username: string | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const run = async () => {
      const headers: Record<string, string> = username
        ? { Authorization: `Bearer ${await this.token(username)}` }
        : {};
      return this.client.raw(method, path, body, headers);
    };
    const p = run().then(async (r) => {
      if (r.status === 401 && username) {
        this.tokens.delete(username);
        return run();
      }
      return r;
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async get<T>(username: string | null, path: string): Promise<T> {
    const r = await this.call(username, 'GET', path);
    if (r.status !== 200)
      throw new Error(
        `GET ${path} → ${r.status}: ${(r.body as { error?: string })?.error ?? String(r.body)}`,
      );
    return r.body as T;
  }

  // ---------------------------------------------------------------- clues

  private clueTick(): void {
    if (this.stopped) return;
    const n = poisson(this.rand, (this.opts.ratePerMinute / 60_000) * CLUE_TICK_MS);
    for (let i = 0; i < n; i++) {
      if (this.cluesInFlight >= MAX_IN_FLIGHT_CLUES) {
        this.stats.clues.skipped++;
        continue;
      }
      this.track(this.postClue());
    }
  }

  private async postClue(): Promise<void> {
    const draft = drawClue(this.world, this.rand, Date.now());
    const matter = this.matters.get(draft.matterCode)!;
    // Grid workers and patrols report through their township's platform, a department passes on
    // what it found, the hotline, the public and cameras come in at the command centre.
    const account =
      draft.source === 'grid_worker' || draft.source === 'patrol'
        ? this.clerk(draft.townshipCode)
        : draft.source === 'department_transfer'
          ? this.clerk(matter.department)
          : this.command;
    const body = {
      clientId: `sim-${this.runId}-${++this.clueSeq}`,
      lng: draft.lng,
      lat: draft.lat,
      matterCode: draft.matterCode,
      description: draft.description,
      source: draft.source,
      reporter: draft.reporter,
    };
    this.cluesInFlight++;
    try {
      await this.token(account); // signing in is not part of the round trip measured
      if (this.stopped) return;
      const t0 = performance.now();
      let r = await this.call(account, 'POST', '/api/clues', body);
      // A point on the edge of its township may locate next door: the command centre reports it.
      if (r.status === 403 && account !== this.command)
        r = await this.call(this.command, 'POST', '/api/clues', body);
      this.latencies.push(performance.now() - t0);
      if (this.latencies.length > 200_000) this.latencies = this.latencies.slice(-100_000);
      if (r.status === 201 || r.status === 200) {
        this.stats.clues.posted++;
        const view = (r.body as { case: CaseView }).case;
        this.emit('clue', view);
        if (this.opts.workflow !== false) this.consider(view);
      } else this.clueFailed(String(r.status));
    } catch (err) {
      // Cut off by stop(): not the server's failure.
      if (!this.stopped) this.clueFailed((err as NodeJS.ErrnoException).code ?? 'network');
    } finally {
      this.cluesInFlight--;
    }
  }

  private clueFailed(key: string): void {
    this.stats.clues.failed++;
    this.stats.clues.errors[key] = (this.stats.clues.errors[key] ?? 0) + 1;
  }

  // ---------------------------------------------------------------- the people working cases

  /** Read the open cases (as the command centre) and give each its next step. */
  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      const seen = new Set<string>();
      const complete = await this.listCases(OPEN_STATES, MAX_OPEN_PAGES, (view) => {
        seen.add(view.id);
        this.consider(view);
      });
      if (complete) {
        for (const [id, m] of this.memory)
          if (!seen.has(id) && !m.timer && !m.waiting && !m.inFlight) {
            this.recallTeam(m);
            this.memory.delete(id);
          }
        for (const [id, team] of this.placed)
          if (!seen.has(id)) {
            this.fleet.release(team, id, Date.now());
            this.placed.delete(id);
          }
      }
    } catch {
      /* the server is restarting or gone: next poll */
    } finally {
      this.polling = false;
      if (this.pollAgain && !this.stopped) {
        this.pollAgain = false;
        void this.poll();
      }
    }
  }

  /**
   * The cases in `statuses` as the command centre lists them, 500 a page, up to `maxPages` pages,
   * each handed to `each`. True when the list was read to its end; false when a page was refused
   * (nothing more is read) or pages remain. Throws when the server cannot be reached.
   */
  private async listCases(
    statuses: readonly string[],
    maxPages: number,
    each: (view: CaseView) => void,
  ): Promise<boolean> {
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const q = `/api/cases?status=${statuses.join(',')}&limit=500${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await this.call(this.command, 'GET', q);
      if (r.status !== 200) return false;
      const list = r.body as CaseListPage;
      for (const view of list.items) each(view);
      cursor = list.nextCursor;
      if (!cursor) return true;
    }
    return false;
  }

  /** Poll soon (a case event was heard), at most once per quarter second. */
  private poke(): void {
    if (this.pokeTimer || this.stopped || this.opts.workflow === false) return;
    this.pokeTimer = setTimeout(() => {
      this.pokeTimer = null;
      void this.poll();
    }, 250);
    this.pokeTimer.unref();
  }

  private consider(view: CaseView): void {
    if (this.stopped) return;
    let m = this.memory.get(view.id);
    if (!m) {
      const h = hashString(view.id);
      m = {
        view,
        // Drawn from the case id: a restarted simulator gives a case the same script.
        script: this.opts.onTime
          ? { ...drawScript(mulberry(h)), lateAck: false, lateArrive: false, lateFinish: false }
          : drawScript(mulberry(h)),
        progress: freshProgress(),
        rand: mulberry(h ^ 0x9e3779b9),
        timer: null,
        inFlight: false,
        awaitingTeam: false,
        setOff: false,
        untracked: false,
        blockedVersion: null,
        held: null,
        waiting: null,
        graceTimer: null,
        backAt: null,
        // A team found standing at the site when this run started: it leaves when the work is done.
        team: this.placed.get(view.id) ?? null,
      };
      this.placed.delete(view.id);
      this.memory.set(view.id, m);
    } else if (view.version >= m.view.version) m.view = view;
    // Someone else moved the case on while the team was driving there, waiting for it or at the
    // site: call the team back, or the tasks queued behind this one would wait for ever. (On its way
    // back after 整改完成 / 返工 the first 到场 is no sign of that: it drives on.)
    const arrivedMeanwhile = m.awaitingTeam && m.view.arrivedAt !== null && backToWorkSince(m.view) === null;
    if (m.team && (m.view.status !== 'in_progress' || arrivedMeanwhile)) this.recallTeam(m);
    if (m.waiting) return this.resumeWaiting(m);
    if (m.timer || m.inFlight || m.awaitingTeam) return;
    if (m.blockedVersion === m.view.version) return;
    this.plan(m);
  }

  private plan(m: CaseMemory): void {
    if (this.stopped || isFinal(m.view.status)) return;
    // Back at work after 整改完成 / 返工: the team goes back to the site (another 到场) before the
    // result, as the server shows it 前往现场 again. Whether it has been there since is read from the
    // timeline when this run did not see it.
    const back = backToWorkSince(m.view);
    if (back === null) m.progress.revisit = false;
    else if (m.backAt?.since !== back || (m.progress.revisit && m.backAt.version !== m.view.version))
      return this.track(this.readRevisit(m));
    const chase = escalation(m.view, m.script, m.progress);
    if (chase)
      return this.schedule(m, { actor: 'command', body: chase, delayMs: LIVE_TIMING.escalate(m.rand) });
    const matter = this.matters.get(m.view.matterCode);
    if (!matter) return;
    const teamId = m.view.assignee ? teamOf(m.view.assignee) : undefined;
    const knownTeam = teamId && this.teams.has(teamId) ? teamId : undefined;
    const step = nextStep(m.view, matter, m.script, m.progress, LIVE_TIMING, Date.now(), m.rand, knownTeam);
    if (!step) return;
    // A team this simulator drives reports 到场 when its car reaches the site, never on a timer (the
    // map would show it elsewhere): one running late sets off late, a busy one goes after the tasks
    // ahead of it. Anyone else's arrival is only a delay.
    // A team with more work than it can reach soon is not sent: people without a tracker go.
    if (step.body.action === 'start' && knownTeam && this.fleet.has(knownTeam)) {
      m.untracked = !this.fleet.canTake(knownTeam);
      if (m.untracked) {
        const { teamId: _busy, ...body } = step.body;
        return this.schedule(m, { ...step, body });
      }
    }
    if (step.body.action !== 'arrive' || !knownTeam || !this.fleet.has(knownTeam) || m.untracked)
      return this.schedule(m, step);
    if (m.script.lateArrive && !m.setOff && !m.progress.revisit)
      return this.later(m, step.delayMs, () => {
        m.setOff = true;
        this.plan(m);
      });
    const target: [number, number] = [m.view.lng, m.view.lat];
    const arrive = () =>
      this.track(
        this.execute(m, {
          actor: 'assignee',
          body: { action: 'arrive', lng: target[0], lat: target[1] },
          delayMs: 0,
        }),
      );
    m.team = knownTeam;
    // Already standing there (its 到场 was left to a person, who moved the case on meanwhile).
    if (this.fleet.onSiteAt(knownTeam, m.view.id)) return arrive();
    m.awaitingTeam = true;
    // Back after 整改完成 / 返工: straight after the task at hand, ahead of those waiting.
    this.fleet.assign(
      knownTeam,
      {
        caseId: m.view.id,
        target,
        onArrive: () => {
          m.awaitingTeam = false;
          arrive();
        },
      },
      { next: m.progress.revisit },
    );
  }

  /**
   * After this run's own step: what it knows of the return visit stays known (整改完成 and 核查不通过
   * start one, 到场 ends it — noteDone — and anything else leaves it as it was).
   */
  private noteBack(m: CaseMemory, action: CaseAction): void {
    const back = backToWorkSince(m.view);
    if (back === null) {
      m.backAt = null;
      m.progress.revisit = false;
    } else if (action === 'report_rectified' || action === 'verify_fail') {
      m.backAt = { since: back, version: m.view.version };
      m.progress.revisit = true;
    } else if (m.backAt?.since === back) m.backAt.version = m.view.version;
  }

  /**
   * Whether the team has been back on site since the case came back to work, from its timeline (a
   * 到场 after the last 整改完成 / 核查不通过); then the next step. A failed read waits for the next poll.
   */
  private async readRevisit(m: CaseMemory): Promise<void> {
    m.inFlight = true;
    let known = false;
    try {
      const r = await this.call(this.command, 'GET', `/api/cases/${m.view.id}`);
      const view = r.status === 200 ? (r.body as { case: CaseView }).case : null;
      if (view && view.version >= m.view.version) {
        m.view = view;
        const timeline = view.timeline ?? [];
        const back = backToWorkSince(view);
        if (back !== null) {
          const from = timeline.findLast((e) => e.type === 'report_rectified' || e.type === 'verify_fail');
          m.progress.revisit = !timeline.some(
            (e) => e.type === 'arrive' && (from ? e.seq > from.seq : e.at >= back),
          );
          m.backAt = { since: back, version: view.version };
        }
        known = true;
      }
    } catch {
      /* the server is restarting or gone: next poll */
    } finally {
      m.inFlight = false;
    }
    if (!known || !this.memory.has(m.view.id)) return;
    if (isFinal(m.view.status)) {
      this.recallTeam(m);
      this.memory.delete(m.view.id);
    } else if (!m.timer && !m.awaitingTeam && m.blockedVersion !== m.view.version) this.plan(m);
  }

  private schedule(m: CaseMemory, step: PlannedStep): void {
    this.later(m, step.delayMs, () => this.track(this.execute(m, step)));
  }

  /** Run `fn` after `delayMs` of the people's time; the case waits for it meanwhile. */
  private later(m: CaseMemory, delayMs: number, fn: () => void): void {
    m.timer = setTimeout(
      () => {
        m.timer = null;
        fn();
      },
      Math.max(0, Math.round(delayMs / (this.opts.pace ?? 1))),
    );
    m.timer.unref();
  }

  private async execute(m: CaseMemory, step: PlannedStep): Promise<void> {
    if (this.stopped) return;
    if (this.leftToPerson(m, step)) return this.holdFor(m, step);
    const assignee = m.view.assignee;
    const account = step.actor === 'command' ? this.command : assignee && this.clerk(assignee.code);
    if (!account) return;
    m.inFlight = true;
    const version = m.view.version;
    try {
      const r = await this.call(account, 'POST', `/api/cases/${m.view.id}/actions`, {
        ...step.body,
        version,
      });
      if (r.status === 200) {
        const view = (r.body as { case: CaseView }).case;
        m.view = view;
        m.blockedVersion = null;
        m.held = null;
        noteDone(m.progress, step.body.action);
        this.noteBack(m, step.body.action);
        this.stats.actions.done[step.body.action] = (this.stats.actions.done[step.body.action] ?? 0) + 1;
        this.emit('action', { caseId: view.id, action: step.body.action, status: view.status });
        this.afterAction(m, step.body);
      } else {
        this.actionFailed(String(r.status));
        if (r.status === 409) {
          const fresh = await this.call(this.command, 'GET', `/api/cases/${m.view.id}`);
          if (fresh.status === 200) m.view = (fresh.body as { case: CaseView }).case;
        } else if (r.status === 422 && step.body.action === 'merge') {
          noteRefused(m.progress, 'merge'); // planned again at once, as a case of its own
        } else m.blockedVersion = version;
        // Nor does the team stay for an arrival or work refused: its next tasks would wait on it.
        if (step.body.action === 'arrive' || m.blockedVersion === version) this.recallTeam(m);
      }
    } catch (err) {
      this.actionFailed((err as NodeJS.ErrnoException).code ?? 'network');
      if (step.body.action === 'arrive') this.recallTeam(m);
    } finally {
      m.inFlight = false;
    }
    if (isFinal(m.view.status)) {
      this.recallTeam(m);
      this.memory.delete(m.view.id);
    } else if (!m.timer && !m.awaitingTeam && m.blockedVersion !== m.view.version) this.plan(m);
  }

  // ---------------------------------------------------------------- people at the screens

  /** Who is at a screen now (GET /api/presence); a server without it, or a failed read, changes nothing. */
  private async readPresence(): Promise<void> {
    if (this.stopped) return;
    try {
      const r = await this.call(this.command, 'GET', '/api/presence');
      if (r.status !== 200) {
        if (!this.presenceUnread)
          this.opts.log?.(
            `simulator: GET /api/presence → ${r.status}; it cannot tell who is at a desk, and works every unit's tasks`,
          );
        this.presenceUnread = true;
        return;
      }
      this.presenceUnread = false;
      const p = r.body as PresenceSnapshot;
      const now = Date.now();
      for (const u of p.units) this.deskSeenAt.set(`${u.kind}:${u.code}`, now);
      // Acting as `commander` (a database from before sim-command), its own socket counts as one.
      const own = this.command === SIM_COMMAND || !this.socket?.connected ? 0 : 1;
      if (p.commanders > own) this.commandSeenAt = now;
    } catch {
      /* the server is restarting or gone: next time */
    } finally {
      // The steps left to people: those whose person has gone (or whose linger has run out) go on.
      if (!this.stopped) for (const m of this.memory.values()) if (m.waiting) this.resumeWaiting(m);
    }
  }

  /**
   * Whether the step is a person's to take: the case's unit has a person at its desk (or had, less
   * than the linger ago), or — a command step — a person is at the big screen and the case has
   * waited for them less than the grace.
   */
  private leftToPerson(m: CaseMemory, step: PlannedStep): boolean {
    const now = Date.now();
    const linger = this.opts.presenceLingerMs ?? PRESENCE_LINGER_MS;
    if (step.actor === 'assignee') {
      const a = m.view.assignee;
      return !!a && now - (this.deskSeenAt.get(`${a.kind}:${a.code}`) ?? -Infinity) < linger;
    }
    if (now - this.commandSeenAt >= linger) return false;
    const since = m.held?.version === m.view.version ? m.held.since : now;
    return now - since < (this.opts.commandGraceMs ?? COMMAND_GRACE_MS);
  }

  /**
   * Leave the step to the person; it waits (m.waiting) until they leave, the case moves, or — a
   * command step — the grace runs out (resumeWaiting).
   */
  private holdFor(m: CaseMemory, step: PlannedStep): void {
    if (m.held?.version !== m.view.version) {
      m.held = { version: m.view.version, since: Date.now() };
      this.stats.actions.leftToPeople++;
      this.emit('left', { caseId: m.view.id, action: step.body.action, assignee: m.view.assignee });
      if (step.actor === 'command') {
        if (m.graceTimer) clearTimeout(m.graceTimer);
        m.graceTimer = setTimeout(() => {
          m.graceTimer = null;
          if (m.waiting && this.memory.get(m.view.id) === m) this.resumeWaiting(m);
        }, this.opts.commandGraceMs ?? COMMAND_GRACE_MS);
        m.graceTimer.unref();
      }
    }
    m.waiting = step;
  }

  /** The step left to a person, looked at again: still theirs (nothing changes), or it goes on. */
  private resumeWaiting(m: CaseMemory): void {
    const step = m.waiting;
    if (!step || (m.view.version === m.held?.version && this.leftToPerson(m, step))) return;
    m.waiting = null;
    this.resumeHeld(m, step);
  }

  private resumeHeld(m: CaseMemory, step: PlannedStep): void {
    if (this.stopped) return;
    if (isFinal(m.view.status)) {
      this.recallTeam(m);
      this.memory.delete(m.view.id);
      return;
    }
    // The team waiting on site for its 到场 (a person's 督办 or note moved the version, not the work).
    // (Not so for a return visit after 整改完成 / 返工: whether the person recorded it is read from the
    // timeline first, in plan; the team still standing there is not sent again.)
    const arrival =
      step.body.action === 'arrive' &&
      m.team !== null &&
      m.view.status === 'in_progress' &&
      m.view.arrivedAt === null;
    if (m.view.version === m.held?.version || arrival) return this.track(this.execute(m, step));
    // The person moved the case on: the next step from where it now stands.
    this.plan(m);
  }

  /**
   * Teams the server has on site when this run starts (a case the history or an earlier run left in
   * progress, arrived at) stand at that site, and leave when the work there is done.
   */
  private async placeTeamsOnSite(teams: Team[]): Promise<void> {
    const onSite = teams.filter((t) => t.task?.stage === 'on_site' && this.fleet.has(t.id));
    if (!onSite.length) return;
    // The cases at work, read in one list (a page per 500) rather than one request per team.
    const atWork = new Map<string, CaseView>();
    await this.listCases(['in_progress'], Infinity, (c) => atWork.set(c.id, c)).catch(() => false);
    for (const t of onSite) {
      const c = atWork.get(t.task!.caseId);
      if (!c || c.arrivedAt === null) continue;
      const task = {
        caseId: c.id,
        target: [c.lng, c.lat] as [number, number],
        onArrive: () => undefined,
      };
      if (this.fleet.placeOnSite(t.id, task)) this.placed.set(c.id, t.id);
    }
  }

  private actionFailed(key: string): void {
    this.stats.actions.failed++;
    this.stats.actions.errors[key] = (this.stats.actions.errors[key] ?? 0) + 1;
  }

  /** The team leaves a site when the work there is done or the case is no longer its own. */
  private afterAction(m: CaseMemory, body: ActionBody): void {
    const leaves =
      body.action === 'resolve' ||
      body.action === 'order_rectification' ||
      body.action === 'return' ||
      body.action === 'reassign' ||
      isFinal(m.view.status);
    if (leaves) this.recallTeam(m);
  }

  private recallTeam(m: CaseMemory): void {
    if (m.team) this.fleet.release(m.team, m.view.id, Date.now());
    m.team = null;
    m.awaitingTeam = false;
  }

  // ---------------------------------------------------------------- teams on the road

  private buildFleet(): void {
    const teams = [...this.teams.values()].sort((a, b) => a.id.localeCompare(b.id));
    teams.forEach((team, i) => this.drive(team, i % 2 === 1));
  }

  /**
   * A team with a demo device (`isDemoDevice`: not one someone registered, whose own fixes the
   * simulator's would fight) on the road from its seat (its township's, else the county seat): half the
   * township teams carry a tracker speaking our batch protocol (POST /api/positions), half a phone
   * running Traccar Client (the OsmAnd protocol, `phone`); department cars the former.
   */
  private drive(team: Team, phone: boolean): void {
    const deviceId = [...team.deviceIds].filter(isDemoDevice).sort()[0];
    if (!deviceId || this.fleet.has(team.id)) return;
    const township =
      team.owner.kind === 'township'
        ? (this.world.townships.find((t) => t.code === team.owner.code) ?? null)
        : null;
    const protocol = township && phone ? 'osmand' : 'positions';
    const now = Date.now();
    // Some teams are already out on patrol when the demo opens, so the map moves at once.
    const firstPatrolAt = township && this.rand() < 0.5 ? now + this.rand() * 60_000 : undefined;
    this.fleet.add(
      {
        teamId: team.id,
        deviceId,
        protocol,
        township,
        base: township ? seatOf(township) : countySeatOf(this.world)!,
      },
      township?.urban === false ? 12 : 8,
      now,
      firstPatrolAt,
    );
  }

  /**
   * Demo teams put back in service while it runs (`npm run teams -- unretire`), or given their demo
   * device again (`device add gp-…`): driven from then on, as those there at the start are. Before,
   * such a team stood offline until the next start. A team someone added, with a device of their
   * own, is never driven (`drive`).
   */
  private takeUpTeams(change: TeamsChange): void {
    for (const team of [...change.added, ...change.updated]) this.takeUp(team);
    for (const id of change.restored)
      void this.get<{ team: Team }>(this.command, `/api/teams/${encodeURIComponent(id)}`)
        .then(({ team }) => !this.stopped && this.takeUp(team))
        .catch(() => undefined); // gone again, or the server restarting: it stays unknown
  }
  /** A team known from now on, and driven when it has a demo device; phones and trackers alternate. */
  private takeUp(team: Team): void {
    this.teams.set(team.id, team);
    if (this.opts.teams !== false) this.drive(team, this.teams.size % 2 === 0);
  }

  private fleetTick(): void {
    if (this.stopped) return;
    const now = Date.now();
    const dt = (FLEET_TICK_MS / 1000) * (this.opts.pace ?? 1);
    for (const { vehicle, fix, moving } of this.fleet.tick(dt, now)) {
      const last = this.lastReport.get(vehicle.deviceId) ?? 0;
      // A team reaching a site reports at once: the map has it there when its 到场 is recorded.
      const arrived = moving && vehicle.mover.mode === 'on_site';
      const due = arrived || now - last >= (moving ? MOVING_REPORT_MS : IDLE_REPORT_MS);
      if (vehicle.protocol === 'positions') {
        // A tracker samples every second and uploads in batches.
        const buf = this.buffered.get(vehicle.deviceId) ?? [];
        if (moving || now - last >= IDLE_REPORT_MS) buf.push(fix);
        this.buffered.set(vehicle.deviceId, buf);
        if (buf.length && (due || buf.length >= 10)) {
          this.lastReport.set(vehicle.deviceId, now);
          this.buffered.set(vehicle.deviceId, []);
          void this.sendBatch(vehicle, buf);
        }
      } else if (due) {
        this.lastReport.set(vehicle.deviceId, now);
        void this.sendOsmAnd(vehicle, fix);
      }
    }
  }

  private async sendBatch(v: Vehicle, fixes: DeviceFix[]): Promise<void> {
    const p = this.client.raw(
      'POST',
      '/api/positions',
      { deviceId: v.deviceId, fixes },
      { 'X-Device-Token': `${v.deviceId}:${this.opts.password}` },
    );
    this.track(p);
    try {
      const r = await p;
      if (r.status === 200) this.stats.fixes.sent += fixes.length;
      else this.stats.fixes.failed += fixes.length;
    } catch {
      this.stats.fixes.failed += fixes.length;
    }
  }

  private async sendOsmAnd(v: Vehicle, fix: DeviceFix): Promise<void> {
    const q = new URLSearchParams({
      id: v.deviceId,
      lat: String(fix.lat),
      lon: String(fix.lng),
      timestamp: String(Math.floor(fix.at / 1000)),
      speed: String(Math.round(fix.speed * KNOTS_PER_MPS * 10) / 10),
      bearing: String(fix.bearing),
      accuracy: '8',
      batt: String(60 + Math.floor(this.rand() * 40)),
    });
    const p = this.client.raw('GET', `/api/osmand?${q}`);
    this.track(p);
    try {
      const r = await p;
      if (r.status === 200) this.stats.fixes.sent++;
      else this.stats.fixes.failed++;
    } catch {
      this.stats.fixes.failed++;
    }
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }

  // ---------------------------------------------------------------- what a dashboard hears

  private connectSocket(): void {
    if (this.stopped) return;
    const socket = io(this.opts.url, {
      // Asked at every (re)connection, so a reconnect after the token expired signs in again.
      auth: (cb) => {
        this.token(this.command).then(
          (token) => cb({ token }),
          () => cb({}),
        );
      },
      transports: ['websocket'],
      reconnection: true,
    });
    this.socket = socket;
    socket.on('connect_error', (err) => {
      if (/unauthori[sz]ed/i.test(err.message)) this.tokens.delete(this.command);
    });
    socket.on('team:positions', (updates: TeamPositionUpdate[]) => {
      this.stats.broadcasts++;
      this.emit('positions', updates);
    });
    // A team retired on the server (`npm run teams -- retire`), or removed, is driven no more, and
    // not sent (a start naming it is refused); those it was on its way to are worked without a tracker.
    socket.on('teams:changed', (change: TeamsChange) => {
      const retired = new Set([...change.retired, ...(change.removed ?? [])]);
      for (const id of retired) {
        this.teams.delete(id);
        this.fleet.remove(id);
      }
      for (const m of this.memory.values())
        if (m.team && retired.has(m.team)) {
          this.recallTeam(m);
          if (!m.timer && !m.waiting && !m.inFlight) this.plan(m);
        }
      if (retired.size) this.emit('retired', [...retired]);
      this.takeUpTeams(change);
      this.emit('teamsChanged', change);
    });
    // Case events, under whatever name the server gives them: a nudge to look at the cases now.
    socket.onAny((event: string) => {
      if (!event.startsWith('case')) return;
      this.stats.caseEvents++;
      this.poke();
    });
  }
}

/**
 * When the case came back to work after its team had been on site (整改完成, 核查不通过: in progress
 * again, its first 到场 before its last transition); null otherwise. The team is to go back.
 */
function backToWorkSince(c: CaseView): number | null {
  return c.status === 'in_progress' &&
    c.arrivedAt !== null &&
    c.statusSince !== null &&
    c.arrivedAt < c.statusSince
    ? c.statusSince
    : null;
}

/** The closing figures of a run, as text. */
export function formatStats(s: SimulatorStats, ratePerMinute: number): string {
  const secs = s.elapsedMs / 1000;
  const actions = Object.entries(s.actions.done)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const list = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, v]) => `${k}×${v}`)
      .join(', ');
  const errors = list(s.clues.errors);
  const refused = list(s.actions.errors);
  return [
    `simulator summary after ${secs.toFixed(1)} s (asked ${ratePerMinute}/min):`,
    `  clues:     ${s.clues.posted} posted (${((s.clues.posted / Math.max(secs, 1e-9)) * 60).toFixed(1)}/min), ` +
      `${s.clues.failed} failed${errors ? ` (${errors})` : ''}, ${s.clues.skipped} skipped`,
    `  latency:   POST /api/clues p50 ${s.latency.p50 ?? '–'} ms, p95 ${s.latency.p95 ?? '–'} ms, ` +
      `p99 ${s.latency.p99 ?? '–'} ms, max ${s.latency.max ?? '–'} ms`,
    `  actions:   ${actions || 'none'}; ${s.actions.failed} refused or failed${refused ? ` (${refused})` : ''}` +
      (s.actions.leftToPeople
        ? `; ${s.actions.leftToPeople} left to people at a desk or the big screen`
        : '') +
      (s.actions.errors['409'] ? ' — 409: another client (another simulator?) acted on the case first' : ''),
    `  positions: ${s.fixes.sent} fixes sent (${s.fixes.failed} failed), ${s.broadcasts} team:positions broadcasts heard`,
  ].join('\n');
}
