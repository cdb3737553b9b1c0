// npm run bench:realtime — case events fanned out by the real server (its own process, embedded
// SQLite in a temp dir) to 500 county-wide Socket.IO clients and one client per township, while
// clues are posted over HTTP at 200/s for 10 s; then the same clients against a bare Socket.IO
// server that only re-emits what is posted (the same events, byte for byte, to the same rooms): the
// floor. Latency runs from the start of a clue's POST to each event's arrival
// at each client that should receive it. Last line: one JSON object for CI.
import os from 'node:os';
import { loadGeoIndex } from '../../server/geo/index';
import { openStore } from '../../server/store/db';
import { call } from '../support/auth';
import { startServerProcess, type ServerProcess } from '../support/process-server';
import { buildServer } from '../../server/cli/server-build';
import { makeTempDir } from '../support/temp-dir';
import {
  ClientPool,
  GEO_PACK,
  LOAD,
  benchClients,
  createAccounts,
  floorServer,
  ourServer,
  planClues,
  runPhase,
  signIn,
  table,
} from './support/realtime-load';
import { progress, round } from './support/timing';

const TARGET_RATIO = 2;
const TARGET_RSS_MB = 400;
/** Hand the clients each case:events packet as raw text (see support/light-parser.ts); RT_BENCH_PARSE=1 parses it. */
const RAW_EVENTS = process.env.RT_BENCH_PARSE !== '1';
/** e.g. RT_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server. */
const SERVER_NODE_ARGS = (process.env.RT_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function main(): Promise<void> {
  const geo = await loadGeoIndex(GEO_PACK);
  const townships = geo.townships.map((t) => t.code);
  const dir = makeTempDir('gaoping-bench-');
  const pool = ClientPool.start(LOAD.workers);
  const processes: ServerProcess[] = [];
  const load = os.loadavg()[0]!;
  try {
    const setup = await openStore({ dataDir: dir.dir });
    await createAccounts(setup, townships);
    await setup.close();
    const server = await startServerProcess(
      {
        DATA_DIR: dir.dir,
        DEMO: 'off',
        SIMULATOR: 'off',
        LOG_LEVEL: 'info', // the start line says it listens; nothing is logged per request
        NODE_ENV: 'production',
      },
      60_000,
      { nodeArgs: SERVER_NODE_ARGS, bundle: true }, // what `npm start` runs
    );
    processes.push(server);
    const tokens = await signIn(server.url, townships);
    const matters = (
      await call<{ matters: Array<{ code: string }> }>(server.url, tokens.poster, 'GET', '/api/matters')
    ).body.matters.map((m) => m.code);
    const warmup = Math.round(LOAD.rate * LOAD.warmupSeconds);
    const plan = planClues(geo, matters, warmup + Math.round(LOAD.rate * LOAD.seconds), 'rt');
    const clients = benchClients(LOAD.countyClients, townships);
    progress(
      `${clients.length} clients on ${pool.size} worker threads; ${plan.length} clues over ${townships.length} townships, ` +
        `${matters.length} matters; ${os.availableParallelism()} CPUs, load average ${round(load, 2)} at start`,
    );
    const opts = { rate: LOAD.rate, warmup, rawEvents: RAW_EVENTS, drainMs: LOAD.drainMs };

    const ours = ourServer('our server, SQLite', server.url, tokens, plan, 'rt', () => server.cpuMs());
    const mine = await runPhase(pool, clients, ours, opts);
    ours.close();
    const memory = server.memory()!;
    await server.stop();

    const floor = await startServerProcess({ NODE_ENV: 'production' }, 30_000, {
      script: 'tests/bench/support/floor-server.ts',
      ready: /floor listening/,
    });
    processes.push(floor);
    const bare = floorServer('floor: bare Socket.IO re-emit', floor.url, plan.length, mine.events, () =>
      floor.cpuMs(),
    );
    const base = await runPhase(pool, clients, bare, opts);
    bare.close();
    await floor.stop();

    const r = mine.result;
    const floorP99 = base.result.p99Ms;
    const result = {
      bench: 'realtime',
      clients: clients.length,
      rate: LOAD.rate,
      p50Ms: r.p50Ms,
      p95Ms: r.p95Ms,
      p99Ms: r.p99Ms,
      floorP99Ms: floorP99,
      p99RatioVsFloor: round(r.p99Ms / floorP99, 2),
      lost: r.lost,
      serverRssMB: Math.round(memory.peakMB),
    };
    console.log(
      `${clients.length} Socket.IO clients (${LOAD.countyClients} county-wide, ${townships.length} townships) on ${pool.size} worker threads; ` +
        `${plan.length} clues at ${LOAD.rate}/s, the first ${warmup} as warm-up; latency = POST start → arrival at each client that should get the event; ` +
        `${os.availableParallelism()} CPUs shared by server and clients, load average ${round(load, 2)} before the run`,
    );
    table([r, base.result]);
    const ok =
      result.p99RatioVsFloor <= TARGET_RATIO &&
      r.lost === 0 &&
      r.leaked === 0 &&
      result.serverRssMB <= TARGET_RSS_MB;
    console.log(
      `targets: p99 ≤ ${TARGET_RATIO}× the bare floor (${result.p99RatioVsFloor}×), nothing lost (${r.lost}), nothing leaked (${r.leaked}), ` +
        `server peak RSS ≤ ${TARGET_RSS_MB} MB (${result.serverRssMB} MB): ${ok ? 'met' : 'NOT met'}`,
    );
    console.log(JSON.stringify(result));
    if (!ok) process.exitCode = 1;
  } finally {
    for (const p of processes) await p.stop();
    await pool.close();
    dir.remove();
  }
}

await buildServer((m) => process.stderr.write(`[bench] ${m}\n`));
await main();
