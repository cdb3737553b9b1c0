// users.session_gen: the account's session generation. Every token carries the generation it was
// issued under; changing the password or disabling the account adds one, which ends every session
// issued before (refresh, requests and open sockets refuse them: server/auth/session-check.ts).
// Accounts already stored start at 0, as do tokens from before this column (they carry none), so
// an upgrade signs nobody out. A start killed after the column was added finds it and stops.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const users = (await db.introspection.getTables()).find((t) => t.name === 'users');
  if (users?.columns.some((c) => c.name === 'session_gen')) return;
  await db.schema
    .alterTable('users')
    .addColumn('session_gen', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('session_gen').execute();
}
