// teams.retired_at: when the team was retired (`npm run teams -- retire`), epoch ms; null while it
// serves. A retired team keeps its row, so its tracks and the case records naming it keep its name,
// but it is off the live map, the team lists and pickers, and its devices are refused. Teams stored
// before this column serve. A start killed after the column was added finds it and stops.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const teams = (await db.introspection.getTables()).find((t) => t.name === 'teams');
  if (teams?.columns.some((c) => c.name === 'retired_at')) return;
  await db.schema.alterTable('teams').addColumn('retired_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').dropColumn('retired_at').execute();
}
