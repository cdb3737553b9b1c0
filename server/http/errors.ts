// HTTP errors the domain can throw and the one middleware that turns them into JSON answers.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field at fault, when there is one (`body.lng`, `query.limit` …). */
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string) => new HttpError(400, message, field);
export const unauthorized = (message = '未登录或登录已过期 (not signed in or the session expired)') =>
  new HttpError(401, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new HttpError(409, message, undefined, details);
export const unprocessable = (message: string, field?: string) => new HttpError(422, message, field);

/** Turn a zod error into a 400 that names the first bad field, e.g. `body.lat: Too big: expected number to be <=90`. */
export function fromZodError(err: z.ZodError, where: 'body' | 'query' | 'params' | 'payload'): HttpError {
  const first = err.issues[0];
  // A field the request may not carry is named itself (`body.reason`), not the object holding it.
  const extra = first?.code === 'unrecognized_keys' ? first.keys.slice(0, 1) : [];
  const field = [where, ...(first?.path ?? []).map(String), ...extra].join('.');
  const message = first ? `${field}: ${first.message}` : `${where}: invalid`;
  return new HttpError(400, message, field, {
    issues: err.issues.map((i) => ({ path: i.path, message: i.message })),
  });
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'payload',
): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodError(r.error, where);
  return r.data;
}

export const notFoundApi: RequestHandler = (req, _res, next) => {
  next(notFound(`No API route ${req.method} ${req.path}`));
};

/** Answer with JSON, as Express's res.json does (also for responses that never went through Express). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** The answer to an error thrown or passed on by a route or a middleware. */
export function errorResponse(
  err: unknown,
  logger: Logger,
  req: { method?: string; originalUrl?: string; url?: string },
): { status: number; body: Record<string, unknown> } {
  if (err instanceof HttpError)
    return {
      status: err.status,
      body: { error: err.message, ...(err.field ? { field: err.field } : {}), ...err.details },
    };
  // body-parser errors: malformed JSON, body too large, wrong charset.
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed')
    return { status: 400, body: { error: 'body: malformed JSON', field: 'body' } };
  if (e.type === 'entity.too.large')
    return { status: 413, body: { error: 'body: request body too large', field: 'body' } };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return { status: e.status, body: { error: e.message ?? 'bad request' } };
  logger.error({ err, method: req.method, url: req.originalUrl ?? req.url }, 'unhandled error');
  return {
    status: 500,
    body: {
      error: 'Internal server error; the request was not applied. Try again, and report it if it repeats.',
    },
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    const { status, body } = errorResponse(err, logger, req);
    sendJson(res, status, body);
  };
}
