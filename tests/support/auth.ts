// Real accounts and real tokens for tests: the user is created in the test server's database and
// signs in over HTTP like a browser would.
import type { Role, Scope, SessionUser } from '../../shared/auth';
import type { TestServer } from './server';

export const TEST_PASSWORD = 'test-password';

function defaultScope(role: Role): Scope {
  if (role === 'township') return { kind: 'township', code: '140581002' };
  if (role === 'department') return { kind: 'department', code: 'zrzyj' };
  return { kind: 'county' };
}

/** Create `username` (if new) with `role`/`scope` and return a bearer token for it. */
export async function tokenFor(
  server: TestServer,
  username: string,
  role: Role,
  scope: Scope = defaultScope(role),
): Promise<string> {
  await server.handle.ctx.users.ensure({
    username,
    password: TEST_PASSWORD,
    displayName: username,
    role,
    scope,
  });
  const { token } = await login(server.url, username, TEST_PASSWORD);
  return token;
}

export async function login(
  url: string,
  username: string,
  password: string,
): Promise<{ token: string; user: SessionUser }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: SessionUser };
}

/** fetch with a bearer token and JSON body; returns status and parsed body. */
export async function call<T = any>(
  url: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed as T };
}

/**
 * Resolves once GET /api/auth/me with `token` answers `status` (a session ended by `npm run users`
 * is refused within the server's SESSION_CHECK_MS); polls every `pollMs`, fails past `boundMs`.
 */
export async function untilMeAnswers(
  url: string,
  token: string,
  status: number,
  { pollMs = 50, boundMs = 5000 }: { pollMs?: number; boundMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + boundMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await call(url, token, 'GET', '/api/auth/me')).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`GET /api/auth/me answered ${last}, not ${status}, within ${boundMs} ms`);
}
