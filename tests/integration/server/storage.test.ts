// The query layer on both engines: migrations, transactions, numbers coming back as numbers; the
// search migrations on a county with cases stored, a start killed while migrating, and the search
// index where PostgreSQL's pg_trgm cannot be created.
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import {
  createTestDatabase,
  ENGINES,
  TEST_DATABASE_URL,
  useStore,
  type TestDatabase,
} from '../../support/db';
import { insertRows } from '../../../server/store/insert-rows';
import { makeTempDir } from '../../support/temp-dir';
import { databaseUrlFor, pgQuery } from '../../support/pg';
import { migrateTo, migrateToLatest } from '../../../server/store/migrate';
import { openStore, type Store } from '../../../server/store/db';
import type { Database } from '../../../server/store/schema';
import { ensureSearchIndex, trigramIndexHelps } from '../../../server/store/search-index';
import { caseTextFilter } from '../../../server/cases/search-text';
import { takeCaseNumbers } from '../../../server/cases/case-numbers';
import * as m013 from '../../../server/store/migrations/013_case_numbers';
import { shanghaiDay } from '../../../shared/time';

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
        session_gen: 0,
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

/** A stored case with only what the schema requires, `text` as its search text (when it has one). */
/** Case i, reported i minutes after the first (10,500 cases span eight Shanghai days). */
let eventSeq = 0;
/** One audit event as a release before 014 stored it. */
async function insertEvent(db: Kysely<Database>, caseId: string, type: string, at: number): Promise<void> {
  await db
    .insertInto('case_events')
    .values({ seq: ++eventSeq, case_id: caseId, type, actor: '{}', at, payload: '{}' })
    .execute();
}

function caseRow(i: number, text?: string) {
  const at = 1_780_000_000_000 + i * 60_000;
  return {
    id: `case-${String(i).padStart(5, '0')}`,
    created_by: 'import',
    created_at: at,
    updated_at: at,
    version: 1,
    status: 'closed',
    matter_code: 'SR01',
    domain: 'city',
    source: 'grid_worker',
    description: '占道经营',
    photos: '[]',
    lng: 112.9,
    lat: 35.8,
    township_code: '140581002',
    location: JSON.stringify({
      township: { code: '140581002', name: '东城街道' },
      first: { code: '140581002001', name: '城东社区' },
      second: { code: '140581002001001', name: '城东社区第一网格' },
      micro: { code: '140581002001001001', name: '城东社区1-1微网格' },
      dedicated: [],
    }),
    route: '{}',
    cooperating: '[]',
    reporter: JSON.stringify({ name: '王建国', phone: `1390000${String(i).padStart(4, '0')}` }),
    ...(text === undefined ? {} : { search_text: text }),
  };
}

// A county's DBA may give the server a role that cannot create extensions. The search index needs
// pg_trgm; without it the server must still migrate and search (by scanning), and build the index
// at a later start once someone with the right has created the extension — once, however many
// processes start together.
describe.runIf(ENGINES.includes('postgres'))('the search index on PostgreSQL without pg_trgm', () => {
  const suffix = crypto.randomBytes(5).toString('hex');
  const role = `gaoping_plain_${suffix}`;
  const name = `gaoping_test_plain_${suffix}`;
  const admin = (database: string, query: string) =>
    pgQuery(databaseUrlFor(TEST_DATABASE_URL!, database), query);
  const dir = makeTempDir();
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
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
    const url = databaseUrlFor(TEST_DATABASE_URL!, name, role);
    const open = async () => {
      const s = await openStore({ dataDir: dir.dir, databaseUrl: url });
      stores.push(s);
      return s;
    };
    const migration: string[] = [];
    const store = await openStore({
      dataDir: dir.dir,
      databaseUrl: url,
      log: (l) => migration.push(l),
    });
    stores.push(store);
    expect(migration[0]).toMatch(
      /^search index: not built \(permission denied .*\); searches read every case/,
    );
    const db = store.db;
    const why: string[] = [];
    expect(await ensureSearchIndex(db, (l) => why.push(l))).toBe('missing');
    expect(why.at(-1)).toMatch(/^search index: cannot build it: permission denied/);
    await db
      .insertInto('cases')
      .values(caseRow(7, '占道经营\n东城街道\n13900000007') as never)
      .execute();
    const search = async () =>
      (
        await db
          .selectFrom('cases')
          .select('id')
          .where(caseTextFilter('139 0000 0007', [], false))
          .execute()
      ).map((r) => r.id);
    expect(await search()).toEqual(['case-00007']);
    // An administrator creates the extension; two processes start at once: one builds the indexes,
    // the other finds them built or being built (neither says they cannot be); the next start
    // finds them ready.
    await admin(name, 'create extension pg_trgm');
    const [a, b] = [await open(), await open()];
    const lines: string[] = [];
    const states = await Promise.all([
      ensureSearchIndex(a.db, (l) => lines.push(l)),
      ensureSearchIndex(b.db, (l) => lines.push(l)),
    ]);
    expect(states).toContain('ready');
    expect(states).not.toContain('missing');
    expect(lines).toEqual([expect.stringMatching(/^search index: building the pg_trgm indexes/)]);
    expect(await ensureSearchIndex(b.db)).toBe('ready');
    const indexes = await sql<{ indexname: string }>`
      select indexname from pg_indexes where tablename = 'cases' and indexname like '%trgm' order by 1`.execute(
      db,
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual(['cases_id_trgm', 'cases_search_trgm']);
    expect(await search()).toEqual(['case-00007']);
  });
});

// A county upgrading with years of cases stored: the migrations that go through every case say how
// far they are, and what they wrote is found; a start killed half-way leaves the database as it was.
describe.each(ENGINES)('migrating a county with its cases stored, on %s', (engine) => {
  const COUNT = 10_500;
  let database: TestDatabase;
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await database?.destroy();
  });

  it('writes and indexes the search text of the stored cases, reporting its progress', async () => {
    database = await createTestDatabase(engine);
    store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, migrate: false });
    const db = store.db;
    await migrateTo(db, '010_cases');
    // The cases as the release before the search left them (no search text).
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < COUNT; i += 1000)
        await insertRows(
          trx,
          'cases',
          Array.from({ length: Math.min(1000, COUNT - i) }, (_, k) => caseRow(i + k)) as never,
        );
    });
    // Two of them escalated (督办) before the release that keeps the time: the twice-chased one's
    // time is its later escalation, not the overdue mark after it.
    const escalated = {
      'case-00007': [1_781_000_000_000, 1_781_000_600_000],
      'case-00100': [1_781_100_000_000],
    };
    for (const [id, times] of Object.entries(escalated)) {
      await db.updateTable('cases').set({ escalations: times.length }).where('id', '=', id).execute();
      for (const at of times) await insertEvent(db, id, 'escalate', at);
    }
    await insertEvent(db, 'case-00007', 'overdue', 1_781_000_900_000);
    await insertEvent(db, 'case-00008', 'dispatch', 1_781_000_900_000);
    // Two open ones (018): one returned and chased after (its state began with the 退回, not the
    // 督办), one ordered to rectify and marked overdue after; the closed ones run no clock.
    await insertEvent(db, 'case-00008', 'return', 1_781_001_000_000);
    await insertEvent(db, 'case-00008', 'escalate', 1_781_001_500_000);
    await db.updateTable('cases').set({ status: 'returned' }).where('id', '=', 'case-00008').execute();
    await insertEvent(db, 'case-00009', 'order_rectification', 1_781_002_000_000);
    await insertEvent(db, 'case-00009', 'overdue', 1_781_002_500_000);
    await db.updateTable('cases').set({ status: 'rectifying' }).where('id', '=', 'case-00009').execute();
    // An account from before the session generation (016): its sessions carry none, and hold.
    await sql`insert into users (id, username, display_name, password_hash, role, scope_kind, created_at)
      values ('u-old', 'old', 'Old', 'x', 'leader', 'county', 1)`.execute(db);
    // A team from before retirement (017): it serves.
    await sql`insert into teams (id, name, kind, owner_code, owner_name, created_at)
      values ('T-old', '老队', 'township', '140581001', '东城街道', 1)`.execute(db);
    // Its member from before phones (021): none known.
    await sql`insert into team_members (id, team_id, name, role, source)
      values ('T-old-m01', 'T-old', '王建国', '队长', 'own')`.execute(db);
    const lines: string[] = [];
    expect(await migrateToLatest(db, (line) => lines.push(line))).toEqual([
      '011_case_search',
      '012_case_search_index',
      '013_case_numbers',
      '014_case_escalated_at',
      '015_handovers',
      '016_users_session_gen',
      '017_teams_retired_at',
      '018_case_status_since',
      '019_case_events_type',
      '020_case_extension',
      '021_team_members_phone',
      '022_cases_status_since_index',
    ]);
    expect(lines).toEqual([
      'search text written: 10,000 of 10,500 cases (95 %)',
      'search text written: 10,500 of 10,500 cases (100 %)',
      ...(engine === 'sqlite'
        ? ['search index: 10,000 of 10,500 cases (95 %)', 'search index: 10,500 of 10,500 cases (100 %)']
        : []),
      'case numbers: 10,000 of 10,500 cases (95 %)',
      'case numbers: 10,500 of 10,500 cases (100 %)',
      'escalation times: 2 escalated cases',
      'state times: 2 open cases',
      expect.stringMatching(
        /^migrations applied in \d+\.\d s: 011_case_search, 012_case_search_index, 013_case_numbers, 014_case_escalated_at, 015_handovers, 016_users_session_gen, 017_teams_retired_at, 018_case_status_since, 019_case_events_type, 020_case_extension, 021_team_members_phone, 022_cases_status_since_index$/,
      ),
    ]);
    const old = await db.selectFrom('users').select(['session_gen', 'disabled']).executeTakeFirstOrThrow();
    expect(old).toEqual({ session_gen: 0, disabled: 0 });
    const team = await db.selectFrom('teams').select(['id', 'retired_at']).executeTakeFirstOrThrow();
    expect(team).toEqual({ id: 'T-old', retired_at: null });
    const member = await db.selectFrom('team_members').select(['name', 'phone']).executeTakeFirstOrThrow();
    expect(member).toEqual({ name: '王建国', phone: null });
    // The index the big screen's read of today's finished cases goes by (022).
    const index =
      engine === 'sqlite'
        ? sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and name = 'cases_status_since'`
        : sql<{
            name: string;
          }>`select indexname as name from pg_indexes where indexname = 'cases_status_since'`;
    expect((await index.execute(db)).rows).toEqual([{ name: 'cases_status_since' }]);
    // Cases from before 延期 (020): none waits, none granted.
    const extensions = await db
      .selectFrom('cases')
      .select(({ fn }) => [fn.countAll<number>().as('n'), fn.sum<number>('extensions').as('granted')])
      .where('extension_request', 'is', null)
      .executeTakeFirstOrThrow();
    expect([Number(extensions.n), Number(extensions.granted)]).toEqual([10_500, 0]);
    const chased = await db
      .selectFrom('cases')
      .select(['id', 'escalated_at'])
      .where('escalated_at', 'is not', null)
      .orderBy('id')
      .execute();
    expect(chased.map((r) => [r.id, Number(r.escalated_at)])).toEqual([
      ['case-00007', 1_781_000_600_000],
      ['case-00100', 1_781_100_000_000],
    ]);
    const since = await db
      .selectFrom('cases')
      .select(['id', 'status_since'])
      .where('status_since', 'is not', null)
      .orderBy('id')
      .execute();
    expect(since.map((r) => [r.id, Number(r.status_since)])).toEqual([
      ['case-00008', 1_781_001_000_000],
      ['case-00009', 1_781_002_000_000],
    ]);
    const search = async (text: string, indexed: boolean) =>
      (
        await db
          .selectFrom('cases')
          .select('id')
          .where(caseTextFilter(text, [], indexed))
          .execute()
      ).map((r) => r.id);
    // 案件编号: each case numbered within its Shanghai day in the order reported, from 1, no gaps;
    // each day's counter where its last case left it, so intake goes on from there.
    const numbers = await db
      .selectFrom('cases')
      .select(['id', 'created_at', 'no_day', 'no_seq'])
      .orderBy('created_at')
      .execute();
    const expected = new Map<string, number>();
    for (const r of numbers) {
      const day = shanghaiDay(Number(r.created_at)).replace(/-/g, '');
      const seq = (expected.get(day) ?? 0) + 1;
      expected.set(day, seq);
      expect({ id: r.id, no_day: r.no_day, no_seq: Number(r.no_seq) }).toEqual({
        id: r.id,
        no_day: day,
        no_seq: seq,
      });
    }
    expect(expected.size).toBe(8);
    const counters = await db.selectFrom('case_numbers').selectAll().orderBy('day').execute();
    expect(counters.map((c) => [c.day, Number(c.value)])).toEqual([...expected].sort());
    const [lastDay, lastNo] = [...expected].sort().at(-1)!;
    const next = await takeCaseNumbers(db, lastDay, 1).executeTakeFirstOrThrow();
    expect(Number(next.value)).toBe(lastNo + 1);
    expect(await search(`${lastDay}-${String(lastNo).padStart(4, '0')}`, engine === 'sqlite')).toEqual([
      'case-10499',
    ]);
    expect(await search('139 0000 1234', engine === 'sqlite')).toEqual(['case-01234']);
    expect(await search('王建国', false)).toHaveLength(COUNT);
    if (engine === 'sqlite') {
      const indexed = await sql<{ n: number }>`select count(*) as n from case_search`.execute(db);
      expect(indexed.rows[0]!.n).toBe(COUNT);
      // A word every case holds is faster scanned than listed from the index; a phone is not.
      expect(await trigramIndexHelps(db, '王建国')).toBe(false);
      expect(await trigramIndexHelps(db, '13900001234')).toBe(true);
    }
  });
});

// SQLite: 013 commits its own transaction, then Kysely records it; a start killed in between runs
// it again at the next start, which must find the work done and change nothing.
describe('a start killed after numbering the cases, before its record (SQLite)', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('starts the next time with the numbers as they were', async () => {
    const first = await openStore({ dataDir: dir.dir, migrate: false });
    await migrateTo(first.db, '012_case_search_index');
    await insertRows(first.db, 'cases', [caseRow(0), caseRow(1)] as never);
    await m013.up(first.db, () => undefined); // committed, not recorded
    await first.close();
    const second = await openStore({ dataDir: dir.dir });
    try {
      const rows = await second.db
        .selectFrom('cases')
        .select(['id', 'no_day', 'no_seq'])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [r.id, Number(r.no_seq)])).toEqual([
        ['case-00000', 1],
        ['case-00001', 2],
      ]);
      const counter = await second.db.selectFrom('case_numbers').selectAll().execute();
      expect(counter.map((c) => Number(c.value))).toEqual([2]);
    } finally {
      await second.close();
    }
  });
});

// SQLite runs no migration in a transaction of Kysely's: each of ours that goes through every case
// takes one itself, so a process killed in the middle (the health check's timeout on a large
// county) leaves the database as it was, and the next start migrates it.
describe('a start killed while migrating (SQLite)', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('migrates on the next start', async () => {
    const first = await openStore({ dataDir: dir.dir, migrate: false });
    await migrateTo(first.db, '011_case_search');
    // Enough cases for the migration to report progress, which is where this test kills it.
    await first.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 10_050; i += 1000)
        await insertRows(
          trx,
          'cases',
          Array.from({ length: Math.min(1000, 10_050 - i) }, (_, k) => {
            const n = i + k;
            return caseRow(n, `占道经营\n东城街道\n1390000${String(n).padStart(4, '0')}`);
          }) as never,
        );
    });
    // Killed with 10,000 of the cases indexed: nothing of the migration must remain.
    await expect(
      migrateToLatest(first.db, (line) => {
        throw new Error(`killed at "${line}"`);
      }),
    ).rejects.toThrow(/migration 012_case_search_index failed: killed at/);
    await first.close();
    const second = await openStore({ dataDir: dir.dir });
    try {
      const ids = await second.db
        .selectFrom('cases')
        .select('id')
        .where(caseTextFilter('13900000042', [], true))
        .execute();
      expect(ids).toEqual([{ id: 'case-00042' }]);
    } finally {
      await second.close();
    }
  });
});
