// 延期: cases.extension_request, the assignee's request for more days on the 办结 deadline while it
// waits for the command centre (JSON: days, reason, at, by; null when none waits),
// and cases.extensions, how many were granted. Cases stored before have neither. Both columns in one
// transaction on SQLite (as 018); a start killed after the commit but before Kysely records the
// migration finds them and stops.
import { SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const run = async (trx: Kysely<any>) => {
    const cases = (await trx.introspection.getTables()).find((t) => t.name === 'cases');
    const has = new Set(cases?.columns.map((c) => c.name));
    if (!has.has('extension_request'))
      await trx.schema.alterTable('cases').addColumn('extension_request', 'text').execute();
    if (!has.has('extensions'))
      await trx.schema
        .alterTable('cases')
        .addColumn('extensions', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
  };
  if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute(run);
  else await run(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('extensions').execute();
  await db.schema.alterTable('cases').dropColumn('extension_request').execute();
}
