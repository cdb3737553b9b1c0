// PostgreSQL housekeeping for tests and benchmarks: one statement on a connection of its own
// (CREATE/DROP DATABASE, roles, grants, extensions), and a server URL pointed at another database.
import pg from 'pg';

/** Runs `query` on its own connection to `url`. */
export async function pgQuery(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** `url` with its database replaced by `name` (and, given, its user by `user`). */
export function databaseUrlFor(url: string, name: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  if (user) u.username = user;
  return u.toString();
}
