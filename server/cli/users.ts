// `npm run users -- <command>`: manage real accounts in the configured database.
//   add <username> --role <role> [--scope <township or department code>] [--name <display name>]
//       (password from USER_PASSWORD, or asked twice on the terminal, not shown; ≥ 8 characters)
//   set <username> [--role <role>] [--scope <code>] [--name <display name>]
//       (at least one; checked as for add; a new role or scope ends the account's sessions)
//   passwd <username>     (password as for add; ends the account's sessions)
//   disable <username>    (ends its sessions; the account is kept, never deleted)
//   enable <username>
//   list                  (with each account's state, enabled or disabled)
//   scopes                (the codes --scope takes)
// Each command but scopes first prints the database it works on (server/cli/cli-store.ts). The last
// enabled admin can be neither disabled nor given another role. add refuses a username beginning
// sim-, reserved for the demo simulator's own accounts (never a person: server/realtime/presence.ts).
// add and set keep the record of the demo's accounts (server/demo/accounts-check.ts), so what they
// make or change is judged by it.
import { parseArgs } from 'node:util';
import { ROLES, type Role, type Scope } from '../../shared/auth';
import { ConfigError, loadConfig } from '../config';
import { CliError, isUniqueViolation, openCliStore } from './cli-store';
import { MIN_CLI_PASSWORD, newPassword } from './password';
import { LastAdminError, UserService, toSessionUser } from '../auth/users';
import { SIM_PREFIX, isSimulatorAccount } from '../auth/demo-accounts';
import { recordDemoAccounts } from '../demo/accounts-check';
import { loadDepartments } from '../county/departments';
import { packTownships } from '../geo/default';
import type { Store } from '../store/db';
import { APP_VERSION } from '../version';

const USAGE = `usage:
  npm run users -- add <username> --role <${ROLES.join('|')}> [--scope <code>] [--name <display name>]
  npm run users -- set <username> [--role <role>] [--scope <code>] [--name <display name>]
  npm run users -- passwd <username>
  npm run users -- disable <username>
  npm run users -- enable <username>
  npm run users -- list
  npm run users -- scopes      (the township and department codes --scope takes)
The password comes from USER_PASSWORD, or is asked for twice on the terminal (not shown); at least
${MIN_CLI_PASSWORD} characters. Each command first prints the database it works on: the server's
(DATA_DIR, or DATABASE_URL), which must exist (start the server once to create it). --scope is
the township's code for role township, the department's code for role department
(\`npm run users -- scopes\` lists them). set changes those given of an account's role, scope and
display name: a township worker moving to another township, a leader becoming a commander. Changing
a password, role or scope, or disabling an account, ends its sessions (open pages are signed out
within SESSION_CHECK_MS); a new display name alone does not. The last enabled admin can be neither
disabled nor given another role (add another admin first). Accounts are never deleted, as their
names stay in case timelines and the audit: disable one instead.`;

const COMMANDS = ['add', 'set', 'passwd', 'disable', 'enable', 'list', 'scopes'];
const WITHOUT_USERNAME = ['list', 'scopes'];

/** The scope codes a role may have: the county's townships or departments, code and name. */
function scopeCodes(kind: 'township' | 'department'): Array<{ code: string; name: string }> {
  return kind === 'township'
    ? packTownships()
    : loadDepartments().map((d) => ({ code: d.code, name: d.name }));
}

function listCodes(kind: 'township' | 'department'): string {
  return scopeCodes(kind)
    .map((c) => `  ${c.code}\t${c.name}`)
    .join('\n');
}

/** An account's scope in words: `county`, `township:140581002 (东城街道)`. */
function where(scope: Scope): string {
  if (scope.kind === 'county') return 'county';
  const name = scopeCodes(scope.kind).find((c) => c.code === scope.code)?.name;
  return `${scope.kind}:${scope.code}${name ? ` (${name})` : ''}`;
}

/**
 * The scope an account of `role` gets from `code` (--scope, or for set the account's own when the
 * role keeps its kind), or the refusal's words: a code that is not the county's would make an
 * account that sees nothing.
 */
function scopeFor(role: Role, code: string | undefined): Scope | string {
  if (role === 'township' || role === 'department') {
    if (!code || !scopeCodes(role).some((c) => c.code === code))
      return `${code ? `--scope ${code} is not` : '--scope is required: give'} a ${role} code of this county; one of:\n${listCodes(role)}`;
    return { kind: role, code };
  }
  if (code !== undefined && code !== 'county') return `role ${role} sees the whole county: leave out --scope`;
  return { kind: 'county' };
}

/** What is wrong with --name, or null (the same bounds as the server's: 1 to 64 characters). */
function nameProblem(name: string | undefined): string | null {
  if (name === undefined) return null;
  if (!name.trim()) return '--name must not be blank';
  if (name.length > 64) return `--name may have at most 64 characters (it has ${name.length})`;
  return null;
}

function lastAdmin(username: string, what: string): number {
  console.error(
    `${username} is the last enabled admin account: ${what} would leave none (only an admin may act on ` +
      `any unit's case and remove anyone's photo). Add another admin first (\`npm run users -- add <name> --role admin\`); ` +
      `nothing changed`,
  );
  return 1;
}

const askPassword = () => newPassword(process.env, { input: process.stdin, output: process.stderr });

function userExists(username: string, disabled: boolean): number {
  console.error(
    `user ${username} exists${disabled ? ' (disabled)' : ''}: ` +
      `to set its password, \`npm run users -- passwd ${username}\`` +
      (disabled ? `; to let it sign in again, \`npm run users -- enable ${username}\`` : '') +
      ' (`npm run users -- list` lists the accounts)',
  );
  return 1;
}

async function run(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
    });
  } catch (err) {
    // An option it does not take (`--nmae`), or one without its value.
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = args;
  const [command, username] = positionals;
  if (!command || !COMMANDS.includes(command) || (!WITHOUT_USERNAME.includes(command) && !username)) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'scopes') {
    console.log(`townships (role township):\n${listCodes('township')}`);
    console.log(`departments (role department):\n${listCodes('department')}`);
    return 0;
  }
  // What the command line says is checked before anything is opened or asked for.
  const role = values.role as Role | undefined;
  if ((command === 'add' || role !== undefined) && (!role || !ROLES.includes(role))) {
    console.error(`--role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  if (command === 'set' && role === undefined && values.scope === undefined && values.name === undefined) {
    console.error(`set needs at least one of --role, --scope, --name\n${USAGE}`);
    return 2;
  }
  if (command === 'add' && isSimulatorAccount(username!)) {
    console.error(
      `username: 以 "${SIM_PREFIX}" 开头的用户名保留给演示模拟器，请换一个 (the ${SIM_PREFIX} prefix is reserved for the demo simulator: choose another)`,
    );
    return 2;
  }
  const badName = nameProblem(values.name);
  if (badName) {
    console.error(badName);
    return 2;
  }
  let scope: Scope = { kind: 'county' };
  if (command === 'add') {
    const s = scopeFor(role!, values.scope);
    if (typeof s === 'string') {
      console.error(s);
      return 2;
    }
    scope = s;
  }
  const config = loadConfig(process.env, APP_VERSION);
  const store = await openCliStore(config);
  const users = new UserService(store, Date.now);
  try {
    if (command === 'list') {
      for (const u of await users.accounts()) {
        const at = u.scope.kind === 'county' ? 'county' : `${u.scope.kind}:${u.scope.code}`;
        const state = u.disabled ? 'disabled' : 'enabled';
        console.log(`${u.username}\t${u.role}\t${at}\t${state}\t${u.displayName}`);
      }
      return 0;
    }
    if (command === 'passwd') {
      if (!(await users.findByUsername(username!))) return noUser(username!);
      const ok = await users.setPassword(username!, await askPassword());
      if (!ok) return noUser(username!);
      console.log(`password changed for ${username}; its sessions have ended`);
      return 0;
    }
    if (command === 'set') return await set(users, store, username!, role, values.scope, values.name);
    if (command === 'disable' || command === 'enable') {
      try {
        if (!(await users.setDisabled(username!, command === 'disable'))) return noUser(username!);
      } catch (err) {
        if (err instanceof LastAdminError) return lastAdmin(username!, 'disabling it');
        throw err;
      }
      console.log(
        command === 'disable'
          ? `disabled ${username}; its sessions have ended (the account is kept: enable it again with \`npm run users -- enable ${username}\`)`
          : `enabled ${username}; it signs in with its password`,
      );
      return 0;
    }
    // Before the password is asked for: the account may be there already.
    const existing = await users.findByUsername(username!);
    if (existing) return userExists(username!, !!existing.disabled);
    await recordDemoAccounts(store, packTownships(), loadDepartments());
    let u;
    try {
      u = await users.create({
        username: username!,
        role: role!,
        scope,
        displayName: values.name ?? username!,
        password: await askPassword(),
      });
    } catch (err) {
      // Added by someone else meanwhile.
      if (isUniqueViolation(err)) return userExists(username!, false);
      throw err;
    }
    console.log(`created ${u.username} (${u.role})`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `set`: the role, scope and display name given; the changes printed, old → new. */
async function set(
  users: UserService,
  store: Store,
  username: string,
  role: Role | undefined,
  scopeCode: string | undefined,
  name: string | undefined,
): Promise<number> {
  const row = await users.findByUsername(username);
  if (!row) return noUser(username);
  const now = toSessionUser(row);
  const nextRole = role ?? now.role;
  // A township (department) account moved to another code keeps its kind; a new kind needs --scope.
  const kept = now.scope.kind !== 'county' && now.scope.kind === nextRole ? now.scope.code : undefined;
  const scope = scopeFor(nextRole, scopeCode ?? kept);
  if (typeof scope === 'string') {
    console.error(
      scope +
        (scopeCode !== undefined && role === undefined && nextRole !== 'township' && nextRole !== 'department'
          ? ` (${username} is ${nextRole}: to make it a township or department account, give --role too)`
          : ''),
    );
    return 2;
  }
  const changes = [
    ['role', now.role, nextRole],
    ['scope', where(now.scope), where(scope)],
    ['name', now.displayName, name ?? now.displayName],
  ].filter(([, from, to]) => from !== to);
  if (!changes.length) {
    console.log(
      `nothing to change: ${username} is ${now.role}, ${where(now.scope)}, named ${now.displayName}`,
    );
    return 0;
  }
  // An account from the demo stays the demo's (server/demo/accounts-check.ts): on a database from
  // before the record, it is put on record now, while it still looks like the demo's.
  await recordDemoAccounts(store, packTownships(), loadDepartments());
  try {
    const done = await users.update(username, { role: nextRole, scope, displayName: name });
    if (!done) return noUser(username);
  } catch (err) {
    if (err instanceof LastAdminError) return lastAdmin(username, `making it ${nextRole}`);
    throw err;
  }
  console.log(`changed ${username}:`);
  for (const [what, from, to] of changes) console.log(`  ${what}: ${from} → ${to}`);
  console.log(
    changes.some(([what]) => what !== 'name')
      ? `its sessions have ended (open pages are signed out within SESSION_CHECK_MS): it signs in again, with the same password, to the new rights`
      : `its sessions go on: pages show the new name from their next token renewal or sign-in`,
  );
  return 0;
}

function noUser(username: string): number {
  console.error(`no user ${username} (\`npm run users -- list\` lists them)`);
  return 1;
}

run().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof CliError) {
      console.error(err.message);
      process.exit(err.exitCode);
    }
    if (err instanceof ConfigError) console.error(err.message);
    else if (err?.name === 'ZodError')
      console.error(
        `invalid account: ${err.issues.map((i: { path: unknown[]; message: string }) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    else console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
