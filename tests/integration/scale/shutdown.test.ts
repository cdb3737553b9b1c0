// A process stopped with SIGTERM (a deploy, a scale-down) closes its Socket.IO connections before
// its Redis connections, so each client's session is saved in Redis for connection state recovery:
// the client reconnects through the balancer to the other process and resumes there (`recovered`),
// with what happened meanwhile replayed, and nothing is missing from its state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { createTestDatabase, servicesConfigured, type TestDatabase } from '../../support/db';
import { sharedEnv, startServerProcess, type ServerProcess } from '../../support/process-server';
import { call, login } from '../../support/auth';
import { clueAt, pointIn } from '../../support/cases';
import { CaseMirror, serverVersions } from '../../support/case-mirror';
import { startTcpProxy, type TcpProxy } from '../../bench/support/tcp-proxy';
import { UserService } from '../../../server/auth/users';
import { loadDefaultGeoIndex } from '../../../server/geo/default';
import type { GeoIndex } from '../../../server/geo/types';

const enabled = servicesConfigured('TEST_DATABASE_URL', 'TEST_REDIS_URL');
const DONGCHENG = '140581002';

describe.runIf(enabled)('SIGTERM on one of two processes', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let proxy: TcpProxy;
  let geo: GeoIndex;
  let cmd: string;
  let centre: CaseMirror | undefined;
  let point = 0;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const store = await database.open();
    await new UserService(store, Date.now).create({
      username: 'cmd',
      password: 'pw-cmd',
      displayName: '坐席',
      role: 'commander',
      scope: { kind: 'county' },
    });
    await store.close();
    geo = await loadDefaultGeoIndex({ BOUNDARY_METERS: 30 });
    const env = sharedEnv(database, 'shutdown-test-secret-shutdown-test-secret-shutdown');
    a = await startServerProcess(env);
    b = await startServerProcess(env);
    // The balancer: A while it is up, then B.
    proxy = await startTcpProxy({ backends: [a.port, b.port], mode: 'failover' });
    cmd = (await login(b.url, 'cmd', 'pw-cmd')).token;
  });

  afterAll(async () => {
    centre?.close();
    await proxy?.close();
    await a?.stop();
    await b?.stop();
    await database?.destroy();
  });

  async function newCase(url: string): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(
      url,
      cmd,
      'POST',
      '/api/clues',
      clueAt(pointIn(geo, DONGCHENG, point++)),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  }

  it('its clients resume on the other process with their session (state recovery through Redis)', async () => {
    const m = new CaseMirror(proxy.url, cmd);
    centre = m;
    await m.until((x) => x.resyncs === 1, 'connected to A and synced');
    expect(proxy.open().get(a.port)).toBeGreaterThan(0);
    const first = await newCase(b.url); // gives the client a recovery offset
    await m.until((x) => x.cases.has(first.id), 'a live event before the stop');

    const dropped = new Promise<string>((resolve) => m.socket.once('disconnect', resolve));
    expect(await a.stop()).toBe(0); // SIGTERM: a clean exit
    expect(await dropped).toBe('transport close'); // not "io server disconnect": it comes back by itself
    const meanwhile = await newCase(b.url);

    await m.until((x) => x.resyncs === 2, 'reconnected to B and resynced', 20_000);
    expect(m.socket.recovered).toBe(true);
    expect(proxy.open().get(b.port)).toBeGreaterThan(0);
    await m.until((x) => x.cases.has(meanwhile.id), 'the case reported while it was away');
    expect(m.versions()).toEqual(await serverVersions(b.url, cmd));
    expect(new Set(m.applied).size).toBe(m.applied.length);
    // A closed Redis after its sockets: nothing failed on the way out.
    expect(a.output()).not.toMatch(/Connection is closed|unhandled|ERR/i);
  });
});
