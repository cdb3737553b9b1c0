// The SQLite file holds the accounts' password hashes: created for the server's user alone (0600,
// as jwt-secret), its -wal and -shm too; an existing file keeps the mode it was given.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE, openStore } from '../../../server/store/db';
import { makeTempDir } from '../../support/temp-dir';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the SQLite file’s mode', () => {
  const tmp = makeTempDir('gaoping-mode-');
  afterAll(() => tmp.remove());

  it('creates the database, its -wal and -shm readable by the server’s user only', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    const store = await openStore({ dataDir, checkpointMs: 0, writerThread: false });
    try {
      const file = path.join(dataDir, SQLITE_FILE);
      expect(mode(file).toString(8)).toBe('600');
      expect(mode(`${file}-wal`).toString(8)).toBe('600');
      expect(mode(`${file}-shm`).toString(8)).toBe('600');
    } finally {
      await store.close();
    }
  });

  it('leaves the mode of an existing database file as it was', async () => {
    const dataDir = path.join(tmp.dir, 'shared');
    await openStore({ dataDir, checkpointMs: 0, writerThread: false }).then((s) => s.close());
    const file = path.join(dataDir, SQLITE_FILE);
    fs.chmodSync(file, 0o640);
    const store = await openStore({ dataDir, checkpointMs: 0, writerThread: false });
    await store.close();
    expect(mode(file).toString(8)).toBe('640');
  });
});
