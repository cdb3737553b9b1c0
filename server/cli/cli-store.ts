// The database of an administrator command (`npm run users`, `npm run teams`): it says which one it
// works on before anything else (the SQLite file, or the PostgreSQL URL without its password), and
// never makes a new SQLite file: a command run without the server's DATA_DIR would otherwise write
// to a fresh ./data/gaoping.db the server never reads.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { openStore, redactUrl, SQLITE_FILE, type Store } from '../store/db';

/** A refusal with its words and exit code (2: nothing was done, change the command or setup). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The database the configuration names, in words: `SQLite <file>` or `PostgreSQL <url>`. */
export function databaseLocation(config: Pick<Config, 'dataDir' | 'DATABASE_URL'>): string {
  return config.DATABASE_URL
    ? `PostgreSQL ${redactUrl(config.DATABASE_URL)}`
    : `SQLite ${path.join(config.dataDir, SQLITE_FILE)}`;
}

/**
 * Print the database (to stderr, so that `list`'s lines stay the only output on stdout) and open
 * it; a SQLite file that does not exist yet is a CliError (exit 2), not a new database.
 */
export async function openCliStore(
  config: Pick<Config, 'dataDir' | 'DATABASE_URL'>,
  say: (line: string) => void = (line) => console.error(line),
): Promise<Store> {
  say(`database: ${databaseLocation(config)}`);
  if (!config.DATABASE_URL) {
    const file = path.join(config.dataDir, SQLITE_FILE);
    if (!fs.existsSync(file))
      throw new CliError(
        `no database at ${file}: set DATA_DIR to the server's (or DATABASE_URL), or start the server once to create it`,
        2,
      );
  }
  // A one-off command writes a row or two: no background checkpoint worker nor writer thread.
  return openStore({
    dataDir: config.dataDir,
    databaseUrl: config.DATABASE_URL,
    checkpointMs: 0,
    writerThread: false,
  });
}

/** Whether `err` is either engine's unique-key violation (a row with that key exists). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // better-sqlite3: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; PostgreSQL: unique_violation.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
