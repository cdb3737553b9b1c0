// The SQLite writer thread (server/store/sqlite-writer.ts) on a real database file: transactions
// committed in the order sent, an error with SQLite's code and nothing of the failed transaction
// kept, everything sent before a close committed, the server's own transactions holding the write
// lock from their start, and intake carrying on on the main thread if the thread dies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, SQLITE_FILE, type Store } from '../../../server/store/db';
import { SqliteWriter } from '../../../server/store/sqlite-writer';
import { makeTempDir } from '../../support/temp-dir';
import { startTestServer, type TestServer } from '../../support/server';
import { tokenFor } from '../../support/auth';
import { clueAt, pointIn, report } from '../../support/cases';
import type { CaseView } from '../../../shared/cases';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freshStore(): Promise<{ store: Store; dir: string }> {
  const tmp = makeTempDir();
  const store = await openStore({ dataDir: tmp.dir });
  cleanups.push(() => tmp.remove());
  cleanups.push(() => store.close());
  await sql`create table t (id integer primary key, v text unique)`.execute(store.db);
  return { store, dir: tmp.dir };
}

const insert = (id: number, v: string) => ({ sql: 'insert into t (id, v) values (?, ?)', params: [id, v] });
const take = (n: number) => ({
  take: { sql: 'update event_seq set value = value + ? where id = 1 returning value', params: [n] },
  column: 'value',
  count: n,
  inserts: [],
  width: 1,
  at: 0,
});

describe('SQLite writer thread', () => {
  it('commits transactions in the order sent, numbering rows from the counter', async () => {
    const { store } = await freshStore();
    const writer = store.writer!;
    const firsts = (
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          writer.run({ statements: [insert(i + 1, `v${i + 1}`)], sequence: take(2) }),
        ),
      )
    ).map((r) => r.first);
    expect(firsts).toEqual(Array.from({ length: 20 }, (_, i) => 1 + 2 * i));
    const rows = await store.db
      .selectFrom('t' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(20);
    // Placeholders numbered in the thread: rows of width 2, the number at index 0.
    await writer.run({
      statements: [],
      sequence: {
        ...take(3),
        inserts: [
          { sql: 'insert into t (id, v) values (?, ?), (?, ?), (?, ?)', params: [0, 'a', 0, 'b', 0, 'c'] },
        ],
        width: 2,
      },
    });
    const numbered = await sql<{
      id: number;
      v: string;
    }>`select id, v from t where v in ('a', 'b', 'c') order by id`.execute(store.db);
    expect(numbered.rows).toEqual([
      { id: 41, v: 'a' },
      { id: 42, v: 'b' },
      { id: 43, v: 'c' },
    ]);
    expect(writer.committed).toBe(21);
  });

  it('numbers rows from several counters before the statements, and gives the numbers back on a failure', async () => {
    const { store } = await freshStore();
    const writer = store.writer!;
    const day = (d: string, n: number, values: string[]) => ({
      take: {
        sql: 'insert into case_numbers (day, value) values (?, ?) on conflict (day) do update set value = case_numbers.value + excluded.value returning value',
        params: [d, n],
      },
      column: 'value',
      count: n,
      inserts: [
        {
          sql: `insert into t (id, v) values ${values.map(() => '(?, ?)').join(', ')}`,
          params: values.flatMap((v) => [0, v]),
        },
      ],
      width: 2,
      at: 0,
    });
    const tally = async () =>
      (
        await sql<{ day: string; value: number }>`select day, value from case_numbers order by day`.execute(
          store.db,
        )
      ).rows;
    // The statements run after the numbered rows: they may refer to them.
    const after = { sql: "update t set v = v || '!' where id = 2", params: [] };
    expect(await writer.run({ numbered: [day('d1', 2, ['a', 'b'])], statements: [after] })).toEqual({
      numbered: [1],
      first: 0,
    });
    // A second day starts at 1 too; the first goes on from 2. Rows numbered 3 (d1) and 1 (d2)
    // would collide on the primary key: the transaction fails, and neither counter moves.
    await expect(
      writer.run({ numbered: [day('d1', 1, ['c']), day('d2', 1, ['x'])], statements: [] }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await tally()).toEqual([{ day: 'd1', value: 2 }]);
    expect(await writer.run({ numbered: [day('d1', 1, ['c'])], statements: [], sequence: take(1) })).toEqual({
      numbered: [3],
      first: 1,
    });
    const rows = await sql<{ id: number; v: string }>`select id, v from t order by id`.execute(store.db);
    expect(rows.rows).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b!' },
      { id: 3, v: 'c' },
    ]);
  });

  it('fails a transaction with SQLite’s code and keeps nothing of it', async () => {
    const { store } = await freshStore();
    const writer = store.writer!;
    await writer.run({ statements: [insert(1, 'taken')] });
    const err = await writer
      .run({ statements: [insert(2, 'new'), insert(3, 'taken')], sequence: take(1) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const rows = await sql<{ id: number }>`select id from t order by id`.execute(store.db);
    expect(rows.rows).toEqual([{ id: 1 }]);
    const seq = await store.db.selectFrom('event_seq').select('value').executeTakeFirstOrThrow();
    expect(Number(seq.value)).toBe(0);
    expect(writer.usable).toBe(true); // one failed transaction does not stop the thread

    // A statement first sent in a transaction that failed before reaching it still runs when sent
    // again.
    const other = { sql: 'insert into t (v, id) values (?, ?)', params: ['other', 5] };
    await expect(writer.run({ statements: [insert(1, 'again'), other] })).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    await writer.run({ statements: [other] });
    const after = await sql<{ id: number }>`select id from t order by id`.execute(store.db);
    expect(after.rows).toEqual([{ id: 1 }, { id: 5 }]);
  });

  it('commits everything sent before a close', async () => {
    const tmp = makeTempDir();
    cleanups.push(() => tmp.remove());
    const store = await openStore({ dataDir: tmp.dir });
    const sent = Array.from({ length: 50 }, () => store.writer!.run({ statements: [], sequence: take(1) }));
    await store.close();
    expect((await Promise.all(sent)).map((r) => r.first)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const db = new SQLite(`${tmp.dir}/${SQLITE_FILE}`, { readonly: true });
    expect(db.prepare('select value from event_seq where id = 1').get()).toEqual({ value: 50 });
    db.close();
  });

  it('lets a script that wrote through it end by itself (an idle thread keeps nothing alive)', () => {
    const tmp = makeTempDir();
    cleanups.push(() => tmp.remove());
    const script = path.join(tmp.dir, 'write-once.mts');
    const db = path.resolve(import.meta.dirname, '../../../server/store/db.ts');
    fs.writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(db)};
const store = await openStore({ dataDir: ${JSON.stringify(tmp.dir)} });
const first = await store.writer!.run({ statements: [], sequence: ${JSON.stringify(take(1))} });
console.log('first', first.first); // no store.close(): the process must still end
`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      timeout: 30_000, // a thread that kept the process alive would run into this
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('first 1');
  });

  it('the server’s transactions hold the write lock from their start', async () => {
    const { store, dir } = await freshStore();
    const other = new SQLite(`${dir}/${SQLITE_FILE}`);
    cleanups.push(() => void other.close());
    other.pragma('busy_timeout = 0');
    // A transaction that has only read so far: a commit of another writer in between would make
    // its write fail (SQLITE_BUSY_SNAPSHOT) if it had begun deferred.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const trx = store.db.transaction().execute(async (t) => {
      await t.selectFrom('event_seq').selectAll().execute();
      inside();
      await held;
      await t.updateTable('event_seq').set({ value: 7 }).where('id', '=', 1).execute();
    });
    await started;
    expect(() => other.exec('begin immediate')).toThrow(/locked|busy/i);
    release();
    await trx;
    other.exec('begin immediate');
    other.exec('commit');
  });

  it('reports a closed or failed thread as unusable, and the server’s intake carries on without it', async () => {
    const server: TestServer = await startTestServer();
    cleanups.push(() => server.close());
    const commander = await tokenFor(server, 'commander1', 'commander');
    const first = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, '140581002', 1)));
    expect(first.status).toBe(201);
    const writer = server.store.writer!;
    expect(writer.committed).toBe(1);
    await (writer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect.poll(() => writer.usable).toBe(false);
    const next = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, '140581002', 2)));
    expect(next.status).toBe(201);
    const id = (next.body.case as CaseView).id;
    const row = await server.store.db
      .selectFrom('cases')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.id).toBe(id);
    expect(writer.committed).toBe(1); // committed on the main thread

    const closed = new SqliteWriter('/nonexistent/file.db', []);
    await closed.close();
    await expect(closed.run({ statements: [] })).rejects.toThrow(/unavailable/);
  });
});
