// One runner, four projects: unit (pure code), integration and integration-scale (real server, real
// clients, real SQLite and PostgreSQL; the two-process suites with Redis), e2e (the built client in
// Chromium through playwright-core).
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

// How long an `expect.poll` waits for what it expects when the test names no limit (vitest's own
// default is one second). A poll returns as soon as the condition holds, so this costs nothing when
// things go right; it is the margin for a loaded CI machine, where one second ran out once (a
// cluster not yet drawn). A figure the issue sets (a clue in the feed within 2 s) is asserted with
// its own explicit timeout and is not loosened by this.
const POLL_TIMEOUT_MS = 5_000;

// Files at a time. Vitest's own default is one less than the cores: one on the 2-core CI machine,
// where the suite then ran a file at a time for 17 minutes while much of its time is spent waiting
// (child processes, sockets, a browser drawing). The unit and integration files run first, at least
// two at a time; then the two-process files, one at a time: their servers share one Redis, whose
// Socket.IO stream and channels have fixed names, so two files at once would hear each other's
// events; then the browser files, two at a time (each its own server and Chromium), so a loaded
// machine never has more than two browsers drawing maps. TEST_MAX_WORKERS caps them all
// (TEST_MAX_WORKERS=1: a file at a time, the output in order). Not Vitest's own VITEST_MAX_WORKERS:
// Vitest sets every project to that, the scale suites included, and moves single-worker projects to
// the end of the run.
const CAP = workerCap(process.env.TEST_MAX_WORKERS);
const WORKERS = Math.min(CAP, Math.max(2, os.availableParallelism() - 1));
const BROWSER_WORKERS = Math.min(CAP, 2);
const SCALE = 'tests/integration/scale/**/*.test.ts';

/** What both integration projects run with: a real server and databases take longer than a unit. */
const INTEGRATION = {
  environment: 'node',
  // The account and team commands bundled from the current sources, run by many tests.
  globalSetup: 'tests/support/cli-setup.ts',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  expect: { poll: { timeout: POLL_TIMEOUT_MS } },
} as const;

function workerCap(raw: string | undefined): number {
  if (raw === undefined || raw === '') return Infinity;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`TEST_MAX_WORKERS must be a whole number of at least 1 (got "${raw}")`);
  return n;
}

export default defineConfig({
  root,
  // The client's own aliases (client/vite.config.ts), so its stores can be tested as they are.
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('../client/src', import.meta.url)),
      '@shared': fileURLToPath(new URL('../shared', import.meta.url)),
    },
  },
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          maxWorkers: WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, SCALE],
          ...INTEGRATION,
          maxWorkers: WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-scale',
          include: [SCALE],
          ...INTEGRATION,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          // The account command too: a test runs it to end a session (tests/support/users-cli.ts).
          globalSetup: ['tests/e2e/support/global-setup.ts', 'tests/support/cli-setup.ts'],
          // A bound, not a measure: a slower VM with two browsers drawing maps side by side took a
          // big-screen test past 60 s (each of its waits within its own limit).
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: BROWSER_WORKERS,
          sequence: { groupOrder: 2 },
          expect: { poll: { timeout: POLL_TIMEOUT_MS } },
        },
      },
    ],
  },
});
