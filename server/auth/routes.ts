import express, { type Router } from 'express';
import { loginRequestSchema, refreshRequestSchema, type LoginResponse } from '../../shared/auth';
import { HttpError, parseWith } from '../http/errors';
import type { AppContext } from '../context';
import { requireUser } from './guards';
import { RateLimiter } from './rate-limit';
import { SESSION_MAX_SECONDS } from './tokens';

/** Failed sign-ins allowed per account and per client address in one window. */
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
export const LOGIN_FAILURES_PER_ADDRESS = 50;
export const LOGIN_WINDOW_MS = 5 * 60 * 1000;

export function authRouter(ctx: AppContext): Router {
  const router = express.Router();
  const now = () => ctx.clock.now();
  const perAccount = new RateLimiter(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW_MS, now);
  const perAddress = new RateLimiter(LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MS, now);

  router.post('/auth/login', async (req, res) => {
    const { username, password } = parseWith(loginRequestSchema, req.body, 'body');
    // Failures count per account and per address, so one client can neither guess fast nor, by
    // guessing, lock every account out; successful sign-ins never count.
    const address = req.ip ?? 'unknown';
    const wait = Math.max(perAccount.blockedFor(username), perAddress.blockedFor(address));
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpError(
        429,
        `登录尝试过多，请 ${wait} 秒后再试 (too many sign-in attempts; wait ${wait} s)`,
      );
    }
    const account = await ctx.users.signIn(username, password);
    if (!account) {
      perAccount.hit(username);
      perAddress.hit(address);
      throw new HttpError(401, '用户名或密码错误 (wrong username or password)', 'body.password');
    }
    perAccount.reset(username);
    const { user, sessionGen } = account;
    const body: LoginResponse = { token: await ctx.tokens.issue(user, undefined, sessionGen), user };
    res.json(body);
  });

  // A new token for the session, 12 h from now, for the account as it is now (a changed display
  // name applies; a disabled account gets none), until a week after the password was given, and
  // only while the session generation is the one the session was signed in with (a new password,
  // role or scope moves it on). The account is read here,
  // not taken from SessionCheck's memory: a renewal always sees the latest change.
  router.post('/auth/refresh', async (req, res) => {
    const user = requireUser(req);
    parseWith(refreshRequestSchema, req.body ?? {}, 'body');
    const authTime = req.authTime ?? 0; // set with req.user by the authenticate middleware
    const sessionGen = req.sessionGen ?? 0; // likewise
    if (now() / 1000 - authTime > SESSION_MAX_SECONDS)
      throw new HttpError(401, '登录已超过 7 天，请重新登录 (the session is a week old: sign in again)');
    const current = await ctx.users.account(user.id);
    if (!current) throw new HttpError(401, '账号已停用或不存在 (the account is disabled or gone)');
    if (current.sessionGen !== sessionGen)
      throw new HttpError(
        401,
        '登录已失效，请重新登录 (the session was ended: the password, role or scope was changed, or the account disabled; sign in again)',
      );
    const body: LoginResponse = {
      token: await ctx.tokens.issue(current.user, authTime, current.sessionGen),
      user: current.user,
    };
    res.json(body);
  });

  // What the login page may say (public): whether this is a demo server, and whether its demo
  // accounts still have the documented password (the password itself is never sent).
  router.get('/auth/options', (_req, res) => {
    res.json({
      demo: ctx.config.DEMO,
      demoDefaultPassword: ctx.config.DEMO && ctx.config.DEMO_PASSWORD === 'demo',
    });
  });

  router.get('/auth/me', (req, res) => {
    res.json({ user: requireUser(req) });
  });

  return router;
}
