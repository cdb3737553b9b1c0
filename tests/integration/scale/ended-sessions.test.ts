// Two server processes on one PostgreSQL and one Redis: `npm run users -- disable`, run from a third
// process, ends the account's sockets on both (each process checks its own sockets every
// SESSION_CHECK_MS), and both refuse its token; another account's sockets stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, servicesConfigured, type TestDatabase } from '../../support/db';
import { sharedEnv, startServerProcess, type ServerProcess } from '../../support/process-server';
import { call, login } from '../../support/auth';
import {
  connectSocket,
  waitConnected,
  waitDisconnected,
  waitFor,
  type ClientSocket,
} from '../../support/socket';
import { runUsersCli } from '../../support/users-cli';
import { UserService } from '../../../server/auth/users';

const enabled = servicesConfigured('TEST_DATABASE_URL', 'TEST_REDIS_URL');
const BOUND_MS = 5000;

describe.runIf(enabled)('ending a session with two server processes', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: ClientSocket[] = [];
  const open = (url: string, token: string) => {
    const s = connectSocket(url, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const store = await database.open();
    const users = new UserService(store, Date.now);
    for (const username of ['leaving', 'staying'])
      await users.create({
        username,
        password: 'pw-test',
        displayName: username,
        role: 'commander',
        scope: { kind: 'county' },
      });
    await store.close();
    const env = {
      ...sharedEnv(database, 'ended-sessions-test-secret-ended-sessions-test'),
      SESSION_CHECK_MS: '300',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.destroy();
  });

  it('disconnects the account on every process and refuses its token there', async () => {
    const leaving = (await login(a.url, 'leaving', 'pw-test')).token;
    const staying = (await login(b.url, 'staying', 'pw-test')).token;
    const onA = open(a.url, leaving);
    const onB = open(b.url, leaving);
    const bystanders = [open(a.url, staying), open(b.url, staying)];
    await Promise.all([onA, onB, ...bystanders].map((s) => waitFor(s, 'hello')));
    // Both processes have read the account as it is before the change.
    for (const url of [a.url, b.url])
      expect((await call(url, leaving, 'GET', '/api/auth/me')).status).toBe(200);
    const gone = [waitDisconnected(onA, BOUND_MS), waitDisconnected(onB, BOUND_MS)];

    const r = await runUsersCli(database, ['disable', 'leaving']);
    expect(r.code, r.stderr).toBe(0);

    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    for (const url of [a.url, b.url]) {
      expect((await call(url, leaving, 'GET', '/api/auth/me')).status).toBe(401);
      await expect(waitConnected(open(url, leaving))).rejects.toThrow(/unauthorized/);
    }
    expect(bystanders.every((s) => s.connected)).toBe(true);
    for (const url of [a.url, b.url])
      expect((await call(url, staying, 'GET', '/api/auth/me')).status).toBe(200);
  });
});
