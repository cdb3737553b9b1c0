// cases.status_since: when the case entered the state it is in, so the clock a state runs on starts
// there (a returned case's 30 minutes to re-dispatch from its 退回, a rectification's from its order)
// and not from the last change of any kind (a 督办 three seconds later had restarted it). Filled for
// the open cases already stored from their last state-changing event (one statement; the events are
// indexed by case); finished cases run no clock and keep null. In one transaction on both engines,
// as 014; a start killed after the SQLite transaction's commit but before Kysely records the
// migration finds the column and stops.
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { MigrationLog } from '../migrate';

// As the workflow stood at 018 (shared/workflow.ts), written out: a migration never changes.
/** The events that move a case into a state: its creation and every transition with a `to`. */
const ENTERING = [
  'created',
  'dispatch',
  'reject',
  'merge',
  'acknowledge',
  'return',
  'reassign',
  'start',
  'order_rectification',
  'report_rectified',
  'resolve',
  'verify_pass',
  'verify_fail',
];
const OPEN = ['reported', 'dispatched', 'accepted', 'in_progress', 'rectifying', 'resolved', 'returned'];

export async function up(db: Kysely<any>, log: MigrationLog): Promise<void> {
  const run = async (trx: Kysely<any>) => {
    const cases = (await trx.introspection.getTables()).find((t) => t.name === 'cases');
    if (cases?.columns.some((c) => c.name === 'status_since')) return;
    await trx.schema.alterTable('cases').addColumn('status_since', 'bigint').execute();
    const filled = await sql`update cases set status_since = (
        select max(e.at) from case_events e where e.case_id = cases.id and e.type in (${sql.join(ENTERING)}))
      where status in (${sql.join(OPEN)})`.execute(trx);
    const n = Number(filled.numAffectedRows ?? 0);
    if (n) log(`state times: ${n} open cases`);
  };
  if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute(run);
  else await run(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('status_since').execute();
}
