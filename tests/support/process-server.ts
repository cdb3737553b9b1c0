// The server as its own process (server/cli/run.ts through tsx, or with `bundle` the very file
// `npm start` runs, server/dist/run.mjs, with plain Node), configured by environment, for tests that
// must see what `npm start` runs, including its shutdown; benchmarks also start their own helper
// servers with it (`script`), and read a process's memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TestDatabase } from './db';
import { SERVER_BUNDLE } from '../../server/cli/server-build';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** USER_HZ, the unit of /proc CPU times: 100 on every Linux build that matters. */
const CLOCK_TICKS = 100;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment of one of several server processes sharing `database` (PostgreSQL) and the Redis
 * at TEST_REDIS_URL: processes started with it behave as one deployment (no demo data).
 */
export function sharedEnv(database: TestDatabase, jwtSecret: string): Record<string, string> {
  return {
    DATABASE_URL: database.databaseUrl!,
    REDIS_URL: process.env.TEST_REDIS_URL!,
    DATA_DIR: database.dataDir,
    JWT_SECRET: jwtSecret,
    DEMO: 'off',
  };
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** Resident memory now and its peak so far (VmRSS, VmHWM), in MB; null once the process is gone. */
  memory(): { rssMB: number; peakMB: number } | null;
  /**
   * CPU time (user + system) the process has used so far, in ms; NaN once it is gone. `mainThread`:
   * the event loop's thread alone (not GC helpers, libuv's pool or worker threads).
   */
  cpuMs(mainThread?: boolean): number;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Resolves when the output (from its start) matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export interface ProcessOptions {
  /** The entry to run, relative to the repository root (default: the production server). */
  script?: string;
  /** The output line that says it listens (default: the server's "dashboard on http://…"). */
  ready?: RegExp;
  /** Extra node flags, e.g. `--max-old-space-size=…`. */
  nodeArgs?: string[];
  /**
   * Run the production bundle (server/dist/run.mjs, built beforehand by buildServer) with plain
   * Node, as `npm start` does, instead of the sources through tsx.
   */
  bundle?: boolean;
  /** Listen on this port instead of a free one (a restart on the same address). */
  port?: number;
}

export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  opts: ProcessOptions = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const ready = opts.ready ?? /dashboard on http:\/\//;
  if (opts.bundle && !fs.existsSync(SERVER_BUNDLE))
    throw new Error(`${SERVER_BUNDLE} is missing: call buildServer() (server/cli/server-build.ts) first`);
  const child = spawn(
    process.execPath,
    opts.bundle
      ? [...(opts.nodeArgs ?? []), SERVER_BUNDLE]
      : // tsx as a loader in this very process (not the tsx CLI, which forks a child): a SIGKILL
        // must kill the server itself, as a crash would.
        [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.script ?? 'server/cli/run.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        SIMULATOR: 'off',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A server never outlives the test or benchmark that started it, even one that throws or exits.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.off('exit', stopOnExit));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  // Wait for the log line that says it listens (an event, not a sleep), or for an early exit.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${out}`));
    });
  });

  return {
    url,
    port,
    child,
    output: () => out,
    memory() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
        return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
      } catch {
        return null;
      }
    },
    cpuMs(thread = false) {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name): utime, stime.
        // /proc/<pid>/task/<pid>/stat: the same for the main thread alone (the event loop).
        const stat = fs.readFileSync(
          thread ? `/proc/${child.pid}/task/${child.pid}/stat` : `/proc/${child.pid}/stat`,
          'utf8',
        );
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
      } catch {
        return NaN;
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    waitForOutput(pattern, ms = 15_000) {
      return new Promise<void>((resolve, reject) => {
        if (pattern.test(out)) return resolve();
        const timer = setTimeout(() => {
          child.stdout!.off('data', check);
          reject(new Error(`no output matching ${pattern} within ${ms} ms:\n${out.slice(-2000)}`));
        }, ms);
        const check = () => {
          if (!pattern.test(out)) return;
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve();
        };
        child.stdout!.on('data', check);
      });
    },
  };
}
