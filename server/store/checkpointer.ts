// WAL checkpoints off the event loop. SQLite in WAL mode copies the log back into the database file
// every 1000 pages, inside whichever commit crosses the mark, and that commit then writes megabytes
// and fsyncs while the whole server waits (better-sqlite3 is synchronous): one stall of tens of ms
// every second or so under intake load, which is what a p99 sees. Instead a worker thread with its
// own connection to the same file runs PASSIVE checkpoints on a timer: they copy what no reader
// still needs without blocking the writer, and the server's connection checkpoints only as a
// backstop, far later (db.ts: WAL_BACKSTOP_PAGES), when a steady stream of commits has kept the log
// from starting over. If the worker fails, the connection checkpoints every 1000 pages again.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * How often the worker checkpoints by default (SQLITE_CHECKPOINT_MS), in ms. Measured with the
 * intake benchmark against SQLite's own in-commit checkpoints (README "Intake").
 */
export const DEFAULT_CHECKPOINT_MS = 50;

/** The worker, as CommonJS source: it needs nothing of ours, only the driver. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const run = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > 0) parentPort.postMessage({ type: 'checkpoint', log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String((e && e.message) || e) });
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointResult {
  /** Frames in the WAL and how many of them are now copied into the database file. */
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Called after each checkpoint that found frames to copy (tests wait on it). */
  onCheckpoint(fn: (r: CheckpointResult) => void): () => void;
  stop(): Promise<void>;
}

/**
 * Start checkpointing `file` in a worker every `intervalMs`. `fallback` runs when the worker cannot
 * do its job (it should turn the connection's own autocheckpoint back on).
 */
export function startCheckpointer(
  file: string,
  intervalMs: number,
  fallback: (reason: string) => void,
): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, driver: require.resolve('better-sqlite3') },
  });
  const listeners = new Set<(r: CheckpointResult) => void>();
  let failed = false;
  const fail = (reason: string) => {
    if (failed) return;
    failed = true;
    fallback(reason);
  };
  worker.on('message', (m: { type: string; message?: string } & CheckpointResult) => {
    if (m.type === 'checkpoint') for (const fn of listeners) fn({ log: m.log, checkpointed: m.checkpointed });
    else if (m.type === 'error') fail(m.message ?? 'unknown error');
  });
  worker.on('error', (err) => fail(err.message));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping) fail(`checkpoint worker exited with code ${code}`);
      resolve();
    }),
  );
  // The timer lives in the worker; the worker alone must not keep the process alive (unref after
  // the listeners: adding one refs it again).
  worker.unref();
  return {
    onCheckpoint(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      stopping = true;
      worker.ref(); // keep the process alive until the worker has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
