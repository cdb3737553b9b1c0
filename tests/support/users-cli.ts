// `npm run users -- …` as the operator runs it: its own process (tsx), configured by environment
// for a test database (the server under test may have it open at the same time).
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { TestDatabase } from './db';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runUsersCli(
  database: TestDatabase,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  // The parent's database settings are not the test database's.
  const { DATABASE_URL: _url, DATA_DIR: _dir, USER_PASSWORD: _pw, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/cli/users.ts', ...args],
      {
        cwd: ROOT,
        env: {
          ...inherited,
          DATA_DIR: database.dataDir,
          ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
          ...env,
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) return reject(err);
        resolve({ code, stdout, stderr });
      },
    );
  });
}
