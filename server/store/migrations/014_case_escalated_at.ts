// cases.escalated_at: when the command centre last escalated the case (督办), so the big screen's
// queue can say which overdue cases it has chased and when, without reading each case's events.
// Filled for the cases already stored from their escalate events (one statement; the events are
// indexed by case). In one transaction on both engines, as 011 and 013; a start killed after the
// SQLite transaction's commit but before Kysely records the migration finds the column and stops.
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { MigrationLog } from '../migrate';

export async function up(db: Kysely<any>, log: MigrationLog): Promise<void> {
  const run = async (trx: Kysely<any>) => {
    const cases = (await trx.introspection.getTables()).find((t) => t.name === 'cases');
    if (cases?.columns.some((c) => c.name === 'escalated_at')) return;
    await trx.schema.alterTable('cases').addColumn('escalated_at', 'bigint').execute();
    const filled = await sql`update cases set escalated_at = (
        select max(e.at) from case_events e where e.case_id = cases.id and e.type = 'escalate')
      where escalations > 0`.execute(trx);
    const n = Number(filled.numAffectedRows ?? 0);
    if (n) log(`escalation times: ${n} escalated cases`);
  };
  if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute(run);
  else await run(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('escalated_at').execute();
}
