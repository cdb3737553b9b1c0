// The query layer on both engines: migrations, transactions, numbers coming back as numbers.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES, useStore } from '../../support/db';
import { migrateToLatest } from '../../../server/store/migrate';

describe.each(ENGINES)('storage on %s', (engine) => {
  const ctx = useStore(engine);

  it('reports its engine', () => {
    expect(ctx.store.engine).toBe(engine);
  });

  it('has applied every migration, and applying again does nothing', async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      ctx.store.db,
    );
    expect(applied.rows.map((r) => r.name)).toContain('002_users');
    expect(await migrateToLatest(ctx.store.db)).toEqual([]);
  });

  it('returns BIGINT epoch milliseconds as numbers', async () => {
    const t = Date.UTC(2026, 10, 22, 8, 0, 0, 123);
    await ctx.store.db
      .insertInto('users')
      .values({
        id: 'u1',
        username: 'u1',
        display_name: 'U',
        password_hash: 'x',
        role: 'leader',
        scope_kind: 'county',
        scope_code: null,
        disabled: 0,
        created_at: t,
      })
      .execute();
    const row = await ctx.store.db
      .selectFrom('users')
      .select('created_at')
      .where('id', '=', 'u1')
      .executeTakeFirstOrThrow();
    expect(row.created_at).toBe(t);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      ctx.store.db.transaction().execute(async (trx) => {
        await trx.insertInto('meta').values({ key: 'k1', value: 'v' }).execute();
        await trx.insertInto('meta').values({ key: 'k1', value: 'duplicate' }).execute();
      }),
    ).rejects.toThrow();
    const rows = await ctx.store.db.selectFrom('meta').selectAll().where('key', '=', 'k1').execute();
    expect(rows).toEqual([]);
  });

  it('keeps data across a reopen', async () => {
    await ctx.store.db.insertInto('meta').values({ key: 'persist', value: '持久' }).execute();
    await ctx.reopen();
    const row = await ctx.store.db
      .selectFrom('meta')
      .selectAll()
      .where('key', '=', 'persist')
      .executeTakeFirst();
    expect(row?.value).toBe('持久');
  });
});
