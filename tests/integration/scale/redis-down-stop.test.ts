// A server stopped while Redis cannot be reached stops promptly: nothing it does on the way out
// (saving its sockets' sessions, quitting Redis) waits for Redis to come back. Before, SIGTERM in a
// Redis outage always ran into main.ts's 10 s force exit ("shutdown took over 10 s"), exit code 1.
import { afterAll, describe, expect, it } from 'vitest';
import { servicesConfigured } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { connectSocket, waitConnected, waitFor } from '../../support/socket';
import { startTcpProxy, type TcpProxy } from '../../bench/support/tcp-proxy';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const enabled = servicesConfigured('TEST_REDIS_URL');

describe.runIf(enabled)('stopping while Redis is unreachable', () => {
  let proxy: TcpProxy | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    await proxy?.close();
  });

  it('closes in a few seconds, its clients told', async () => {
    proxy = await startTcpProxy({ backends: [Number(new URL(TEST_REDIS_URL!).port)], mode: 'failover' });
    server = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    const socket = connectSocket(server.url, await tokenFor(server, 'commander1', 'commander'));
    await waitConnected(socket);
    await proxy.close();
    proxy = undefined;
    // The server has seen Redis go (its health says so), as it would minutes into an outage.
    await expect.poll(async () => (await call(server!.url, null, 'GET', '/api/health')).status).toBe(503);
    const told = waitFor(socket, 'disconnect' as never, () => true, 10_000);
    const t0 = Date.now();
    await server.close();
    const took = Date.now() - t0;
    await told;
    expect(took, 'main.ts exits with an error past 10 s').toBeLessThan(8000);
  });
});
