// fetch wrapper: JSON in and out (a Blob body sent as it is), the bearer token, and errors as
// ApiError with the server's message.
import { CLIENT_BUILD_HEADER } from '@shared/build';
import { noteServerBuild } from '@/lib/stale-build';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

let token: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setToken(t: string | null): void {
  token = t;
  early.clear(); // answers asked for with another session are not this one's
}
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

interface ApiInit {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  priority?: RequestPriority;
}

/**
 * GET answers asked for ahead of the code that reads them: the router starts a view's data while
 * the view's JavaScript loads and runs (MapLibre and ECharts hold the main thread for a while
 * before any component could ask), and the first `api()` GET of the same path takes the answer,
 * once, if it was asked for at most EARLY_MAX_AGE_MS before. Dropped when the session changes.
 */
const early = new Map<string, { at: number; answer: Promise<unknown> }>();
const EARLY_MAX_AGE_MS = 10_000;

export function prefetch(path: string, priority?: RequestPriority): void {
  const held = early.get(path);
  if (held && Date.now() - held.at <= EARLY_MAX_AGE_MS) return;
  const answer = request(path, { priority });
  answer.catch(() => undefined); // whoever takes it sees the error; if nobody does, it is no error
  early.set(path, { at: Date.now(), answer });
}

export function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  if (init.method === undefined && init.body === undefined && init.signal === undefined) {
    const held = early.get(path);
    if (held) {
      early.delete(path);
      if (Date.now() - held.at <= EARLY_MAX_AGE_MS) return held.answer as Promise<T>;
    }
  }
  return request<T>(path, init);
}

async function request<T>(path: string, init: ApiInit): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  // A file (a photo) goes as it is, its own type declared; anything else as JSON.
  const raw = init.body instanceof Blob ? init.body : null;
  if (raw) headers['Content-Type'] = raw.type || 'application/octet-stream';
  else if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      signal: init.signal,
      priority: init.priority,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network');
  }
  noteServerBuild(res.headers.get(CLIENT_BUILD_HEADER));
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!res.ok) {
    if (res.status === 401 && token && onUnauthorized) onUnauthorized();
    const b = body as { error?: string; field?: string } | undefined;
    throw new ApiError(res.status, b?.error ?? `HTTP ${res.status}`, b?.field, body);
  }
  return body as T;
}
