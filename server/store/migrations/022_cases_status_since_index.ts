// An index on the cases' state and when they entered it: the big screen asks for the cases closed or
// rejected since the day began (`GET /api/cases?status=closed,rejected&statusFrom=…`), whenever they
// were reported, so 今日结案 counts a case reported 40 days ago and closed today after a reload as it
// did live. Without it that read walks every closed case the county has ever had.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('cases_status_since')
    .ifNotExists()
    .on('cases')
    .columns(['status', 'status_since'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_status_since').ifExists().execute();
}
