// Routes served straight off the HTTP server, before Express. Clue intake is the one route that
// takes a thousand requests a second, and Express spends more on each of them than the intake does:
// it re-prototypes the request and response, walks its layers (each match allocating its params
// and closures) and hashes every JSON answer for an ETag. At 1,000 clues/s that was a third of the
// main thread's CPU and half of what the garbage collector had to move (README "Intake figures").
// A lean route runs the same middlewares (security headers, the JSON body parser with its limit,
// the bearer token) in order, then its handler; errors get the answers Express's error handler
// gives (answers carry no ETag, which Express adds to every JSON answer). Every other request goes
// to Express, which has the same route for the forms left to it (an absolute-form request target,
// OPTIONS).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { SessionUser } from '../../shared/auth';
import { errorResponse, sendJson } from './errors';

/** The request as lean middlewares and handlers see it: Node's, plus what the middlewares set. */
export type LeanRequest = IncomingMessage & {
  body?: unknown;
  user?: SessionUser;
  authTime?: number;
  sessionGen?: number;
};

/** A Connect-style middleware (helmet, body-parser and our authenticate are). */
export type LeanMiddleware = (req: LeanRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Express's type for a middleware written for Node's request and response (helmet, body-parser:
 * both are Connect middlewares that use nothing Express adds).
 */
export const connectMiddleware = (mw: RequestHandler): LeanMiddleware => mw as unknown as LeanMiddleware;

export interface LeanRoute {
  method: string;
  /** The exact path, without query; matched as Express does (case-insensitive, trailing slash optional). */
  path: string;
  use: LeanMiddleware[];
  handle: (req: LeanRequest, res: ServerResponse) => Promise<void>;
}

/** Returns a dispatcher: it serves a request matching one of `routes` and returns true, else false. */
export function leanRoutes(
  routes: LeanRoute[],
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const byKey = new Map(routes.map((r) => [`${r.method} ${r.path.toLowerCase()}`, r]));
  const methods = new Set(routes.map((r) => r.method));
  return (req, res) => {
    // Every request of the server passes here: the others (static files, GETs) leave at once.
    if (!methods.has(req.method!)) return false;
    const route = byKey.get(`${req.method} ${pathOf(req.url ?? '/')}`);
    if (!route) return false;
    run(route, req as LeanRequest, res, logger);
    return true;
  };
}

/** The path of an origin-form request target (`/api/clues?x#y`); other forms are left to Express. */
function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  let p = end === -1 ? url : url.slice(0, end);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p.toLowerCase();
}

function run(route: LeanRoute, req: LeanRequest, res: ServerResponse, logger: Logger): void {
  const fail = (err: unknown) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const { status, body } = errorResponse(err, logger, req);
    sendJson(res, status, body);
  };
  let i = 0;
  const next = (err?: unknown): void => {
    if (err) return fail(err);
    const mw = route.use[i++];
    try {
      if (mw) mw(req, res, next);
      else route.handle(req, res).catch(fail);
    } catch (e) {
      fail(e);
    }
  };
  next();
}
