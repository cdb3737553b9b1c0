// One server process per SQLite DATA_DIR. A second one on the same folder would run its own deadline
// timers, simulator, in-memory state and Socket.IO rooms on the same file (each screen sees half the
// events, timers fire twice): it is refused at its start, naming the one that holds the folder.
//
// The lock is SQLite's own lock on a file of its own, DATA_DIR/server.lock.db, held by a transaction
// (BEGIN EXCLUSIVE) for the life of the process. SQLite takes it with fcntl(), an OS lock that goes
// with the process: a kill -9, a crash or a power cut cannot leave it behind, and a pid reused by
// another program cannot make it look held (what a pid file can only guess). Who holds it (pid, host,
// port, since when) is written beside it, to server.lock.json, for the message and for people; that
// file is information only, so a stale one never refuses a start.
//
// A DATA_DIR on a network share: NFS (v4, or v3 with lockd) carries the lock between hosts, so a
// second host is refused too, named in the message. A share that ignores locks gives none, and the
// SQLite database itself is unsafe there (WAL shares memory between processes of one host): the start
// then warns when the last server on the folder ran on another host and did not stop cleanly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { DataDirError, dataDirMessage } from './data-dir';

export const LOCK_FILE = 'server.lock.db';
export const HOLDER_FILE = 'server.lock.json';

/** The server process that holds a DATA_DIR, as it wrote itself into server.lock.json. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The port it listens on (PORT; the one it was given once it listens, for PORT=0). */
  port: number;
  /** When it took the lock, epoch ms. */
  since: number;
}

/** Another server process holds the DATA_DIR; the message says which and what to do. */
export class DataDirLockedError extends DataDirError {}

export interface DataDirLock {
  /** A warning for the log when the last holder ran on another host and did not stop cleanly. */
  warning?: string;
  /** Record the port the server listens on (with PORT=0, the one it was given). */
  setPort(port: number): void;
  /** Let the folder go (also done when the process exits, and by the OS when it dies). */
  release(): void;
}

/**
 * Take the DATA_DIR lock for this process, for its whole life. Throws DataDirLockedError when another
 * process holds it, DataDirError when the lock file cannot be opened.
 */
export function lockDataDir(dir: string, port: number, now = Date.now()): DataDirLock {
  const lockFile = path.join(dir, LOCK_FILE);
  const holderFile = path.join(dir, HOLDER_FILE);
  let db: SQLite.Database;
  try {
    // No busy wait: a held lock is told at once.
    db = new SQLite(lockFile, { timeout: 0 });
  } catch (err) {
    throw new DataDirError(dataDirMessage(dir, (err as { code?: string }).code ?? 'error'), { cause: err });
  }
  try {
    // The journal in memory: nothing is written, and no server.lock.db-journal is left beside the
    // file. (Setting it reads the file: busy too while another process holds it.)
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? 'error';
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED')
      throw new DataDirError(dataDirMessage(dir, code), { cause: err });
    throw new DataDirLockedError(lockedMessage(dir, readHolder(holderFile)), { cause: err });
  }

  const previous = readHolder(holderFile);
  const host = os.hostname();
  const me: LockHolder = { pid: process.pid, host, port, since: now };
  writeHolder(holderFile, me);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // The information first, while the lock still keeps every other server from writing its own.
    try {
      fs.unlinkSync(holderFile);
    } catch {
      // already gone: nothing to tell
    }
    db.close();
  };
  // process.exit() from anywhere (a refused start, the shutdown) leaves no holder behind.
  process.on('exit', release);
  return {
    warning:
      previous && previous.host !== host
        ? `DATA_DIR=${dir} was last used by a server on host ${previous.host} (pid ${previous.pid}, since ${localTime(previous.since)}) that did not stop cleanly: ` +
          `if it still runs, stop one of the two, since this share does not carry the lock and a SQLite DATA_DIR serves one process on one host (several: PostgreSQL and Redis)`
        : undefined,
    setPort(listening) {
      if (released || listening === me.port) return;
      me.port = listening;
      writeHolder(holderFile, me);
    },
    release,
  };
}

/** What a second server start is told, in one sentence. */
export function lockedMessage(dir: string, holder: LockHolder | null): string {
  const who = holder
    ? `pid ${holder.pid} on host ${holder.host}, port ${holder.port}, since ${localTime(holder.since)}`
    : 'it has not written which yet';
  return (
    `DATA_DIR=${dir} is in use by another server process (${who}): stop that one first, ` +
    `or, to run several processes on one database, use PostgreSQL and Redis (DATABASE_URL, REDIS_URL; README, Running at scale)`
  );
}

/** The holder server.lock.json names, or null when there is none that can be believed. */
function readHolder(file: string): LockHolder | null {
  let holder: Partial<LockHolder>;
  try {
    holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
  } catch {
    return null;
  }
  if (
    !holder ||
    !Number.isInteger(holder.pid) ||
    typeof holder.host !== 'string' ||
    !Number.isInteger(holder.port) ||
    !Number.isFinite(holder.since)
  )
    return null;
  // One from a holder that is gone (the lock just changed hands, and the new one has not written
  // itself yet) would name the wrong process.
  if (holder.host === os.hostname() && !alive(holder.pid!)) return null;
  return holder as LockHolder;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Written whole or not at all: a reader never sees half of it. */
function writeHolder(file: string, holder: LockHolder): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(holder)}\n`);
    fs.renameSync(tmp, file);
  } catch {
    // Information only: the lock holds without it, and a second start is told less.
    fs.rmSync(tmp, { force: true });
  }
}

/** The server's local time with its offset from UTC: 2025-06-01 08:00:03 UTC+08:00. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} UTC${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}
