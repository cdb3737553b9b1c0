// 案件编号: cases.no_day and cases.no_seq (`20261204-0012`: the Shanghai day of the report and the
// case's number that day, shared/cases.ts caseNumber), the counter of each day (`case_numbers`),
// and the stored cases numbered in the order they were reported (created_at, then id), 10,000 at a
// time with progress lines. The numbers go through a scratch table and one `update … from` for
// them all, not one statement per case (a hundred thousand round trips on PostgreSQL). In one
// transaction on both engines, as 011: a start killed half-way leaves the database as it was. On
// SQLite Kysely records the migration after that transaction commits: a start killed in between
// finds `case_numbers` made at the next start, and has nothing left to do.
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { numberDayOf } from '../../cases/case-numbers';
import { progressLine, type MigrationLog } from '../migrate';

const PAGE = 10_000;
/** Rows per insert into the scratch table (3 parameters each; SQLite allows 32,766). */
const CHUNK = 1000;

export async function up(db: Kysely<any>, log: MigrationLog): Promise<void> {
  const run = async (trx: Kysely<any>) => {
    const tables = await trx.introspection.getTables();
    if (tables.some((t) => t.name === 'case_numbers')) return;
    await trx.schema.alterTable('cases').addColumn('no_day', 'text').execute();
    await trx.schema.alterTable('cases').addColumn('no_seq', 'integer').execute();
    await trx.schema
      .createTable('case_numbers')
      .addColumn('day', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await numberStoredCases(trx, log);
    await trx.schema.createIndex('cases_no').on('cases').columns(['no_day', 'no_seq']).unique().execute();
  };
  if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute(run);
  else await run(db);
}

async function numberStoredCases(db: Kysely<any>, log: MigrationLog): Promise<void> {
  const total = Number(
    (
      await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (!total) return;
  await db.schema
    .createTable('case_numbering')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('no_day', 'text', (c) => c.notNull())
    .addColumn('no_seq', 'integer', (c) => c.notNull())
    .execute();
  const last = new Map<string, number>();
  let done = 0;
  let after: { at: number; id: string } | null = null;
  for (;;) {
    let page = db.selectFrom('cases').select(['id', 'created_at']);
    // A row comparison: both engines read it as a range of the (created_at, id) index.
    if (after) page = page.where(sql<boolean>`(created_at, id) > (${after.at}, ${after.id})`);
    const rows: Array<{ id: string; created_at: number | string }> = await page
      .orderBy('created_at')
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (!rows.length) break;
    const numbered = rows.map((r) => {
      const day = numberDayOf(Number(r.created_at));
      const seq = (last.get(day) ?? 0) + 1;
      last.set(day, seq);
      return { id: r.id, no_day: day, no_seq: seq };
    });
    for (let i = 0; i < numbered.length; i += CHUNK)
      await db
        .insertInto('case_numbering')
        .values(numbered.slice(i, i + CHUNK))
        .execute();
    const tail = rows[rows.length - 1]!;
    after = { at: Number(tail.created_at), id: tail.id };
    done += rows.length;
    if (total > PAGE) log(progressLine('case numbers', done, total));
  }
  await sql`update cases set no_day = n.no_day, no_seq = n.no_seq
    from case_numbering n where n.id = cases.id`.execute(db);
  await db.schema.dropTable('case_numbering').execute();
  const days = [...last].map(([day, value]) => ({ day, value }));
  for (let i = 0; i < days.length; i += CHUNK)
    await db
      .insertInto('case_numbers')
      .values(days.slice(i, i + CHUNK))
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_no').execute();
  await db.schema.dropTable('case_numbers').execute();
  await db.schema.alterTable('cases').dropColumn('no_seq').execute();
  await db.schema.alterTable('cases').dropColumn('no_day').execute();
}
