// case_events by type, then seq: a unit's 退回 records (GET /api/returns) read the `return` events,
// newest first, without a pass over the whole audit trail. `if not exists`: a start killed after the
// index was built but before Kysely recorded the migration builds nothing twice.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('case_events_type')
    .ifNotExists()
    .on('case_events')
    .columns(['type', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_events_type').ifExists().execute();
}
