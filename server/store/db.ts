// One query layer over two engines: embedded SQLite (default) and PostgreSQL (DATABASE_URL).
// Kysely builds the SQL for either dialect from the same typed calls; see README "Storage".
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema';
import { migrateToLatest, type MigrationLog } from './migrate';
import { DEFAULT_CHECKPOINT_MS, startCheckpointer, type Checkpointer } from './checkpointer';
import { SqliteWriter } from './sqlite-writer';
import { DataDirError, dataDirMessage, ensureDataDir } from './data-dir';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Human-readable location: the SQLite file path or the PostgreSQL URL without its password. */
  location: string;
  close(): Promise<void>;
  /** SQLite: the background WAL checkpointer (see checkpointer.ts), when it runs. */
  checkpointer?: Checkpointer;
  /** SQLite: the thread that commits intake's batches (sqlite-writer.ts), unless turned off. */
  writer?: SqliteWriter;
}

export interface OpenStoreOptions {
  dataDir: string;
  databaseUrl?: string;
  /** Run migrations (default true). */
  migrate?: boolean;
  /** Where migrations say what they applied and how far a long one is (the server's log). */
  log?: MigrationLog;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /**
   * SQLite: checkpoint the WAL in a worker thread every this many ms (default 50); 0: in the commit
   * that crosses 1,000 pages, as SQLite does by itself.
   */
  checkpointMs?: number;
  /** SQLite, with the worker: the log size (pages) at which a commit checkpoints all the same. */
  walBackstopPages?: number;
  /** SQLite: commit intake's batches in a writer thread (default true; sqlite-writer.ts). */
  writerThread?: boolean;
}

// BIGINT (int8) and NUMERIC come back from pg as strings; ours are epoch ms and counts, safe as numbers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export const SQLITE_FILE = 'gaoping.db';
/** With background checkpoints, the log size (pages) at which a commit checkpoints all the same. */
export const WAL_BACKSTOP_PAGES = 8_000;

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const store = opts.databaseUrl
    ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10)
    : openSqlite(
        opts.dataDir,
        opts.checkpointMs ?? DEFAULT_CHECKPOINT_MS,
        opts.walBackstopPages ?? WAL_BACKSTOP_PAGES,
        opts.writerThread ?? true,
      );
  try {
    // Fail fast with the engine's own message (wrong password, missing file permissions …).
    await sql`select 1`.execute(store.db);
    if (opts.migrate !== false) await migrateToLatest(store.db, opts.log);
  } catch (err) {
    await store.close().catch(() => undefined);
    if (err instanceof DataDirError) throw err; // a sentence already (a newer release's database)
    if (store.engine === 'sqlite') {
      const told = unreadable(store.location, err);
      if (told instanceof DataDirError) throw told;
    }
    throw new Error(
      `Cannot open the ${store.engine} database at ${store.location}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return store;
}

/** The settings of every connection to the file (the server's and the writer thread's). */
const CONNECTION_PRAGMAS = [
  'foreign_keys = ON',
  // WAL + NORMAL: a commit survives a crash of the server process (the reply is sent after the
  // commit); only an OS crash or power cut can lose the last transactions. See README "Storage".
  'synchronous = NORMAL',
  'busy_timeout = 5000',
  // Statement journals (every multi-row insert inside a transaction has one) and temporary tables in
  // memory, not in a file created and unlinked in /var/tmp each time.
  'temp_store = MEMORY',
  // 64 MB of page cache (better-sqlite3's default is 16 MB): the indexes an intake touches stay in
  // memory, instead of a pread for each page that fell out.
  `cache_size = ${-64 * 1024}`,
];

function openSqlite(
  dataDir: string,
  checkpointMs: number,
  backstopPages: number,
  writerThread: boolean,
): Store {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, SQLITE_FILE);
  let database: SQLite.Database;
  try {
    // The file holds the accounts' password hashes: a new one is the server's user's alone (0600,
    // as jwt-secret). SQLite gives its -wal and -shm files the database file's mode. An existing
    // file keeps the mode it was given (someone may share it on purpose); see README "For real use".
    createPrivateFile(file);
    database = new SQLite(file);
  } catch (err) {
    // The folder is writable but the file cannot be opened (a read-only gaoping.db, a folder in
    // its place …): told like the folder's own trouble.
    throw new DataDirError(dataDirMessage(dataDir, (err as { code?: string }).code ?? 'error'), {
      cause: err,
    });
  }
  try {
    // Before anything is written to it (even the journal mode): a file SQLite cannot read, or a
    // database of another program put or left under our name, is told and left as it is, not
    // migrated into (our tables and the demo's accounts written beside another program's).
    const tables = database
      .prepare("select name from sqlite_master where type = 'table'")
      .pluck()
      .all() as string[];
    if (tables.length && !isOurs(database, tables))
      throw new DataDirError(
        `${file} is not this server's database: it holds tables of another program ` +
          `(${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}) and no record of ours. ` +
          `It was left as it is: set DATA_DIR to the server's folder, or move that file away ` +
          `(the server then creates an empty database there)`,
      );
    database.pragma('journal_mode = WAL');
    for (const p of CONNECTION_PRAGMAS) database.pragma(p);
  } catch (err) {
    database.close();
    if (err instanceof DataDirError) throw err;
    throw unreadable(file, err);
  }
  // Kysely prepares every query afresh; keep each distinct SQL text's statement instead (the
  // driver runs one query at a time on this one connection, and nothing here streams).
  const statements = new Map<string, SQLite.Statement>();
  const cached = {
    close: () => database.close(),
    prepare(sqlText: string) {
      // With a second writer (the writer thread) a deferred transaction that has read could not
      // write after the other committed (SQLITE_BUSY_SNAPSHOT): take the write lock at the start.
      if (sqlText === 'begin') sqlText = 'begin immediate';
      let stmt = statements.get(sqlText);
      if (!stmt) {
        if (statements.size >= 2000) statements.clear();
        stmt = database.prepare(sqlText);
        statements.set(sqlText, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  // With background checkpoints (below), what both connections' commits do about the log.
  const walPragmas =
    checkpointMs > 0
      ? [`wal_autocheckpoint = ${backstopPages}`, `journal_size_limit = ${64 * 1024 * 1024}`]
      : [];
  const writer = writerThread
    ? new SqliteWriter(file, [...CONNECTION_PRAGMAS, ...walPragmas], (reason) =>
        process.emitWarning(
          `SQLite writer thread stopped (${reason}); intake commits on the main thread again`,
        ),
      )
    : undefined;
  let checkpointer: Checkpointer | undefined;
  if (checkpointMs > 0) {
    // Commits no longer stop to copy the WAL back every 1000 pages; a worker does it
    // (checkpointer.ts). A worker's checkpoint cannot restart the log while commits keep coming
    // (the log only starts over when a commit finds every frame copied), so under a continuous
    // stream of writes the commit that reaches the backstop (8,000 pages, 32 MB) checkpoints too:
    // by then the worker has copied all but the last interval's, so that commit copies little (it
    // waits mostly on the two syncs), and the log starts over. At 1,000 clues/s that is a few
    // times a second, against 10–15 in-commit checkpoints of 1,000 pages each without the worker;
    // at a county's real pace the worker's checkpoints empty the log between bursts and the
    // backstop never fires. The WAL file is cut back to 64 MB after it has been emptied.
    for (const p of walPragmas) database.pragma(p);
    checkpointer = startCheckpointer(file, checkpointMs, (reason) => {
      if (!database.open) return;
      database.pragma('wal_autocheckpoint = 1000');
      writer?.setPragma('wal_autocheckpoint = 1000'); // it makes most of the commits
      process.emitWarning(
        `SQLite background checkpoints stopped (${reason}); commits checkpoint the WAL themselves again`,
      );
    });
  }
  return {
    db,
    engine: 'sqlite',
    location: file,
    checkpointer,
    writer,
    close: async () => {
      await writer?.close(); // what it was given is committed first
      await checkpointer?.stop();
      await db.destroy(); // closes the better-sqlite3 handle, checkpointing the WAL
    },
  };
}

/**
 * Whether a file with `tables` is this server's database: its migrations' record (kysely_migration,
 * the first table any start of it makes) with our first migration in it, or nothing in it yet (a
 * first start cut short). Table names alone do not say it: `users` or `meta` are any program's, and
 * another program's file with one of them was migrated into (our tables written beside its own)
 * before failing on `table "users" already exists`.
 */
function isOurs(database: SQLite.Database, tables: string[]): boolean {
  if (!tables.includes('kysely_migration')) return false;
  const names = database.prepare('select name from kysely_migration').pluck().all() as string[];
  return names.length === 0 || names.includes(FIRST_MIGRATION);
}
const FIRST_MIGRATION = '001_meta';

/** SQLite's codes for a file that is damaged or not a database at all. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/**
 * A database file SQLite cannot read (cut short, overwritten, not a database): said in a sentence
 * with what to do (a DataDirError); any other error as it is.
 */
export function unreadable(file: string, err: unknown): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (!DAMAGED.has(code)) return err;
  return new DataDirError(
    `${file} cannot be read (${code}: ${(err as Error).message}): it is damaged or not a SQLite ` +
      `database, and was left as it is. Stop here and keep the file; restore the last backup ` +
      `into an empty DATA_DIR (README, Backup, restore and upgrade), or set DATA_DIR to another folder`,
    { cause: err },
  );
}

/** Create `file` empty with mode 0600 unless it exists. */
function createPrivateFile(file: string): void {
  try {
    fs.closeSync(
      fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600),
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function openPostgres(url: string, max: number): Store {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    location: redactUrl(url),
    close: () => db.destroy(),
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
