// Session tokens: HS256 JWTs (jose), 12 h. The secret is JWT_SECRET, or one generated on first start
// into DATA_DIR/jwt-secret so sessions survive restarts. Several processes must share JWT_SECRET.
// A signed-in page renews its token before it expires (POST /api/auth/refresh: a wall screen runs
// for days); each token carries when the password was given (`auth_time`), and renewal stops
// SESSION_MAX_SECONDS after it, so a session ends at the latest a week after its sign-in. Each also
// carries the account's session generation (`gen`): a password change, a new role or scope
// (`npm run users -- set`) or disabling moves it on, and tokens of an older generation are refused
// (server/auth/session-check.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { sessionUserSchema, type SessionUser } from '../../shared/auth';
import type { Config } from '../config';
import type { Clock } from '../clock';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
export const SESSION_MAX_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'gaoping-dispatch';

export function loadJwtSecret(config: Pick<Config, 'JWT_SECRET' | 'dataDir'>): Uint8Array {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  const file = path.join(config.dataDir, 'jwt-secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // 'wx' fails if another process created it first; then read theirs.
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim());
}

export interface Session {
  user: SessionUser;
  /** When the password was given, in seconds (the JWT's auth_time). */
  authTime: number;
  /** The account's session generation the token was issued under (0 in tokens from before it). */
  sessionGen: number;
}

/** Verified tokens kept in memory, so a busy client does not cost an HMAC per request. */
const VERIFIED_CACHE_MAX = 10_000;

export class TokenService {
  private readonly verified = new Map<string, Session & { expMs: number }>();

  constructor(
    private readonly secret: Uint8Array,
    private readonly clock: Clock,
  ) {}

  /**
   * A token for `user`, signed in with a password at `authTime` (s; now by default), under the
   * account's session generation `sessionGen`.
   */
  async issue(user: SessionUser, authTime?: number, sessionGen = 0): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    return new SignJWT({ user, auth_time: authTime ?? now, gen: sessionGen })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_TTL_SECONDS)
      .sign(this.secret);
  }

  /** The user in a valid token, or null (bad signature, expired, malformed). */
  async verify(token: string): Promise<SessionUser | null> {
    return (await this.session(token))?.user ?? null;
  }

  /** The user in a valid token and when they gave their password (s), or null. */
  async session(token: string): Promise<Session | null> {
    const now = this.clock.now();
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expMs > now) return { user: hit.user, authTime: hit.authTime, sessionGen: hit.sessionGen };
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(now),
      });
      const parsed = sessionUserSchema.safeParse(payload.user);
      if (!parsed.success) return null;
      // Tokens from before auth_time was written count from when they were issued.
      const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : (payload.iat ?? 0);
      // Tokens from before the generation was written are of the first one.
      const sessionGen = typeof payload.gen === 'number' ? payload.gen : 0;
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
      // A token is valid, unchanged, until its expiry: remember it until then (a manual clock that
      // jumps backwards in tests only makes it re-verify sooner).
      if (payload.exp !== undefined)
        this.verified.set(token, { user: parsed.data, authTime, sessionGen, expMs: payload.exp * 1000 });
      return { user: parsed.data, authTime, sessionGen };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}
