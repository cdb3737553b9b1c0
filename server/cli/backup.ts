// `npm run backup -- <target folder>`: a consistent copy of what DATA_DIR holds, taken while the
// server runs. The SQLite database goes through SQLite's online backup (a page-by-page copy that
// writers do not disturb and that includes what is still in the write-ahead log: a plain `cp` of
// gaoping.db misses the cases the log holds); then the token key, the county's usual words and the
// photos are copied, and the copy is checked (`integrity_check`) and counted. With DATABASE_URL the
// database is PostgreSQL's to back up (pg_dump); the files are copied all the same.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config';
import { SQLITE_FILE } from '../store/db';
import { PHRASES_FILE } from '../county/phrases';
import { APP_VERSION } from '../version';

const USAGE = `usage: npm run backup -- <target folder>
Copies DATA_DIR (${SQLITE_FILE} by SQLite's online backup, jwt-secret, ${PHRASES_FILE}, photos/,
clue-photos/) into the target folder, which must not exist yet or be empty. Safe while the server
runs. Restore: stop the server, put the folder's contents in DATA_DIR (or point DATA_DIR at it),
start it. With DATABASE_URL (PostgreSQL), back the database up with pg_dump; the files are copied.`;

/** The files and folders of DATA_DIR besides the database, as the server names them. */
const FILES = ['jwt-secret', PHRASES_FILE];
const FOLDERS = ['photos', 'clue-photos'];

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** Photos under a folder: each is its bytes and its record (`<id>.json`, uploads/photo-store.ts). */
function countPhotos(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.json')) n++;
  return n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]!.startsWith('-')) fail(USAGE);
  let config;
  try {
    config = loadConfig(process.env, APP_VERSION);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const target = path.resolve(args[0]!);
  const source = config.dataDir;
  // The folders copied whole cannot hold the copy (it would copy itself).
  for (const d of FOLDERS) {
    const inside = path.relative(path.resolve(source, d), target);
    if (!inside.startsWith('..') && !path.isAbsolute(inside))
      fail(`${target} is inside DATA_DIR's ${d}/, which the backup copies: name a folder outside it`);
  }
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory())
      fail(`${target} is a file, not a folder: name a new folder (a backup never overwrites another)`);
    if (fs.readdirSync(target).length)
      fail(`${target} is not empty: name a new folder (a backup never overwrites another)`);
  }
  const dbFile = path.join(source, SQLITE_FILE);
  const sqlite = !config.DATABASE_URL;
  if (sqlite && !fs.existsSync(dbFile))
    fail(`no database at ${dbFile}: set DATA_DIR to the server's (the folder that holds ${SQLITE_FILE})`);
  // The folder it goes in must be there: `/mnt/usb/dispatch-…` with the disk not mounted would
  // otherwise be made on the root disk, silently, and the backup kept on the machine it guards.
  const parent = path.dirname(target);
  if (!fs.existsSync(parent))
    fail(
      `${parent} does not exist: is the backup disk mounted? Create that folder (or mount the disk), then run the backup again`,
    );
  try {
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    fs.accessSync(target, fs.constants.W_OK);
  } catch (err) {
    fail(
      `cannot write the backup into ${target} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ` +
        `name a folder on a mounted disk that this user may write to`,
    );
  }
  // A mount point is an empty folder while its disk is not mounted: the check above cannot tell
  // `/mnt/usb/dispatch-…` written to the root disk in the disk's place. Said, not refused (a copy
  // on the same disk is a choice too, to be copied off later).
  if (fs.existsSync(source) && fs.statSync(target).dev === fs.statSync(source).dev)
    console.warn(
      `note: ${target} is on the same disk as DATA_DIR (${source}): if it is meant to be on a backup disk, ` +
        `that disk is not mounted; either way, copy it to another machine`,
    );
  console.log(`backing up ${source} into ${target}`);

  if (sqlite) {
    const db = new Database(dbFile, { fileMustExist: true });
    try {
      const copy = path.join(target, SQLITE_FILE);
      // The whole file in one step, under one read transaction: SQLite restarts an online backup
      // from its first page whenever another connection writes between two steps, so a copy taken
      // in steps of N pages never finished while clues kept coming (it restarted at each commit and
      // ended only when the writes paused). In WAL mode the read transaction blocks no writer: the
      // server goes on committing into its log meanwhile, and the copy is the database as it was at
      // the step's start.
      // No steps, so no percentages: the size said first, so a long copy is known to be under way.
      const mb = (fs.statSync(dbFile).size / 2 ** 20).toFixed(1);
      console.log(`  ${SQLITE_FILE}: copying ${mb} MB in one read (the server goes on writing meanwhile)…`);
      const done = await db.backup(copy, { progress: () => 0x7fffffff });
      console.log(`  ${SQLITE_FILE}: copied (${done.totalPages} pages)`);
      fs.chmodSync(copy, 0o600);
    } finally {
      db.close();
    }
  } else {
    console.log('  the database is PostgreSQL (DATABASE_URL): back it up with pg_dump; copying the files');
  }

  for (const f of FILES) {
    const from = path.join(source, f);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(target, f));
  }
  fs.chmodSync(target, 0o700);
  let photos = 0;
  for (const d of FOLDERS) {
    const from = path.join(source, d);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(target, d), { recursive: true });
    photos += countPhotos(path.join(target, d));
  }

  if (sqlite) {
    const check = new Database(path.join(target, SQLITE_FILE), { readonly: true, fileMustExist: true });
    try {
      const ok = check.pragma('integrity_check', { simple: true });
      if (ok !== 'ok')
        fail(
          `the copy failed its integrity check (${String(ok)}): run the backup again into a new folder (this one holds the failed copy)`,
          1,
        );
      const cases = (check.prepare('select count(*) as n from cases').get() as { n: number }).n;
      const users = (check.prepare('select count(*) as n from users').get() as { n: number }).n;
      console.log(`backup done: ${cases} cases, ${users} accounts, ${photos} photos; integrity check ok`);
    } finally {
      check.close();
    }
  } else console.log(`files copied: ${photos} photos`);
}

await main();
