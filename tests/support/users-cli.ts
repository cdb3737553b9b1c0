// `npm run users -- …` in its own process, configured by environment for a test database (the
// server under test may have it open at the same time). The command runs from its bundle, built from
// the current sources before the tests (tests/support/cli-setup.ts; 0.3 s a command where tsx took
// 0.9 s); `{ sources: true }` runs server/cli/users.ts through tsx, as `npm run users` runs it.
import { execFile, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { cliCommand } from '../../server/cli/server-build';
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
  { sources = false }: { sources?: boolean } = {},
): Promise<CliResult> {
  // The parent's database settings are not the test database's.
  const { DATABASE_URL: _url, DATA_DIR: _dir, USER_PASSWORD: _pw, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...cliCommand('users', sources), ...args],
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

/** Whether `script` (util-linux) is there to give the CLI a pseudo-terminal. */
export const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

/**
 * The CLI on a pseudo-terminal (through `script`), no USER_PASSWORD: each of `lines` is typed once
 * the next password question is shown. `shown` is everything the terminal displayed.
 */
export function runUsersCliOnTerminal(
  database: TestDatabase,
  args: string[],
  lines: string[],
): Promise<{ code: number | null; shown: string }> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, USER_PASSWORD: _pw, ...inherited } = process.env;
  const command = ['node', ...cliCommand('users'), ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: {
      ...inherited,
      DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    },
  });
  let shown = '';
  let typed = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no answer in 30 s; the terminal showed: ${JSON.stringify(shown)}`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      shown += d.toString('utf8');
      // Type the next line once as many questions are shown as lines were typed, plus one.
      if (typed < lines.length && (shown.match(/Password[^\r\n]*: /g) ?? []).length > typed)
        child.stdin.write(`${lines[typed++]}\r`);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, shown });
    });
  });
}
