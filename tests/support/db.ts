// Test databases on both engines. SQLite: a file in a fresh temp dir. PostgreSQL: a fresh database
// created on the server named by TEST_DATABASE_URL and dropped afterwards.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Engine, type Store } from '../../server/store/db';
import { makeTempDir } from './temp-dir';
import { databaseUrlFor, pgQuery } from './pg';

/**
 * Whether the named services are configured. Locally a missing one means the suites that need it do
 * not run (vitest lists them as skipped); where REQUIRE_SERVICES=1 (CI: .ci/run) it is an error, so a
 * broken service start can never pass as a green run that quietly left PostgreSQL or Redis out.
 */
export function servicesConfigured(...names: string[]): boolean {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length && process.env.REQUIRE_SERVICES === '1')
    throw new Error(
      `${missing.join(' and ')} not set but REQUIRE_SERVICES=1: run \`. .ci/services.sh\` first`,
    );
  return missing.length === 0;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
/** The engines to run storage-dependent suites on: always SQLite, PostgreSQL when configured. */
export const ENGINES: Engine[] = servicesConfigured('TEST_DATABASE_URL')
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface TestDatabase {
  engine: Engine;
  dataDir: string;
  databaseUrl?: string;
  /** Open a store on it (migrated). Several may be opened on the same database. */
  open(): Promise<Store>;
  /** Drop the database / remove the directory. */
  destroy(): Promise<void>;
}

const adminQuery = (query: string) => pgQuery(TEST_DATABASE_URL!, query);

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const tmp = makeTempDir();
  // DATA_DIR as a hidden folder, as installs often put it (/srv/app/.data): every server under test
  // reads and writes through a path with a dot-folder in it (photos were refused there once).
  const dataDir = path.join(tmp.dir, '.data');
  fs.mkdirSync(dataDir);
  if (engine === 'sqlite') {
    return {
      engine,
      dataDir,
      open: () => openStore({ dataDir }),
      destroy: async () => tmp.remove(),
    };
  }
  if (!TEST_DATABASE_URL)
    throw new Error('TEST_DATABASE_URL is not set: cannot create a PostgreSQL test database');
  const name = `gaoping_test_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const databaseUrl = databaseUrlFor(TEST_DATABASE_URL, name);
  return {
    engine,
    dataDir,
    databaseUrl,
    open: () => openStore({ dataDir, databaseUrl }),
    destroy: async () => {
      tmp.remove();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A migrated store on a fresh `engine` test database for the enclosing describe block: created and
 * opened before its tests, closed and dropped after them. `reopen()` closes the store and opens the
 * same database again.
 */
export function useStore(engine: Engine): { readonly store: Store; reopen(): Promise<void> } {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.destroy();
  });
  return {
    get store() {
      if (!store) throw new Error('useStore: the store is opened in beforeAll');
      return store;
    },
    async reopen() {
      await store?.close();
      store = await database!.open();
    },
  };
}
