// Group commit for intake: clues that arrive together are stored in one transaction (multi-row
// inserts, one sequence update), and each caller is answered only after that commit. A commit is the
// dearest part of an intake on SQLite (WAL frames written per transaction), so sharing it lets
// intake keep up with bursts. When a batch fails (say a retried clientId), every clue in it is
// tried again alone, so one bad clue never fails its neighbours.
import type { CaseEvent } from '../../shared/cases';
import type { Store } from '../store/db';
import type { CaseRow, DeadlineRow } from './view';
import { appendEvents, type NewEvent, type Trx } from './audit';
import { insertRows } from '../store/insert-rows';

export interface PendingCase {
  row: CaseRow;
  parties: string[];
  deadlines: DeadlineRow[];
  events: NewEvent[];
}

interface Waiting extends PendingCase {
  resolve: (events: CaseEvent[]) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 200;

export class IntakeWriter {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(private readonly store: Store) {}

  /** Resolves with the stored events once the case is committed. */
  write(item: PendingCase): Promise<CaseEvent[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      // Let the clues that arrive in this turn of the event loop join the batch.
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const stored = await this.store.db.transaction().execute((trx) => insertBatch(trx, batch));
          batch.forEach((w, i) => w.resolve(stored[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          for (const w of batch) {
            try {
              const [events] = await this.store.db.transaction().execute((trx) => insertBatch(trx, [w]));
              w.resolve(events!);
            } catch (e) {
              w.reject(e);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
      if (this.queue.length) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    }
  }
}

async function insertBatch(trx: Trx, batch: PendingCase[]): Promise<CaseEvent[][]> {
  // insertRows splits each table's rows into statements of bounded size.
  await insertRows(
    trx,
    'cases',
    batch.map((p) => p.row),
  );
  await insertRows(
    trx,
    'case_parties',
    batch.flatMap((p) => p.parties.map((party) => ({ case_id: p.row.id, party }))),
  );
  await insertRows(
    trx,
    'case_deadlines',
    batch.flatMap((p) => p.deadlines),
  );
  // Sequence numbers last, for the whole batch at once: the counter row stays locked until commit.
  const stored = await appendEvents(
    trx,
    batch.flatMap((p) => p.events),
  );
  const out: CaseEvent[][] = [];
  let k = 0;
  for (const p of batch) {
    out.push(stored.slice(k, k + p.events.length));
    k += p.events.length;
  }
  return out;
}
