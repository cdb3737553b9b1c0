// `npm run users -- <command>`: manage real accounts in the configured database.
//   add <username> --role <role> [--scope <township or department code>] [--name <display name>]
//       (password from USER_PASSWORD, or asked on the terminal)
//   passwd <username>     (password from USER_PASSWORD, or asked)
//   list
import { parseArgs } from 'node:util';
import readline from 'node:readline/promises';
import { ROLES, type Role, type Scope } from '../../shared/auth';
import { ConfigError, loadConfig } from '../config';
import { openStore } from '../store/db';
import { UserService } from '../auth/users';
import { APP_VERSION } from '../version';

const USAGE = `usage:
  npm run users -- add <username> --role <${ROLES.join('|')}> [--scope <code>] [--name <display name>]
  npm run users -- passwd <username>
  npm run users -- list
The password comes from USER_PASSWORD, or is asked for on the terminal.`;

async function askPassword(): Promise<string> {
  if (process.env.USER_PASSWORD) return process.env.USER_PASSWORD;
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for the password: set USER_PASSWORD');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const p = await rl.question('Password: ');
  rl.close();
  return p;
}

async function run(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, username] = positionals;
  if (!command || !['add', 'passwd', 'list'].includes(command) || (command !== 'list' && !username)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, APP_VERSION);
  // A one-off command writes a row or two: no background checkpoint worker to start and stop.
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.DATABASE_URL,
    checkpointMs: 0,
  });
  const users = new UserService(store, Date.now);
  try {
    if (command === 'list') {
      for (const u of await users.list()) {
        const scope = u.scope.kind === 'county' ? 'county' : `${u.scope.kind}:${u.scope.code}`;
        console.log(`${u.username}\t${u.role}\t${scope}\t${u.displayName}`);
      }
      return 0;
    }
    if (command === 'passwd') {
      const ok = await users.setPassword(username!, await askPassword());
      console.log(ok ? `password changed for ${username}` : `no user ${username}`);
      return ok ? 0 : 1;
    }
    const role = values.role as Role | undefined;
    if (!role || !ROLES.includes(role)) {
      console.error(`--role must be one of ${ROLES.join(', ')}`);
      return 2;
    }
    const scope: Scope =
      role === 'township' || role === 'department'
        ? { kind: role, code: values.scope ?? '' }
        : { kind: 'county' };
    const u = await users.create({
      username: username!,
      role,
      scope,
      displayName: values.name ?? username!,
      password: await askPassword(),
    });
    console.log(`created ${u.username} (${u.role})`);
    return 0;
  } finally {
    await store.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else if (err?.name === 'ZodError')
      console.error(
        `invalid account: ${err.issues.map((i: { path: unknown[]; message: string }) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    else console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
