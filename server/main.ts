// Production entry: configuration from the environment, the store, the app, graceful shutdown.
import net from 'node:net';
import { ConfigError, loadConfig } from './config';
import { createApp, type AppHandle } from './app';
import { createLogger } from './logger';
import { openStore, unreadable } from './store/db';
import { DataDirError, ensureDataDir } from './store/data-dir';
import { lockDataDir, type DataDirLock } from './store/lock';
import { ensureSearchIndex } from './store/search-index';
import { APP_VERSION } from './version';
import { prepareDemo } from './demo/index';
import { accountsOnRecord, someNames } from './demo/accounts-check';
import { Simulator } from './simulator/simulator';

/** Clues per minute the live demo reports: one every five seconds on average. */
export const DEMO_CLUES_PER_MINUTE = 12;
/** How often a process looks whether it should run the live simulator (it follows the job lock). */
const SIMULATOR_FOLLOW_MS = 2000;

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
  // Photos, jwt-secret and phrases.json live there on either engine (the SQLite file too).
  try {
    ensureDataDir(config.dataDir);
  } catch (err) {
    if (!(err instanceof DataDirError)) throw err;
    logger.error(err.message);
    process.exit(2);
  }
  // SQLite: the folder is this process's alone (server/store/lock.ts), taken before the database is
  // opened or anything written, and before the port: a second server on the folder is told which one
  // holds it, whatever its port. PostgreSQL: several processes are the supported scale-out.
  let lock: DataDirLock | null = null;
  if (!config.DATABASE_URL) {
    try {
      lock = lockDataDir(config.dataDir, config.PORT);
    } catch (err) {
      if (!(err instanceof DataDirError)) throw err;
      logger.error(err.message);
      process.exit(2);
    }
    if (lock.warning) logger.warn(lock.warning);
  }
  // A port already taken is told now, not after the demo history (minutes on PostgreSQL), as a raw
  // EADDRINUSE stack.
  const taken = await portTaken(config.PORT, config.HOST);
  if (taken) {
    logger.error(portMessage(config.PORT, config.HOST, taken));
    process.exit(2);
  }
  // Stop cleanly on a signal from here on, also while the database opens, the app is built, the
  // demo seeded or the simulator started. Installed before anything is logged: whoever reads the
  // log (a supervisor, a test) may signal as soon as it sees a line, and a SIGTERM that arrived
  // between "database ready" and the handler killed the process without closing anything.
  const opening = openStore({
    dataDir: config.dataDir,
    databaseUrl: config.DATABASE_URL,
    checkpointMs: config.SQLITE_CHECKPOINT_MS,
    writerThread: config.SQLITE_WRITER_THREAD,
    log: (line) => logger.info(line),
  });
  let handle: AppHandle | null = null;
  let simulator: Simulator | null = null;
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
      await simulator?.stop();
      await handle?.close();
      // Still opening: wait for it, then close it (one that failed to open has nothing to close).
      await (await opening.catch(() => null))?.close();
      lock?.release();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  const store = await opening.catch((err: unknown) => {
    if (!(err instanceof DataDirError)) throw err;
    logger.error(err.message);
    process.exit(2);
  });
  logger.info({ db: store.engine, location: store.location }, 'database ready');
  try {
    // Searches work without the index (they scan): its trouble is told, and the start goes on.
    const search = await ensureSearchIndex(store.db, (line) => logger.info(line)).catch((err: unknown) => {
      logger.error({ err }, 'case search index: could not bring it up to date; searches read every case');
      return 'failed' as const;
    });
    if (search === 'elsewhere')
      logger.info(
        'another process is building the case search index; searches read every case until it is done',
      );
    if (search === 'missing')
      logger.warn(
        'case search has no index: the pg_trgm extension could not be created, so each search reads every case. Have a superuser run `create extension pg_trgm;` in this database, then restart the server (it builds the index).',
      );
    handle = await createApp({ config, store, logger });
    // The demo's known password must never reach a database in real use: refused before any demo
    // account is written, and told when the demo's accounts are left in a database used for real.
    const accounts = await accountsOnRecord(store, handle.ctx.geo.townships, handle.ctx.departments);
    if (config.DEMO && accounts.real.length) {
      logger.error(
        `DEMO is on (the default), but this database has accounts of its own (real use: ${someNames(accounts.real)}): ` +
          `start with DEMO=off; the demo needs a database of its own (another DATA_DIR / DATABASE_URL)`,
      );
      stopping = true;
      await handle.close();
      await store.close();
      process.exit(2);
    }
    if (!config.DEMO && accounts.demoEnabled.length)
      logger.warn(
        `DEMO is off, but ${accounts.demoEnabled.length} demo accounts from an earlier demo start are still enabled, made with the demo's known password ` +
          `(${someNames(accounts.demoEnabled)}): disable each with \`npm run users -- disable <name>\``,
      );
    if (!config.DEMO && !accounts.demo.length && !accounts.real.length)
      logger.warn(
        'no account yet: create the first with `npm run users -- add <name> --role admin` (its password from USER_PASSWORD, or asked)',
      );
    // Demo mode: accounts, teams and (first start only) the history, before anyone can connect.
    if (config.DEMO) await prepareDemo(handle.ctx, { historyDays: config.DEMO_HISTORY_DAYS });
    const { port } = await handle.listen();
    lock?.setPort(port);
    logger.info({ port, host: config.HOST }, `dashboard on http://localhost:${port}`);

    // The live simulator talks to this server like any client, over HTTP and Socket.IO. With several
    // processes on one database, one runs it: the one running the once-only jobs (each ran its own,
    // and the demo's clues came twice as fast); another takes it over when that one stops.
    if (config.DEMO && config.SIMULATOR) {
      const leader = handle.ctx.leader;
      let refused = false;
      const runSimulator = async (): Promise<void> => {
        const sim = new Simulator({
          url: `http://${loopbackFor(config.HOST)}:${port}`,
          password: config.DEMO_PASSWORD,
          ratePerMinute: DEMO_CLUES_PER_MINUTE,
          log: (line) => logger.info(line),
        });
        simulator = sim;
        try {
          await sim.start();
          logger.info(
            { cluesPerMinute: DEMO_CLUES_PER_MINUTE },
            'live simulator running (SIMULATOR=off or `npm start -- --no-sim` turns it off)',
          );
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'live simulator did not start');
          refused = true; // not tried again every few seconds
          await sim.stop();
          if (simulator === sim) simulator = null;
        }
      };
      await leader.ready();
      if (leader.isLeader()) await runSimulator();
      else
        logger.info(
          'live simulator: run by the server process that runs the once-only jobs; this one takes it over if that one stops',
        );
      const follow = setInterval(() => {
        if (stopping) return clearInterval(follow);
        if (leader.isLeader() && !simulator && !refused) void runSimulator();
        else if (!leader.isLeader() && simulator) {
          const sim = simulator;
          simulator = null;
          logger.info('live simulator: stopped here, as another process now runs the once-only jobs');
          void sim.stop();
        }
      }, SIMULATOR_FOLLOW_MS);
      follow.unref();
    } else if (config.DEMO) {
      logger.info('live simulator off (SIMULATOR=off or --no-sim)');
    } else if (config.SIMULATOR) {
      logger.info('live simulator off: it works the demo accounts, and DEMO=off');
    }
  } catch (err) {
    if (stopping) return; // stopped while starting: what failed was cut short by the shutdown
    // A damaged page found after the open (the cases' or the teams' first read): a sentence and
    // exit status 2, as for a file that cannot be opened at all; the file is left as it is.
    const told = store.engine === 'sqlite' ? unreadable(store.location, err) : err;
    if (told instanceof DataDirError) {
      logger.error(told.message);
      stopping = true;
      await handle?.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      lock?.release();
      process.exit(2);
    }
    throw err;
  }
}

/** Why the port cannot be listened on (EADDRINUSE, EACCES…), or null when it can; port 0 always can. */
function portTaken(port: number, host: string): Promise<string | null> {
  if (port === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

/** What to do about the port check's error `code`, in a sentence. */
export function portMessage(port: number, host: string, code: string): string {
  const where = `port ${port} on ${host}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${where} is in use (${code}): stop what listens there (another dashboard?) or set PORT to a free one`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host} (${code}): it is not an address of this machine; set HOST to one of its addresses, or 0.0.0.0 for all of them`;
    case 'EACCES':
      return `not allowed to listen on ${where} (${code}): ports below 1024 need privileges; set PORT to 1024 or above (a reverse proxy can serve 80/443), or give node the right (setcap cap_net_bind_service)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${host} (${code}): no such host name; set HOST to an address of this machine, or 0.0.0.0`;
    default:
      return `cannot listen on ${where} (${code}): check HOST and PORT`;
  }
}

/** Where this process reaches its own server: the loopback when listening on every interface. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === 'localhost') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
