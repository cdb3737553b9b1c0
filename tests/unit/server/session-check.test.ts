// SessionCheck's memory of the accounts: trusted for maxAgeMs, read again after, and at once for a
// token newer than what it knows; one read for many waiting requests; the last answer when the
// database fails.
import { describe, expect, it } from 'vitest';
import { SessionCheck } from '../../../server/auth/session-check';
import type { AccountState } from '../../../server/auth/users';

function fakeUsers(initial: Record<string, AccountState>) {
  const rows = new Map(Object.entries(initial));
  let reads = 0;
  let failing = false;
  return {
    rows,
    reads: () => reads,
    fail: (on: boolean) => (failing = on),
    async sessionStates(ids: readonly string[]) {
      reads++;
      if (failing) throw new Error('database down');
      return new Map(ids.flatMap((id) => (rows.has(id) ? [[id, rows.get(id)!] as const] : [])));
    },
  };
}

describe('SessionCheck', () => {
  it('trusts what it read for maxAgeMs, then reads again and sees the change', async () => {
    const users = fakeUsers({ u1: { sessionGen: 0, disabled: false } });
    let now = 0;
    const check = new SessionCheck(users, 1000, () => now);
    expect(await check.holds('u1', 0)).toBe(true);
    users.rows.set('u1', { sessionGen: 1, disabled: false }); // the password changed elsewhere
    now = 999;
    expect(check.holds('u1', 0)).toBe(true); // known, not read again
    expect(users.reads()).toBe(1);
    now = 1000;
    expect(await check.holds('u1', 0)).toBe(false);
    expect(users.reads()).toBe(2);
  });

  it('reads again at once for a token newer than what it knows (signed in after the change)', async () => {
    const users = fakeUsers({ u1: { sessionGen: 0, disabled: false } });
    const check = new SessionCheck(users, 60_000, () => 0);
    expect(await check.holds('u1', 0)).toBe(true);
    users.rows.set('u1', { sessionGen: 2, disabled: false });
    expect(await check.holds('u1', 2)).toBe(true);
    expect(await check.holds('u1', 0)).toBe(false); // and the old token is known to have ended
    expect(users.reads()).toBe(2);
  });

  it('refuses a disabled or missing account, and reads once for many waiting requests', async () => {
    const users = fakeUsers({ off: { sessionGen: 3, disabled: true } });
    const check = new SessionCheck(users, 60_000, () => 0);
    expect(await Promise.all([check.holds('off', 3), check.holds('off', 3), check.holds('gone', 0)])).toEqual(
      [false, false, false],
    );
    expect(users.reads()).toBe(2);
  });

  it('keeps the last answer while the database fails, and fails with nothing known', async () => {
    const users = fakeUsers({ u1: { sessionGen: 0, disabled: false } });
    let now = 0;
    const check = new SessionCheck(users, 1000, () => now);
    expect(await check.holds('u1', 0)).toBe(true);
    users.fail(true);
    now = 5000;
    expect(await check.holds('u1', 0)).toBe(true);
    await expect(check.holds('u2', 0)).rejects.toThrow(/database down/);
  });
});
