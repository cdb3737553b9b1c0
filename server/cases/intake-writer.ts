// Group commit for intake: clues that arrive together are stored in one transaction (multi-row
// inserts, one case-number take per day, one sequence update), and each caller is answered only after that commit. A commit is the
// dearest part of an intake on SQLite (WAL frames written per transaction), so sharing it lets
// intake keep up with bursts. When a batch fails (say a retried clientId), every clue in it is
// tried again alone, so one bad clue never fails its neighbours. On SQLite the transaction runs in
// the writer thread (store/sqlite-writer.ts), with the same statements, unless it is turned off or
// has failed; on PostgreSQL through the pool.
import { sql } from 'kysely';
import type { CaseEvent } from '../../shared/cases';
import type { Store } from '../store/db';
import type { SqliteWriter } from '../store/sqlite-writer';
import type { CaseRow, DeadlineRow } from './view';
import { appendEvents, EVENT_COLUMNS, eventRow, takeSeq, type NewEvent, type Trx } from './audit';
import { compileInserts, insertRows } from '../store/insert-rows';
import { SEARCH_INDEX_DRAIN, SEARCH_INDEX_EVERY } from '../store/search-index';
import { byDay, takeCaseNumbers } from './case-numbers';

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
  /** SQLite: cases stored since this writer last moved the pending ones into the search index. */
  private unindexed = 0;

  constructor(
    private readonly store: Store,
    /** Told when indexing new cases for search failed (the clues were stored without it). */
    private readonly onIndexFailure?: (err: unknown) => void,
  ) {}

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
          const stored = await this.commit(batch);
          batch.forEach((w, i) => w.resolve(stored[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          for (const w of batch) {
            try {
              const [events] = await this.commit([w]);
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

  private async commit(batch: PendingCase[]): Promise<CaseEvent[][]> {
    // SQLite: every SEARCH_INDEX_EVERY cases, this commit also indexes the ones waiting for it
    // (migration 012): one FTS5 segment for them all, not one per commit.
    const index = this.store.engine === 'sqlite' && this.unindexed + batch.length >= SEARCH_INDEX_EVERY;
    if (!index) {
      const stored = await this.commitBatch(batch, false);
      this.unindexed += batch.length;
      return stored;
    }
    try {
      const stored = await this.commitBatch(batch, true);
      this.unindexed = 0;
      return stored;
    } catch (err) {
      // The clues come first: whatever failed, they are tried again without the indexing, which
      // waits for the next 64 (the cases stay found meanwhile, through the pending table).
      const stored = await this.commitBatch(batch, false);
      this.unindexed = 0;
      this.onIndexFailure?.(err);
      return stored;
    }
  }

  private async commitBatch(batch: PendingCase[], index: boolean): Promise<CaseEvent[][]> {
    const writer = this.store.writer;
    const onMain = () =>
      this.store.db.transaction().execute(async (trx) => {
        const stored = await insertBatch(trx, batch);
        if (index) for (const s of SEARCH_INDEX_DRAIN) await sql.raw(s).execute(trx);
        return stored;
      });
    if (!writer?.usable) return onMain();
    try {
      return await this.commitInThread(writer, batch, index);
    } catch (err) {
      // The thread died with this batch: the main connection takes it (and what follows). If the
      // thread had committed it before dying, the ids are taken and the batch fails here instead:
      // a clue sent again with its clientId is answered with the stored case.
      if (!writer.usable) return onMain();
      throw err;
    }
  }

  private async commitInThread(
    writer: SqliteWriter,
    batch: PendingCase[],
    index: boolean,
  ): Promise<CaseEvent[][]> {
    const db = this.store.db; // compiles the statements, runs none
    const events = batch.flatMap((p) => p.events);
    const take = takeSeq(db, events.length).compile();
    // Each day's cases with their numbers (the thread takes them and fills in no_seq).
    const days = byDay(batch, (p) => p.row.no_day);
    const columns = Object.keys(batch[0]!.row);
    const { numbered, first } = await writer.run({
      numbered: days.map(({ day, items }) => {
        const numbers = takeCaseNumbers(db, day, items.length).compile();
        return {
          take: { sql: numbers.sql, params: [...numbers.parameters] },
          column: 'value',
          count: items.length,
          inserts: compileInserts(
            db,
            'cases',
            items.map((p) => p.row),
            columns,
          ),
          width: columns.length,
          at: columns.indexOf('no_seq'),
        };
      }),
      statements: [
        ...compileInserts(db, 'case_parties', partiesOf(batch)),
        ...compileInserts(db, 'case_deadlines', deadlinesOf(batch)),
        ...(index ? SEARCH_INDEX_DRAIN.map((s) => ({ sql: s, params: [] })) : []),
      ],
      sequence: {
        take: { sql: take.sql, params: [...take.parameters] },
        column: 'value',
        count: events.length,
        // seq 0 for now: the thread numbers the rows once it has taken the numbers.
        inserts: compileInserts(
          db,
          'case_events',
          events.map((e) => eventRow({ ...e, seq: 0 })),
          EVENT_COLUMNS,
        ),
        width: EVENT_COLUMNS.length,
        at: EVENT_COLUMNS.indexOf('seq'),
      },
    });
    numbered.forEach((firstNo, d) => days[d]!.items.forEach((p, i) => (p.row.no_seq = firstNo + i)));
    return split(
      batch,
      events.map((e, i): CaseEvent => ({ ...e, seq: first + i })),
    );
  }
}

const partiesOf = (batch: PendingCase[]) =>
  batch.flatMap((p) => p.parties.map((party) => ({ case_id: p.row.id, party })));
const deadlinesOf = (batch: PendingCase[]) => batch.flatMap((p) => p.deadlines);

/** On the main connection, through the query layer (PostgreSQL; SQLite without the thread). */
async function insertBatch(trx: Trx, batch: PendingCase[]): Promise<CaseEvent[][]> {
  // Every day's case numbers first, in day order, then the cases (insertRows splits each table's
  // rows into statements of bounded size). Taking them all before any insert means a transaction
  // never holds a case's unique keys (a retried clientId) while it waits for a day's counter that
  // another process holds: on PostgreSQL that could close a cycle (a deadlock).
  for (const { day, items } of byDay(batch, (p) => p.row.no_day)) {
    const { value } = await takeCaseNumbers(trx, day, items.length).executeTakeFirstOrThrow();
    const firstNo = Number(value) - items.length + 1;
    items.forEach((p, i) => (p.row.no_seq = firstNo + i));
  }
  await insertRows(
    trx,
    'cases',
    batch.map((p) => p.row),
  );
  await insertRows(trx, 'case_parties', partiesOf(batch));
  await insertRows(trx, 'case_deadlines', deadlinesOf(batch));
  // Sequence numbers last, for the whole batch at once: the counter row stays locked until commit.
  const stored = await appendEvents(
    trx,
    batch.flatMap((p) => p.events),
  );
  return split(batch, stored);
}

/** The batch's stored events, case by case. */
function split(batch: PendingCase[], stored: CaseEvent[]): CaseEvent[][] {
  const out: CaseEvent[][] = [];
  let k = 0;
  for (const p of batch) {
    out.push(stored.slice(k, k + p.events.length));
    k += p.events.length;
  }
  return out;
}
