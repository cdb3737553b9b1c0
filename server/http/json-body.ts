// The JSON body parser every JSON route runs (Express's and the lean intake route's), with the
// charset checked first. body-parser decodes any `utf-*` charset it is told of (UTF-16LE, UTF-32,
// UTF-7 …), so a body sent so was read and stored as if nothing were amiss; JSON is UTF-8 (RFC
// 8259), and any other charset is a 415 naming `headers.content-type`, before the body is read.
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { HttpError, clip } from './errors';

/** The `charset` parameter of a Content-Type, unquoted; undefined when it names none. */
export function charsetOf(contentType: string): string | undefined {
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** Whether the request carries a body, as body-parser tells (type-is's hasBody). */
const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined ||
  !Number.isNaN(Number(req.headers['content-length'] ?? NaN));

/** A 415 for a JSON body in a charset other than UTF-8; undefined for anything else. */
export function jsonCharsetError(req: IncomingMessage): HttpError | undefined {
  const type = req.headers['content-type'];
  if (!type || !hasBody(req)) return undefined;
  if (type.split(';')[0]!.trim().toLowerCase() !== 'application/json') return undefined; // not parsed as JSON
  const charset = charsetOf(type);
  if (charset === undefined || charset.toLowerCase() === 'utf-8') return undefined;
  return new HttpError(
    415,
    `headers.content-type: unsupported charset "${clip(charset, 32)}"; send JSON as UTF-8`,
    'headers.content-type',
  );
}

/** express.json() with the charset checked before it reads a byte. */
export function jsonBodyParser(limit: string): express.RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    const refused = jsonCharsetError(req);
    if (refused) return next(refused);
    parse(req, res, next);
  };
}
