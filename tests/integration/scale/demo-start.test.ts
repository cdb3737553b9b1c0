// Two demo server processes started at the same moment on one fresh PostgreSQL database (a
// scale-out demo, both units started together): one prepares the demo's accounts and teams while
// the other waits, and both serve. Before, the second crashed at its start on a duplicate team
// (teams_pkey), both having read no team when they started.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PREPARE_LOCK } from '../../../server/demo/index';
import { createTestDatabase, servicesConfigured, type TestDatabase } from '../../support/db';
import { sharedEnv, startServerProcess, type ServerProcess } from '../../support/process-server';
import { call, login } from '../../support/auth';

const enabled = servicesConfigured('TEST_DATABASE_URL', 'TEST_REDIS_URL');

describe.runIf(enabled)('two demo processes starting together on PostgreSQL', () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.destroy();
  });

  it('both start and serve the one demo: its accounts and teams once', async () => {
    database = await createTestDatabase('postgres');
    const env = {
      ...sharedEnv(database, 'demo-start-test-secret-demo-start-test-secret'),
      DEMO: 'on',
      DEMO_HISTORY_DAYS: '0',
    };
    const started = await Promise.allSettled([startServerProcess(env), startServerProcess(env)]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason).slice(0, 600) : 'ok'))).toEqual([
      'ok',
      'ok',
    ]);
    const store = await database.open();
    try {
      const users = await store.db.selectFrom('users').select('username').execute();
      const teams = await store.db.selectFrom('teams').select('id').execute();
      expect(users.length).toBeGreaterThan(0);
      expect(new Set(users.map((u) => u.username)).size).toBe(users.length);
      for (const s of servers) {
        const { token } = await login(s.url, 'commander', 'demo');
        const r = await call<{ teams: unknown[] }>(s.url, token, 'GET', '/api/teams');
        expect(r.status).toBe(200);
        expect(r.body.teams.length).toBe(teams.length);
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it('stops at once when stopped while another process prepares the demo', async () => {
    const db = await createTestDatabase('postgres');
    // The other process, mid-preparation: the lock held.
    const holder = new pg.Client({ connectionString: db.databaseUrl! });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1::bigint)', [DEMO_PREPARE_LOCK]);
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/run.ts'], {
        env: {
          ...process.env,
          ...sharedEnv(db, 'demo-start-test-secret-demo-start-test-secret'),
          HOST: '127.0.0.1',
          PORT: '0',
          SIMULATOR: 'off',
          DEMO: 'on',
          DEMO_HISTORY_DAYS: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        await expect
          .poll(() => out, { timeout: 30_000 })
          .toContain('another process is preparing the demo: waiting for it');
        const t0 = Date.now();
        child.kill('SIGTERM');
        // Before: its pool waited for the connection blocked in pg_advisory_lock, until the 10 s
        // force exit (exit 1).
        expect(await exited, out.slice(-2000)).toBe(0);
        expect(Date.now() - t0).toBeLessThan(8000);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    } finally {
      await holder.end();
      await db.destroy();
    }
  }, 60_000);
  it('runs one live simulator between them, and the other takes it over when that one stops', async () => {
    const db = await createTestDatabase('postgres');
    const env = {
      ...sharedEnv(db, 'demo-start-test-secret-demo-start-test-secret'),
      DEMO: 'on',
      DEMO_HISTORY_DAYS: '0',
      SIMULATOR: 'on',
    };
    const started: ServerProcess[] = [];
    try {
      const first = await startServerProcess(env);
      started.push(first);
      await first.waitForOutput(/live simulator running/, 30_000);
      // Before, each ran its own: the demo's clues came twice as fast.
      const second = await startServerProcess(env);
      started.push(second);
      await second.waitForOutput(
        /live simulator: run by the server process that runs the once-only jobs/,
        30_000,
      );
      await first.stop();
      await second.waitForOutput(/live simulator running/, 30_000);
    } finally {
      await Promise.all(started.map((s) => s.stop()));
      await db.destroy();
    }
  }, 120_000);
});
