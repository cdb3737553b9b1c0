// Starts the real server (createApp) on a free port of 127.0.0.1 with a temp database, for
// integration and end-to-end tests. No part of it is mocked; only the clock may be a ManualClock.
import { createApp, type AppDeps, type AppHandle } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import type { Clock } from '../../server/clock';
import type { Engine, Store } from '../../server/store/db';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestServer {
  url: string;
  port: number;
  handle: AppHandle;
  store: Store;
  config: Config;
  database: TestDatabase;
  /** Stop the server, close the store, drop the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  engine?: Engine;
  env?: Record<string, string>;
  clock?: Clock;
  serveClient?: boolean;
  /** Reuse an existing database (e.g. to restart a server on the same data). */
  database?: TestDatabase;
  extra?: Partial<AppDeps>;
  /** Listen on this port (a restart where the browsers are); a free one by default. */
  port?: number;
}

export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const database = opts.database ?? (await createTestDatabase(opts.engine ?? 'sqlite'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: database.dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SIMULATOR: 'off',
    DEMO: 'off',
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ...opts.env,
  });
  const store = await database.open();
  const handle = await createApp({
    config,
    store,
    clock: opts.clock,
    logger: createLogger(config.LOG_LEVEL),
    serveClient: opts.serveClient ?? false,
    ...opts.extra,
  }).catch(async (err: unknown) => {
    // A start that fails (a faulty county file …) leaves nothing open behind it.
    await store.close();
    if (!opts.database) await database.destroy();
    throw err;
  });
  const { port, url } = await handle.listen(opts.port ?? 0, '127.0.0.1');
  let closed = false;
  return {
    url,
    port,
    handle,
    store,
    config,
    database,
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
      await store.close();
      if (!opts.database) await database.destroy();
    },
  };
}
