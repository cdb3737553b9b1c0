// 案件编号 (shared/cases.ts caseNumber): each case gets the next number of the Shanghai day it was
// reported, taken from that day's row of `case_numbers` in the transaction that stores it. So the
// numbers of a day run 1, 2, 3 … in commit order with no gaps (a rolled-back intake gives its
// numbers back), and two server processes on one PostgreSQL never hand out the same one: the day's
// row stays locked from the take to the commit, as the event counter does (audit.ts).
import type { Kysely } from 'kysely';
import { caseNumberDay } from '../../shared/cases';
import { shanghaiDay } from '../../shared/time';
import type { Database } from '../store/schema';

/** `20261204`: cases.no_day of a case reported at `ms`. */
export const numberDayOf = (ms: number): string => caseNumberDay(shanghaiDay(ms));

/** Takes `n` numbers of `day` (a day's first take starts at 1); returns the last one taken (`value`). */
export function takeCaseNumbers(db: Pick<Kysely<Database>, 'insertInto'>, day: string, n: number) {
  return db
    .insertInto('case_numbers')
    .values({ day, value: n })
    .onConflict((oc) =>
      oc
        .column('day')
        .doUpdateSet((eb) => ({ value: eb('case_numbers.value', '+', eb.ref('excluded.value')) })),
    )
    .returning('value');
}

/**
 * Items grouped by day, each group in the items' order; the groups in day order. Every transaction
 * takes its days' counter rows in that one order, before it inserts any case (intake-writer.ts), so
 * two group commits spanning midnight on PostgreSQL never wait on each other crosswise (a deadlock).
 */
export function byDay<T>(
  items: readonly T[],
  dayOf: (item: T) => string,
): Array<{ day: string; items: T[] }> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const day = dayOf(item);
    const group = groups.get(day);
    if (group) group.push(item);
    else groups.set(day, [item]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, items]) => ({ day, items }));
}
