// Cases, their audit events, the event sequence, the parties that may see each case, and deadlines.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reporter', 'text')
    .addColumn('photos', 'text', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('township_code', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('assignee_kind', 'text')
    .addColumn('assignee_code', 'text')
    .addColumn('assignee_name', 'text')
    .addColumn('cooperating', 'text', (c) => c.notNull())
    .addColumn('duplicate_of', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('result', 'text')
    .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dispatched_at', 'bigint')
    .addColumn('first_dispatched_at', 'bigint')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('arrived_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('ack_ms', 'bigint')
    .addColumn('arrive_ms', 'bigint')
    .addColumn('closed_on_time', 'integer')
    .addColumn('rectify_orders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rectified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reworks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('returns', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('turnouts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Retries of one clue by one caller find the first case; NULL client ids never collide.
  await db.schema
    .createIndex('cases_client')
    .on('cases')
    .columns(['created_by', 'client_id'])
    .unique()
    .execute();
  await db.schema.createIndex('cases_created').on('cases').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('cases_township')
    .on('cases')
    .columns(['township_code', 'created_at'])
    .execute();
  await db.schema.createIndex('cases_status').on('cases').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('cases_matter_lat').on('cases').columns(['matter_code', 'lat']).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'seq']).execute();
  // The audit trail is kept forever (全过程记录、可回溯): the database itself refuses edits.
  if (isSqlite(db)) {
    for (const op of ['update', 'delete'])
      await sql
        .raw(
          `create trigger case_events_no_${op} before ${op} on case_events begin select raise(abort, 'case_events is append-only'); end`,
        )
        .execute(db);
  } else {
    await sql
      .raw(
        `create function case_events_append_only() returns trigger language plpgsql as $$ begin raise exception 'case_events is append-only'; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger case_events_no_edit before update or delete on case_events for each row execute function case_events_append_only()`,
      )
      .execute(db);
  }

  // One row: the last sequence number handed out. Updating it inside each writing transaction
  // serialises commits, so seq order is commit order and has no gaps.
  await db.schema
    .createTable('event_seq')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('event_seq').values({ id: 1, value: 0 }).execute();

  await db.schema
    .createTable('case_parties')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_parties_pk', ['case_id', 'party'])
    .execute();
  await db.schema
    .createIndex('case_parties_party')
    .on('case_parties')
    .columns(['party', 'case_id'])
    .execute();

  await db.schema
    .createTable('case_deadlines')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('met_at', 'bigint')
    .addColumn('overdue_at', 'bigint')
    .addPrimaryKeyConstraint('case_deadlines_pk', ['case_id', 'kind'])
    .execute();
  // The scheduler only ever looks at deadlines still running.
  await db.schema
    .createIndex('case_deadlines_open')
    .on('case_deadlines')
    .column('due_at')
    .where(sql.ref('met_at'), 'is', null)
    .where(sql.ref('overdue_at'), 'is', null)
    .execute();
}

function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isSqlite(db)) await sql.raw('drop function if exists case_events_append_only() cascade').execute(db);
  for (const t of ['case_deadlines', 'case_parties', 'event_seq', 'case_events', 'cases'])
    await db.schema.dropTable(t).execute();
}
