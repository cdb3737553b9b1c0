// Intake's group commits on SQLite, in a worker thread with its own connection to the same file.
// better-sqlite3 is synchronous: every insert and every commit (WAL frames written, ~0.3 ms; and
// the checkpoints SQLite or the backstop runs inside a commit, ~10 ms) held the server's one thread,
// and every request in the queue waited behind it. Here the main thread compiles the statements
// (the same SQL text the query layer would run: Kysely compiles them) and hands the whole
// transaction over in one message; the worker runs it (BEGIN IMMEDIATE … COMMIT, in one go, never
// waiting on the main thread while it holds the write lock) and answers with the first event
// sequence number it took. The reply is sent only after the
// commit, so nothing acknowledged is lost on a crash, as before.
//
// The main connection still writes too (case actions, positions, the overdue scan): its
// transactions begin IMMEDIATE (db.ts), taking the write lock first, so a commit of the worker's in
// between can never invalidate what they read; a write that finds the worker's transaction under way
// waits for it (about a millisecond) through the busy timeout.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Numbers taken from a counter and written into rows: `take` takes `count` numbers and returns the
 * last one taken in `column` (`… returning`); `inserts` are statements whose rows are `width`
 * parameters each, the one at `at` a placeholder for the row's number: the first row of the first
 * statement gets the first number taken, and so on.
 */
export interface NumberedInserts {
  take: Statement;
  column: string;
  count: number;
  inserts: Statement[];
  width: number;
  at: number;
}

/**
 * One transaction: each of `numbered` in order (the cases with their case numbers), then
 * `statements` in order, then `sequence` (the events with their sequence numbers, last).
 */
export interface WriteScript {
  numbered?: NumberedInserts[];
  statements: Statement[];
  sequence?: NumberedInserts;
}

/** The first number each part of a script took: `numbered`'s in order, and `sequence`'s (0 without). */
export interface WriteResult {
  numbered: number[];
  first: number;
}

/** The worker, as CommonJS source: it needs nothing of ours, only the driver. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
for (const p of workerData.pragmas) db.pragma(p);
const statements = new Map();
const prepare = (sql) => {
  let s = statements.get(sql);
  if (!s) {
    if (statements.size >= 500) statements.clear();
    s = db.prepare(sql);
    statements.set(sql, s);
  }
  return s;
};
const numberRows = (q) => {
  const row = prepare(q.take.sql).get(q.take.params);
  const first = Number(row[q.column]) - q.count + 1;
  let n = first;
  for (const s of q.inserts) {
    for (let i = q.at; i < s.params.length; i += q.width) s.params[i] = n++;
    prepare(s.sql).run(s.params);
  }
  return first;
};
const write = db.transaction((script) => {
  const numbered = (script.numbered || []).map(numberRows);
  for (const s of script.statements) prepare(s.sql).run(s.params);
  return { numbered, first: script.sequence ? numberRows(script.sequence) : 0 };
});
parentPort.on('message', (m) => {
  if (m.type === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  if (m.type === 'pragma') {
    db.pragma(m.pragma);
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, result: write.immediate(m.script) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: String((e && e.message) || e), code: e && e.code } });
  }
});
`;

/** An error of the worker's connection, with SQLite's code (e.g. SQLITE_CONSTRAINT_UNIQUE). */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

interface Pending {
  resolve: (result: WriteResult) => void;
  reject: (err: Error) => void;
}

/**
 * The writer thread of one database file. Started on the first write (a store that never takes
 * intake never starts it). `usable` turns false for good if the worker fails; the caller then writes
 * on the main connection, as before.
 */
export class SqliteWriter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: string | null = null;
  private stopped = false;
  private exited: Promise<void> = Promise.resolve();
  /** Transactions committed by the thread so far. */
  committed = 0;

  private readonly pragmas: string[];

  constructor(
    private readonly file: string,
    pragmas: readonly string[],
    private readonly onFail: (reason: string) => void = () => undefined,
  ) {
    this.pragmas = [...pragmas];
  }

  /** Set a pragma on the thread's connection (now, or when it starts). */
  setPragma(pragma: string): void {
    this.pragmas.push(pragma);
    if (this.worker && this.usable) this.worker.postMessage({ type: 'pragma', pragma });
  }

  get usable(): boolean {
    return !this.failure && !this.stopped;
  }

  /** Run `script` as one transaction; resolves after its commit with the first numbers it took. */
  run(script: WriteScript): Promise<WriteResult> {
    if (!this.usable)
      return Promise.reject(new Error(`SQLite writer thread unavailable: ${this.failure ?? 'stopped'}`));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<WriteResult>((resolve, reject) => {
      worker.postMessage({ id, script });
      // Pending writes keep the process alive until they are answered; an idle thread does not.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  }

  /** Finish what was sent (in order: it is queued before the stop), close the connection. */
  async close(): Promise<void> {
    this.stopped = true;
    if (!this.worker) return;
    this.worker.ref();
    this.worker.postMessage({ type: 'stop' });
    await this.exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, pragmas: this.pragmas, driver: require.resolve('better-sqlite3') },
    });
    this.worker = worker;
    worker.on(
      'message',
      (m: { id: number; result?: WriteResult; error?: { message: string; code?: string } }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0 && !this.stopped) worker.unref();
        if (m.error) p.reject(new SqliteWriteError(m.error.message, m.error.code));
        else {
          this.committed++;
          p.resolve(m.result!);
        }
      },
    );
    worker.on('error', (err) => this.fail(err.message));
    // Idle, it must not keep the process alive (unref after the listeners: adding one refs it).
    worker.unref();
    this.exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        this.fail(this.stopped ? 'stopped' : `writer thread exited with code ${code}`);
        resolve();
      }),
    );
    return worker;
  }

  private fail(reason: string): void {
    const first = !this.failure && !this.stopped;
    this.failure ??= reason;
    for (const p of this.pending.values())
      p.reject(
        new Error(
          `SQLite writer thread failed (${reason}); the write may not have been committed: send it again (with the same clientId it is never stored twice)`,
        ),
      );
    this.pending.clear();
    if (first) this.onFail(reason);
  }
}
