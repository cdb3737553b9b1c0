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
    issues: err.issues.map((i) => ({
      path: i.path.map((k) => (typeof k === 'string' ? clip(k) : k)),
      message: clipWords(i.message),
    })),
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
  next(notFound(`No API route ${req.method} ${clip(req.path)}`));
};

/** At most `max` characters of something the request sent, to echo in an answer. */
export function clip(text: string, max = 64): string {
  return text.length > max
    ? `${text.slice(0, max)}…（共 ${text.length} 个字符 / ${text.length} characters）`
    : text;
}

/**
 * An answer echoes at most 64 characters of any one word the request sent: a 404 for a
 * 10,000-character case id names its first 64, not the whole id, whichever route said it.
 */
const clipWords = (text: string) => text.replace(/[^\s()（）"'，,…]{65,}/g, (w) => clip(w));

/**
 * Errors Express, its router and body-parser raise before a route runs, answered like a route's
 * 4xx: with the field at fault. Undefined for any other error.
 */
function requestError(
  e: {
    type?: string;
    status?: number;
    message?: string;
    code?: string;
    errno?: number;
    charset?: string;
    encoding?: string;
  },
  err: unknown,
): { status: number; body: { error: string; field: string } } | undefined {
  const answer = (status: number, field: string, error: string) => ({
    status,
    body: { error: `${field}: ${error}`, field },
  });
  switch (e.type) {
    case 'entity.parse.failed':
      return answer(400, 'body', 'malformed JSON');
    case 'entity.too.large':
      return answer(413, 'body', 'request body too large');
    // A form-encoded body (the OsmAnd endpoint's) of more fields than its parser takes: the body is
    // too large in fields rather than in bytes, so it is named as the byte limit's 413 is.
    case 'parameters.too.many':
      return answer(413, 'body', 'too many form fields');
    case 'charset.unsupported':
      return answer(
        415,
        'headers.content-type',
        `unsupported charset "${clip(String(e.charset ?? ''), 32)}"; send JSON as UTF-8`,
      );
    case 'encoding.unsupported':
      return answer(
        415,
        'headers.content-encoding',
        `unsupported content encoding "${clip(String(e.encoding ?? ''), 32)}"; send identity, gzip, deflate or br`,
      );
    case 'request.size.invalid':
      return answer(400, 'headers.content-length', 'the body is not as long as Content-Length says');
    case 'request.aborted':
      return answer(400, 'body', 'the request was aborted before its body arrived');
  }
  // A zlib (Z_DATA_ERROR …) or brotli (ERR__ERROR_FORMAT_…) error reading the body.
  if (e.status === 400 && typeof e.code === 'string' && typeof e.errno === 'number')
    return answer(400, 'body', 'could not be decompressed as its Content-Encoding says');
  if (err instanceof URIError && e.status === 400)
    return answer(400, 'path', `${clip(e.message ?? '', 120)}: not valid percent-encoding (%XX, UTF-8)`);
  return undefined;
}

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
      body: {
        error: clipWords(err.message),
        ...(err.field ? { field: clipWords(err.field) } : {}),
        ...err.details,
      },
    };
  // body-parser and router errors: malformed JSON, body too large, wrong charset or encoding, a
  // body that does not inflate, a path that does not percent-decode.
  const e = err as Parameters<typeof requestError>[0];
  const known = requestError(e, err);
  if (known) return known;
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return { status: e.status, body: { error: clipWords(e.message ?? 'bad request'), field: 'request' } };
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
