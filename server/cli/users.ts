// `npm run users -- <command>`: manage real accounts in the configured database.
//   add <username> --role <role> [--scope <township or department code>] [--name <display name>]
//       (password from USER_PASSWORD, or asked twice on the terminal, not shown; ≥ 8 characters)
//   passwd <username>     (password as for add; ends the account's sessions)
//   disable <username>    (ends its sessions; the account is kept, never deleted)
//   enable <username>
//   list                  (with each account's state, enabled or disabled)
//   scopes                (the codes --scope takes)
// Each command but scopes first prints the database it works on (server/cli/cli-store.ts).
import { parseArgs } from 'node:util';
import { ROLES, type Role, type Scope } from '../../shared/auth';
import { ConfigError, loadConfig } from '../config';
import { CliError, isUniqueViolation, openCliStore } from './cli-store';
import { MIN_CLI_PASSWORD, newPassword } from './password';
import { UserService } from '../auth/users';
import { loadDepartments } from '../county/departments';
import { packTownships } from '../geo/default';
import { APP_VERSION } from '../version';

const USAGE = `usage:
  npm run users -- add <username> --role <${ROLES.join('|')}> [--scope <code>] [--name <display name>]
  npm run users -- passwd <username>
  npm run users -- disable <username>
  npm run users -- enable <username>
  npm run users -- list
  npm run users -- scopes      (the township and department codes --scope takes)
The password comes from USER_PASSWORD, or is asked for twice on the terminal (not shown); at least
${MIN_CLI_PASSWORD} characters. Each command first prints the database it works on: the server's
(DATA_DIR, or DATABASE_URL), which must exist (start the server once to create it). --scope is
the township's code for role township, the department's code for role department
(\`npm run users -- scopes\` lists them). Changing a password or disabling an account ends its sessions (open pages are signed
out within SESSION_CHECK_MS). Accounts are never deleted, as their names stay in case timelines and
the audit: disable one instead.`;

const COMMANDS = ['add', 'passwd', 'disable', 'enable', 'list', 'scopes'];
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
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
  });
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
  // An account's scope is checked before anything is opened or asked for: a code that is not the
  // county's would make an account that sees nothing.
  let scope: Scope = { kind: 'county' };
  const role = values.role as Role | undefined;
  if (command === 'add') {
    if (!role || !ROLES.includes(role)) {
      console.error(`--role must be one of ${ROLES.join(', ')}`);
      return 2;
    }
    if (role === 'township' || role === 'department') {
      const code = values.scope ?? '';
      if (!scopeCodes(role).some((c) => c.code === code)) {
        console.error(
          `${code ? `--scope ${code} is not` : '--scope is required: give'} a ${role} code of this county; one of:\n${listCodes(role)}`,
        );
        return 2;
      }
      scope = { kind: role, code };
    } else if (values.scope !== undefined && values.scope !== 'county') {
      console.error(`role ${role} sees the whole county: leave out --scope`);
      return 2;
    }
  }
  const config = loadConfig(process.env, APP_VERSION);
  const store = await openCliStore(config);
  const users = new UserService(store, Date.now);
  try {
    if (command === 'list') {
      for (const u of await users.accounts()) {
        const where = u.scope.kind === 'county' ? 'county' : `${u.scope.kind}:${u.scope.code}`;
        const state = u.disabled ? 'disabled' : 'enabled';
        console.log(`${u.username}\t${u.role}\t${where}\t${state}\t${u.displayName}`);
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
    if (command === 'disable' || command === 'enable') {
      if (!(await users.setDisabled(username!, command === 'disable'))) return noUser(username!);
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
