// cases.search_text: what GET /api/cases?q= searches (server/cases/search-text.ts), filled for the
// cases already stored, a thousand at a time. In one transaction on both engines (PostgreSQL: the
// migration's own; SQLite: its own here), so a start killed half-way leaves nothing half done.
import { SqliteAdapter, type Kysely } from 'kysely';
import { searchTextOf } from '../../cases/search-text';
import { progressLine, type MigrationLog } from '../migrate';

const PAGE = 1000;
/** A progress line every this many cases. */
const REPORT_EVERY = 10_000;

export async function up(db: Kysely<any>, log: MigrationLog): Promise<void> {
  const run = async (trx: Kysely<any>) => {
    await trx.schema
      .alterTable('cases')
      .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await fillSearchText(trx, log);
  };
  if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute(run);
  else await run(db);
}

/** Writes the search text of every case, in pages by id, in the caller's transaction if any. */
export async function fillSearchText(db: Kysely<any>, log: MigrationLog = () => undefined): Promise<void> {
  const total = Number(
    (
      await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let done = 0;
  let after = '';
  for (;;) {
    const rows: Array<{
      id: string;
      description: string;
      domain: string;
      location: string;
      reporter: string | null;
    }> = await db
      .selectFrom('cases')
      .select(['id', 'description', 'domain', 'location', 'reporter'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (!rows.length) {
      if (total >= REPORT_EVERY) log(progressLine('search text written', done, total));
      return;
    }
    for (const r of rows)
      await db
        .updateTable('cases')
        .set({
          search_text: searchTextOf({
            description: r.description,
            domain: r.domain,
            location: JSON.parse(r.location),
            reporter: r.reporter ? JSON.parse(r.reporter) : null,
          }),
        })
        .where('id', '=', r.id)
        .execute();
    after = rows[rows.length - 1]!.id;
    done += rows.length;
    if (done % REPORT_EVERY < rows.length && done < total)
      log(progressLine('search text written', done, total));
  }
}
