// The case search's index (server/store/search-index.ts says how it is used; README "Storage").
// SQLite: the FTS5 trigram table `case_search`, its statistics `case_search_vocab`, the stable number
// of each case's row there (`case_search_map`), the cases waiting to be indexed
// (`case_search_pending`), the triggers that keep them, and every stored case indexed, with progress
// lines. All in one transaction: a start killed half-way (a health check's timeout on a large
// county) leaves the database as it was, and the next start does it again (`if not exists`, and
// the index filled afresh, for a start killed between the commit and Kysely's record of it).
// PostgreSQL: pg_trgm and its GIN indexes where the role may create the extension; otherwise the
// migration goes on without them (searches scan) and each start tries again (ensureSearchIndex).
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { progressLine, type MigrationLog } from '../migrate';
import { createPgSearchIndex } from '../search-index';

const INDEX_PAGE = 10_000;

export async function up(db: Kysely<any>, log: MigrationLog): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    // The migration runs in a transaction here; a refused extension must not abort it.
    await sql`savepoint pg_trgm`.execute(db);
    const refused = await createPgSearchIndex(db);
    if (!refused) return void (await sql`release savepoint pg_trgm`.execute(db));
    await sql`rollback to savepoint pg_trgm`.execute(db);
    log(`search index: not built (${refused}); searches read every case until it is`);
    return;
  }
  await db.transaction().execute(async (trx) => {
    // detail=full: a search is a phrase (its trigrams in a row), which needs the tokens' positions.
    await sql`create virtual table if not exists case_search using fts5(case_id, body, tokenize = 'trigram', detail = full)`.execute(
      trx,
    );
    await sql`create virtual table if not exists case_search_vocab using fts5vocab(case_search, 'row')`.execute(
      trx,
    );
    await sql`create table if not exists case_search_map (fts_rowid integer primary key, case_id text not null unique)`.execute(
      trx,
    );
    await sql`create table if not exists case_search_pending (case_id text primary key)`.execute(trx);
    // From the start (a database left between this commit and its record in kysely_migration).
    await sql`delete from case_search`.execute(trx);
    await sql`delete from case_search_map`.execute(trx);
    await sql`insert into case_search_map (case_id) select id from cases order by id`.execute(trx);
    await indexAll(trx, log);
    await sql`create trigger if not exists case_search_insert after insert on cases begin
        insert into case_search_pending (case_id) values (new.id);
      end`.execute(trx);
    // A changed text replaces the case's row (a pending case has none: it is indexed as it is then).
    await sql`create trigger if not exists case_search_update after update of search_text on cases begin
        delete from case_search where rowid = (select fts_rowid from case_search_map where case_id = old.id);
        insert into case_search (rowid, case_id, body)
          select fts_rowid, new.id, new.search_text from case_search_map where case_id = new.id;
      end`.execute(trx);
    await sql`create trigger if not exists case_search_delete after delete on cases begin
        delete from case_search where rowid = (select fts_rowid from case_search_map where case_id = old.id);
        delete from case_search_map where case_id = old.id;
        delete from case_search_pending where case_id = old.id;
      end`.execute(trx);
  });
}

/** Indexes every stored case (numbered in case_search_map), 10,000 at a time, saying how far it is. */
async function indexAll(db: Kysely<any>, log: MigrationLog): Promise<void> {
  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from case_search_map`.execute(db)).rows[0]?.n ?? 0,
  );
  for (let done = 0; done < total; done += INDEX_PAGE) {
    await sql`insert into case_search (rowid, case_id, body)
      select m.fts_rowid, c.id, c.search_text from case_search_map m join cases c on c.id = m.case_id
      where m.fts_rowid > ${done} and m.fts_rowid <= ${done + INDEX_PAGE}`.execute(db);
    if (total > INDEX_PAGE) log(progressLine('search index', Math.min(done + INDEX_PAGE, total), total));
  }
}
