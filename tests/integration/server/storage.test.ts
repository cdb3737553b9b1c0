// The query layer on both engines: migrations, transactions, numbers coming back as numbers; the
// search index where PostgreSQL's pg_trgm cannot be created.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES, TEST_DATABASE_URL, useStore } from '../../support/db';
import { makeTempDir } from '../../support/temp-dir';
import { migrateTo, migrateToLatest } from '../../../server/store/migrate';
import { openStore, type Store } from '../../../server/store/db';
import { ensureSearchIndex } from '../../../server/store/migrations/012_case_search_index';
import { caseTextFilter } from '../../../server/cases/search-text';

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

// A county's DBA may give the server a role that cannot create extensions. The search index needs
// pg_trgm; without it the server must still migrate and search (by scanning), and build the index
// at a later start once someone with the right has created the extension.
describe.runIf(ENGINES.includes('postgres'))('the search index on PostgreSQL without pg_trgm', () => {
  const suffix = crypto.randomBytes(5).toString('hex');
  const role = `gaoping_plain_${suffix}`;
  const name = `gaoping_test_plain_${suffix}`;
  const admin = async (database: string, query: string) => {
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  const dir = makeTempDir();
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    dir.remove();
    await admin('postgres', `drop database if exists ${name} with (force)`);
    await admin('postgres', `drop role if exists ${role}`);
  });

  it('migrates and searches without it, and builds the index once it exists', async () => {
    // A login that may create tables in the schema but not extensions in the database.
    await admin('postgres', `create role ${role} login`);
    await admin('postgres', `create database ${name}`);
    await admin(name, `revoke create on database ${name} from public`);
    await admin(name, `grant usage, create on schema public to ${role}`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    url.username = role;
    store = await openStore({ dataDir: dir.dir, databaseUrl: url.toString() });
    const db = store.db;
    expect(await ensureSearchIndex(db)).toBe(false);
    const search = () =>
      db
        .selectFrom('cases')
        .select('id')
        .where(caseTextFilter('13987654321', [], false))
        .execute();
    expect(await search()).toEqual([]);
    // An administrator creates the extension; the next start builds the indexes.
    await admin(name, 'create extension pg_trgm');
    const lines: string[] = [];
    expect(await ensureSearchIndex(db, (line) => lines.push(line))).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^search index: building the pg_trgm indexes/)]);
    const indexes = await sql<{ indexname: string }>`
      select indexname from pg_indexes where tablename = 'cases' and indexname like '%trgm' order by 1`.execute(
      db,
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual(['cases_id_trgm', 'cases_search_trgm']);
    expect(await search()).toEqual([]);
  });
});

// A county upgrading with years of cases stored: the migration that indexes them for search says how
// far it is, and what it indexed is found.
describe('migrating a county with its cases stored (SQLite)', () => {
  const dir = makeTempDir();
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    dir.remove();
  });

  it('indexes the stored cases for search, reporting its progress', async () => {
    store = await openStore({ dataDir: dir.dir, migrate: false });
    const db = store.db;
    await migrateTo(db, '011_case_search');
    // 12,000 cases as the release before left them (search text written, no search index).
    await sql`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 12000)
      insert into cases (id, created_by, created_at, updated_at, version, status, matter_code, domain,
        source, description, photos, lng, lat, township_code, location, route, cooperating, search_text)
      select printf('case-%05d', i), 'import', 1780000000000 + i, 1780000000000 + i, 1, 'closed',
        'SR01', 'city', 'grid_worker', '占道经营', '[]', 112.9, 35.8, '140581002', '{}', '{}', '[]',
        printf('占道经营' || char(10) || '东城街道' || char(10) || '1390000%04d', i)
      from n`.execute(db);
    const lines: string[] = [];
    expect(await migrateToLatest(db, (line) => lines.push(line))).toEqual(['012_case_search_index']);
    expect(lines).toEqual([
      'search index: 10,000 of 12,000 cases (83 %)',
      'search index: 12,000 of 12,000 cases (100 %)',
      expect.stringMatching(/^migrations applied in \d+\.\d s: 012_case_search_index$/),
    ]);
    const found = await db
      .selectFrom('cases')
      .select('id')
      .where(caseTextFilter('139 0000 1234', [], true))
      .execute();
    expect(found).toEqual([{ id: 'case-01234' }]);
    const indexed = await sql<{ n: number }>`select count(*) as n from case_search`.execute(db);
    expect(indexed.rows[0]!.n).toBe(12000);
  });
});
