// Multi-row inserts on the hot paths (intake, positions, the audit trail) with the SQL built once.
// Kysely builds and compiles an operation tree of one node per value on every call: for a batch of
// cases of 43 columns that is more CPU than SQLite's own insert. The SQL of an insert depends only
// on the dialect, the table, the columns and the number of rows, so it is compiled by Kysely once
// per such shape, then run with the rows' values as parameters in the same order Kysely would use
// (row by row, column by column). Same query layer, same driver, same transaction.
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema';
import type { Statement } from './sqlite-writer';

type Executor = Pick<Kysely<Database>, 'insertInto' | 'executeQuery' | 'getExecutor'>;

/** Compiled SQL texts per dialect adapter (one per Kysely instance), then per insert shape. */
const texts = new WeakMap<object, Map<string, string>>();

/**
 * Insert `rows` into `table`. `columns` lists the columns to write, in a fixed order (default: the
 * first row's keys); a row's missing or undefined value is written as NULL.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Executor,
  table: T,
  rows: ReadonlyArray<Insertable<Database[T]>>,
  columns: readonly string[] = rows.length ? Object.keys(rows[0]!) : [],
): Promise<void> {
  for (const q of compileInserts(db, table, rows, columns))
    await db.executeQuery(CompiledQuery.raw(q.sql, q.params));
}

/**
 * The statements insertRows runs, without running them (the SQLite writer thread runs them). Rows
 * go in chunks of a power of two (13 rows: 8 + 4 + 1), so a table has at most 7 insert shapes, and
 * the driver at most 7 prepared statements for it, whatever the batch sizes.
 */
export function compileInserts<T extends keyof Database & string>(
  db: Executor,
  table: T,
  rows: ReadonlyArray<Insertable<Database[T]>>,
  columns: readonly string[] = rows.length ? Object.keys(rows[0]!) : [],
): Statement[] {
  const out: Statement[] = [];
  for (let at = 0; at < rows.length;) {
    let size = MAX_CHUNK;
    while (size > rows.length - at) size >>= 1;
    out.push(compileChunk(db, table, rows.slice(at, (at += size)), columns));
  }
  return out;
}

/** Rows per statement at most: 64 × 43 columns stays well under SQLite's 32,766 parameters. */
const MAX_CHUNK = 64;

function compileChunk(
  db: Executor,
  table: string,
  rows: ReadonlyArray<unknown>,
  columns: readonly string[],
): Statement {
  const adapter = db.getExecutor().adapter;
  let byShape = texts.get(adapter);
  if (!byShape) texts.set(adapter, (byShape = new Map()));
  const shape = `${table}(${columns.join(',')})×${rows.length}`;
  let text = byShape.get(shape);
  if (!text) {
    // Any values do: only the SQL text is kept. Every column is present in every row (NULLs).
    const blank = Object.fromEntries(columns.map((c) => [c, null]));
    text = db
      .insertInto(table as keyof Database)
      .values(rows.map(() => blank) as never)
      .compile().sql;
    byShape.set(shape, text);
  }
  const params: unknown[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (const c of columns) params[k++] = r[c] ?? null;
  }
  return { sql: text, params };
}
