// When the page renews its session: read from the token's own expiry, 2 h before it.
import { describe, expect, it } from 'vitest';
import { RENEW_BEFORE_MS, renewalDue, tokenExpiry } from '../../../client/src/lib/session';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (payload: unknown) => `${b64url({ alg: 'HS256' })}.${b64url(payload)}.sig`;

describe('session renewal', () => {
  it("reads a token's expiry from its payload (base64url, Chinese in it too)", () => {
    const exp = Date.UTC(2026, 11, 2, 20) / 1000;
    expect(tokenExpiry(jwt({ exp, user: { displayName: '指挥中心坐席～' } }))).toBe(exp * 1000);
  });
  it('gives no expiry for a token it cannot read', () => {
    expect(tokenExpiry('not-a-token')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
    expect(tokenExpiry(jwt({ user: 'x' }))).toBeNull();
  });
  it('renews 2 h before expiry, and at once (10 s) when that has passed', () => {
    const now = Date.UTC(2026, 11, 2, 8);
    expect(renewalDue(now + 12 * 3600_000, now)).toBe(now + 12 * 3600_000 - RENEW_BEFORE_MS);
    expect(renewalDue(now + 3600_000, now)).toBe(now + 10_000);
  });
});
