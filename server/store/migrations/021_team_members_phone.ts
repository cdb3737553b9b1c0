// team_members.phone: the member's phone (联系电话), normalised (a mobile's 11 digits, or a landline as
// 0350-1234567 with an optional -extension); null when none is known. Members stored before have none.
// A start killed after the column was added finds it and stops.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const members = (await db.introspection.getTables()).find((t) => t.name === 'team_members');
  if (members?.columns.some((c) => c.name === 'phone')) return;
  await db.schema.alterTable('team_members').addColumn('phone', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('team_members').dropColumn('phone').execute();
}
