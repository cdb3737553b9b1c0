// `npm run teams -- <command>`: manage real teams and their GPS devices in the configured database.
// Running servers take the changes within about a second, and tell their open screens, without a
// restart (server/teams/version.ts).
//   list
//   add <teamId> --name <name> (--township <code> | --department <code>) [--members <n>]
//   rename <teamId> --name <name>
//   remove <teamId>                  (only a team with no tracks or case records: else retire it)
//   retire <teamId>                  (off the map and the lists, its phones refused, its records kept)
//   unretire <teamId>                (back in service, with its phones)
//   device add <teamId> <deviceId> [--label <text>]   (prints the device's token, once)
//   device remove <deviceId>
//   member list <teamId>             (its members: id, name, role, source, department, phone)
//   member add <teamId> --name <name> [--role <role>] [--source own|posted|helper] [--department <code>] [--phone <number>]
//   member set <memberId> [--name …] [--role …] [--source …] [--department <code>|''] [--phone <number>|'']
//   member remove <memberId>
// Each command first prints the database it works on (server/cli/cli-store.ts).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { CliError, isUniqueViolation, openCliStore } from './cli-store';
import { DEFAULT_GEO_PACK_DIR } from '../geo/default';
import { packOwners, RegistryError, TeamRegistry, type Owners } from '../teams/registry';
import { APP_VERSION } from '../version';
import type { TeamMember } from '../../shared/teams';

const USAGE = `usage:
  npm run teams -- list
  npm run teams -- add <teamId> --name <name> (--township <code> | --department <code>) [--members <n>]
  npm run teams -- rename <teamId> --name <name>
  npm run teams -- remove <teamId>
  npm run teams -- retire <teamId>
  npm run teams -- unretire <teamId>
  npm run teams -- device add <teamId> <deviceId> [--label <text>]
  npm run teams -- device remove <deviceId>
  npm run teams -- member list <teamId>
  npm run teams -- member add <teamId> --name <name> [--role <role>] [--source own|posted|helper] [--department <code>] [--phone <number>]
  npm run teams -- member set <memberId> [--name <name>] [--role <role>] [--source own|posted|helper] [--department <code>|''] [--phone <number>|'']
  npm run teams -- member remove <memberId>
Township codes are the county pack's (geo/gaoping/townships.geojson), department codes its
departments.json; \`add\` with a wrong one lists them. \`remove\` only removes a team with no
tracks or case records; \`retire\` one that has them (off the map and the lists, its phones refused,
its name kept in its records; \`unretire\` undoes it). Members (the "7+9+N" team): \`add --members n\`
gives n placeholders (队员01 …, 执法队员) to name later with \`member set\`; \`member add\` adds one by
name (its id printed), --role 队长 say (default 执法队员), --source own (本级, the default), posted
(派驻, naming the --department that posted them) or helper (协管); --department '' clears it;
--phone, the member's 联系电话 on the team's card: a mobile (13912345678) or a landline with its area
code (0350-2345678[-ext]), '' clearing it.
Each command first prints the database it works on: the server's (DATA_DIR, or DATABASE_URL), which
must exist (start the server once).`;

/** The words each command takes after its name, and the options it allows. */
const COMMANDS: Record<string, { args: number; options: string[] }> = {
  list: { args: 0, options: [] },
  add: { args: 1, options: ['name', 'township', 'department', 'members'] },
  rename: { args: 1, options: ['name'] },
  remove: { args: 1, options: [] },
  retire: { args: 1, options: [] },
  unretire: { args: 1, options: [] },
  'device add': { args: 2, options: ['label'] },
  'device remove': { args: 1, options: [] },
  'member list': { args: 1, options: [] },
  'member add': { args: 1, options: ['name', 'role', 'source', 'department', 'phone'] },
  'member set': { args: 1, options: ['name', 'role', 'source', 'department', 'phone'] },
  'member remove': { args: 1, options: [] },
};

function usage(problem?: string): number {
  if (problem) console.error(problem);
  console.error(USAGE);
  return 2;
}

async function run(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        township: { type: 'string' },
        department: { type: 'string' },
        members: { type: 'string' },
        label: { type: 'string' },
        role: { type: 'string' },
        source: { type: 'string' },
        phone: { type: 'string' },
      },
    });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
  const { positionals, values } = parsed;
  const command =
    positionals[0] === 'device' || positionals[0] === 'member'
      ? `${positionals[0]} ${positionals[1] ?? ''}`
      : (positionals[0] ?? '');
  const spec = COMMANDS[command];
  if (!spec) return usage(command ? `unknown command: ${command}` : undefined);
  const args = positionals.slice(command.split(' ').length);
  if (args.length !== spec.args)
    return usage(`${command}: takes ${spec.args} argument(s), got ${args.length}`);
  const extra = Object.keys(values).filter((k) => !spec.options.includes(k));
  if (extra.length) return usage(`${command}: does not take ${extra.map((k) => `--${k}`).join(', ')}`);

  // Checked before the database is opened: a mistyped command changes nothing. (A member's fields
  // are checked against the county's departments and the member's own, still before any write.)
  let owner: { kind: 'township' | 'department'; code: string } | undefined;
  let members: number | undefined;
  if (command === 'add') {
    if (!values.name) return usage('add: --name is required');
    if (!!values.township === !!values.department)
      return usage('add: give exactly one of --township <code> or --department <code>');
    owner = values.township
      ? { kind: 'township', code: values.township }
      : { kind: 'department', code: values.department! };
    if (values.members !== undefined) {
      if (!/^\d{1,3}$/.test(values.members)) return usage('add: --members must be a whole number (0–200)');
      members = Number(values.members);
    }
  }
  if (command === 'rename' && !values.name) return usage('rename: --name is required');
  if (command === 'member add' && !values.name) return usage('member add: --name is required');

  const config = loadConfig(process.env, APP_VERSION);
  // Only `add` and a member's fields need the county's townships and departments: the pack the server loads.
  const owners: Owners =
    command === 'add' || command === 'member add' || command === 'member set'
      ? packOwners(DEFAULT_GEO_PACK_DIR)
      : { townships: [], departments: [] };
  const memberFields = {
    name: values.name,
    role: values.role,
    source: values.source,
    department: values.department,
    phone: values.phone,
  };
  const store = await openCliStore(config);
  const registry = new TeamRegistry(store, Date.now, owners);
  try {
    switch (command) {
      case 'list':
        for (const t of await registry.list())
          console.log(
            `${t.id}\t${t.kind}:${t.ownerCode}\t${t.name}\t${t.members} members\t${t.devices.join(',') || '-'}\t` +
              (t.retiredAt === null ? 'in service' : `retired ${new Date(t.retiredAt).toISOString()}`),
          );
        return 0;
      case 'add': {
        const t = await registry
          .add({ id: args[0]!, name: values.name!, owner: owner!, members })
          .catch((err) => {
            // Added by someone else between the registry's check and its insert (PostgreSQL).
            throw isUniqueViolation(err) ? new RegistryError(`team ${args[0]} exists: pick another id`) : err;
          });
        console.log(`created team ${t.id} (${t.name}, ${t.kind} ${t.ownerCode} ${t.ownerName})`);
        console.log(`register its phones: npm run teams -- device add ${t.id} <deviceId>`);
        return 0;
      }
      case 'rename':
        await registry.rename(args[0]!, values.name!);
        console.log(`renamed team ${args[0]} to ${values.name!.trim()}`);
        return 0;
      case 'remove':
        await registry.remove(args[0]!);
        console.log(`removed team ${args[0]}`);
        return 0;
      case 'retire': {
        const r = await registry.retire(args[0]!);
        const when = new Date(r.retiredAt).toISOString();
        if (r.already) {
          console.log(`team ${args[0]} (${r.name}) was retired already, at ${when}`);
          return 0;
        }
        console.log(`retired team ${args[0]} (${r.name}) at ${when}
  Running servers take it off the map, the team lists and the pickers within about a second.
  ${r.devices.length ? `Its phones (${r.devices.join(', ')}) are refused from now on.` : 'It has no phones registered.'}
  Its tracks and the case records naming it keep its name. Undo: npm run teams -- unretire ${args[0]}`);
        return 0;
      }
      case 'unretire': {
        const r = await registry.unretire(args[0]!);
        console.log(
          r.already
            ? `team ${args[0]} (${r.name}) is in service already`
            : `team ${args[0]} (${r.name}) is back in service, its phones with it (running servers: within about a second)`,
        );
        return 0;
      }
      case 'device add': {
        const [teamId, deviceId] = args as [string, string];
        const { token, teamName } = await registry.addDevice(teamId, deviceId, values.label).catch((err) => {
          throw isUniqueViolation(err)
            ? new RegistryError(
                `device ${deviceId} is registered: \`npm run teams -- list\` shows to which team`,
              )
            : err;
        });
        console.log(`registered device ${deviceId} to team ${teamId} (${teamName})
  JSON (POST /api/positions): "deviceId": "${deviceId}", header X-Device-Token: ${token}
    The token is shown only now (stored hashed). Lost: device remove, then device add again.
  OsmAnd / Traccar Client: device identifier ${deviceId}, server URL the server as the phone reaches it:
    http://<server host>:${config.PORT}/api/osmand (the server itself, its PORT), or
    https://<proxy host>/api/osmand (through the county's HTTPS proxy, where there is one).
    These apps send no token: anyone who knows the identifier can report for the team, so use
    one nobody can guess (Traccar Client's default is a random number; longer is safer).`);
        return 0;
      }
      case 'device remove': {
        const { teamId, kept } = await registry.removeDevice(args[0]!);
        console.log(
          kept
            ? `removed device ${args[0]} from team ${teamId} (kept, revoked: its track fixes stay)`
            : `removed device ${args[0]} from team ${teamId}`,
        );
        return 0;
      }
      case 'member list': {
        const { teamName, retired, members } = await registry.members(args[0]!);
        console.log(`team ${args[0]} (${teamName}${retired ? ', retired' : ''}): ${members.length} members`);
        for (const m of members) console.log(memberLine(m));
        return 0;
      }
      case 'member add': {
        const { teamName, member } = await registry.addMember(args[0]!, memberFields).catch((err) => {
          // Another \`member add\` took the same id between the read and the insert (PostgreSQL).
          throw isUniqueViolation(err)
            ? new RegistryError(
                `another member was added to team ${args[0]} at the same moment: run it again`,
              )
            : err;
        });
        console.log(`added to team ${args[0]} (${teamName}): ${memberLine(member)}`);
        return 0;
      }
      case 'member set': {
        const { teamId, before, after, changed } = await registry.updateMember(args[0]!, memberFields);
        console.log(
          changed
            ? `member ${after.id} of team ${teamId}: ${memberLine(before)}\n  now: ${memberLine(after)}`
            : `member ${after.id} of team ${teamId} unchanged: ${memberLine(after)}`,
        );
        return 0;
      }
      case 'member remove': {
        const { teamId, member } = await registry.removeMember(args[0]!);
        console.log(`removed from team ${teamId}: ${memberLine(member)}`);
        return 0;
      }
    }
    return usage();
  } finally {
    await store.close();
  }
}

/** One member as the commands print it: id, name, role, source, department and phone, tab-separated. */
function memberLine(m: TeamMember): string {
  return [m.id, m.name, m.role, m.source, m.departmentCode ?? '-', m.phone ?? '-'].join('\t');
}

run().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof CliError) {
      console.error(err.message);
      process.exit(err.exitCode);
    }
    if (err instanceof ConfigError || err instanceof RegistryError) console.error(err.message);
    else console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
