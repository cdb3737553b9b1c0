import type { RequestHandler } from 'express';
import type { LeanMiddleware } from '../http/lean';
import type { TokenService } from './tokens';

/**
 * Reads `Authorization: Bearer <token>`; sets req.user (and req.authTime) when valid. Routes decide whether it is
 * required. Uses only Node's request, so it serves Express and the lean routes alike.
 */
export function authenticate(tokens: TokenService): RequestHandler & LeanMiddleware {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return next();
    tokens.session(header.slice(7).trim()).then((session) => {
      if (session) {
        req.user = session.user;
        req.authTime = session.authTime;
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
