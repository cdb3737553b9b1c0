// Two server processes on one PostgreSQL and one Redis behave as one: what one process takes in,
// clients of the other see; when one dies, the once-only jobs move to the survivor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from '../../support/db';
import { startServerProcess, type ServerProcess } from '../../support/process-server';
import { login } from '../../support/auth';
import { connectSocket, waitFor, type ClientSocket } from '../../support/socket';
import { UserService } from '../../../server/auth/users';
import { TeamService } from '../../../server/teams/service';
import { systemClock } from '../../../server/clock';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const enabled = !!TEST_DATABASE_URL && !!TEST_REDIS_URL;

if (!enabled) {
  describe.skip('two server processes: skipped, TEST_DATABASE_URL and TEST_REDIS_URL are needed (.ci/run sets them)', () => {
    it('share work through PostgreSQL and Redis', () => {});
  });
}

describe.runIf(enabled)('two server processes on PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: ClientSocket[] = [];
  const env = () => ({
    DATABASE_URL: database.databaseUrl!,
    REDIS_URL: TEST_REDIS_URL!,
    DATA_DIR: database.dataDir,
    JWT_SECRET: 'two-instance-test-secret-two-instance-test-secret',
    DEMO: 'off',
  });

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // Accounts and a team, written straight through the domain services before the servers start.
    const store = await database.open();
    const users = new UserService(store, Date.now);
    await users.create({
      username: 'cmd',
      password: 'pw-cmd',
      displayName: '坐席',
      role: 'commander',
      scope: { kind: 'county' },
    });
    await users.create({
      username: 'dc',
      password: 'pw-dc',
      displayName: '东城街道',
      role: 'township',
      scope: { kind: 'township', code: '140581002' },
    });
    await new TeamService(store, systemClock, { retentionDays: 90 }).createTeam({
      id: 'T140581002',
      name: '东城街道综合行政执法队',
      kind: 'township',
      ownerCode: '140581002',
      ownerName: '东城街道',
      members: [],
      devices: [{ deviceId: 'dc-car', token: 'dc-secret', label: '执法车' }],
    });
    await store.close();
    a = await startServerProcess(env());
    await a.waitForOutput(/now runs the once-only jobs/);
    b = await startServerProcess(env());
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.kill();
    await b?.stop();
    await database?.destroy();
  });

  it('only the first process leads the once-only jobs', () => {
    expect(b.output()).not.toMatch(/now runs the once-only jobs/);
  });

  it('a fix posted to process B reaches a township client on process A, and both know the latest position', async () => {
    const dc = connectSocket(a.url, (await login(a.url, 'dc', 'pw-dc')).token);
    sockets.push(dc);
    await waitFor(dc, 'hello');
    const heard = waitFor(dc, 'team:positions', (u) => u.some((x) => x.teamId === 'T140581002'));
    const res = await fetch(`${b.url}/api/osmand?id=dc-car&lat=35.801&lon=112.931`);
    expect(res.status).toBe(200);
    expect((await heard)[0]!.position).toMatchObject({ lat: 35.801, lng: 112.931 });
    const { token } = await login(a.url, 'cmd', 'pw-cmd');
    const teams = await fetch(`${a.url}/api/teams`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await teams.json()) as { teams: Array<{ id: string; position: { lat: number } | null }> };
    expect(body.teams.find((t) => t.id === 'T140581002')!.position?.lat).toBe(35.801);
  });

  it('when the leader is killed, the other process takes over the once-only jobs', async () => {
    await a.kill();
    await b.waitForOutput(/now runs the once-only jobs/, 20_000);
  });
});
