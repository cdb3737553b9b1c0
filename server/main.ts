// Production entry: configuration from the environment, the store, the app, graceful shutdown.
import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { createLogger } from './logger';
import { openStore } from './store/db';
import { APP_VERSION } from './version';

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadConfig(env, APP_VERSION);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.DATABASE_URL });
  logger.info({ db: store.engine, location: store.location }, 'database ready');
  const handle = await createApp({ config, store, logger });
  const { port } = await handle.listen();
  logger.info({ port, host: config.HOST }, `dashboard on http://localhost:${port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await handle.close();
      await store.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
