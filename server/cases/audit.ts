// The audit trail (全过程记录): events are appended, with gap-free sequence numbers in commit order,
// inside the transaction of the change they record, and never updated or deleted.
import type { Kysely, Transaction } from 'kysely';
import type { CaseEvent, CaseEventType, EventActor } from '../../shared/cases';
import type { Database } from '../store/schema';
import { insertRows } from '../store/insert-rows';

export type Trx = Transaction<Database>;

export interface NewEvent {
  caseId: string;
  type: CaseEventType;
  actor: EventActor;
  at: number;
  payload: Record<string, unknown>;
}

/**
 * Take `events.length` sequence numbers from the one-row counter and store the events. Called last
 * in a transaction: the counter row stays locked until the commit, so seq order is commit order.
 */
export async function appendEvents(trx: Trx, events: NewEvent[]): Promise<CaseEvent[]> {
  const { value } = await takeSeq(trx, events.length).executeTakeFirstOrThrow();
  const first = Number(value) - events.length + 1;
  const stored = events.map((e, i): CaseEvent => ({ ...e, seq: first + i }));
  await insertRows(trx, 'case_events', stored.map(eventRow), EVENT_COLUMNS);
  return stored;
}

/** Takes `n` numbers from the counter; returns the last one taken (`value`). */
export function takeSeq(db: Pick<Kysely<Database>, 'updateTable'>, n: number) {
  return db
    .updateTable('event_seq')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('id', '=', 1)
    .returning('value');
}

/** The highest committed event seq (the counter's value; 0 before any event). */
export async function readEventHead(db: Pick<Kysely<Database>, 'selectFrom'>): Promise<number> {
  const row = await db.selectFrom('event_seq').select('value').where('id', '=', 1).executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** The columns of a stored event, `seq` first. */
export const EVENT_COLUMNS = ['seq', 'case_id', 'type', 'actor', 'at', 'payload'] as const;

export function eventRow(e: NewEvent & { seq: number }) {
  return {
    seq: e.seq,
    case_id: e.caseId,
    type: e.type,
    actor: JSON.stringify(e.actor),
    at: e.at,
    payload: JSON.stringify(e.payload),
  };
}
