// `npm run users` in its own process against a real database: accounts are added only with a scope
// the county has, disabled and enabled (never deleted), and listed with their state.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { HAS_SCRIPT, runUsersCli, runUsersCliOnTerminal } from '../../support/users-cli';
import { makeTempDir } from '../../support/temp-dir';
import type { Store } from '../../../server/store/db';
import { UserService } from '../../../server/auth/users';

// Each command is a process of its own, started through tsx: a few seconds for several.
describe.each(ENGINES)('the users command on %s', { timeout: 60_000 }, (engine) => {
  let database: TestDatabase;
  let store: Store;
  let accounts: UserService;
  const users = (...args: string[]) => runUsersCli(database, args, { USER_PASSWORD: 'a-password' });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = await database.open();
    accounts = new UserService(store, Date.now);
  });
  afterAll(async () => {
    await store?.close();
    await database?.destroy();
  });

  it('refuses a township or department code the county does not have, naming the valid ones', async () => {
    // Each is its own process (a second or two to start): side by side.
    const [township, department, missing, crossed] = await Promise.all([
      users('add', 'typo-town', '--role', 'township', '--scope', '140581999'),
      users('add', 'typo-dept', '--role', 'department', '--scope', 'zrzy'),
      users('add', 'no-scope', '--role', 'department'),
      // A department's code is not a township's.
      users('add', 'crossed', '--role', 'township', '--scope', 'zrzyj'),
    ]);
    expect(township.code).toBe(2);
    expect(township.stderr).toMatch(/--scope 140581999 is not a township code of this county/);
    expect(township.stderr).toMatch(/140581002\s+东城街道/);
    expect(department.code).toBe(2);
    expect(department.stderr).toMatch(/--scope zrzy is not a department code/);
    expect(department.stderr).toMatch(/zrzyj/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--scope is required/);
    expect(crossed.code).toBe(2);
    for (const name of ['typo-town', 'typo-dept', 'no-scope', 'crossed'])
      expect(await accounts.findByUsername(name)).toBeUndefined();
  });

  it('adds accounts with a valid scope, and lists the codes --scope takes', async () => {
    const [t, d, c, scopes] = await Promise.all([
      users('add', 'dc-desk', '--role', 'township', '--scope', '140581002'),
      users('add', 'zr-desk', '--role', 'department', '--scope', 'zrzyj'),
      users('add', 'chief', '--role', 'commander'),
      users('scopes'),
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(d.code, d.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    expect((await accounts.findByUsername('dc-desk'))?.scope_code).toBe('140581002');
    expect(scopes.code).toBe(0);
    expect(scopes.stdout).toMatch(/140581001\s+北城街道/);
    expect(scopes.stdout).toMatch(/zrzyj\s+/);
  });

  it('disables and enables an account, never deleting it, and lists its state', async () => {
    const off = await users('disable', 'dc-desk');
    expect(off.code, off.stderr).toBe(0);
    expect((await accounts.findByUsername('dc-desk'))?.disabled).toBe(1);
    expect(await accounts.authenticate('dc-desk', 'a-password')).toBeNull();
    let list = await users('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^dc-desk\ttownship\ttownship:140581002\tdisabled\t/m);
    expect(list.stdout).toMatch(/^zr-desk\tdepartment\tdepartment:zrzyj\tenabled\t/m);

    const on = await users('enable', 'dc-desk');
    expect(on.code, on.stderr).toBe(0);
    expect(await accounts.authenticate('dc-desk', 'a-password')).not.toBeNull();
    list = await users('list');
    expect(list.stdout).toMatch(/^dc-desk\ttownship\ttownship:140581002\tenabled\t/m);

    const unknown = await users('disable', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user nobody/);
  });

  it('says first which database it works on, its password left out', async () => {
    const list = await users('list');
    expect(list.code, list.stderr).toBe(0);
    const where = database.databaseUrl
      ? `database: PostgreSQL ${database.databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')}`
      : `database: SQLite ${path.join(database.dataDir, 'gaoping.db')}`;
    expect(list.stderr.split('\n')[0]).toBe(where);
    const password = database.databaseUrl && new URL(database.databaseUrl).password;
    if (password) expect(list.stderr).not.toContain(`:${password}@`);
    expect(list.stdout).not.toContain('database:'); // stdout: the accounts alone
  });

  it('refuses to make a new SQLite database where there is none, naming the path', async () => {
    const empty = makeTempDir();
    try {
      const elsewhere = { ...database, dataDir: path.join(empty.dir, 'data'), databaseUrl: undefined };
      const file = path.join(elsewhere.dataDir, 'gaoping.db');
      const [add, list] = await Promise.all([
        runUsersCli(elsewhere, ['add', 'forgot', '--role', 'leader'], { USER_PASSWORD: 'a-password' }),
        runUsersCli(elsewhere, ['list']),
      ]);
      for (const r of [add, list]) {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(
          `no database at ${file}: set DATA_DIR to the server's (or DATABASE_URL), or start the server once to create it`,
        );
        expect(r.stdout).toBe('');
      }
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      empty.remove();
    }
  });

  it('says an account exists, and how to change it, instead of a database error', async () => {
    const again = await users('add', 'chief', '--role', 'commander');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/user chief exists: to set its password, `npm run users -- passwd chief`/);
    expect(again.stderr).not.toMatch(/UNIQUE|duplicate key/i);
    expect((await users('disable', 'zr-desk')).code).toBe(0);
    const disabled = await users('add', 'zr-desk', '--role', 'department', '--scope', 'zrzyj');
    expect(disabled.code).toBe(1);
    expect(disabled.stderr).toMatch(/user zr-desk exists \(disabled\).*`npm run users -- enable zr-desk`/);
    expect((await users('enable', 'zr-desk')).code).toBe(0);
  });

  it('takes a password of 8 characters or more, and none without a terminal to ask on', async () => {
    const [short, shortPasswd, noTerminal] = await Promise.all([
      runUsersCli(database, ['add', 'shorty', '--role', 'leader'], { USER_PASSWORD: 'seven77' }),
      runUsersCli(database, ['passwd', 'chief'], { USER_PASSWORD: 'short' }),
      // No USER_PASSWORD, and stdin is not a terminal.
      runUsersCli(database, ['add', 'asked', '--role', 'leader']),
    ]);
    for (const r of [short, shortPasswd]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'USER_PASSWORD: the password must have at least 8 characters; nothing changed',
      );
    }
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('no terminal to ask for the password: set USER_PASSWORD');
    expect(await accounts.findByUsername('shorty')).toBeUndefined();
    expect(await accounts.findByUsername('asked')).toBeUndefined();
    expect(await accounts.authenticate('chief', 'a-password')).not.toBeNull();
    const eight = await runUsersCli(database, ['passwd', 'chief'], { USER_PASSWORD: '8-chars!' });
    expect(eight.code, eight.stderr).toBe(0);
    expect(await accounts.authenticate('chief', '8-chars!')).not.toBeNull();
  });

  // A pseudo-terminal through util-linux `script`, where it is installed.
  it.skipIf(!HAS_SCRIPT)('asks on a terminal twice, showing nothing typed', async () => {
    const [changed, differ] = await Promise.all([
      runUsersCliOnTerminal(database, ['passwd', 'chief'], ['typed-secret-1', 'typed-secret-1']),
      runUsersCliOnTerminal(
        database,
        ['add', 'typo', '--role', 'leader'],
        ['typed-secret-2', 'typed-secret-3'],
      ),
    ]);
    expect(changed.shown).not.toContain('typed-secret'); // not echoed
    expect(changed.code, changed.shown).toBe(0);
    expect(changed.shown).toMatch(/Password \(at least 8 characters, not shown\): \r?\nPassword again: /);
    expect(changed.shown).toContain('password changed for chief');
    expect(await accounts.authenticate('chief', 'typed-secret-1')).not.toBeNull();
    expect(differ.code).toBe(2);
    expect(differ.shown).toContain('the two passwords differ; nothing changed');
    expect(differ.shown).not.toContain('typed-secret');
    expect(await accounts.findByUsername('typo')).toBeUndefined();
  });

  it('says in its help that accounts are disabled, not deleted', async () => {
    const help = await users();
    expect(help.code).toBe(2);
    expect(help.stderr).toMatch(/users -- disable <username>/);
    expect(help.stderr).toMatch(/users -- enable <username>/);
    expect(help.stderr).toMatch(/never deleted/);
    expect(help.stderr).toMatch(/at least\s+8 characters/);
  });
});
