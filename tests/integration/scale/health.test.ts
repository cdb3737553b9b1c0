// GET /api/health checks every dependency the process needs: the database, and Redis when
// REDIS_URL is set. Redis is reached here through a TCP proxy, so the test can take it away (the
// URL then points at a closed port) and give it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesConfigured } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { connectSocket, waitFor } from '../../support/socket';
import { startTcpProxy, type TcpProxy } from '../../bench/support/tcp-proxy';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const enabled = servicesConfigured('TEST_REDIS_URL');

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(enabled)('GET /api/health with Redis', () => {
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    proxy = await startTcpProxy({ backends: [Number(new URL(TEST_REDIS_URL!).port)], mode: 'failover' });
    server = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  const health = () => call(server.url, null, 'GET', '/api/health');

  it('answers 200 while the database and Redis answer', async () => {
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', db: 'sqlite', version: expect.any(String) });
  });

  it('answers 503 naming Redis when Redis is gone, within the check time limit, and 200 once it is back', async () => {
    const port = proxy.port;
    await proxy.close(); // every connection cut, nothing listens on the port any more
    const t0 = Date.now();
    const r = await eventually(health, (x) => x.status === 503, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({
      status: 'degraded',
      db: 'sqlite',
      failed: ['redis'],
      error: 'unavailable: redis',
      checks: { db: 'ok', redis: expect.stringMatching(/^failed: /) },
    });

    proxy = await startTcpProxy({
      backends: [Number(new URL(TEST_REDIS_URL!).port)],
      mode: 'failover',
      port,
    });
    const back = await eventually(health, (x) => x.status === 200, 10_000);
    expect(back.status).toBe(200);
  });

  it("GET /api/presence answers with Redis gone: this process's connections, partial", async () => {
    const token = await tokenFor(server, 'presence-cmd', 'commander');
    const socket = connectSocket(server.url, token);
    const port = proxy.port;
    try {
      await waitFor(socket, 'hello');
      await proxy.close();
      await eventually(health, (x) => x.status === 503, 5000);
      await new Promise((r) => setTimeout(r, 2100)); // past the answer kept from before
      // Before: the adapter's question to Redis waited for Redis, and so did the answer.
      const r = await Promise.race([
        call(server.url, token, 'GET', '/api/presence'),
        new Promise<{ status: string; body: null }>((resolve) =>
          setTimeout(() => resolve({ status: 'no answer within 10 s', body: null }), 10_000),
        ),
      ]);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ units: [], commanders: 1, partial: true });
    } finally {
      socket.disconnect();
      proxy = await startTcpProxy({
        backends: [Number(new URL(TEST_REDIS_URL!).port)],
        mode: 'failover',
        port,
      });
    }
    expect((await eventually(health, (x) => x.status === 200, 10_000)).status).toBe(200);
  }, 30_000);
});
