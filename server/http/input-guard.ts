// Characters no request may carry, refused once at the boundary, before any route or handler reads
// the request: PostgreSQL text cannot hold U+0000 (a NUL that reached a query was a 500 there, and
// was stored on SQLite), so a NUL anywhere in the path, the query or a JSON body (a string or a
// key) is a 400 naming where it was, on both engines. The path and the query hold identifiers,
// codes and one-line searches: every C0 control character and DEL is refused there. Body strings
// may hold tabs and line breaks (a clue's description); their other control characters are each
// field's own rule (shared/text.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { badRequest, type HttpError } from './errors';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;
/** A control character as the path or the query carries it: percent-encoded (or raw). */
// eslint-disable-next-line no-control-regex
const URL_CONTROL = /%(?:[01][0-9a-f]|7f)|[\u0000-\u001F\u007F]/i;
const NUL = '\u0000';

const PATH_MESSAGE = 'control characters (U+0000–U+001F, U+007F) are not allowed';
const NUL_MESSAGE = 'U+0000 (NUL) is not allowed';

/** A key as a field name shows it: its control characters written out (`a\u0000b`). */
const shown = (key: string) =>
  // eslint-disable-next-line no-control-regex
  key.replace(/[\u0000-\u001F\u007F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The first control character in the path or the query of a request target, as a 400. */
export function urlControlError(url: string): HttpError | undefined {
  if (!URL_CONTROL.test(url)) return undefined; // the usual case: one test of the whole target
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (URL_CONTROL.test(path)) return badRequest(`path: ${PATH_MESSAGE}`, 'path');
  for (const pair of url.slice(q + 1).split('&')) {
    if (!URL_CONTROL.test(pair)) continue;
    const eq = pair.indexOf('=');
    const key = querystring.unescape(eq === -1 ? pair : pair.slice(0, eq));
    const field = `query.${shown(key)}`;
    return badRequest(
      `${field}: ${CONTROL.test(key) ? `the parameter's name: ${PATH_MESSAGE}` : PATH_MESSAGE}`,
      field,
    );
  }
  return undefined;
}

/**
 * The field of the first string or key holding a NUL in a parsed JSON value, as `where.a.0.b`
 * (a key holding one is named with it written out); undefined when there is none. Walked without
 * recursion: a 1 MB body nested 500,000 deep does not overflow the stack.
 */
export function nulField(value: unknown, where: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? where : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  interface Node {
    v: unknown;
    key: string;
    parent: Node | null;
  }
  const name = (n: Node | null, last?: string): string => {
    const keys: string[] = last === undefined ? [] : [last];
    for (let at = n; at; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.');
  };
  const stack: Node[] = [{ v: value, key: where, parent: null }];
  while (stack.length) {
    const n = stack.pop()!;
    const v = n.v;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return name(n);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const children: Node[] = [];
    if (Array.isArray(v)) v.forEach((c, i) => children.push({ v: c, key: String(i), parent: n }));
    else
      for (const [k, c] of Object.entries(v)) {
        if (k.includes(NUL)) return name(n, shown(k));
        children.push({ v: c, key: k, parent: n });
      }
    // Last pushed, first walked: the first field in the body is the one named.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

/** A NUL in a parsed JSON value (a body, a socket payload) as a 400 naming its field. */
export function nulError(value: unknown, where: string): HttpError | undefined {
  const field = nulField(value, where);
  return field === undefined ? undefined : badRequest(`${field}: ${NUL_MESSAGE}`, field);
}

/**
 * The boundary check, after the JSON body parser: Connect-style, so Express and the lean routes
 * (http/lean.ts) run the same one. A body another route reads itself (a photo's bytes) is not
 * parsed here and not looked at.
 */
export function refuseControlCharacters(
  req: IncomingMessage & { body?: unknown },
  _res: ServerResponse,
  next: (err?: unknown) => void,
): void {
  const err = urlControlError(req.url ?? '/') ?? (isJson(req.body) ? nulError(req.body, 'body') : undefined);
  next(err);
}

/** What express.json() leaves in req.body: a parsed value (never a Buffer or a stream). */
const isJson = (body: unknown): boolean =>
  typeof body === 'string' ||
  Array.isArray(body) ||
  (typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype);
