// `npm run users` in its own process against a real database: accounts are added only with a scope
// the county has, changed (role, scope, name) under the same checks, disabled and enabled (never
// deleted; never the last enabled admin), and listed with their state. A new role or scope ends the
// account's sessions on a running server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { HAS_SCRIPT, runUsersCli, runUsersCliOnTerminal } from '../../support/users-cli';
import { makeTempDir } from '../../support/temp-dir';
import type { Store } from '../../../server/store/db';
import { UserService } from '../../../server/auth/users';
import { startTestServer, type TestServer } from '../../support/server';
import { TEST_PASSWORD, call, login, tokenFor, untilMeAnswers } from '../../support/auth';
import { connectSocket, waitDisconnected, waitFor, type ClientSocket } from '../../support/socket';

/** How long the server under test trusts an account's state (the default is 30 s). */
const CHECK_MS = 200;
/** The bound within which an ended session must be refused: a few check intervals, with slack. */
const BOUND_MS = 5000;

// Each command is a process of its own (its bundle, tests/support/users-cli.ts): side by side where they can be.
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

  it('refuses a username beginning sim-, the demo simulator’s own, saying so', async () => {
    const r = await users('add', 'sim-clerk', '--role', 'commander');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'username: 以 "sim-" 开头的用户名保留给演示模拟器，请换一个 (the sim- prefix is reserved for the demo simulator: choose another)',
    );
    expect(await accounts.findByUsername('sim-clerk')).toBeUndefined();
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

  it('says first which database it works on, its password left out (the sources through tsx, as npm run users)', async () => {
    const list = await runUsersCli(database, ['list'], {}, { sources: true });
    expect(list.code, list.stderr).toBe(0);
    const where = database.databaseUrl
      ? `database: PostgreSQL ${database.databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')}`
      : `database: SQLite ${path.join(database.dataDir, 'gaoping.db')}`;
    expect(list.stderr.split('\n')[0]).toBe(where);
    const password = database.databaseUrl && new URL(database.databaseUrl).password;
    if (password) expect(list.stderr).not.toContain(`:${password}@`);
    expect(list.stdout).not.toContain('database:'); // stdout: the accounts alone
    // The accounts the tests before added, from the database: as the bundle lists them.
    expect(list.stdout).toBe((await users('list')).stdout);
    expect(list.stdout.trim().split('\n').length).toBeGreaterThan(1);
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

  it('changes an account’s role, scope or name under the checks add makes, saying what changed', async () => {
    const [added, addedAdmin] = await Promise.all([
      users('add', 'mover', '--role', 'township', '--scope', '140581002', '--name', '东城值班'),
      users('add', 'set-chief', '--role', 'commander'),
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(addedAdmin.code, addedAdmin.stderr).toBe(0);
    const [none, typo, badRole, county, kindWithout, blank, unknownOption, nobody] = await Promise.all([
      users('set', 'mover'),
      users('set', 'mover', '--scope', '140581999'),
      users('set', 'mover', '--role', 'chief'),
      users('set', 'set-chief', '--scope', '140581002'),
      // A department account needs a department's code: the township's is not carried over.
      users('set', 'mover', '--role', 'department'),
      users('set', 'mover', '--name', '  '),
      users('set', 'mover', '--nmae', 'x'),
      users('set', 'nobody', '--name', 'x'),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/set needs at least one of --role, --scope, --name/);
    expect(none.stderr).toMatch(/users -- set <username> \[--role <role>\] \[--scope <code>\] \[--name/);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--scope 140581999 is not a township code of this county/);
    expect(typo.stderr).toMatch(/140581002\s+东城街道/);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of admin, commander, leader, township, department/);
    expect(county.code).toBe(2);
    expect(county.stderr).toMatch(/role commander sees the whole county: leave out --scope.*give --role too/);
    expect(kindWithout.code).toBe(2);
    expect(kindWithout.stderr).toMatch(/--scope is required: give a department code of this county/);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/--name must not be blank/);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/--nmae[\s\S]*usage:/);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/no user nobody/);
    // None of them changed anything.
    let row = await accounts.findByUsername('mover');
    expect([row?.role, row?.scope_code, row?.display_name]).toEqual(['township', '140581002', '东城值班']);

    // To another township: the kind is kept, the code changes.
    const moved = await users('set', 'mover', '--scope', '140581003');
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain(
      'changed mover:\n  scope: township:140581002 (东城街道) → township:140581003 (',
    );
    expect(moved.stdout).toMatch(/its sessions have ended/);
    const dept = await users(
      'set',
      'mover',
      '--role',
      'department',
      '--scope',
      'zrzyj',
      '--name',
      '自然资源',
    );
    expect(dept.code, dept.stderr).toBe(0);
    expect(dept.stdout).toMatch(
      / {2}role: township → department\n {2}scope: township:140581003 \(.*\) → department:zrzyj \(/,
    );
    expect(dept.stdout).toMatch(/ {2}name: 东城值班 → 自然资源\n/);
    row = await accounts.findByUsername('mover');
    expect([row?.role, row?.scope_kind, row?.scope_code, row?.display_name]).toEqual([
      'department',
      'department',
      'zrzyj',
      '自然资源',
    ]);
    // Its password is untouched.
    expect(await accounts.authenticate('mover', 'a-password')).not.toBeNull();
    // A county role leaves the code behind.
    const lead = await users('set', 'mover', '--role', 'leader');
    expect(lead.code, lead.stderr).toBe(0);
    expect(lead.stdout).toMatch(/ {2}scope: department:zrzyj \(.*\) → county\n/);
    expect((await accounts.findByUsername('mover'))?.scope_code).toBeNull();
    const same = await users('set', 'mover', '--role', 'leader');
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/nothing to change: mover is leader, county/);
    const list = await users('list');
    expect(list.stdout).toMatch(/^mover\tleader\tcounty\tenabled\t自然资源$/m);
  });

  it('keeps an enabled admin: neither disables the last one nor gives it another role', async () => {
    expect((await users('add', 'set-admin', '--role', 'admin')).code).toBe(0);
    // The only enabled admin (whatever admins the other tests left).
    for (const u of await accounts.accounts())
      if (u.role === 'admin' && u.username !== 'set-admin') await accounts.setDisabled(u.username, true);
    const [demote, disable] = await Promise.all([
      users('set', 'set-admin', '--role', 'commander'),
      users('disable', 'set-admin'),
    ]);
    for (const [r, what] of [
      [demote, 'making it commander'],
      [disable, 'disabling it'],
    ] as const) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`set-admin is the last enabled admin account: ${what} would leave none`);
      expect(r.stderr).toContain('Add another admin first (`npm run users -- add <name> --role admin`)');
    }
    let row = await accounts.findByUsername('set-admin');
    expect([row?.role, row?.disabled]).toEqual(['admin', 0]);
    // Its name may change.
    expect((await users('set', 'set-admin', '--name', '管理员')).code).toBe(0);

    expect((await users('add', 'set-admin-2', '--role', 'admin')).code).toBe(0);
    const off = await users('disable', 'set-admin');
    expect(off.code, off.stderr).toBe(0);
    // The other one is the last now.
    const demote2 = await users('set', 'set-admin-2', '--role', 'leader');
    expect(demote2.code).toBe(1);
    expect(demote2.stderr).toContain('set-admin-2 is the last enabled admin account');
    expect((await users('enable', 'set-admin')).code).toBe(0);
    const demoted = await users('set', 'set-admin-2', '--role', 'leader');
    expect(demoted.code, demoted.stderr).toBe(0);
    expect(demoted.stdout).toMatch(/ {2}role: admin → leader/);
    // A disabled admin is no enabled one: it can always be changed.
    row = await accounts.findByUsername('set-admin-2');
    expect(row?.role).toBe('leader');
  });

  describe('with a server running on the database', () => {
    let server: TestServer;
    const sockets: ClientSocket[] = [];
    beforeAll(async () => {
      server = await startTestServer({ engine, database, env: { SESSION_CHECK_MS: String(CHECK_MS) } });
    });
    afterAll(async () => {
      for (const s of sockets) s.disconnect();
      await server?.close();
    });

    it('a new scope ends the sessions: requests, renewal and the socket in the old township’s room', async () => {
      const token = await tokenFor(server, 'moving-desk', 'township', {
        kind: 'township',
        code: '140581002',
      });
      const me = await call(server.url, token, 'GET', '/api/auth/me');
      expect(me.body.user.scope).toEqual({ kind: 'township', code: '140581002' });
      const socket = connectSocket(server.url, token);
      sockets.push(socket);
      await waitFor(socket, 'hello');
      const gone = waitDisconnected(socket, BOUND_MS);

      const r = await users('set', 'moving-desk', '--scope', '140581003');
      expect(r.code, r.stderr).toBe(0);
      expect((await call(server.url, token, 'POST', '/api/auth/refresh')).status).toBe(401);
      await untilMeAnswers(server.url, token, 401, { pollMs: CHECK_MS / 4, boundMs: BOUND_MS });
      expect(await gone).toBe('io server disconnect');
      // Signing in again, with the same password, gives the new township.
      const again = await login(server.url, 'moving-desk', TEST_PASSWORD);
      expect(again.user.scope).toEqual({ kind: 'township', code: '140581003' });
      expect((await call(server.url, again.token, 'GET', '/api/auth/me')).status).toBe(200);
    });

    it('a new role ends the sessions; a new name alone does not', async () => {
      const leader = await tokenFor(server, 'promoted', 'leader');
      const renamed = await tokenFor(server, 'renamed', 'commander');
      expect((await call(server.url, leader, 'GET', '/api/auth/me')).status).toBe(200);

      const [role, name] = await Promise.all([
        users('set', 'promoted', '--role', 'commander'),
        users('set', 'renamed', '--name', '值班长'),
      ]);
      expect(role.code, role.stderr).toBe(0);
      expect(role.stdout).toContain('  role: leader → commander');
      expect(name.code, name.stderr).toBe(0);
      expect(name.stdout).toContain('  name: renamed → 值班长');
      expect(name.stdout).toMatch(/its sessions go on/);

      await untilMeAnswers(server.url, leader, 401, { pollMs: CHECK_MS / 4, boundMs: BOUND_MS });
      expect((await login(server.url, 'promoted', TEST_PASSWORD)).user.role).toBe('commander');
      // Renewal reads the account: the session holds, and takes the new name.
      const renewed = await call(server.url, renamed, 'POST', '/api/auth/refresh');
      expect(renewed.status).toBe(200);
      expect(renewed.body.user.displayName).toBe('值班长');
      expect((await call(server.url, renamed, 'GET', '/api/auth/me')).status).toBe(200);
    });
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
