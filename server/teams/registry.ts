// Registering real teams and their GPS devices (`npm run teams`, server/cli/teams.ts): the writes
// and their checks. Every write bumps the teams' version in its transaction (./version.ts): running
// servers see it within TEAM_VERSION_POLL_MS, re-read the teams and tell their screens; a device
// they do not know yet is looked up before it is refused.
//
// Device tokens: each device gets a random token, printed once and stored as its SHA-256 (as the
// demo's `<deviceId>:<DEMO_PASSWORD>` tokens are); POST /api/positions sends it as X-Device-Token.
// OsmAnd and Traccar Client send no token: for them the device id is the only credential.
//
// History is never deleted here: a device with fixes stored is revoked (kept, its token replaced by
// REVOKED_DEVICE, which no token matches), since deleting it would delete its fixes (positions
// reference devices, on delete cascade); a team whose tracks or case records name it is not
// removed at all: it is retired (teams.retired_at), which takes it off the live map, the team lists
// and pickers, and refuses its devices, while its tracks and case records keep its name. Retiring is
// undone by `unretire`: its devices are kept registered, so its phones are taken again as they were.
import crypto from 'node:crypto';
import type { UnitRef } from '../../shared/geo';
import { MEMBER_SOURCES, memberId, normalizePhone, type TeamKind, type TeamMember } from '../../shared/teams';
import { loadDepartments, type Department } from '../county/departments';
import { packTownships } from '../geo/default';
import { sql, type Transaction } from 'kysely';
import type { Store } from '../store/db';
import type { Database } from '../store/schema';
import { hashDeviceToken, memberOf, REVOKED_DEVICE } from './service';
import { bumpTeamsVersion } from './version';

/** Team ids: as the demo's (T140581001, Dzhifa), letters, digits, - and _; they appear in URLs. */
export const TEAM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
/** Device ids: what the phone app sends as its identifier (at most 64, as both protocols take). */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_NAME_LENGTH = 60;
export const MAX_PLACEHOLDER_MEMBERS = 200;
/** Member ids: the team's id and -m01, -m02 … as `add --members` and `member add` give them. */
export const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
/** A member's role (职务): 队长, 执法队员, 派驻执法人员 … */
export const MAX_ROLE_LENGTH = 20;
/** A team's members, placeholders and named ones together. */
export const MAX_MEMBERS = 200;
/** The role of a member given none: the placeholders' too. */
export const DEFAULT_MEMBER_ROLE = '执法队员';

/** What `member add` and `member set` take, each checked as it is applied. */
export interface MemberFields {
  name?: string;
  role?: string;
  source?: string;
  /** A county department's code; '' for none. */
  department?: string;
  /** 联系电话, a mobile or a landline with its area code (normalizePhone); '' for none. */
  phone?: string;
}

/** A request the registry refuses; the message says what to do instead. */
export class RegistryError extends Error {}

export interface Owners {
  townships: readonly UnitRef[];
  departments: readonly Department[];
}

/**
 * The townships and departments of a county pack (the server's: geo/gaoping), read from their files
 * alone: the pack's whole index (grids and all) is for the server, which checks it when it starts.
 */
export function packOwners(packDir: string): Owners {
  return { townships: packTownships(packDir), departments: loadDepartments(packDir) };
}

export interface TeamListing {
  id: string;
  name: string;
  kind: TeamKind;
  ownerCode: string;
  ownerName: string;
  members: number;
  devices: string[];
  /** When it was retired (epoch ms), or null: in service. */
  retiredAt: number | null;
}

export interface NewRegisteredTeam {
  id: string;
  name: string;
  owner: { kind: TeamKind; code: string };
  /** Placeholder members (队员01 …), to be named later; 0 by default. */
  members?: number;
}

/** A device token: 32 characters of base64url, 192 random bits (a plain SHA-256 is enough for it). */
export const newDeviceToken = () => crypto.randomBytes(24).toString('base64url');

/** A name or role as given on the command line: trimmed, not empty, at most `max`, no control characters. */
function checkText(option: string, text: string, max: number): string {
  const n = text.trim();
  if (!n) throw new RegistryError(`${option} must not be empty`);
  if (n.length > max) throw new RegistryError(`${option}: at most ${max} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(n)) throw new RegistryError(`${option}: no control characters`);
  return n;
}

const checkName = (name: string): string => checkText('--name', name, MAX_NAME_LENGTH);

function checkMemberId(id: string): void {
  if (!MEMBER_ID.test(id))
    throw new RegistryError(
      `member id ${JSON.stringify(id)}: as \`npm run teams -- member list <teamId>\` prints them (e.g. T140581002-m01)`,
    );
}

export function checkTeamId(id: string): void {
  if (!TEAM_ID.test(id))
    throw new RegistryError(
      `team id ${JSON.stringify(id)}: 1–40 letters, digits, - or _, starting with a letter or digit (e.g. T140581001)`,
    );
}

export function checkDeviceId(id: string): void {
  if (!DEVICE_ID.test(id))
    throw new RegistryError(
      `device id ${JSON.stringify(id)}: 1–64 letters, digits, ., - or _, starting with a letter or digit`,
    );
}

export class TeamRegistry {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly owners: Owners,
  ) {}

  async list(): Promise<TeamListing[]> {
    const db = this.store.db;
    const [teams, members, devices] = await Promise.all([
      db.selectFrom('teams').selectAll().orderBy('id').execute(),
      db
        .selectFrom('team_members')
        .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('team_id')
        .execute(),
      db
        .selectFrom('devices')
        .select(['device_id', 'team_id'])
        .where('token_hash', '!=', REVOKED_DEVICE)
        .orderBy('device_id')
        .execute(),
    ]);
    const count = new Map(members.map((m) => [m.team_id, Number(m.n)]));
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      kind: t.kind as TeamKind,
      ownerCode: t.owner_code,
      ownerName: t.owner_name,
      members: count.get(t.id) ?? 0,
      devices: devices.filter((d) => d.team_id === t.id).map((d) => d.device_id),
      retiredAt: t.retired_at === null ? null : Number(t.retired_at),
    }));
  }

  /** The owner's name, or a RegistryError listing what there is. */
  ownerName(kind: TeamKind, code: string): string {
    if (kind === 'township') {
      const t = this.owners.townships.find((u) => u.code === code);
      if (!t)
        throw new RegistryError(
          `no township ${code} in the county pack; one of: ${this.owners.townships.map((u) => `${u.code} ${u.name}`).join(', ')}`,
        );
      return t.name;
    }
    const d = this.owners.departments.find((u) => u.code === code);
    if (!d)
      throw new RegistryError(
        `no department ${code} in the county pack; one of: ${this.owners.departments.map((u) => `${u.code} ${u.short}`).join(', ')}`,
      );
    return d.name;
  }

  async add(t: NewRegisteredTeam): Promise<TeamListing> {
    checkTeamId(t.id);
    const name = checkName(t.name);
    const ownerName = this.ownerName(t.owner.kind, t.owner.code);
    const n = t.members ?? 0;
    if (!Number.isInteger(n) || n < 0 || n > MAX_PLACEHOLDER_MEMBERS)
      throw new RegistryError(`--members: a whole number from 0 to ${MAX_PLACEHOLDER_MEMBERS}`);
    await this.store.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('teams').select('name').where('id', '=', t.id).executeTakeFirst();
      if (taken) throw new RegistryError(`team ${t.id} exists (${taken.name}): pick another id`);
      await trx
        .insertInto('teams')
        .values({
          id: t.id,
          name,
          kind: t.owner.kind,
          owner_code: t.owner.code,
          owner_name: ownerName,
          created_at: this.now(),
        })
        .execute();
      if (n)
        await trx
          .insertInto('team_members')
          .values(
            Array.from({ length: n }, (_, i) =>
              memberValues(t.id, {
                id: memberId(t.id, i + 1),
                name: `队员${String(i + 1).padStart(2, '0')}`,
                role: DEFAULT_MEMBER_ROLE,
                source: 'own',
                departmentCode: t.owner.kind === 'department' ? t.owner.code : null,
                phone: null,
              }),
            ),
          )
          .execute();
      await bumpTeamsVersion(trx);
    });
    return {
      id: t.id,
      name,
      kind: t.owner.kind,
      ownerCode: t.owner.code,
      ownerName,
      members: n,
      devices: [],
      retiredAt: null,
    };
  }

  async rename(id: string, name: string): Promise<void> {
    checkTeamId(id);
    const n = checkName(name);
    await this.store.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('teams').set({ name: n }).where('id', '=', id).executeTakeFirst();
      if (!Number(r.numUpdatedRows))
        throw new RegistryError(`no team ${id}: \`npm run teams -- list\` lists them`);
      await bumpTeamsVersion(trx);
    });
  }

  /**
   * Remove a team that has left nothing behind: no fixes (its own, or of a device it has had) and no
   * case record naming it. One that has is kept: remove its devices, and rename it if it is gone.
   */
  async remove(id: string): Promise<void> {
    checkTeamId(id);
    await this.store.db.transaction().execute(async (trx) => {
      // Locked on PostgreSQL, as member writes lock it: a member added meanwhile waits, then finds none.
      const team = await trx
        .selectFrom('teams')
        .select('id')
        .where('id', '=', id)
        .$if(this.store.engine === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!team) throw new RegistryError(`no team ${id}: \`npm run teams -- list\` lists them`);
      const deviceIds = (
        await trx.selectFrom('devices').select('device_id').where('team_id', '=', id).execute()
      ).map((d) => d.device_id);
      const fixes = await trx
        .selectFrom('positions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          deviceIds.length
            ? eb.or([eb('team_id', '=', id), eb('device_id', 'in', deviceIds)])
            : eb('team_id', '=', id),
        )
        .executeTakeFirstOrThrow();
      // Case actions record the team sent as "teamId":"<id>" in their JSON payload (`_` in an id
      // matches any character here: at worst a team is kept that could have gone).
      const named = await trx
        .selectFrom('case_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('payload', 'like', `%"teamId":${JSON.stringify(id)}%`)
        .executeTakeFirstOrThrow();
      if (Number(fixes.n) || Number(named.n))
        throw new RegistryError(
          `team ${id} has history (${Number(fixes.n)} track fixes, ${Number(named.n)} case records naming it): ` +
            'removing it would break its tracks and case timelines. Retire it instead ' +
            `(\`npm run teams -- retire ${id}\`): off the map and the team lists, its phones refused, ` +
            'its name kept in its records.',
        );
      await trx.deleteFrom('devices').where('team_id', '=', id).execute();
      await trx.deleteFrom('team_members').where('team_id', '=', id).execute();
      await trx.deleteFrom('meta').where('key', '=', memberHighKey(id)).execute();
      await trx.deleteFrom('teams').where('id', '=', id).execute();
      await bumpTeamsVersion(trx);
    });
  }

  /**
   * Retire a team: off the live map, the team lists and pickers (running servers within
   * TEAM_VERSION_POLL_MS), its devices refused from now on (case actions refuse it at once). Its row, its
   * devices and its history stay. Returns when it was retired, and whether it already was.
   */
  async retire(
    id: string,
  ): Promise<{ name: string; retiredAt: number; already: boolean; devices: string[] }> {
    checkTeamId(id);
    return this.store.db.transaction().execute(async (trx) => {
      const team = await this.teamRow(trx, id);
      const devices = (
        await trx
          .selectFrom('devices')
          .select('device_id')
          .where('team_id', '=', id)
          .where('token_hash', '!=', REVOKED_DEVICE)
          .orderBy('device_id')
          .execute()
      ).map((d) => d.device_id);
      if (team.retired_at !== null)
        return { name: team.name, retiredAt: Number(team.retired_at), already: true, devices };
      const retiredAt = this.now();
      await trx.updateTable('teams').set({ retired_at: retiredAt }).where('id', '=', id).execute();
      await bumpTeamsVersion(trx);
      return { name: team.name, retiredAt, already: false, devices };
    });
  }

  /** Put a retired team back in service, its devices with it; `already` when it was in service. */
  async unretire(id: string): Promise<{ name: string; already: boolean }> {
    checkTeamId(id);
    return this.store.db.transaction().execute(async (trx) => {
      const team = await this.teamRow(trx, id);
      if (team.retired_at === null) return { name: team.name, already: true };
      await trx.updateTable('teams').set({ retired_at: null }).where('id', '=', id).execute();
      await bumpTeamsVersion(trx);
      return { name: team.name, already: false };
    });
  }

  private async teamRow(
    trx: Transaction<Database>,
    id: string,
  ): Promise<{ name: string; retired_at: number | null }> {
    const team = await trx
      .selectFrom('teams')
      .select(['name', 'retired_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!team) throw new RegistryError(`no team ${id}: \`npm run teams -- list\` lists them`);
    return team;
  }

  /**
   * Register a device to a team; returns its new token (stored hashed: shown once). A device that
   * was removed but kept for its fixes is registered again (its old fixes stay with the team they
   * were taken for).
   */
  async addDevice(
    teamId: string,
    deviceId: string,
    label?: string,
  ): Promise<{ token: string; teamName: string }> {
    checkTeamId(teamId);
    checkDeviceId(deviceId);
    const l = label === undefined ? deviceId : checkName(label);
    const token = newDeviceToken();
    const teamName = await this.store.db.transaction().execute(async (trx) => {
      const team = await trx
        .selectFrom('teams')
        .select(['name', 'retired_at'])
        .where('id', '=', teamId)
        .executeTakeFirst();
      if (!team)
        throw new RegistryError(`no team ${teamId}: add it first (\`npm run teams -- add ${teamId} …\`)`);
      if (team.retired_at !== null)
        throw new RegistryError(
          `team ${teamId} is retired: register the phone to a team in service, ` +
            `or put this one back first (\`npm run teams -- unretire ${teamId}\`)`,
        );
      const existing = await trx
        .selectFrom('devices')
        .select(['team_id', 'token_hash'])
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      if (existing && existing.token_hash !== REVOKED_DEVICE)
        throw new RegistryError(
          `device ${deviceId} is registered to team ${existing.team_id}: ` +
            `\`npm run teams -- device remove ${deviceId}\` first (also to give it a new token)`,
        );
      if (existing)
        await trx
          .updateTable('devices')
          .set({ team_id: teamId, token_hash: hashDeviceToken(token), label: l })
          .where('device_id', '=', deviceId)
          .execute();
      else
        await trx
          .insertInto('devices')
          .values({
            device_id: deviceId,
            team_id: teamId,
            token_hash: hashDeviceToken(token),
            label: l,
            created_at: this.now(),
          })
          .execute();
      await bumpTeamsVersion(trx);
      return team.name;
    });
    return { token, teamName };
  }

  /**
   * Take a device off its team: refused from then on (by running servers within TEAM_VERSION_POLL_MS).
   * Deleted when it sent nothing; revoked, its fixes kept, when it did.
   */
  async removeDevice(deviceId: string): Promise<{ teamId: string; kept: boolean }> {
    checkDeviceId(deviceId);
    return this.store.db.transaction().execute(async (trx) => {
      const d = await trx
        .selectFrom('devices')
        .select(['team_id', 'token_hash'])
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      if (!d || d.token_hash === REVOKED_DEVICE)
        throw new RegistryError(`no device ${deviceId} registered: \`npm run teams -- list\` lists them`);
      const sent = await trx
        .selectFrom('positions')
        .select('at')
        .where('device_id', '=', deviceId)
        .limit(1)
        .executeTakeFirst();
      if (sent)
        await trx
          .updateTable('devices')
          .set({ token_hash: REVOKED_DEVICE })
          .where('device_id', '=', deviceId)
          .execute();
      else await trx.deleteFrom('devices').where('device_id', '=', deviceId).execute();
      await bumpTeamsVersion(trx);
      return { teamId: d.team_id, kept: !!sent };
    });
  }

  // ---------------------------------------------------------------- members (7+9+N)

  /** A team's members in number order; the team must exist. */
  async members(teamId: string): Promise<{ teamName: string; retired: boolean; members: TeamMember[] }> {
    checkTeamId(teamId);
    return this.store.db.transaction().execute(async (trx) => {
      const team = await this.teamRow(trx, teamId);
      const rows = await trx
        .selectFrom('team_members')
        .selectAll()
        .where('team_id', '=', teamId)
        .orderBy(sql`length(id)`)
        .orderBy('id')
        .execute();
      return { teamName: team.name, retired: team.retired_at !== null, members: rows.map(memberOf) };
    });
  }

  /**
   * Add a named member under the team's next number, never one given before (a removed member's
   * id is not given to someone else). Its source is `own` unless given, its department the owning
   * department's (a department's team) unless given; one posted (派驻) names the department that
   * posted it. Two adds to one team take turns (the team's row locked on PostgreSQL; SQLite writes
   * one at a time).
   */
  async addMember(teamId: string, fields: MemberFields): Promise<{ teamName: string; member: TeamMember }> {
    checkTeamId(teamId);
    if (fields.name === undefined) throw new RegistryError('member add: --name is required');
    return this.store.db.transaction().execute(async (trx) => {
      const team = await this.teamInService(trx, teamId);
      const ids = (
        await trx.selectFrom('team_members').select('id').where('team_id', '=', teamId).execute()
      ).map((m) => m.id);
      if (ids.length >= MAX_MEMBERS)
        throw new RegistryError(
          `team ${teamId} has ${ids.length} members, the most a team may have: ` +
            'name a placeholder instead (`member set`), or remove one first',
        );
      const number = Math.max(await readMemberHigh(trx, teamId), highestMemberNumber(teamId, ids)) + 1;
      const member = this.withFields(
        {
          id: memberId(teamId, number),
          name: '',
          role: DEFAULT_MEMBER_ROLE,
          source: 'own',
          departmentCode: team.kind === 'department' ? team.owner_code : null,
          phone: null,
        },
        fields,
      );
      await trx.insertInto('team_members').values(memberValues(teamId, member)).execute();
      await writeMemberHigh(trx, teamId, number);
      await bumpTeamsVersion(trx);
      return { teamName: team.name, member };
    });
  }

  /**
   * Change a member's name, role, source or department (at least one); returns it before and after,
   * and `changed` false (nothing written) when they are the same.
   */
  async updateMember(
    id: string,
    fields: MemberFields,
  ): Promise<{ teamId: string; before: TeamMember; after: TeamMember; changed: boolean }> {
    checkMemberId(id);
    if (Object.values(fields).every((v) => v === undefined))
      throw new RegistryError(
        'member set: give at least one of --name, --role, --source, --department, --phone',
      );
    return this.store.db.transaction().execute(async (trx) => {
      const row = await this.memberRow(trx, id);
      await this.teamInService(trx, row.team_id);
      const before = memberOf(row);
      const after = this.withFields(before, fields);
      const changed = (['name', 'role', 'source', 'departmentCode', 'phone'] as const).some(
        (k) => before[k] !== after[k],
      );
      if (changed) {
        await trx
          .updateTable('team_members')
          .set({
            name: after.name,
            role: after.role,
            source: after.source,
            department_code: after.departmentCode,
            phone: after.phone,
          })
          .where('id', '=', id)
          .execute();
        await bumpTeamsVersion(trx);
      }
      return { teamId: row.team_id, before, after, changed };
    });
  }

  /**
   * Take a member off their team. The case records that named them (a 派出队伍's note) keep the
   * name they had then; their id is not given to anyone else.
   */
  async removeMember(id: string): Promise<{ teamId: string; member: TeamMember }> {
    checkMemberId(id);
    return this.store.db.transaction().execute(async (trx) => {
      const row = await this.memberRow(trx, id);
      await this.teamInService(trx, row.team_id);
      await trx.deleteFrom('team_members').where('id', '=', id).execute();
      const number = highestMemberNumber(row.team_id, [id]);
      if (number > (await readMemberHigh(trx, row.team_id))) await writeMemberHigh(trx, row.team_id, number);
      await bumpTeamsVersion(trx);
      return { teamId: row.team_id, member: memberOf(row) };
    });
  }

  /**
   * The team, locked for this transaction on PostgreSQL (its members' writes take turns); refused
   * when retired: its card is on no screen, so a change would reach none.
   */
  private async teamInService(
    trx: Transaction<Database>,
    teamId: string,
  ): Promise<{ name: string; kind: string; owner_code: string }> {
    const team = await trx
      .selectFrom('teams')
      .select(['name', 'kind', 'owner_code', 'retired_at'])
      .where('id', '=', teamId)
      .$if(this.store.engine === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!team) throw new RegistryError(`no team ${teamId}: \`npm run teams -- list\` lists them`);
    if (team.retired_at !== null)
      throw new RegistryError(
        `team ${teamId} is retired: put it back first (\`npm run teams -- unretire ${teamId}\`), ` +
          'then change its members',
      );
    return team;
  }

  /** A member's row, locked for this transaction on PostgreSQL. */
  private async memberRow(trx: Transaction<Database>, id: string) {
    const row = await trx
      .selectFrom('team_members')
      .selectAll()
      .where('id', '=', id)
      .$if(this.store.engine === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!row)
      throw new RegistryError(`no member ${id}: \`npm run teams -- member list <teamId>\` lists them`);
    return row;
  }

  /** `base` with `fields` applied, each checked: a posted member must name a county department. */
  private withFields(base: TeamMember, fields: MemberFields): TeamMember {
    const out = { ...base };
    if (fields.name !== undefined) out.name = checkText('--name', fields.name, MAX_NAME_LENGTH);
    if (fields.role !== undefined) out.role = checkText('--role', fields.role, MAX_ROLE_LENGTH);
    if (fields.source !== undefined) {
      if (!(MEMBER_SOURCES as readonly string[]).includes(fields.source))
        throw new RegistryError(
          `--source ${JSON.stringify(fields.source)}: one of own (本级), posted (派驻), helper (协管)`,
        );
      out.source = fields.source as TeamMember['source'];
    }
    if (fields.department !== undefined) {
      const code = fields.department.trim();
      if (code) this.ownerName('department', code); // refuses a code the county does not have, listing them
      out.departmentCode = code || null;
    }
    if (fields.phone !== undefined) {
      const raw = fields.phone.trim();
      const phone = raw ? normalizePhone(raw) : null;
      if (raw && !phone)
        throw new RegistryError(
          `--phone ${JSON.stringify(fields.phone)}: a mobile (13912345678) or a landline with its area code ` +
            "(0350-2345678, an extension after another hyphen); '' clears it",
        );
      out.phone = phone;
    }
    if (out.source === 'posted' && !out.departmentCode)
      throw new RegistryError(
        fields.source === 'posted'
          ? '--source posted: name the department that posted them (--department <code>)'
          : `${base.id} is posted (派驻) by ${base.departmentCode}: to clear the department give --source own or helper too`,
      );
    return out;
  }
}

function memberValues(teamId: string, m: TeamMember) {
  return {
    id: m.id,
    team_id: teamId,
    name: m.name,
    role: m.role,
    source: m.source,
    department_code: m.departmentCode,
    phone: m.phone,
  };
}

/** The meta row keeping the highest member number a team has given: no id is given twice. */
const memberHighKey = (teamId: string) => `team_members_high:${teamId}`;

async function readMemberHigh(trx: Transaction<Database>, teamId: string): Promise<number> {
  const row = await trx
    .selectFrom('meta')
    .select('value')
    .where('key', '=', memberHighKey(teamId))
    .executeTakeFirst();
  const n = Number(row?.value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

async function writeMemberHigh(trx: Transaction<Database>, teamId: string, n: number): Promise<void> {
  await sql`insert into meta (key, value) values (${memberHighKey(teamId)}, ${String(n)})
    on conflict (key) do update set value = ${String(n)}`.execute(trx);
}

/** The highest number among the team's -mNN ids (0 with none; ids of another form are left alone). */
export function highestMemberNumber(teamId: string, ids: readonly string[]): number {
  const prefix = `${teamId}-m`;
  let high = 0;
  for (const id of ids) {
    if (!id.startsWith(prefix)) continue;
    const digits = id.slice(prefix.length);
    if (/^\d{1,6}$/.test(digits)) high = Math.max(high, Number(digits));
  }
  return high;
}
