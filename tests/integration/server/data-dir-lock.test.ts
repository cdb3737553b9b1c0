// One server process per SQLite DATA_DIR (server/store/lock.ts): a second `npm start` on the same
// folder, on another port, is refused in a sentence naming the first, which serves on; a server killed
// with SIGKILL leaves no lock behind; another DATA_DIR and the admin commands work alongside.
// PostgreSQL takes no lock: several processes on one DATA_DIR there are tests/integration/scale/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { startServerProcess, type ServerProcess } from '../../support/process-server';
import { runUsersCli } from '../../support/users-cli';
import { login } from '../../support/auth';
import { makeTempDir } from '../../support/temp-dir';
import { DataDirLockedError, HOLDER_FILE, lockDataDir, localTime } from '../../../server/store/lock';

const PASSWORD = 'a-long-password';

describe('one server per SQLite DATA_DIR', { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let first: ServerProcess;
  const holderFile = () => path.join(database.dataDir, HOLDER_FILE);
  const holder = () => JSON.parse(fs.readFileSync(holderFile(), 'utf8')) as Record<string, unknown>;
  const health = async (url: string) => (await fetch(`${url}/api/health`)).status;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    first = await startServerProcess({ DATA_DIR: database.dataDir, DEMO: 'off' });
  });
  afterAll(async () => {
    await first?.stop();
    await database?.destroy();
  });

  it('lets the admin commands work alongside the running server', async () => {
    const add = await runUsersCli(database, ['add', 'boss', '--role', 'admin'], { USER_PASSWORD: PASSWORD });
    expect(add.code, add.stderr).toBe(0);
    expect((await login(first.url, 'boss', PASSWORD)).user.username).toBe('boss');
    expect(holder()).toMatchObject({ pid: first.child.pid, host: os.hostname(), port: first.port });
  });

  it('refuses a second server on the same DATA_DIR in one sentence naming the first, which serves on', async () => {
    const second = startServerProcess({ DATA_DIR: database.dataDir, DEMO: 'off' });
    await expect(second).rejects.toThrow(/exited with code 2/);
    const out = await second.catch((err: Error) => err.message);
    const since = localTime(holder().since as number);
    expect(out).toContain(
      `DATA_DIR=${database.dataDir} is in use by another server process (pid ${first.child.pid} on host ${os.hostname()}, port ${first.port}, since ${since}): ` +
        'stop that one first, or, to run several processes on one database, use PostgreSQL and Redis (DATABASE_URL, REDIS_URL; README, Running at scale)',
    );
    expect(out).not.toContain('    at ');
    expect(out).not.toContain('database ready'); // refused before the database was opened

    // The first: still serving, its account and its claim on the folder as they were.
    expect(await health(first.url)).toBe(200);
    expect((await login(first.url, 'boss', PASSWORD)).user.username).toBe('boss');
    expect(holder()).toMatchObject({ pid: first.child.pid, port: first.port });
    const list = await runUsersCli(database, ['list']);
    expect(list.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^boss\tadmin\t/)]);
  });

  it('starts a server on another DATA_DIR alongside', async () => {
    const other = makeTempDir('gaoping-lock-other-');
    try {
      const server = await startServerProcess({ DATA_DIR: other.dir, DEMO: 'off' });
      expect(await health(server.url)).toBe(200);
      expect(await server.stop()).toBe(0);
      expect(fs.existsSync(path.join(other.dir, HOLDER_FILE))).toBe(false); // a clean stop clears it
    } finally {
      other.remove();
    }
  });

  it('leaves no lock behind a server killed with SIGKILL: the next start takes the folder', async () => {
    const dead = first.child.pid;
    await first.kill();
    // What the killed server wrote about itself is still there; it does not hold anything.
    expect(holder()).toMatchObject({ pid: dead });
    first = await startServerProcess({ DATA_DIR: database.dataDir, DEMO: 'off' });
    expect(holder()).toMatchObject({ pid: first.child.pid, port: first.port });
    expect((await login(first.url, 'boss', PASSWORD)).user.username).toBe('boss');
    expect(await first.stop()).toBe(0);
    expect(fs.existsSync(holderFile())).toBe(false);
  });
});

describe('the DATA_DIR lock in a process of its own', () => {
  it('does not name a holder that is gone, whose record was left behind', async () => {
    const tmp = makeTempDir('gaoping-lock-');
    const lock = lockDataDir(tmp.dir, 3000);
    try {
      // A pid that was, and is no more.
      const child = spawn(process.execPath, ['-e', '']);
      const pid = child.pid!;
      await new Promise((resolve) => child.once('exit', resolve));
      fs.writeFileSync(
        path.join(tmp.dir, HOLDER_FILE),
        JSON.stringify({ pid, host: os.hostname(), port: 3000, since: Date.now() }),
      );
      let refused: unknown;
      try {
        lockDataDir(tmp.dir, 3001).release();
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as Error).message).toContain(
        `DATA_DIR=${tmp.dir} is in use by another server process (it has not written which yet): stop that one first`,
      );
    } finally {
      lock.release();
      tmp.remove();
    }
  });

  it('warns when the last server on the folder ran on another host and did not stop cleanly', () => {
    const tmp = makeTempDir('gaoping-lock-');
    try {
      const since = Date.UTC(2025, 5, 1, 0, 0, 3);
      fs.writeFileSync(
        path.join(tmp.dir, HOLDER_FILE),
        JSON.stringify({ pid: 4242, host: 'gp-app2', port: 3000, since }),
      );
      const lock = lockDataDir(tmp.dir, 3000);
      lock.release();
      expect(lock.warning).toBe(
        `DATA_DIR=${tmp.dir} was last used by a server on host gp-app2 (pid 4242, since ${localTime(since)}) that did not stop cleanly: ` +
          'if it still runs, stop one of the two, since this share does not carry the lock and a SQLite DATA_DIR serves one process on one host (several: PostgreSQL and Redis)',
      );
      // The same host's record, as a crash on this host leaves it: nothing to warn of.
      fs.writeFileSync(
        path.join(tmp.dir, HOLDER_FILE),
        JSON.stringify({ pid: 4242, host: os.hostname(), port: 3000, since }),
      );
      const again = lockDataDir(tmp.dir, 3000);
      again.release();
      expect(again.warning).toBeUndefined();
    } finally {
      tmp.remove();
    }
  });
});
