// npm run bench:scale — the realtime benchmark's load (support/realtime-load.ts: 500 county-wide
// clients, one per township, clues at 200/s for 10 s) on PostgreSQL + Redis, first against one
// server process, then against two, in one run. Both sit behind the same round-robin proxy
// (support/tcp-proxy.ts, its own process: each TCP connection stays on the process it was given, so
// a WebSocket session is sticky), so both pay for the extra hop and only the process count differs.
// Needs the services of .ci/services.sh (TEST_DATABASE_URL, TEST_REDIS_URL); each configuration
// gets a fresh database. Last line: one JSON object for CI.
import os from 'node:os';
import { loadGeoIndex } from '../../server/geo/index';
import { call } from '../support/auth';
import { TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../support/db';
import { sharedEnv, startServerProcess, type ServerProcess } from '../support/process-server';
import { buildServer } from '../../server/cli/server-build';
import {
  ClientPool,
  GEO_PACK,
  LOAD,
  benchClients,
  createAccounts,
  ourServer,
  planClues,
  runPhase,
  signIn,
  table,
  type BenchClient,
  type PhaseResult,
} from './support/realtime-load';
import { progress, round } from './support/timing';

const REDIS_URL = process.env.TEST_REDIS_URL;
const RAW_EVENTS = process.env.RT_BENCH_PARSE !== '1';
/** As in bench:realtime, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for every server process. */
const SERVER_NODE_ARGS = (process.env.RT_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function configuration(
  name: string,
  processes: number,
  pool: ClientPool,
  clients: BenchClient[],
  geo: Awaited<ReturnType<typeof loadGeoIndex>>,
  tag: string,
): Promise<{ result: PhaseResult; peakRssMB: number[]; proxyCpuMsPerClue: number }> {
  const townships = geo.townships.map((t) => t.code);
  let database: TestDatabase | undefined;
  const servers: ServerProcess[] = [];
  let proxy: ServerProcess | undefined;
  try {
    database = await createTestDatabase('postgres');
    const setup = await database.open();
    await createAccounts(setup, townships);
    await setup.close();
    const env = {
      ...sharedEnv(database, 'scale-bench-secret-scale-bench-secret-scale-bench'),
      SIMULATOR: 'off',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    };
    for (let i = 0; i < processes; i++)
      servers.push(await startServerProcess(env, 60_000, { nodeArgs: SERVER_NODE_ARGS, bundle: true }));
    proxy = await startServerProcess(
      { PROXY_BACKENDS: servers.map((s) => s.port).join(','), PROXY_MODE: 'round-robin' },
      30_000,
      { script: 'tests/bench/support/tcp-proxy.ts', ready: /proxy listening/ },
    );
    const url = proxy.url;
    const tokens = await signIn(url, townships);
    const matters = (
      await call<{ matters: Array<{ code: string }> }>(url, tokens.poster, 'GET', '/api/matters')
    ).body.matters.map((m) => m.code);
    const warmup = Math.round(LOAD.rate * LOAD.warmupSeconds);
    const plan = planClues(geo, matters, warmup + Math.round(LOAD.rate * LOAD.seconds), tag);
    const target = ourServer(name, url, tokens, plan, tag, () =>
      servers.reduce((sum, s) => sum + s.cpuMs(), 0),
    );
    const proxyCpu0 = proxy.cpuMs();
    const { result } = await runPhase(pool, clients, target, {
      rate: LOAD.rate,
      warmup,
      rawEvents: RAW_EVENTS,
      drainMs: LOAD.drainMs,
    });
    target.close();
    return {
      result,
      peakRssMB: servers.map((s) => Math.round(s.memory()?.peakMB ?? NaN)),
      proxyCpuMsPerClue: round((proxy.cpuMs() - proxyCpu0) / plan.length, 2),
    };
  } finally {
    await proxy?.stop();
    for (const s of servers) await s.stop();
    await database?.destroy();
  }
}

async function main(): Promise<void> {
  if (!TEST_DATABASE_URL || !REDIS_URL) {
    console.error(
      'bench:scale needs PostgreSQL and Redis: run `. .ci/services.sh` first (it exports TEST_DATABASE_URL and TEST_REDIS_URL)',
    );
    process.exit(2);
  }
  const geo = await loadGeoIndex(GEO_PACK);
  const clients = benchClients(
    LOAD.countyClients,
    geo.townships.map((t) => t.code),
  );
  const pool = ClientPool.start(LOAD.workers);
  const load = os.loadavg()[0]!;
  try {
    progress(
      `${clients.length} clients on ${pool.size} worker threads; ${os.availableParallelism()} CPUs, load average ${round(load, 2)} at start`,
    );
    const one = await configuration('one process (PostgreSQL + Redis)', 1, pool, clients, geo, 'one');
    const two = await configuration('two processes (PostgreSQL + Redis)', 2, pool, clients, geo, 'two');
    console.log(
      `${clients.length} Socket.IO clients (${LOAD.countyClients} county-wide, ${clients.length - LOAD.countyClients} townships); ` +
        `clues at ${LOAD.rate}/s for ${LOAD.seconds} s after ${LOAD.warmupSeconds} s of warm-up; PostgreSQL + Redis (streams adapter); ` +
        `${os.availableParallelism()} CPUs shared by the servers and the clients, load average ${round(load, 2)} before the run`,
    );
    table([one.result, two.result]);
    console.log(
      `server peak RSS: one process ${one.peakRssMB[0]} MB; two processes ${two.peakRssMB.join(' + ')} MB; ` +
        `the proxy's CPU per clue: ${one.proxyCpuMsPerClue} ms and ${two.proxyCpuMsPerClue} ms`,
    );
    const result = {
      bench: 'scale',
      oneP99Ms: one.result.p99Ms,
      twoP99Ms: two.result.p99Ms,
      oneThroughput: one.result.throughput,
      twoThroughput: two.result.throughput,
      lost: one.result.lost + two.result.lost,
    };
    console.log(JSON.stringify(result));
    if (result.lost > 0 || one.result.leaked + two.result.leaked > 0) process.exitCode = 1;
  } finally {
    await pool.close();
  }
}

await buildServer((m) => process.stderr.write(`[bench] ${m}\n`));
await main();
