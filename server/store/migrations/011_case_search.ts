// cases.search_text: what GET /api/cases?q= searches (server/cases/search-text.ts), filled for the
// cases already stored, a thousand at a time.
import type { Kysely } from 'kysely';
import { searchTextOf } from '../../cases/search-text';

const PAGE = 1000;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cases')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await fillSearchText(db);
}

/** Writes the search text of every case, in pages by id (each page one transaction). */
export async function fillSearchText(db: Kysely<any>): Promise<void> {
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
    if (!rows.length) return;
    await db.transaction().execute(async (trx) => {
      for (const r of rows)
        await trx
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
    });
    after = rows[rows.length - 1]!.id;
  }
}
