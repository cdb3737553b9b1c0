// Renewing a session (POST /api/auth/refresh) on a real server whose clock the test moves: a page
// signed in keeps working past the token's 12 h by renewing it, as the account now is, until a week
// after the password was given; a disabled account, an expired or forged token get no new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { ManualClock } from '../../../server/clock';

const HOUR = 3600_000;

describe.each(ENGINES)('session renewal on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 0, 0));
  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
  });
  afterAll(() => server?.close());

  const refresh = (token: string | null) => call(server.url, token, 'POST', '/api/auth/refresh');

  it('gives a signed-in page a new token that outlives the old one, for the same user', async () => {
    const first = await tokenFor(server, 'night-shift', 'commander');
    clock.advance(11 * HOUR);
    const r = await refresh(first);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'night-shift', role: 'commander' });
    clock.advance(2 * HOUR); // 13 h after sign-in: the first token has expired, the new one not
    expect((await call(server.url, first, 'GET', '/api/auth/me')).status).toBe(401);
    const me = await call(server.url, r.body.token, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('night-shift');
    // An expired token renews nothing.
    expect((await refresh(first)).status).toBe(401);
  });

  it('stops renewing a week after the password was given: the page must sign in again', async () => {
    let token = await tokenFor(server, 'wall-screen', 'commander');
    // Renewed every 10 h, as a page on the wall would, for 160 h: each time a token.
    for (let hours = 10; hours <= 160; hours += 10) {
      clock.advance(10 * HOUR);
      const r = await refresh(token);
      expect(r.status, `renewal after ${hours} h`).toBe(200);
      token = r.body.token;
    }
    // 170 h after the sign-in the token in hand is still valid, but renews no more.
    clock.advance(10 * HOUR);
    expect((await call(server.url, token, 'GET', '/api/auth/me')).status).toBe(200);
    const r = await refresh(token);
    expect(r.status).toBe(401);
    expect(r.body.error).toContain('7 天');
  });

  it('renews for the account as it is now: a changed role applies, a disabled account gets none', async () => {
    const token = await tokenFor(server, 'moved-clerk', 'commander');
    const db = server.handle.ctx.store.db;
    await db.updateTable('users').set({ role: 'leader' }).where('username', '=', 'moved-clerk').execute();
    const r = await refresh(token);
    expect(r.status).toBe(200);
    expect(r.body.user.role).toBe('leader');
    await db.updateTable('users').set({ disabled: 1 }).where('username', '=', 'moved-clerk').execute();
    const refused = await refresh(r.body.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toContain('停用');
  });

  it('refuses without a token, and with a forged one', async () => {
    expect((await refresh(null)).status).toBe(401);
    const token = await tokenFor(server, 'someone', 'leader');
    const [h, p] = token.split('.');
    expect((await refresh(`${h}.${p}.AAAA`)).status).toBe(401);
  });
});
