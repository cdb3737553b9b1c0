// The teams' version: one row of `meta` that every write to teams, members or devices bumps in its
// own transaction (`npm run teams`, the demo's teams). Running servers read this one row every
// TEAM_VERSION_POLL_MS and re-read the teams only when it moved, so a change made by the CLI or by
// another process reaches every process within about a second, on SQLite and PostgreSQL alike,
// with nothing to listen to (no NOTIFY connection, no Redis) and nothing missed by a process that
// was busy or restarting: it compares the row with what it read last.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema';

export const TEAMS_VERSION_KEY = 'teams_version';

/** Count one more change to the teams (call inside the transaction that makes it). */
export async function bumpTeamsVersion(db: Kysely<Database>): Promise<void> {
  // A counter rather than a timestamp: two writes in one millisecond still differ.
  await sql`insert into meta (key, value) values (${TEAMS_VERSION_KEY}, '1')
    on conflict (key) do update set value = cast(cast(meta.value as bigint) + 1 as text)`.execute(db);
}

/** The teams' version as stored now; null before the first change counted. */
export async function readTeamsVersion(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', TEAMS_VERSION_KEY)
    .executeTakeFirst();
  return row?.value ?? null;
}
