// insertRows (the hot paths' multi-row insert with its SQL compiled once per shape) stores exactly
// what Kysely's own insert stores, on both engines, for every batch size and with NULLs.
import { describe, expect, it } from 'vitest';
import { ENGINES, useStore } from '../../support/db';
import { insertRows } from '../../../server/store/insert-rows';

describe.each(ENGINES)('insertRows on %s', (engine) => {
  const ctx = useStore(engine);

  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      case_id: `${prefix}-${i}`,
      kind: i % 2 ? 'finish' : 'acknowledge',
      due_at: 1_700_000_000_000 + i,
      met_at: i % 3 ? null : 1_700_000_000_500 + i,
      overdue_at: undefined,
    }));
  const read = async (prefix: string) =>
    (
      await ctx.store.db
        .selectFrom('case_deadlines')
        .selectAll()
        .where('case_id', 'like', `${prefix}-%`)
        .orderBy('due_at')
        .execute()
    ).map((r) => ({ ...r, case_id: r.case_id.slice(prefix.length) }));

  it.each([1, 2, 7, 7, 100, 200])(
    'a batch of %i rows reads back like the same rows inserted by Kysely',
    async (n) => {
      const tag = `${n}-${Math.random().toString(36).slice(2, 8)}`;
      await insertRows(ctx.store.db, 'case_deadlines', rows(`ours${tag}`, n), [
        'case_id',
        'kind',
        'due_at',
        'met_at',
        'overdue_at',
      ]);
      await ctx.store.db
        .insertInto('case_deadlines')
        .values(rows(`kysely${tag}`, n).map((r) => ({ ...r, overdue_at: null })))
        .execute();
      const ours = await read(`ours${tag}`);
      expect(ours).toHaveLength(n);
      expect(ours).toEqual(await read(`kysely${tag}`));
      expect(ours[0]).toMatchObject({ kind: 'acknowledge', met_at: 1_700_000_000_500, overdue_at: null });
    },
  );

  it('runs inside a transaction, and a failure rolls the whole batch back', async () => {
    const before = await ctx.store.db
      .selectFrom('case_deadlines')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      ctx.store.db.transaction().execute(async (trx) => {
        await insertRows(trx, 'case_deadlines', rows('rolled', 3));
        // NOT NULL violated: the batch above must not survive.
        await insertRows(trx, 'case_deadlines', [{ case_id: 'x', kind: null as never, due_at: 1 }]);
      }),
    ).rejects.toThrow();
    const after = await ctx.store.db
      .selectFrom('case_deadlines')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
