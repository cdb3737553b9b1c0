import type { RequestHandler } from 'express';
import type { LeanMiddleware } from '../http/lean';
import type { SessionCheck } from './session-check';
import type { Session, TokenService } from './tokens';

/**
 * Reads `Authorization: Bearer <token>`; sets req.user (and req.authTime) when valid and its session
 * still holds (not ended by a password change or disabling: session-check.ts). Routes decide whether
 * it is required. Uses only Node's request, so it serves Express and the lean routes alike.
 */
export function authenticate(tokens: TokenService, sessions: SessionCheck): RequestHandler & LeanMiddleware {
  const holding = async (token: string): Promise<Session | null> => {
    const session = await tokens.session(token);
    return session && (await sessions.holds(session.user.id, session.sessionGen)) ? session : null;
  };
  return (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) return next();
    holding(token).then((session) => {
      if (session) {
        req.user = session.user;
        req.authTime = session.authTime;
        req.sessionGen = session.sessionGen;
      }
      next();
    }, next);
  };
}

/** `Bearer <token>`, the scheme in any letter case (RFC 7235: auth-schemes are case-insensitive). */
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header, or none. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/** Rejects every request without a valid token (mounted after the public routes). */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  res.status(401).json({
    error:
      '未登录或登录已过期 (not signed in or the session expired): send Authorization: Bearer <token> from POST /api/auth/login',
  });
};
