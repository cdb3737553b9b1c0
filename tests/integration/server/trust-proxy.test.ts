// TRUST_PROXY: the sign-in limit per address counts the client's address as the trusted proxies
// forward it (X-Forwarded-For), and the proxy's own address when the proxy is not trusted. The
// test server listens on 127.0.0.1: its peer, the "proxy", is loopback.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { LOGIN_FAILURES_PER_ADDRESS } from '../../../server/auth/routes';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let attempt = 0;
/** A failed sign-in (a new account each time: the limit per account stays out of it). */
async function failSignIn(url: string, forwardedFor: string): Promise<number> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ username: `nobody-${++attempt}`, password: 'guess' }),
  });
  await r.arrayBuffer();
  return r.status;
}

async function failMany(url: string, forwardedFor: (i: number) => string): Promise<void> {
  for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++)
    expect(await failSignIn(url, forwardedFor(i))).toBe(401);
}

describe('TRUST_PROXY and the sign-in limit per address', () => {
  it('by default (loopback) counts the address a proxy on this host forwards', async () => {
    server = await startTestServer();
    await failMany(server.url, () => '203.0.113.7');
    expect(await failSignIn(server.url, '203.0.113.7')).toBe(429);
    expect(await failSignIn(server.url, '198.51.100.1')).toBe(401);
  });

  it('with 0 believes no X-Forwarded-For: every failure counts against the peer', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '0' } });
    await failMany(server.url, (i) => `203.0.113.${i + 1}`);
    expect(await failSignIn(server.url, '198.51.100.1')).toBe(429);
  });

  it('with a list believes the proxies in it, hop by hop, and no others', async () => {
    // The balancer (here: loopback, named by its address) behind an edge proxy in 198.51.100.0/24.
    server = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1, 198.51.100.0/24' } });
    await failMany(server.url, () => '203.0.113.9, 198.51.100.2');
    expect(await failSignIn(server.url, '203.0.113.9, 198.51.100.3')).toBe(429);
    expect(await failSignIn(server.url, '203.0.113.10, 198.51.100.2')).toBe(401);
    // An address the client made up in front of an untrusted hop is not believed.
    expect(await failSignIn(server.url, '203.0.113.9, 192.0.2.1')).toBe(401);
  });
});
