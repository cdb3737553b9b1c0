// A SQLite writer thread that commits its next batch and dies before its answer arrives (a crash
// between the commit and the reply): the batch is tried again on the main connection, where the
// unique index refuses it, though the cases are stored.
import type { Worker } from 'node:worker_threads';
import type { SqliteWriter, WriteScript } from '../../server/store/sqlite-writer';

export function dieAfterNextCommit(writer: SqliteWriter): void {
  const worker = (writer as unknown as { worker: Worker }).worker;
  const run = writer.run.bind(writer);
  writer.run = async (script: WriteScript) => {
    await run(script);
    const exited = new Promise((r) => worker.once('exit', r));
    void worker.terminate();
    await exited;
    throw new Error('reply lost');
  };
}
