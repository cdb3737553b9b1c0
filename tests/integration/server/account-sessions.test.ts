// Ending an account's sessions from `npm run users` (its own process, as the operator runs it) on a
// real server with the same database: a changed password or a disabled account refuses the old
// tokens (renewal at once, any request within SESSION_CHECK_MS), and disconnects the account's open
// sockets, which then cannot come back; other accounts are untouched.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { TEST_PASSWORD, call, login, tokenFor, untilMeAnswers } from '../../support/auth';
import {
  connectSocket,
  waitConnected,
  waitDisconnected,
  waitFor,
  type ClientSocket,
} from '../../support/socket';
import { runUsersCli } from '../../support/users-cli';
import { loadJwtSecret } from '../../../server/auth/tokens';

/** How long an account's state is trusted in these tests (the default is 30 s). */
const CHECK_MS = 200;
/** The bound within which an ended session must be refused: a few check intervals, with slack. */
const BOUND_MS = 5000;

describe.each(ENGINES)('ending sessions from the users command on %s', (engine) => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const open = (token: string) => {
    const s = connectSocket(server.url, token);
    sockets.push(s);
    return s;
  };
  const users = (...args: string[]) => runUsersCli(server.database, args, { USER_PASSWORD: 'new-password' });

  beforeAll(async () => {
    server = await startTestServer({ engine, env: { SESSION_CHECK_MS: String(CHECK_MS) } });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
  });

  it('a changed password ends every session of the account: renewal, requests and sockets', async () => {
    const token = await tokenFor(server, 'pw-change', 'commander');
    const other = await tokenFor(server, 'pw-bystander', 'commander');
    expect((await call(server.url, token, 'GET', '/api/auth/me')).status).toBe(200);
    const socket = open(token);
    const bystander = open(other);
    await Promise.all([waitFor(socket, 'hello'), waitFor(bystander, 'hello')]);
    const gone = waitDisconnected(socket, BOUND_MS);

    const r = await users('passwd', 'pw-change');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/password changed for pw-change/);

    // Renewal reads the account: refused at once, with the 401 the page signs out on.
    const refresh = await call(server.url, token, 'POST', '/api/auth/refresh');
    expect(refresh.status).toBe(401);
    // Any request, within SESSION_CHECK_MS.
    await untilMeAnswers(server.url, token, 401, { pollMs: CHECK_MS / 4, boundMs: BOUND_MS });
    // The open socket is disconnected by the server, and cannot come back with that token.
    expect(await gone).toBe('io server disconnect');
    await expect(waitConnected(open(token))).rejects.toThrow(/unauthorized: the session has ended/);

    // The other account is untouched.
    expect(bystander.connected).toBe(true);
    expect((await call(server.url, other, 'GET', '/api/auth/me')).status).toBe(200);

    // The new password signs in, at once (even though the old state was read moments ago), the old
    // one no more.
    const fresh = await login(server.url, 'pw-change', 'new-password');
    expect((await call(server.url, fresh.token, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await call(server.url, fresh.token, 'POST', '/api/auth/refresh')).status).toBe(200);
    await waitFor(open(fresh.token), 'hello');
    await expect(login(server.url, 'pw-change', TEST_PASSWORD)).rejects.toThrow(/401/);
  });

  it('disabling ends every session and sign-in; enabling lets the user sign in again, not the old sessions', async () => {
    const token = await tokenFor(server, 'leaver', 'township', { kind: 'township', code: '140581002' });
    const socket = open(token);
    await waitFor(socket, 'hello');
    const gone = waitDisconnected(socket, BOUND_MS);

    const r = await users('disable', 'leaver');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/disabled leaver/);

    expect((await call(server.url, token, 'POST', '/api/auth/refresh')).status).toBe(401);
    await untilMeAnswers(server.url, token, 401, { pollMs: CHECK_MS / 4, boundMs: BOUND_MS });
    expect(await gone).toBe('io server disconnect');
    await expect(waitConnected(open(token))).rejects.toThrow(/unauthorized/);
    await expect(login(server.url, 'leaver', TEST_PASSWORD)).rejects.toThrow(/401/);

    const e = await users('enable', 'leaver');
    expect(e.code, e.stderr).toBe(0);
    // The sessions disabling ended stay ended; signing in works again, at once.
    expect((await call(server.url, token, 'POST', '/api/auth/refresh')).status).toBe(401);
    expect((await call(server.url, token, 'GET', '/api/auth/me')).status).toBe(401);
    const again = await login(server.url, 'leaver', TEST_PASSWORD);
    expect((await call(server.url, again.token, 'GET', '/api/auth/me')).status).toBe(200);
  });

  it('keeps the sessions of tokens issued before the session generation existed (an upgrade signs nobody out)', async () => {
    const token = await tokenFor(server, 'old-token', 'leader');
    const user = (await call(server.url, token, 'GET', '/api/auth/me')).body.user;
    // A token as the server issued it before: no `gen` claim.
    const now = Math.floor(Date.now() / 1000);
    const legacy = await new SignJWT({ user, auth_time: now })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('gaoping-dispatch')
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(loadJwtSecret(server.config));
    expect((await call(server.url, legacy, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await call(server.url, legacy, 'POST', '/api/auth/refresh')).status).toBe(200);
    await waitFor(open(legacy), 'hello');
  });
});
