// What the server refuses at its start, in its own process (server/main.ts): the demo (DEMO=on, the
// default) in a database with real accounts, and a DATA_DIR it cannot write to; and what it tells a
// DEMO=off start about the accounts it finds. The demo's accounts are those on its record (or, in a
// database from before the record, those that look like the demo's).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { startServerProcess } from '../../support/process-server';
import { makeTempDir } from '../../support/temp-dir';
import { openStore, type Store } from '../../../server/store/db';
import { UserService } from '../../../server/auth/users';
import { demoAccounts } from '../../../server/auth/demo-accounts';
import { packTownships } from '../../../server/geo/default';
import { loadDepartments } from '../../../server/county/departments';
import { DEMO_ACCOUNTS_KEY, accountsOnRecord } from '../../../server/demo/accounts-check';
import { runUsersCli } from '../../support/users-cli';

const townships = packTownships();
const departments = loadDepartments();

describe.each(ENGINES)('the start on %s', { timeout: 90_000 }, (engine) => {
  let database: TestDatabase;
  let store: Store;
  let users: UserService;
  const env = (extra: Record<string, string>) => ({
    DATA_DIR: database.dataDir,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    DEMO_HISTORY_DAYS: '0',
    ...extra,
  });
  const usernames = async () =>
    (await store.db.selectFrom('users').select('username').orderBy('username').execute()).map(
      (r) => r.username,
    );

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    store = await database.open();
    users = new UserService(store, Date.now);
  });
  afterEach(async () => {
    await store?.close();
    await database?.destroy();
  });

  it('refuses the demo in a database with an account of its own, writing no demo account', async () => {
    // What `npm run users -- add admin --role admin` makes: named admin like the demo's, but real.
    await users.create({
      username: 'admin',
      displayName: 'admin',
      role: 'admin',
      scope: { kind: 'county' },
      password: 'a-real-password',
    });
    const start = startServerProcess(env({ DEMO: 'on' }));
    await expect(start).rejects.toThrow(/exited with code 2/);
    const out = await start.catch((err: Error) => err.message);
    expect(out).toContain('this database has accounts of its own (real use: admin)');
    expect(out).toContain('start with DEMO=off; the demo needs a database of its own');
    expect(out).not.toContain('    at ');
    expect(await usernames()).toEqual(['admin']);
    expect(await store.db.selectFrom('teams').select('id').execute()).toEqual([]);
  });

  it('refuses the demo next to an account added for real that looks just like the demo’s', async () => {
    // All four as the demo makes them: the record, not the look, tells it is not the demo's.
    const add = await runUsersCli(database, ['add', 'admin', '--role', 'admin', '--name', '系统管理员'], {
      USER_PASSWORD: 'a-real-password',
    });
    expect(add.code, add.stderr).toBe(0);
    const found = await accountsOnRecord(store, townships, departments);
    expect(found).toMatchObject({ by: 'record', real: ['admin'], demo: [] });
    const start = startServerProcess(env({ DEMO: 'on' }));
    await expect(start).rejects.toThrow(/exited with code 2/);
    const out = await start.catch((err: Error) => err.message);
    expect(out).toContain('this database has accounts of its own (real use: admin)');
    expect(await usernames()).toEqual(['admin']);
  });

  it('starts the demo again on its own database, and warns a DEMO=off start of its accounts', async () => {
    // A database from before the record: the demo's accounts are told by their look.
    for (const a of demoAccounts(townships, departments, 'demo').slice(0, 4)) await users.create(a);
    await users.setDisabled('leader', true);
    const found = await accountsOnRecord(store, townships, departments);
    expect(found.by).toBe('look');
    expect(found.real).toEqual([]);
    expect(found.demo).toHaveLength(4);
    expect(found.demoEnabled).not.toContain('leader');

    const demo = await startServerProcess(env({ DEMO: 'on' }));
    expect(await demo.stop()).toBe(0);
    const all = demoAccounts(townships, departments, 'demo').length;
    expect((await usernames()).length).toBe(all);
    // The live simulator's own, made with the rest: its timeline entries are not the commander's.
    expect(await usernames()).toEqual(expect.arrayContaining(['sim-command', 'sim-140581002', 'sim-cgj']));
    // On record now, those it found as well as those it made.
    const recorded = await accountsOnRecord(store, townships, departments);
    expect(recorded.by).toBe('record');
    expect(recorded.demo).toHaveLength(all);
    expect(recorded.real).toEqual([]);

    // Changed by the users command, the demo's admin is still the demo's: DEMO=on still starts.
    const set = await runUsersCli(database, ['set', 'admin', '--name', '张三']);
    expect(set.code, set.stderr).toBe(0);
    expect((await accountsOnRecord(store, townships, departments)).real).toEqual([]);

    const real = await startServerProcess(env({ DEMO: 'off' }));
    expect(await real.stop()).toBe(0);
    // All but the disabled leader, the simulator's own among them, named after those people sign in with.
    expect(all).toBe(60);
    expect(real.output()).toMatch(
      /DEMO is off, but 59 demo accounts from an earlier demo start are still enabled.*\(admin, commander, 140581/,
    );
    expect(real.output()).toContain('npm run users -- disable <name>');
    expect(real.output()).not.toContain('no account yet');
  });

  it('hints at the first admin account when DEMO=off finds none', async () => {
    const server = await startServerProcess(env({ DEMO: 'off' }));
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain(
      'no account yet: create the first with `npm run users -- add <name> --role admin`',
    );
  });
});

describe('telling demo accounts from real ones', () => {
  it('takes an account for the demo only when username, role, scope and display name are all the demo’s', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database.open();
    try {
      const users = new UserService(store, Date.now);
      const [admin, commander] = demoAccounts(townships, departments, 'demo');
      await users.create({ ...admin!, password: 'changed-later' }); // the demo's, whatever its password
      await users.create({ ...commander!, displayName: '值班长' }); // renamed: someone's own
      await users.create(demoAccounts(townships, departments, 'another')[3]!); // DEMO_PASSWORD changed since
      await users.create({
        username: 'zhang.wei',
        displayName: '张伟',
        role: 'commander',
        scope: { kind: 'county' },
        password: 'pw-pw-pw',
      });
      const found = await accountsOnRecord(store, townships, departments);
      expect(found.by).toBe('look');
      expect([...found.demo].sort()).toEqual(['admin', townships[0]!.code].sort());
      expect(found.real).toEqual(['commander', 'zhang.wei']);
    } finally {
      await store.close();
      await database.destroy();
    }
  });

  it('puts the look’s judgement on record at the first add or set, then goes by the record', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database.open();
    try {
      const users = new UserService(store, Date.now);
      const [admin, commander, leader] = demoAccounts(townships, departments, 'demo');
      await users.create(admin!); // from a demo start before the record
      await users.create(leader!);
      // A real account as the demo would make it, added after the record began.
      const add = await runUsersCli(
        database,
        ['add', 'commander', '--role', 'commander', '--name', commander!.displayName],
        { USER_PASSWORD: 'a-real-password' },
      );
      expect(add.code, add.stderr).toBe(0);
      let found = await accountsOnRecord(store, townships, departments);
      expect(found.by).toBe('record');
      expect(found.demo).toEqual(['admin', 'leader']);
      expect(found.real).toEqual(['commander']);
      const row = await store.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', DEMO_ACCOUNTS_KEY)
        .executeTakeFirstOrThrow();
      expect(Object.values(JSON.parse(row.value).accounts).sort()).toEqual(['admin', 'leader']);

      // The record unreadable (edited by hand): the look decides again, and the commander looks
      // like the demo's.
      await store.db
        .updateTable('meta')
        .set({ value: 'not json' })
        .where('key', '=', DEMO_ACCOUNTS_KEY)
        .execute();
      found = await accountsOnRecord(store, townships, departments);
      expect(found.by).toBe('look');
      expect(found.real).toEqual([]);
    } finally {
      await store.close();
      await database.destroy();
    }
  });

  it('on a database from before the record, set keeps a demo account the demo’s', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database.open();
    try {
      const users = new UserService(store, Date.now);
      for (const a of demoAccounts(townships, departments, 'demo').slice(0, 3)) await users.create(a);
      const set = await runUsersCli(database, ['set', 'leader', '--role', 'commander', '--name', '值班长']);
      expect(set.code, set.stderr).toBe(0);
      const found = await accountsOnRecord(store, townships, departments);
      expect(found).toMatchObject({ by: 'record', real: [], demo: ['admin', 'commander', 'leader'] });
    } finally {
      await store.close();
      await database.destroy();
    }
  });
});

describe('a DATA_DIR the server cannot write to', () => {
  const tmp = makeTempDir('gaoping-datadir-');
  beforeAll(() => fs.writeFileSync(path.join(tmp.dir, 'a-file'), 'not a folder'));
  afterAll(() => tmp.remove());

  it.each([
    ['under a regular file (ENOTDIR)', 'a-file/data', /\(ENOTDIR\)/, {}],
    // With PostgreSQL too: photos, jwt-secret and phrases.json are kept there.
    [
      'under a regular file with DATABASE_URL',
      'a-file/data',
      /\(ENOTDIR\)/,
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    ],
  ])('ends the start with a sentence, not a stack: %s', async (_what, dir, code, extra) => {
    const dataDir = path.join(tmp.dir, dir);
    const start = startServerProcess({ DATA_DIR: dataDir, DEMO: 'off', ...extra });
    await expect(start).rejects.toThrow(/exited with code 2/);
    const out = await start.catch((err: Error) => err.message);
    expect(out).toContain(`DATA_DIR=${dataDir} is not writable`);
    expect(out).toMatch(code);
    expect(out).toContain("create it and give the server's user write access, or set DATA_DIR");
    expect(out).not.toContain('    at ');
  });

  it('says so when the database file in it cannot be opened', async () => {
    const dataDir = path.join(tmp.dir, 'db-is-a-folder');
    fs.mkdirSync(path.join(dataDir, 'gaoping.db'), { recursive: true });
    const start = startServerProcess({ DATA_DIR: dataDir, DEMO: 'off' });
    const out = await start.then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(out).toMatch(/exited with code 2/);
    expect(out).toContain(`DATA_DIR=${dataDir} is not writable (SQLITE_CANTOPEN)`);
    expect(out).not.toContain('    at ');
  });
});

describe('a HOST that is not an address of this machine', () => {
  it('is told as such, not as a port in use', async () => {
    const tmp = makeTempDir('gaoping-host-');
    try {
      // 192.0.2.0/24 is TEST-NET-1: documentation only, no machine's address.
      const start = startServerProcess({ DATA_DIR: tmp.dir, DEMO: 'off', HOST: '192.0.2.7' });
      const out = await start.then(
        () => 'started',
        (err: Error) => err.message,
      );
      expect(out).toMatch(/exited with code 2/);
      expect(out).toContain(
        'cannot listen on 192.0.2.7 (EADDRNOTAVAIL): it is not an address of this machine',
      );
      expect(out).not.toContain('in use');
    } finally {
      tmp.remove();
    }
  });
});

describe('a database file the server cannot take as its own', () => {
  const tmp = makeTempDir('gaoping-dbfile-');
  afterAll(() => tmp.remove());
  const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

  /** Starts on `dataDir` and returns what it said; a start that got as far as serving is stopped. */
  async function startOn(dataDir: string): Promise<string> {
    const start = startServerProcess({ DATA_DIR: dataDir, DEMO_HISTORY_DAYS: '0', SIMULATOR: 'off' });
    return start.then(
      async (server) => {
        await server.stop();
        return 'started';
      },
      (err: Error) => err.message,
    );
  }

  it.each([
    [
      'other-program',
      "create table contacts (name text, phone text); insert into contacts values ('张三', '13900000000')",
      'contacts',
    ],
    // Tables named as some of ours: before, it was migrated into (kysely_migration, meta written
    // beside its own, WAL mode set), then failed on `table "users" already exists`, exit 1.
    [
      'other-program-users',
      "create table users (id integer primary key, email text); create table meta (k text, v text); insert into users (email) values ('a@b.cn')",
      'users, meta',
    ],
  ])('leaves a database of another program as it is, and says so (%s)', async (dir, schema, listed) => {
    const dataDir = path.join(tmp.dir, dir);
    fs.mkdirSync(dataDir);
    const file = path.join(dataDir, 'gaoping.db');
    const other = new Database(file);
    other.exec(schema);
    other.close();
    const before = sha(file);
    const out = await startOn(dataDir);
    expect(out).toMatch(/exited with code 2/);
    expect(out).toContain(
      `${file} is not this server's database: it holds tables of another program (${listed})`,
    );
    expect(out).not.toContain('    at ');
    expect(sha(file)).toBe(before);
  });

  it('leaves a database a newer release migrated as it is, and says there is no downgrade', async () => {
    const dataDir = path.join(tmp.dir, 'newer');
    const store = await openStore({ dataDir, writerThread: false, checkpointMs: 0 });
    await store.db
      .insertInto('kysely_migration' as never)
      .values({ name: '099_from_a_newer_release', timestamp: new Date().toISOString() } as never)
      .execute();
    await store.close();
    const file = path.join(dataDir, 'gaoping.db');
    const before = sha(file);
    const out = await startOn(dataDir);
    expect(out).toMatch(/exited with code 2/);
    expect(out).toContain(
      'this database was migrated by a newer release (099_from_a_newer_release, which this one does not have)',
    );
    expect(out).toContain('there is no downgrade');
    expect(out).not.toContain('corrupted migrations');
    expect(out).not.toContain('    at ');
    expect(sha(file)).toBe(before);
  });

  it.each([
    [
      'its first page overwritten (not a database)',
      'not-a-db',
      'SQLITE_NOTADB',
      (buf: Buffer) => buf.fill(7, 0, 100),
    ],
    [
      'its pages past the first overwritten (damaged)',
      'damaged',
      'SQLITE_CORRUPT',
      (buf: Buffer) => buf.fill(7, 4096 * 2),
    ],
  ])('says what to do about a database file %s, and leaves it as it is', async (_what, dir, code, damage) => {
    const dataDir = path.join(tmp.dir, dir);
    const store = await openStore({ dataDir, writerThread: false, checkpointMs: 0 });
    await store.close();
    const file = path.join(dataDir, 'gaoping.db');
    const buf = fs.readFileSync(file);
    damage(buf);
    fs.writeFileSync(file, buf);
    const before = sha(file);
    const out = await startOn(dataDir);
    expect(out).toMatch(/exited with code 2/);
    expect(out).toContain(`${file} cannot be read (${code}`);
    expect(out).toContain('restore the last backup into an empty DATA_DIR');
    expect(out).not.toContain('    at ');
    expect(sha(file)).toBe(before);
  });
});
