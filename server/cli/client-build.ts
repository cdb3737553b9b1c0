// Builds the client with Vite when client/dist is missing or older than any of its sources.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['client', 'shared', 'package-lock.json'];
const DIST_INDEX = path.join(ROOT, 'client/dist/index.html');

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

export function clientBuildIsStale(): boolean {
  const built = fs.statSync(DIST_INDEX, { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(ROOT, s)) > built.mtimeMs);
}

/** Build if stale; returns true if a build ran. Throws with Vite's exit code on failure. */
export function ensureClientBuilt(log: (msg: string) => void = console.log): boolean {
  if (!clientBuildIsStale()) return false;
  log('Building the dashboard client (vite build)…');
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'client/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // Always the production build: under Vitest NODE_ENV is "test", and Vite would ship Vue's and
      // ECharts' development builds (~35 kB gzip more, and slower) into client/dist.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0)
    throw new Error(`vite build failed (exit ${r.status}); fix the error above, then run npm start again`);
  log(`Client built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}
