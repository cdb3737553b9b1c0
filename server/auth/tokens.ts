// Session tokens: HS256 JWTs (jose), 12 h. The secret is JWT_SECRET, or one generated on first start
// into DATA_DIR/jwt-secret so sessions survive restarts. Several processes must share JWT_SECRET.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { sessionUserSchema, type SessionUser } from '../../shared/auth';
import type { Config } from '../config';
import type { Clock } from '../clock';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
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

/** Verified tokens kept in memory, so a busy client does not cost an HMAC per request. */
const VERIFIED_CACHE_MAX = 10_000;

export class TokenService {
  private readonly verified = new Map<string, { user: SessionUser; expMs: number }>();

  constructor(
    private readonly secret: Uint8Array,
    private readonly clock: Clock,
  ) {}

  async issue(user: SessionUser): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    return new SignJWT({ user })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_TTL_SECONDS)
      .sign(this.secret);
  }

  /** The user in a valid token, or null (bad signature, expired, malformed). */
  async verify(token: string): Promise<SessionUser | null> {
    const now = this.clock.now();
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expMs > now) return hit.user;
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
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
      // A token is valid, unchanged, until its expiry: remember it until then (a manual clock that
      // jumps backwards in tests only makes it re-verify sooner).
      if (payload.exp !== undefined)
        this.verified.set(token, { user: parsed.data, expMs: payload.exp * 1000 });
      return parsed.data;
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}
