// The realtime benchmark's load, shared by bench:realtime and bench:scale: county-wide and township
// Socket.IO clients spread over worker threads, clues posted over HTTP at a fixed rate (open loop),
// and the arithmetic that turns arrival stamps into latencies, losses and leaks.
//
// Who should receive what is decided from the server's own record (GET /api/events), with the rule
// every desk lives by: the county sees every case; a township sees a case it is a party to.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Role, Scope } from '../../../shared/auth';
import type { Clue } from '../../../shared/cases';
import type { CaseEventMessage } from '../../../shared/realtime';
import type { GeoIndex } from '../../../server/geo/types';
import type { Store } from '../../../server/store/db';
import { UserService } from '../../../server/auth/users';
import { pointsIn } from '../../support/cases';
import { login } from '../../support/auth';
import { fetchEvents } from '../../support/case-mirror';
import type { ClientSpec, FromWorker, ToWorker } from './client-worker';
import { nowMs, progress, quantile, round } from './timing';

export const GEO_PACK = path.resolve(import.meta.dirname, '../../../geo/gaoping');

/** The load of issue 5 item 8, overridable from the environment for quick runs. */
export const LOAD = {
  countyClients: Number(process.env.RT_BENCH_COUNTY_CLIENTS ?? 500),
  rate: Number(process.env.RT_BENCH_RATE ?? 200),
  seconds: Number(process.env.RT_BENCH_SECONDS ?? 10),
  /** Clues sent first at the same rate and left out of the figures (JIT, caches, first pages). */
  warmupSeconds: Number(process.env.RT_BENCH_WARMUP_SECONDS ?? 2),
  workers: Number(process.env.RT_BENCH_WORKERS ?? Math.max(1, Math.min(4, os.availableParallelism()))),
  /**
   * After the last POST was answered, how long the clients may go without receiving anything before
   * what they still lack counts as lost (clients cut off as slow catch up over HTTP: as long as they
   * make progress, what they lack is late, not lost, and the latency figures say how late).
   */
  drainMs: Number(process.env.RT_BENCH_DRAIN_MS ?? 30_000),
  /** The longest wait after the last answer, progress or not. */
  drainMaxMs: Number(process.env.RT_BENCH_DRAIN_MAX_MS ?? 600_000),
};

const PASSWORD = 'bench-password';
/** A POST unanswered this long counts as failed; with the drain wait, this bounds a phase's length. */
const POST_TIMEOUT_MS = 60_000;

// ------------------------------------------------------------------ accounts and clues

export interface BenchTokens {
  /** Posts the clues (a command-centre operator). */
  poster: string;
  /** Shared by the county-wide clients. */
  county: string;
  /** township code → token. */
  townships: Map<string, string>;
}

/** The bench accounts, written straight into the store before the server starts (DEMO=off). */
export async function createAccounts(store: Store, townships: readonly string[]): Promise<void> {
  const users = new UserService(store, () => Date.now());
  const ensure = (username: string, role: Role, scope: Scope) =>
    users.ensure({ username, password: PASSWORD, displayName: username, role, scope });
  await ensure('bench-poster', 'commander', { kind: 'county' });
  await ensure('bench-county', 'commander', { kind: 'county' });
  for (const code of townships) await ensure(`bench-${code}`, 'township', { kind: 'township', code });
}

export async function signIn(url: string, townships: readonly string[]): Promise<BenchTokens> {
  const token = async (u: string) => (await login(url, u, PASSWORD)).token;
  const entries: Array<[string, string]> = [];
  for (const code of townships) entries.push([code, await token(`bench-${code}`)]);
  return {
    poster: await token('bench-poster'),
    county: await token('bench-county'),
    townships: new Map(entries),
  };
}

export interface PlannedClue {
  township: string;
  clue: Clue;
}

/**
 * `count` clues, round-robin over the townships, each at an inner micro-grid centre of its township
 * (tests/support/cases.ts), every township going through all the matter codes the server serves.
 * Deterministic, so every run posts the same clues.
 */
export function planClues(
  geo: GeoIndex,
  matterCodes: readonly string[],
  count: number,
  tag: string,
): PlannedClue[] {
  const townships = geo.townships.map((t) => t.code);
  const points = new Map(townships.map((t) => [t, allInner(geo, t)]));
  const out: PlannedClue[] = [];
  for (let i = 0; i < count; i++) {
    const township = townships[i % townships.length]!;
    const pts = points.get(township)!;
    const k = Math.floor(i / townships.length);
    const p = pts[(k * 7) % pts.length]!;
    const matter = matterCodes[(k * 11 + i) % matterCodes.length]!;
    out.push({
      township,
      clue: {
        clientId: `${tag}-${i}`,
        lng: p[0],
        lat: p[1],
        matterCode: matter,
        description: `压测线索 ${tag}-${i}：网格员巡查发现，请尽快处置`,
        source: 'grid_worker',
      },
    });
  }
  return out;
}

/** Every inner point of a township (pointsIn answers a prefix and throws past the end). */
function allInner(geo: GeoIndex, township: string): Array<[number, number]> {
  let lo = 1;
  let hi = 4096;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      pointsIn(geo, township, mid);
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return pointsIn(geo, township, lo);
}

// ------------------------------------------------------------------ clients

export interface BenchClient {
  id: number;
  /** null: county-wide. */
  township: string | null;
}

export function benchClients(countyClients: number, townships: readonly string[]): BenchClient[] {
  const out: BenchClient[] = [];
  for (let i = 0; i < countyClients; i++) out.push({ id: out.length, township: null });
  for (const t of townships) out.push({ id: out.length, township: t });
  return out;
}

/** Worker threads holding the clients; client i lives on worker i % n. */
export class ClientPool {
  private received: number[];

  private constructor(private readonly workers: Worker[]) {
    this.received = workers.map(() => 0);
    workers.forEach((w, i) =>
      w.on('message', (m: FromWorker) => {
        if (m.cmd === 'progress' || m.cmd === 'drained') this.received[i] = m.received;
      }),
    );
  }

  static start(n: number): ClientPool {
    // A worker does not inherit tsx's loader: register it in the worker before importing the script.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => {
      tsx.register();
      return import(${JSON.stringify(new URL('./client-worker.ts', import.meta.url).href)});
    });`;
    const workers = Array.from({ length: n }, () => new Worker(boot, { eval: true }));
    for (const w of workers) w.unref();
    return new ClientPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Events received so far by all clients (updated about once a second). */
  receivedSoFar(): number {
    return this.received.reduce((a, b) => a + b, 0);
  }

  private ask<C extends FromWorker['cmd']>(
    i: number,
    msg: ToWorker,
    reply: C,
    timeoutMs: number,
  ): Promise<Extract<FromWorker, { cmd: C }>> {
    const w = this.workers[i]!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        w.off('message', on);
        reject(new Error(`worker ${i}: no '${reply}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (m: FromWorker) => {
        if (m.cmd === 'error') {
          clearTimeout(timer);
          w.off('message', on);
          reject(new Error(`worker ${i}: ${m.message}`));
        } else if (m.cmd === reply) {
          clearTimeout(timer);
          w.off('message', on);
          resolve(m as Extract<FromWorker, { cmd: C }>);
        }
      };
      w.on('message', on);
      w.postMessage(msg);
    });
  }

  /** Connect every client (each has been greeted, so its rooms are joined). */
  async connect(
    url: string,
    clients: BenchClient[],
    auth: (c: BenchClient) => Record<string, unknown>,
    rawEvents: boolean,
    resync: boolean,
  ): Promise<number> {
    const t0 = nowMs();
    this.received = this.workers.map(() => 0);
    await Promise.all(
      this.workers.map((_, i) => {
        const mine: ClientSpec[] = clients
          .filter((c) => c.id % this.size === i)
          .map((c) => ({ id: c.id, auth: auth(c) }));
        return this.ask(
          i,
          { cmd: 'connect', url, clients: mine, rawEvents, timeoutMs: 20_000, resync },
          'connected',
          120_000,
        );
      }),
    );
    return nowMs() - t0;
  }

  /**
   * Resolves true once every worker has received its expected count; false once nothing has arrived
   * for `stallMs` (progress is reported about once a second), or at `maxMs`.
   */
  async drain(expectedPerClient: Map<number, number>, stallMs: number, maxMs: number): Promise<boolean> {
    const totals = this.workers.map(() => 0);
    for (const [id, n] of expectedPerClient) totals[id % this.size]! += n;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<false>((resolve) => {
      let last = this.receivedSoFar();
      let lastChange = nowMs();
      timer = setInterval(() => {
        const now = this.receivedSoFar();
        if (now !== last) [last, lastChange] = [now, nowMs()];
        else if (nowMs() - lastChange > stallMs) resolve(false);
      }, 500);
    });
    const all = Promise.allSettled(
      this.workers.map((_, i) => this.ask(i, { cmd: 'expect', total: totals[i]! }, 'drained', maxMs)),
    ).then((results) => results.every((r) => r.status === 'fulfilled'));
    try {
      return await Promise.race([all, stalled]);
    } finally {
      clearInterval(timer);
    }
  }

  /** Every client's arrival stamps ([seq, ms, …]); the clients disconnect. */
  async collect(): Promise<{
    stamps: Map<number, Float64Array>;
    disconnects: number;
    reasons: Record<string, number>;
  }> {
    const replies = await Promise.all(
      this.workers.map((_, i) => this.ask(i, { cmd: 'collect' }, 'receipts', 60_000)),
    );
    const stamps = new Map<number, Float64Array>();
    let disconnects = 0;
    const reasons: Record<string, number> = {};
    for (const r of replies) {
      disconnects += r.disconnects;
      for (const [k, n] of Object.entries(r.reasons)) reasons[k] = (reasons[k] ?? 0) + n;
      for (const c of r.clients) stamps.set(c.id, c.stamps);
    }
    return { stamps, disconnects, reasons };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

// ------------------------------------------------------------------ posting

export interface PostLog {
  /** When each POST started and was answered (shared monotonic clock, ms). */
  start: Float64Array;
  end: Float64Array;
  status: Int32Array;
  bodies: string[];
}

/** A keep-alive HTTP poster for one base URL. */
export function poster(
  baseUrl: string,
  route: string,
  token: string | null,
  maxSockets = 64,
): { post: (body: string) => Promise<{ status: number; body: string }>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  return {
    close: () => agent.destroy(),
    post: (body) =>
      new Promise((resolve, reject) => {
        // From the call on, queueing for a free connection included, not just while the socket idles.
        const timer = setTimeout(
          () => req.destroy(new Error(`POST unanswered after ${POST_TIMEOUT_MS / 1000} s`)),
          POST_TIMEOUT_MS,
        );
        const req = http.request(
          {
            agent,
            hostname,
            port,
            path: route,
            method: 'POST',
            headers: {
              ...(token ? { Authorization: `Bearer ${token}` } : {}),
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              clearTimeout(timer);
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
            });
          },
        );
        req.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        req.end(body);
      }),
  };
}

/**
 * Open loop: request i starts at t0 + i / rate whether or not earlier ones were answered, so a slow
 * server is charged for the queue it builds. Resolves when every request has been answered.
 */
export async function postOpenLoop(
  post: (body: string) => Promise<{ status: number; body: string }>,
  requests: string[],
  rate: number,
  onTick: (sent: number, answered: number) => void = () => undefined,
): Promise<PostLog> {
  const n = requests.length;
  const log: PostLog = {
    start: new Float64Array(n),
    end: new Float64Array(n),
    status: new Int32Array(n),
    bodies: new Array<string>(n),
  };
  let sent = 0;
  let answered = 0;
  const t0 = nowMs();
  let lastTick = t0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      const now = nowMs();
      const due = Math.min(n, Math.floor(((now - t0) / 1000) * rate) + 1);
      for (; sent < due; sent++) {
        const i = sent;
        log.start[i] = nowMs();
        post(requests[i]!).then(
          (r) => {
            log.end[i] = nowMs();
            log.status[i] = r.status;
            log.bodies[i] = r.body;
            if (++answered === n) resolve();
          },
          (err: Error) => {
            log.end[i] = nowMs();
            log.status[i] = -1;
            log.bodies[i] = err.message;
            if (++answered === n) resolve();
          },
        );
      }
      if (now - lastTick >= 1000) {
        lastTick = now;
        onTick(sent, answered);
      }
      if (sent < n) setTimeout(pump, 1);
    };
    pump();
  });
  onTick(sent, answered);
  return log;
}

// ------------------------------------------------------------------ what should arrive where

export interface ExpectedEvent {
  seq: number;
  /** Index of the clue (POST) that caused it. */
  clue: number;
  /** Rooms the event belongs to: county and every party's room. */
  rooms: string[];
  /** The message as the server stores it (replayed to the floor). */
  message: CaseEventMessage;
}

/**
 * Ties the stored events to the clues that caused them, by the tag in the case's description (a
 * clue whose POST timed out may still have been stored, and its events must still arrive).
 */
export function attribute(events: CaseEventMessage[], tag: string): ExpectedEvent[] {
  const marker = new RegExp(`${tag}-(\\d+)：`);
  const out: ExpectedEvent[] = [];
  for (const e of events) {
    const m = marker.exec(e.case.description);
    if (!m) continue; // not one of this run's clues
    const clue = Number(m[1]);
    const rooms = ['county', ...e.case.parties.map((p) => `${p.kind}:${p.code}`)];
    out.push({ seq: e.seq, clue, rooms, message: e });
  }
  return out;
}

export const sees = (c: BenchClient, e: ExpectedEvent): boolean =>
  c.township === null || e.rooms.includes(`township:${c.township}`);

export function expectedCounts(clients: BenchClient[], events: ExpectedEvent[]): Map<number, number> {
  const counts = new Map<number, number>();
  const byTownship = new Map<string, number>();
  for (const e of events)
    for (const r of e.rooms)
      if (r.startsWith('township:')) byTownship.set(r.slice(9), (byTownship.get(r.slice(9)) ?? 0) + 1);
  for (const c of clients)
    counts.set(c.id, c.township === null ? events.length : (byTownship.get(c.township) ?? 0));
  return counts;
}

// ------------------------------------------------------------------ figures

export interface PhaseResult {
  name: string;
  clients: number;
  clues: number;
  events: number;
  deliveries: number;
  lost: number;
  /** Received by a client that should not have received it (another township's case). */
  leaked: number;
  /** Received twice by the same client (state recovery may replay a packet; clients dedupe by seq). */
  duplicates: number;
  disconnects: number;
  failedPosts: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  postP99Ms: number;
  /** Clues per second from the first POST of the measured window to the last arrival of its events. */
  throughput: number;
  /** Messages delivered per second over the same window. */
  deliveredPerSec: number;
  /** Server CPU time per clue (all its events to all clients included), over the whole phase. */
  serverCpuMsPerClue: number;
  /** CPU time of the benchmark's own process (clients and poster) per delivered message. */
  clientCpuUsPerMessage: number;
}

/**
 * Latency of each (client, event) the client should receive, from the start of the POST that caused
 * it to its arrival; only clues from `firstMeasured` on count for latency and throughput, every
 * clue counts for losses and leaks.
 */
export function analyse(
  name: string,
  clients: BenchClient[],
  events: ExpectedEvent[],
  log: PostLog,
  stamps: Map<number, Float64Array>,
  disconnects: number,
  firstMeasured: number,
): PhaseResult {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const latencies: number[] = [];
  let lost = 0;
  let leaked = 0;
  let duplicates = 0;
  let deliveries = 0;
  let lastArrival = 0;
  for (const c of clients) {
    const got = new Map<number, number>();
    const s = stamps.get(c.id) ?? new Float64Array(0);
    for (let k = 0; k < s.length; k += 2) {
      const seq = s[k]!;
      if (got.has(seq)) duplicates++;
      else got.set(seq, s[k + 1]!);
      const e = bySeq.get(seq);
      if (!e || !sees(c, e)) leaked++;
    }
    for (const e of events) {
      if (!sees(c, e)) continue;
      const t = got.get(e.seq);
      if (t === undefined) {
        lost++;
        continue;
      }
      deliveries++;
      if (e.clue < firstMeasured) continue;
      latencies.push(t - log.start[e.clue]!);
      if (t > lastArrival) lastArrival = t;
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  const measuredPosts = Array.from(log.end.subarray(firstMeasured)).map(
    (t, i) => t - log.start[firstMeasured + i]!,
  );
  measuredPosts.sort((a, b) => a - b);
  const windowStart = log.start[firstMeasured] ?? 0;
  const seconds = (lastArrival - windowStart) / 1000;
  const measuredClues = log.start.length - firstMeasured;
  return {
    name,
    clients: clients.length,
    clues: log.start.length,
    events: events.length,
    deliveries,
    lost,
    leaked,
    duplicates,
    disconnects,
    failedPosts: Array.from(log.status).filter((s) => s !== 201).length,
    p50Ms: round(quantile(sorted, 0.5), 2),
    p95Ms: round(quantile(sorted, 0.95), 2),
    p99Ms: round(quantile(sorted, 0.99), 2),
    maxMs: round(sorted[sorted.length - 1] ?? NaN, 2),
    postP99Ms: round(quantile(measuredPosts, 0.99), 2),
    throughput: round(measuredClues / seconds, 1),
    deliveredPerSec: Math.round(latencies.length / seconds),
    serverCpuMsPerClue: NaN,
    clientCpuUsPerMessage: NaN,
  };
}

// ------------------------------------------------------------------ one run against one target

export interface PhaseTarget {
  name: string;
  /** Where clients connect. */
  socketUrl: string;
  auth: (c: BenchClient) => Record<string, unknown>;
  /** Clients resync over HTTP (GET /api/events) after a reconnect, as the dashboard does. */
  resync: boolean;
  /** POST each request; the answer's status must be 201. */
  post: (body: string) => Promise<{ status: number; body: string }>;
  /** The requests, warm-up first. */
  requests: string[];
  /** After every POST was answered: the events that should arrive, and where. */
  events: () => Promise<ExpectedEvent[]>;
  /** CPU time used so far by the server process(es), in ms. */
  cpuMs: () => number;
}

export interface PhaseOutcome {
  result: PhaseResult;
  events: ExpectedEvent[];
  log: PostLog;
}

export async function runPhase(
  pool: ClientPool,
  clients: BenchClient[],
  target: PhaseTarget,
  opts: { rate: number; warmup: number; rawEvents: boolean; drainMs: number; drainMaxMs?: number },
): Promise<PhaseOutcome> {
  const connectMs = await pool.connect(target.socketUrl, clients, target.auth, opts.rawEvents, target.resync);
  const cpu0 = target.cpuMs();
  const clientCpu0 = process.cpuUsage();
  progress(
    `${target.name}: ${clients.length} clients connected in ${Math.round(connectMs)} ms; posting ${target.requests.length} at ${opts.rate}/s (${opts.warmup} warm-up)`,
  );
  const log = await postOpenLoop(target.post, target.requests, opts.rate, (sent, answered) =>
    progress(
      `${target.name}: sent ${sent}, answered ${answered}, events received by clients ${pool.receivedSoFar()}`,
    ),
  );
  const failed = Array.from(log.status).filter((s) => s !== 201).length;
  if (failed) {
    const i = Array.from(log.status).findIndex((s) => s !== 201);
    progress(
      `${target.name}: ${failed} POSTs failed, first: ${log.status[i]} ${log.bodies[i]!.slice(0, 300)}`,
    );
  }
  const events = await target.events();
  const expected = expectedCounts(clients, events);
  const drainStart = nowMs();
  const drained = await pool.drain(expected, opts.drainMs, opts.drainMaxMs ?? LOAD.drainMaxMs);
  progress(`${target.name}: drained in ${Math.round((nowMs() - drainStart) / 1000)} s after the last answer`);
  if (!drained)
    progress(
      `${target.name}: not every client had its events (nothing arrived for ${opts.drainMs} ms, or ${opts.drainMaxMs ?? LOAD.drainMaxMs} ms passed)`,
    );
  const cpu = target.cpuMs() - cpu0;
  const clientCpu = process.cpuUsage(clientCpu0);
  const { stamps, disconnects, reasons } = await pool.collect();
  if (Object.keys(reasons).length)
    progress(`${target.name}: ${disconnects} connections dropped: ${JSON.stringify(reasons)}`);
  const result = analyse(target.name, clients, events, log, stamps, disconnects, opts.warmup);
  result.serverCpuMsPerClue = round(cpu / target.requests.length, 2);
  result.clientCpuUsPerMessage = round(
    (clientCpu.user + clientCpu.system) / Math.max(1, result.deliveries),
    1,
  );
  progress(`${target.name}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, lost ${result.lost}`);
  return { result, events, log };
}

// ------------------------------------------------------------------ targets

/**
 * Our server (one process, or several behind `baseUrl`): clients sign in with the bench tokens, the
 * clues go to POST /api/clues, and what should arrive is read back from GET /api/events.
 */
export function ourServer(
  name: string,
  baseUrl: string,
  tokens: BenchTokens,
  plan: PlannedClue[],
  tag: string,
  cpuMs: () => number,
): PhaseTarget & { close(): void } {
  const client = poster(baseUrl, '/api/clues', tokens.poster);
  return {
    name,
    socketUrl: baseUrl,
    auth: (c) => ({ token: c.township ? tokens.townships.get(c.township)! : tokens.county }),
    resync: true,
    post: client.post,
    requests: plan.map((p) => JSON.stringify(p.clue)),
    events: async () => attribute(await fetchEvents(baseUrl, tokens.poster, 0), tag),
    cpuMs,
    close: client.close,
  };
}

/**
 * The floor (support/floor-server.ts): for each clue, the events our server stored for it, posted
 * as they are with their rooms, and re-emitted; clients name their room in the handshake.
 */
export function floorServer(
  name: string,
  baseUrl: string,
  clues: number,
  ours: ExpectedEvent[],
  cpuMs: () => number,
): PhaseTarget & { close(): void } {
  const byClue = new Map<number, ExpectedEvent[]>();
  for (const e of ours) {
    let list = byClue.get(e.clue);
    if (!list) byClue.set(e.clue, (list = []));
    list.push(e);
  }
  const client = poster(baseUrl, '/emit', null);
  return {
    name,
    socketUrl: baseUrl,
    auth: (c) => ({ rooms: [c.township ? `township:${c.township}` : 'county'] }),
    resync: false, // it has no GET /api/events: what recovery cannot replay is lost
    post: client.post,
    requests: Array.from({ length: clues }, (_, i) => {
      const list = byClue.get(i) ?? [];
      return JSON.stringify({
        rooms: [...new Set(list.flatMap((e) => e.rooms))],
        events: list.map((e) => e.message),
      });
    }),
    events: async () => ours,
    cpuMs,
    close: client.close,
  };
}

// ------------------------------------------------------------------ printing

export function table(results: PhaseResult[]): void {
  console.table(
    results.map((r) => ({
      run: r.name,
      clients: r.clients,
      clues: r.clues,
      events: r.events,
      'p50 ms': r.p50Ms,
      'p95 ms': r.p95Ms,
      'p99 ms': r.p99Ms,
      'max ms': r.maxMs,
      'POST p99 ms': r.postP99Ms,
      'clues/s': r.throughput,
      'msgs/s': r.deliveredPerSec,
      'server CPU ms/clue': r.serverCpuMsPerClue,
      'client CPU µs/msg': r.clientCpuUsPerMessage,
      lost: r.lost,
      leaked: r.leaked,
      twice: r.duplicates,
      drops: r.disconnects,
    })),
  );
}
