import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_code', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('teams_owner').on('teams').columns(['kind', 'owner_code']).execute();
  await db.schema
    .createTable('team_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text')
    .execute();
  await db.schema.createIndex('team_members_team').on('team_members').column('team_id').execute();
  await db.schema
    .createTable('devices')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('positions')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.device_id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('speed', 'double precision')
    .addColumn('bearing', 'double precision')
    .addColumn('altitude', 'double precision')
    .addColumn('accuracy', 'double precision')
    .addColumn('battery', 'double precision')
    // A device resending a fix (apps retry on flaky networks) is the same row, not a duplicate.
    .addPrimaryKeyConstraint('positions_pk', ['device_id', 'at'])
    .execute();
  await db.schema.createIndex('positions_team_at').on('positions').columns(['team_id', 'at']).execute();
  await db.schema.createIndex('positions_at').on('positions').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['positions', 'devices', 'team_members', 'teams']) await db.schema.dropTable(t).execute();
}
