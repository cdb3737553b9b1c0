// An index for GET /api/cases?q= (server/cases/search-text.ts), so a search does not read every case.
// - SQLite: `case_search`, an FTS5 table with the trigram tokenizer over each case's search text and
//   its id. A search of three or more characters takes its candidates there; shorter ones scan.
//   Intake does not index each case in its own commit (an FTS5 commit writes a segment of its own:
//   ~0.15 ms a case in the writer thread, and intake's p95 doubled at 1,000 clues/s). A trigger
//   notes the new case in `case_search_pending` (one small row), and intake moves the pending cases
//   into the index together every SEARCH_INDEX_EVERY cases, in the same transaction as the clues it
//   is storing (`SEARCH_INDEX_DRAIN`; at start too). Until then a pending case is searched by
//   scanning the few pending ones. A changed search text is indexed at once, by trigger.
// - PostgreSQL: pg_trgm GIN indexes on `search_text` and `id`, which `like '%…%'` uses by itself (GIN
//   keeps its own pending list). pg_trgm ships with PostgreSQL (contrib) and is a trusted extension
//   (13+): a database owner may create it. Where it cannot be created, the search works as before,
//   by scanning; the server says so at start and tries again at each start (`ensureSearchIndex`).
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { progressLine, type MigrationLog } from '../migrate';

/** Moves the pending cases into the index: run inside a transaction (SQLite). */
export const SEARCH_INDEX_DRAIN = [
  `insert into case_search (case_id, body)
     select c.id, c.search_text from case_search_pending p join cases c on c.id = p.case_id`,
  `delete from case_search_pending`,
];

/** How many new cases intake lets wait before it indexes them together. */
export const SEARCH_INDEX_EVERY = 64;

const INDEX_PAGE = 10_000;

const isSqlite = (db: Kysely<any>) => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: Kysely<any>, log: MigrationLog): Promise<void> {
  if (isSqlite(db)) {
    // detail=full: a phrase (the search, as consecutive trigrams) needs the tokens' positions.
    await sql`create virtual table case_search using fts5(case_id, body, tokenize = 'trigram', detail = full)`.execute(
      db,
    );
    await sql`create table case_search_pending (case_id text primary key)`.execute(db);
    await indexAll(db, log);
    await sql`create trigger case_search_insert after insert on cases begin
        insert into case_search_pending (case_id) values (new.id);
      end`.execute(db);
    // A case's row in the index is found through its id's own trigrams (that column is indexed).
    const forget = `
      delete from case_search where rowid in (
        select rowid from case_search where case_search match 'case_id : "' || old.id || '"'
      ) and case_id = old.id;
      delete from case_search_pending where case_id = old.id;`;
    await sql
      .raw(
        `create trigger case_search_update after update of search_text on cases begin ${forget}
          insert into case_search (case_id, body) values (new.id, new.search_text);
        end`,
      )
      .execute(db);
    await sql.raw(`create trigger case_search_delete after delete on cases begin ${forget} end`).execute(db);
    return;
  }
  // PostgreSQL: the migration runs in a transaction; a refused extension must not abort it.
  await sql`savepoint pg_trgm`.execute(db);
  if (await createPgSearchIndex(db)) await sql`release savepoint pg_trgm`.execute(db);
  else await sql`rollback to savepoint pg_trgm`.execute(db);
}

/** Indexes every stored case, 10,000 at a time, saying how far it is. */
async function indexAll(db: Kysely<any>, log: MigrationLog): Promise<void> {
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
    const ids: Array<{ id: string }> = await db
      .selectFrom('cases')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(INDEX_PAGE)
      .execute();
    if (!ids.length) return;
    const last = ids[ids.length - 1]!.id;
    await sql`insert into case_search (case_id, body)
      select id, search_text from cases where id > ${after} and id <= ${last}`.execute(db);
    after = last;
    done += ids.length;
    if (total > INDEX_PAGE) log(progressLine('search index', done, total));
  }
}

async function createPgSearchIndex(db: Kysely<any>): Promise<boolean> {
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index if not exists cases_search_trgm on cases using gin (search_text gin_trgm_ops)`.execute(
      db,
    );
    await sql`create index if not exists cases_id_trgm on cases using gin (id gin_trgm_ops)`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether searches have their index. SQLite: always; the cases left pending by the last run are
 * indexed here. PostgreSQL: once pg_trgm and its indexes exist; a missing index is created here (at
 * every start until it exists), so an administrator who runs `create extension pg_trgm` later only
 * has to restart the server.
 */
export async function ensureSearchIndex(
  db: Kysely<any>,
  log: MigrationLog = () => undefined,
): Promise<boolean> {
  if (isSqlite(db)) {
    await db.transaction().execute(async (trx) => {
      for (const s of SEARCH_INDEX_DRAIN) await sql.raw(s).execute(trx);
    });
    return true;
  }
  const has = async () =>
    (
      await sql<{
        ok: boolean;
      }>`select to_regclass('cases_search_trgm') is not null and to_regclass('cases_id_trgm') is not null as ok`.execute(
        db,
      )
    ).rows[0]?.ok === true;
  if (await has()) return true;
  log('search index: building the pg_trgm indexes over the stored cases (new cases wait until it is done)');
  // Another process starting at the same time may build them first: what counts is that they exist.
  await createPgSearchIndex(db);
  return has();
}
