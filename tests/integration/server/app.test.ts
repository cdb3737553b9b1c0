// The HTTP shell: health, errors, auth, security headers, on a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { TEST_PASSWORD, call, tokenFor } from '../../support/auth';

describe.each(ENGINES)('server shell on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ engine });
  });
  afterAll(() => server?.close());

  it('answers /api/health with the engine and version', async () => {
    const r = await call(server.url, null, 'GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', db: engine, version: expect.any(String) });
  });

  it('sends security headers with a CSP that allows MapLibre workers', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self' blob:");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses an API call without a token with 401', async () => {
    const r = await call(server.url, null, 'GET', '/api/auth/me');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/not signed in/);
  });

  it('answers an unknown API path with 404 JSON once signed in', async () => {
    const token = await tokenFor(server, 'shell-admin', 'admin');
    const r = await call(server.url, token, 'GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.error).toContain('/nope');
  });

  it('names the field of a malformed login', async () => {
    const r = await call(server.url, null, 'POST', '/api/auth/login', { username: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('body.password');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"username": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/malformed JSON/);
  });

  it('signs in, and the token identifies the user with role and scope', async () => {
    await tokenFor(server, 'dongcheng-clerk', 'township', { kind: 'township', code: '140581002' });
    const login = await call(server.url, null, 'POST', '/api/auth/login', {
      username: 'dongcheng-clerk',
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({
      username: 'dongcheng-clerk',
      role: 'township',
      scope: { kind: 'township', code: '140581002' },
    });
    const me = await call(server.url, login.body.token, 'GET', '/api/auth/me');
    expect(me.body.user.username).toBe('dongcheng-clerk');
  });

  it('refuses a forged token', async () => {
    const token = await tokenFor(server, 'forger', 'leader');
    const [h, p] = token.split('.');
    const r = await call(server.url, `${h}.${p}.AAAA`, 'GET', '/api/auth/me');
    expect(r.status).toBe(401);
  });

  it('rate-limits repeated failed sign-ins for one account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await call(server.url, null, 'POST', '/api/auth/login', {
        username: 'victim',
        password: `guess-${i}`,
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
