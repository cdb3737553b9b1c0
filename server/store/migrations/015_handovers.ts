// 交接班 (shared/handovers.ts): one row per handover, kept forever; an index on the case events'
// time, which a shift's summary counts by (the events of the last few hours, not the whole table);
// and one on cases.merged_into, for the duplicates a case's view lists (mergedFrom).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('handovers')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by_id', 'text', (c) => c.notNull())
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'bigint')
    .addColumn('taken_by_id', 'text')
    .addColumn('taken_by_name', 'text')
    .execute();
  await db.schema.createIndex('handovers_at').ifNotExists().on('handovers').column('at').execute();
  await db.schema.createIndex('case_events_at').ifNotExists().on('case_events').column('at').execute();
  // A case's view lists the duplicates merged into it.
  await db.schema.createIndex('cases_merged_into').ifNotExists().on('cases').column('merged_into').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_merged_into').ifExists().execute();
  await db.schema.dropIndex('case_events_at').ifExists().execute();
  await db.schema.dropTable('handovers').ifExists().execute();
}
