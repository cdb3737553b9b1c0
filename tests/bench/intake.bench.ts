// npm run bench:intake — sustained clue intake over HTTP keep-alive against the real server (its own
// process, embedded SQLite, routing and audit included), then the same rows inserted raw with
// prepared statements, one transaction per case as the server commits them: the storage's own limit.
// Seeded clues, so every run sends the same ones. Last line: one JSON object for CI.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadGeoIndex } from '../../server/geo/index';
import { openStore, SQLITE_FILE } from '../../server/store/db';
import { UserService } from '../../server/auth/users';
import type { Clue } from '../../shared/cases';
import { CLUE_SOURCES } from '../../shared/cases';
import { loadMatterCatalogue } from '../../server/cases/catalogue';
import { loadDepartments } from '../../server/county/departments';
import { startServerProcess } from '../support/process-server';
import { buildServer } from '../../server/cli/server-build';
import { makeTempDir } from '../support/temp-dir';
import { login } from '../support/auth';

const PACK = path.resolve(import.meta.dirname, '../../geo/gaoping');
/** Offered load of the sustained run (clues/s) and its length. */
const RATE = Number(process.env.INTAKE_BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.INTAKE_BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.INTAKE_BENCH_WARMUP ?? 1_000);
/** Connections of the saturation run (closed loop: each sends its next clue when answered). */
const CONCURRENCY = Number(process.env.INTAKE_BENCH_CONCURRENCY ?? 8);
const SATURATION = Number(process.env.INTAKE_BENCH_SATURATION ?? 5_000);
/** Connections the sustained run may open (open loop: clues are sent on schedule, answered or not). */
const MAX_SOCKETS = 128;
const TARGET_RATE = 1000;
const TARGET_P99 = 20;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DESCRIPTIONS = [
  '网格员巡查发现，现场有群众围观，请尽快处置',
  '群众来电反映，持续多日未见改善',
  '视频监控抓拍，位置见附图',
  '巡查中发现，当事人已离开现场',
];

async function makeClues(n: number): Promise<Clue[]> {
  const geo = await loadGeoIndex(PACK);
  const catalogue = loadMatterCatalogue(
    PACK,
    loadDepartments(PACK),
    geo.townships.map((t) => t.code),
  );
  const county = geo.layer('county').features[0]!;
  const ring =
    (county.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon).type === 'Polygon'
      ? (county.geometry as GeoJSON.Polygon).coordinates[0]!
      : (county.geometry as GeoJSON.MultiPolygon).coordinates[0]![0]!;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    x0 = Math.min(x0, x!);
    y0 = Math.min(y0, y!);
    x1 = Math.max(x1, x!);
    y1 = Math.max(y1, y!);
  }
  const rand = mulberry32(20260301);
  const clues: Clue[] = [];
  while (clues.length < n) {
    const lng = x0 + rand() * (x1 - x0);
    const lat = y0 + rand() * (y1 - y0);
    if (!geo.locate(lng, lat)) continue; // clues come from inside the county
    const i = clues.length;
    clues.push({
      clientId: `bench-${i}`,
      lng: Math.round(lng * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
      matterCode: catalogue.matters[Math.floor(rand() * catalogue.matters.length)]!.code,
      description: DESCRIPTIONS[i % DESCRIPTIONS.length]!,
      source: CLUE_SOURCES[Math.floor(rand() * CLUE_SOURCES.length)]!,
    });
  }
  return clues;
}

function poster(url: string, token: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(url);
  return (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          hostname,
          port,
          path: '/api/clues',
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function drive(
  post: (b: string) => Promise<number>,
  bodies: string[],
  concurrency: number,
): Promise<{ latencies: Float64Array; seconds: number; failures: number }> {
  const latencies = new Float64Array(bodies.length);
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const s = performance.now();
        const status = await post(bodies[i]!);
        latencies[i] = performance.now() - s;
        if (status !== 201) failures++;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - t0) / 1000, failures };
}

/**
 * Open loop: clue i is due at t0 + i / rate and sent then, whether or not earlier ones were answered;
 * its latency counts from when it was due, so a stalled server is charged for the clues it delayed.
 */
async function sustain(
  post: (b: string) => Promise<number>,
  bodies: string[],
  rate: number,
): Promise<{ latencies: Float64Array; seconds: number; failures: number }> {
  const latencies = new Float64Array(bodies.length);
  let failures = 0;
  let sent = 0;
  let done = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      const due = Math.min(bodies.length, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      for (; sent < due; sent++) {
        const i = sent;
        const dueAt = t0 + (i / rate) * 1000;
        post(bodies[i]!).then((status) => {
          latencies[i] = performance.now() - dueAt;
          if (status !== 201) failures++;
          if (++done === bodies.length) resolve();
        }, reject);
      }
      if (sent < bodies.length) setTimeout(pump, 1);
    };
    pump();
  });
  return { latencies, seconds: (performance.now() - t0) / 1000, failures };
}

const pct = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** The rows the server stored, inserted again into a fresh database with prepared statements. */
function rawInsert(sourceFile: string, targetDir: string): { perSec: number; cases: number } {
  const src = new SQLite(sourceFile, { readonly: true });
  const cases = src.prepare('select * from cases order by created_at, id').all() as Record<string, unknown>[];
  const group = (table: string) => {
    const m = new Map<string, Record<string, unknown>[]>();
    for (const r of src.prepare(`select * from ${table}`).all() as Record<string, unknown>[]) {
      const k = r.case_id as string;
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(r);
    }
    return m;
  };
  const events = group('case_events');
  const parties = group('case_parties');
  const deadlines = group('case_deadlines');
  src.close();

  const db = new SQLite(path.join(targetDir, SQLITE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = (table: string, cols: string[]) =>
    db.prepare(`insert into ${table} (${cols.join(',')}) values (${cols.map((c) => '@' + c).join(',')})`);
  const caseCols = Object.keys(cases[0]!);
  const insCase = insert('cases', caseCols);
  const insEvent = insert('case_events', ['seq', 'case_id', 'type', 'actor', 'at', 'payload']);
  const insParty = insert('case_parties', ['case_id', 'party']);
  const insDeadline = insert('case_deadlines', ['case_id', 'kind', 'due_at', 'met_at', 'overdue_at']);
  const bumpSeq = db.prepare('update event_seq set value = value + ? where id = 1 returning value');
  const one = db.transaction((c: Record<string, unknown>) => {
    insCase.run(c);
    for (const p of parties.get(c.id as string) ?? []) insParty.run(p);
    for (const d of deadlines.get(c.id as string) ?? []) insDeadline.run(d);
    const ev = events.get(c.id as string) ?? [];
    bumpSeq.get(ev.length);
    for (const e of ev) insEvent.run(e);
  });
  const t0 = performance.now();
  for (const c of cases) one(c);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { perSec: cases.length / seconds, cases: cases.length };
}

async function main(): Promise<void> {
  const serverDir = makeTempDir();
  const rawDir = makeTempDir();
  try {
    // The bench user, created before the server starts (DEMO=off: no demo accounts or data).
    const setup = await openStore({ dataDir: serverDir.dir });
    await new UserService(setup, () => Date.now()).ensure({
      username: 'bench',
      password: 'bench-password',
      displayName: '压测坐席',
      role: 'commander',
      scope: { kind: 'county' },
    });
    await setup.close();
    // The raw target gets the same schema from the same migrations.
    await (await openStore({ dataDir: rawDir.dir })).close();

    const sustained = Math.round(RATE * SECONDS);
    const clues = await makeClues(WARMUP + SATURATION + sustained);
    const bodies = clues.map((c) => JSON.stringify(c));
    const server = await startServerProcess(
      {
        DATA_DIR: serverDir.dir,
        DEMO: 'off',
        SIMULATOR: 'off',
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
      },
      60_000,
      // INTAKE_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server.
      { nodeArgs: process.env.INTAKE_BENCH_NODE_ARGS?.split(' ').filter(Boolean), bundle: true }, // what `npm start` runs
    );
    let max: Awaited<ReturnType<typeof drive>>;
    let cpuPerClue = NaN;
    let sustainedCpuPerClue = NaN;
    let peakRssMB = NaN;
    let run: Awaited<ReturnType<typeof sustain>>;
    try {
      const { token } = await login(server.url, 'bench', 'bench-password');
      const closedLoop = poster(server.url, token, CONCURRENCY);
      await drive(closedLoop, bodies.slice(0, WARMUP), CONCURRENCY);
      const cpu0 = server.cpuMs(true);
      max = await drive(closedLoop, bodies.slice(WARMUP, WARMUP + SATURATION), CONCURRENCY);
      // The server's own CPU time per clue: what the machine's load does not change much.
      cpuPerClue = (server.cpuMs(true) - cpu0) / SATURATION;
      const openLoop = poster(server.url, token, MAX_SOCKETS);
      const cpu1 = server.cpuMs(true);
      run = await sustain(openLoop, bodies.slice(WARMUP + SATURATION), RATE);
      sustainedCpuPerClue = (server.cpuMs(true) - cpu1) / sustained;
      peakRssMB = server.memory()?.peakMB ?? NaN;
    } finally {
      await server.stop();
    }
    const raw = rawInsert(path.join(serverDir.dir, SQLITE_FILE), rawDir.dir);

    const sorted = Float64Array.from(run.latencies).sort();
    const maxSorted = Float64Array.from(max.latencies).sort();
    const cluesPerSec = sustained / run.seconds;
    const maxPerSec = SATURATION / max.seconds;
    const r = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
    const result = {
      bench: 'intake',
      cluesPerSec: r(cluesPerSec, 0),
      p50Ms: r(pct(sorted, 0.5)),
      p95Ms: r(pct(sorted, 0.95)),
      p99Ms: r(pct(sorted, 0.99)),
      serverCpuMsPerClue: r(cpuPerClue, 3),
      sustainedCpuMsPerClue: r(sustainedCpuPerClue, 3),
      serverPeakRssMB: r(peakRssMB, 0),
      rawInsertsPerSec: r(raw.perSec, 0),
      ratioVsRaw: r(cluesPerSec / raw.perSec, 3),
    };
    const ok = cluesPerSec >= TARGET_RATE * 0.98 && result.p99Ms <= TARGET_P99 && run.failures === 0;
    console.log(
      `intake on SQLite, the server in its own process, routing and audit included; ${WARMUP} clues warm-up, ` +
        `then ${SATURATION} as fast as ${CONCURRENCY} keep-alive connections go, then ${sustained} offered at ${RATE}/s (open loop)`,
    );
    console.table([
      {
        run: `sustained: POST /api/clues offered at ${RATE}/s`,
        'per s': result.cluesPerSec,
        'p50 ms': result.p50Ms,
        'p95 ms': result.p95Ms,
        'p99 ms': result.p99Ms,
        'max ms': r(sorted[sorted.length - 1]!),
        failures: run.failures,
      },
      {
        run: `saturation: ${CONCURRENCY} connections, closed loop`,
        'per s': r(maxPerSec, 0),
        'p50 ms': r(pct(maxSorted, 0.5)),
        'p95 ms': r(pct(maxSorted, 0.95)),
        'p99 ms': r(pct(maxSorted, 0.99)),
        'max ms': r(maxSorted[maxSorted.length - 1]!),
        failures: max.failures,
      },
      {
        run: 'raw insert of the same rows (prepared statements, 1 transaction per case)',
        'per s': result.rawInsertsPerSec,
        'p50 ms': '',
        'p95 ms': '',
        'p99 ms': '',
        'max ms': '',
        failures: 0,
      },
    ]);
    console.log(
      `server main-thread CPU per clue: ${result.serverCpuMsPerClue} ms in the saturation run (at most ${r(1000 / cpuPerClue, 0)} clues/s on one core), ${result.sustainedCpuMsPerClue} ms in the sustained run; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `target ≥ ${TARGET_RATE} clues/s with p99 ≤ ${TARGET_P99} ms: ${ok ? 'met' : 'NOT met'}; ` +
        `sustained intake is ${r(result.ratioVsRaw * 100, 1)} % of the raw insert rate, saturation ${r((maxPerSec / raw.perSec) * 100, 1)} %`,
    );
    console.log(JSON.stringify(result));
    if (!ok) process.exitCode = 1;
  } finally {
    if (process.env.INTAKE_BENCH_KEEP) console.error(`kept ${serverDir.dir} and ${rawDir.dir}`);
    else {
      serverDir.remove();
      rawDir.remove();
    }
  }
}

await buildServer((m) => process.stderr.write(`[bench] ${m}\n`));
await main();
