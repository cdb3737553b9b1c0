// `npm start -- <options>`: a wrong option is refused, by name, before anything is built.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunOptions } from '../../../server/cli/options';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('server options', () => {
  it('knows --no-sim and names anything else', () => {
    expect(checkRunOptions([])).toBeNull();
    expect(checkRunOptions(['--no-sim'])).toBeNull();
    expect(checkRunOptions(['--no-sim', '--bogus', 'x'])).toBe(
      'Unknown option(s): --bogus x. Known: --no-sim',
    );
  });

  it('npm start refuses a wrong option before building (exit 2, the option named)', () => {
    let status = 0;
    let stderr = '';
    try {
      // The start script's first step alone, with the option as npm passes it.
      execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/start.ts', '--bogus'], {
        cwd: ROOT,
        stdio: 'pipe',
        timeout: 30_000,
      });
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      status = e.status;
      stderr = e.stderr.toString();
    }
    expect(status).toBe(2);
    expect(stderr).toContain('Unknown option(s): --bogus');
    expect(stderr).toContain('Nothing was built or started');
  });
});
