// Builds the client with Vite when client/dist is missing or older than any of its sources.
//
// At an upgrade (`git pull && npm ci && npm start`) the build there is the previous release's: the
// server then starts at once with it, and builds the new one behind it into a folder of its own,
// put in client/dist's place when done (`rebuildClientBehind`). Building first kept the port closed
// for the build's ~50 s, and every wall and desk left open showed the server gone for as long.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { CLIENT_DIST } from '../http/client-dist';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['client', 'shared', 'package-lock.json'];

/** Folders beside client/dist that a build behind a running server writes and swaps: not sources. */
const STAGING = /^\.dist-(?:next|old)-\d+$/;

/**
 * The newest modification under `p`: files, and the folders below it (a file deleted shows only in
 * its folder's time). Not `p`'s own time when it is a folder (`client/`): a build behind the server
 * renames and removes its output folders there, which would make the build it just put in place
 * look older than its sources, to be built again at every start.
 */
function newestMtime(p: string, top = true): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = top ? 0 : st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules' || STAGING.test(entry)) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry), false));
  }
  return newest;
}

/** Whether client/dist is missing or older than a source (`root`: the repository's, or a test's). */
export function clientBuildIsStale(root = ROOT): boolean {
  const built = fs.statSync(path.join(root, 'client/dist/index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

/** A build of the client is there to serve (client/dist/index.html), stale or not. */
export function clientBuildExists(): boolean {
  return fs.existsSync(path.join(CLIENT_DIST, 'index.html'));
}

/** The production build's command, writing into `outDir` (relative to client/, or absolute). */
function viteBuild(outDir?: string): string[] {
  return [
    process.execPath,
    path.join(ROOT, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'client/vite.config.ts',
    '--logLevel',
    'warn',
    ...(outDir ? ['--outDir', outDir, '--emptyOutDir'] : []),
  ];
}

// Always the production build: under Vitest NODE_ENV is "test", and Vite would ship Vue's and
// ECharts' development builds (~35 kB gzip more, and slower) into client/dist.
const BUILD_ENV = () => ({ ...process.env, NODE_ENV: 'production' });

/** Build if stale; returns true if a build ran. Throws with Vite's exit code on failure. */
export function ensureClientBuilt(log: (msg: string) => void = console.log): boolean {
  if (!clientBuildIsStale()) return false;
  log('Building the dashboard client (vite build)…');
  const started = Date.now();
  const [cmd, ...args] = viteBuild();
  const r = spawnSync(cmd!, args, { cwd: ROOT, stdio: 'inherit', env: BUILD_ENV() });
  if (r.status !== 0)
    throw new Error(`vite build failed (exit ${r.status}); fix the error above, then run npm start again`);
  log(`Client built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

export interface BehindLog {
  info(msg: string): void;
  error(msg: string): void;
}

export interface RebuildBehind {
  /** True once the new build is in client/dist's place; false if it failed or was stopped. */
  done: Promise<boolean>;
  /** Stop the build (the server is stopping): its folder is removed, client/dist left as it was. */
  stop(): void;
}

/**
 * Build the client into `<dist>/../.dist-next-<pid>` while the server goes on serving `dist`, then
 * swap the two folders (two renames, microseconds apart; a request in between gets the server's
 * "not built" answer, and a page asks again). Serving reads `dist` by path, so the next request gets
 * the new build, and every API answer names it within BUILD_CHECK_MS (server/http/static.ts): pages
 * left open reload into it. On failure the previous build stays, and the log says what to do.
 *
 * `command` is the build (argv; it is given the folder to write as its last argument when it is not
 * Vite); tests give a small script and a folder of their own.
 */
export function rebuildClientBehind(
  log: BehindLog,
  opts: { dist?: string; command?: (outDir: string) => string[] } = {},
): RebuildBehind {
  const dist = opts.dist ?? CLIENT_DIST;
  const parent = path.dirname(dist);
  const next = path.join(parent, `.dist-next-${process.pid}`);
  const old = path.join(parent, `.dist-old-${process.pid}`);
  const started = Date.now();
  let stopped = false;
  // Nothing here may throw into the server that is serving: a folder that cannot be read, renamed
  // or removed is logged, and the previous build stays.
  const quietly = (what: string, fn: () => void): boolean => {
    try {
      fn();
      return true;
    } catch (err) {
      log.error(`client build behind the server: could not ${what}: ${(err as Error).message}`);
      return false;
    }
  };
  quietly('remove the folders a stopped build left', () => removeLeftovers(parent));
  log.info(
    'the client build in client/dist is older than its sources: serving it while the new one builds (vite build, about a minute)',
  );
  const [cmd, ...args] = (opts.command ?? ((out) => viteBuild(out)))(next);
  const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: BUILD_ENV() });
  const done = new Promise<boolean>((resolve) => {
    const fail = (why: string) => {
      quietly(`remove ${next}`, () => fs.rmSync(next, { recursive: true, force: true }));
      if (!stopped)
        log.error(
          `the client's new build failed (${why}): still serving the previous one. Fix the error above, then run \`npm run build\` (the running server takes the new build up without a restart)`,
        );
      resolve(false);
    };
    child.on('error', (err) => fail(err.message));
    child.on('exit', (code, signal) => {
      // Ended by a signal: the server is being stopped (Ctrl-C and systemd signal the whole group,
      // the build first), not a build that failed.
      if (signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGHUP') stopped = true;
      if (stopped) return fail('stopped');
      if (code !== 0) return fail(signal ? `killed by ${signal}` : `exit ${code}`);
      if (!fs.existsSync(path.join(next, 'index.html'))) return fail(`no index.html in ${next}`);
      try {
        if (fs.existsSync(dist)) fs.renameSync(dist, old);
        fs.renameSync(next, dist);
      } catch (err) {
        // Another process on this folder swapped at the same moment (several instances started
        // together): theirs is the same sources' build.
        quietly(`put ${old} back`, () => {
          if (!fs.existsSync(dist) && fs.existsSync(old)) fs.renameSync(old, dist);
        });
        return fail(`could not put it in place: ${(err as Error).message}`);
      }
      quietly(`remove ${old}`, () => fs.rmSync(old, { recursive: true, force: true }));
      log.info(
        `client built in ${((Date.now() - started) / 1000).toFixed(1)} s behind the running server, and now served: pages left open load it once idle`,
      );
      resolve(true);
    });
  });
  return {
    done,
    stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      try {
        fs.rmSync(next, { recursive: true, force: true });
      } catch {
        // the process is exiting: the next start removes it (removeLeftovers)
      }
    },
  };
}

/** Staging folders of a process that is gone (stopped mid-build by kill -9, a power cut). */
function removeLeftovers(parent: string): void {
  for (const entry of fs.readdirSync(parent)) {
    if (!STAGING.test(entry)) continue;
    const pid = Number(entry.slice(entry.lastIndexOf('-') + 1));
    if (pid !== process.pid && alive(pid)) continue;
    fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
