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
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return next();
    holding(header.slice(7).trim()).then((session) => {
      if (session) {
        req.user = session.user;
        req.authTime = session.authTime;
        req.sessionGen = session.sessionGen;
      }
      next();
    }, next);
  };
}

/** Rejects every request without a valid token (mounted after the public routes). */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  res.status(401).json({
    error:
      '未登录或登录已过期 (not signed in or the session expired): send Authorization: Bearer <token> from POST /api/auth/login',
  });
};
