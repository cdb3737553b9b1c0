// DATA_DIR (the SQLite database, jwt-secret, photos, phrases.json) must be a folder the server can
// write to; one it cannot is told in a sentence at the start, not as a stack from deep in a driver.
import fs from 'node:fs';

export class DataDirError extends Error {}

export function dataDirMessage(dir: string, code: string): string {
  return `DATA_DIR=${dir} is not writable (${code}): create it and give the server's user write access, or set DATA_DIR`;
}

/** Create `dir` if missing and check it can be written to; throws DataDirError saying what to do. */
export function ensureDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new DataDirError(dataDirMessage(dir, (err as NodeJS.ErrnoException).code ?? 'error'), {
      cause: err,
    });
  }
}
