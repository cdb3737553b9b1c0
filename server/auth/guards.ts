// Checks every route makes: who is calling, and may their role do this.
import type { Request } from 'express';
import type { Role, SessionUser } from '../../shared/auth';
import { forbidden, unauthorized } from '../http/errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the authenticate middleware when a valid bearer token came with the request. */
    user?: SessionUser;
    /** With `user`: when its password was given (s; the token's auth_time), for renewing. */
    authTime?: number;
    /** With `user`: the account's session generation the token was issued under. */
    sessionGen?: number;
  }
}

export function requireUser(req: Pick<Request, 'user'>): SessionUser {
  if (!req.user) throw unauthorized();
  return req.user;
}

export function requireRole(user: SessionUser, roles: readonly Role[], what = 'this'): SessionUser {
  if (!roles.includes(user.role)) {
    throw forbidden(
      `角色 ${user.role} 无权执行此操作 (role ${user.role} may not ${what}; allowed: ${roles.join(', ')})`,
    );
  }
  return user;
}
