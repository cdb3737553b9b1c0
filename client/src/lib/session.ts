// When a signed-in page renews its session token (POST /api/auth/refresh): a wall screen stays
// open for days, and a token lasts 12 h. Read from the token itself (its `exp`), so a page reloaded
// from sessionStorage knows too.

/** Renew this long before the token expires, to ride out a server restart or a network gap. */
export const RENEW_BEFORE_MS = 2 * 60 * 60 * 1000;
/** After a failed renewal (network, server), try again this much later while the token lasts. */
export const RENEW_RETRY_MS = 60 * 1000;

/** When the token expires (ms since the epoch), from its payload; null when it cannot be read. */
export function tokenExpiry(token: string): number | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' && Number.isFinite(json.exp) ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** When to renew a token expiring at `expiry`: RENEW_BEFORE_MS before, and not sooner than 10 s. */
export function renewalDue(expiry: number, now: number): number {
  return Math.max(now + 10_000, expiry - RENEW_BEFORE_MS);
}
