// The case search's index at run time (its tables are made by migration 012_case_search_index; see
// README "Storage"): intake moving new cases into it on SQLite, the start making sure it is there,
// and whether a search is selective enough for it to be worth using.
//
// SQLite: `case_search` is an FTS5 table with the trigram tokenizer over each case's search text and
// its id. Each case's row there has a stable number, `case_search_map.fts_rowid` (an INTEGER PRIMARY
// KEY: VACUUM keeps it, unlike the cases' own rowid), through which the triggers find it. A new case
// is only noted in `case_search_pending` by trigger; intake moves the pending ones into the index
// together every SEARCH_INDEX_EVERY cases, in the commit of the clues it is storing (an FTS5 commit
// writes a segment of its own: one per clue doubled intake's p95 at 1,000 clues/s).
//
// PostgreSQL: pg_trgm GIN indexes on `search_text` and `id`, which `like '%…%'` uses by itself.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

/** How many new cases intake lets wait before it indexes them together. */
export const SEARCH_INDEX_EVERY = 64;

/** Moves the pending cases into the index: run inside a transaction (SQLite). */
export const SEARCH_INDEX_DRAIN = [
  `insert or ignore into case_search_map (case_id) select case_id from case_search_pending order by case_id`,
  `insert into case_search (rowid, case_id, body)
     select m.fts_rowid, c.id, c.search_text
     from case_search_pending p
     join case_search_map m on m.case_id = p.case_id
     join cases c on c.id = p.case_id`,
  `delete from case_search_pending`,
];

const isSqlite = (db: Kysely<any>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** The pg_trgm indexes, by name, and the column each covers. */
const PG_INDEXES = [
  ['cases_search_trgm', 'search_text'],
  ['cases_id_trgm', 'id'],
] as const;

/** Creates one of PG_INDEXES; `concurrently` outside a transaction, writers going on meanwhile. */
const createPgIndex = (db: Kysely<any>, [name, column]: (typeof PG_INDEXES)[number], concurrently: boolean) =>
  sql
    .raw(
      `create index ${concurrently ? 'concurrently ' : ''}if not exists ${name} on cases using gin (${column} gin_trgm_ops)`,
    )
    .execute(db);

/** Creates pg_trgm and its indexes in the migration's transaction; null, or why it may not. */
export async function createPgSearchIndex(db: Kysely<any>): Promise<string | null> {
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    for (const index of PG_INDEXES) await createPgIndex(db, index, false);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Names of the pg_trgm indexes that exist and are valid (a concurrent build that failed is not). */
async function validPgIndexes(db: Kysely<any>): Promise<Set<string>> {
  const r = await sql<{ name: string; valid: boolean }>`
    select c.relname as name, i.indisvalid as valid
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname in ('cases_search_trgm', 'cases_id_trgm')`.execute(db);
  return new Set(r.rows.filter((x) => x.valid).map((x) => x.name));
}

/** Any constant: the advisory lock under which one starting process builds the indexes. */
const BUILD_LOCK = 140_581_012;

/**
 * Where the search index stands at a start: `ready`; `elsewhere`, another process is building it
 * now (PostgreSQL); `missing`, it cannot be built (searches scan every case).
 */
export type SearchIndexState = 'ready' | 'elsewhere' | 'missing';

/**
 * Makes sure searches have their index, at every start. SQLite: always there; the cases the last
 * run left pending are indexed now. PostgreSQL: pg_trgm and both indexes; missing ones are built
 * here, concurrently (the other processes go on writing cases), by the one process that takes an
 * advisory lock. The others do not wait for it: waiting in a statement would hold up the concurrent
 * build, which waits for every older transaction, and searches work meanwhile (by scanning). So an
 * administrator who runs `create extension pg_trgm` later only restarts the server. Says what it
 * does, and why it cannot.
 */
export async function ensureSearchIndex(
  db: Kysely<any>,
  log: (line: string) => void = () => undefined,
): Promise<SearchIndexState> {
  if (isSqlite(db)) {
    await db.transaction().execute(async (trx) => {
      for (const s of SEARCH_INDEX_DRAIN) await sql.raw(s).execute(trx);
    });
    return 'ready';
  }
  return db.connection().execute(async (conn) => {
    let valid = await validPgIndexes(conn);
    if (valid.size === PG_INDEXES.length) return 'ready';
    const lock = await sql<{ got: boolean }>`select pg_try_advisory_lock(${BUILD_LOCK}) as got`.execute(conn);
    if (!lock.rows[0]?.got) return 'elsewhere';
    try {
      valid = await validPgIndexes(conn); // built by the process that held the lock just now
      if (valid.size === PG_INDEXES.length) return 'ready';
      log('search index: building the pg_trgm indexes over the stored cases (cases are written meanwhile)');
      try {
        await sql`create extension if not exists pg_trgm`.execute(conn);
        for (const index of PG_INDEXES) {
          if (valid.has(index[0])) continue;
          // A concurrent build that failed leaves an invalid index behind: built again.
          await sql.raw(`drop index concurrently if exists ${index[0]}`).execute(conn);
          await createPgIndex(conn, index, true);
        }
      } catch (err) {
        log(`search index: cannot build it: ${(err as Error).message}`);
        return 'missing';
      }
      valid = await validPgIndexes(conn);
      return valid.size === PG_INDEXES.length ? 'ready' : 'missing';
    } finally {
      await sql`select pg_advisory_unlock(${BUILD_LOCK})`.execute(conn);
    }
  });
}

/** A search matching more than this share of the cases is faster scanned (its count reads them all). */
const SCAN_SHARE = 1 / 12;
/** Below this many cases either way is quick: the index is used. */
const SELECTIVE_FLOOR = 500;

/** The trigrams FTS5's trigram tokenizer makes of `needle` (code points, three in a row). */
export function trigramsOf(needle: string): string[] {
  const cps = [...needle];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) out.add(cps.slice(i, i + 3).join(''));
  return [...out];
}

/**
 * SQLite: whether looking `needle` (folded) up in the trigram index beats scanning. The index lists
 * every case holding each trigram, so its cost grows with the matches, and a count of a common word
 * (a township's name, a domain) reads them all; the scan costs the same for any word. Estimated from
 * the index's own statistics (`case_search_vocab`: how many cases hold each trigram; the rarest
 * bounds the matches), against SCAN_SHARE of the cases. Never changes what is found.
 */
export async function trigramIndexHelps(db: Kysely<any>, needle: string): Promise<boolean> {
  const grams = trigramsOf(needle).slice(0, 16);
  if (!grams.length) return false;
  const r = await sql<{ terms: number; least: number | null; cases: number | null }>`
    select count(*) as terms, min(doc) as least, (select max(rowid) from cases) as cases
    from (${sql.join(
      grams.map((g) => sql`select doc from case_search_vocab where term = ${g}`),
      sql` union all `,
    )})`.execute(db);
  const row = r.rows[0];
  if (!row || Number(row.terms) < grams.length) return true; // a trigram no case has: nothing to list
  const cases = Number(row.cases ?? 0);
  return Number(row.least ?? 0) <= Math.max(SELECTIVE_FLOOR, cases * SCAN_SHARE);
}
