// Teams and their positions: reading teams within a scope, taking fixes from devices, keeping the
// latest fix per team in memory, and handing coalesced position updates to whoever broadcasts them.
import crypto from 'node:crypto';
import type { Scope } from '../../shared/auth';
import { DATE_LIMIT_MS } from '../../shared/time';
import {
  MAX_FUTURE_SKEW_MS,
  memberId,
  noTeamsChange,
  type FixInput,
  type RetiredTeam,
  type Team,
  type TeamsChange,
  type TeamKind,
  type TeamMember,
  type TeamPosition,
  type TeamPositionUpdate,
  type TeamTaskUpdate,
} from '../../shared/teams';
import type { Store } from '../store/db';
import type { Clock } from '../clock';
import { HttpError, notFound, unauthorized } from '../http/errors';
import { teamStatus } from './status';
import { TeamTasks, type TaskCase, type TaskEvent } from './tasks';
import { sql } from 'kysely';
import { bumpTeamsVersion, readTeamsVersion } from './version';

/** Fixes one track answer gives at most (GET /api/teams/:id/track): over it, evenly thinned. */
export const MAX_TRACK_POINTS = 20_000;
/** The part of a track window read a statement: six hours (21,600 fixes at 1 Hz). */
const TRACK_SPAN_MS = 6 * 3600_000;

/** A fix as either engine returns it (PostgreSQL's bigints as strings). */
function numbers(p: TeamPosition): TeamPosition {
  return {
    lng: Number(p.lng),
    lat: Number(p.lat),
    at: Number(p.at),
    speed: p.speed === null ? null : Number(p.speed),
    bearing: p.bearing === null ? null : Number(p.bearing),
  };
}

/** Fixes deleted per statement by prune(): each a few milliseconds, the event loop let through between. */
export const PRUNE_BATCH = 5000;

export const hashDeviceToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/**
 * The token_hash of a device taken off its team (`npm run teams -- device remove`) whose fixes are
 * kept: no token hashes to it (a SHA-256 is 64 hex digits), and a device with it is not known.
 */
export const REVOKED_DEVICE = 'revoked';

/**
 * How often a server reads the teams' version (one row, ./version.ts), and re-reads teams and
 * devices when `npm run teams` or another process has moved it: a retired team's phone is refused,
 * and a new team is on the screens, within about this.
 */
export const TEAM_VERSION_POLL_MS = 1000;
/**
 * How often a server re-reads teams and devices whatever the version says: a change written around
 * the registry (SQL by hand) is taken within this.
 */
export const TEAM_REFRESH_MS = 60_000;

interface TeamRecord {
  id: string;
  name: string;
  kind: TeamKind;
  ownerCode: string;
  ownerName: string;
  members: TeamMember[];
  deviceIds: string[];
  /** When it was retired (`npm run teams -- retire`), or null: it serves. */
  retiredAt: number | null;
}

export interface NewTeam {
  id: string;
  name: string;
  kind: TeamKind;
  ownerCode: string;
  ownerName: string;
  members: Array<Omit<TeamMember, 'id'>>;
  devices: Array<{ deviceId: string; token: string; label: string }>;
}

export interface IngestResult {
  /** Fixes stored by this call. */
  accepted: number;
  /**
   * Fixes not stored because the device already has one at that instant: stored before (a batch
   * sent again when its answer was lost) or earlier in the same batch (the first is kept).
   */
  duplicates: number;
  /** Fixes refused for their time (`at`): unreadable, in the future, or past the retention. */
  rejected: Array<{ index: number; error: string }>;
}

/** An instant for a message: ISO 8601 when a Date holds it (1e20 ms is past the year 275760). */
const instantText = (at: number) =>
  Math.abs(at) <= DATE_LIMIT_MS ? new Date(at).toISOString() : `${at} ms, past any date`;

export type PositionListener = (updates: TeamPositionUpdate[]) => void;
/** A team's owner, to scope what is said of it (the county hears all, an owner its own teams). */
export type TeamOwnerRef = { kind: TeamKind; code: string };
/** `owners`: the owner of every team the change names (a team removed included). */
export type TeamsChangeListener = (change: TeamsChange, owners: ReadonlyMap<string, TeamOwnerRef>) => void;
export type TaskListener = (updates: TeamTaskUpdate[]) => void;

export class TeamService {
  /**
   * Teams by id, and devices, from the database: createTeam keeps them current; what `npm run
   * teams` or another process changed is read when the teams' version moves (looked at every
   * `versionPollMs`), and anyway every `refreshMs`; a device not known here is looked up before it
   * is refused, so a phone just registered is taken at once.
   * Retired teams are here too (their names, for their tracks), marked; their devices are not: a
   * retired team's phone is refused as an unknown one is.
   */
  private teams = new Map<string, TeamRecord>();
  private deviceTeam = new Map<string, { teamId: string; tokenHash: string }>();
  private latest = new Map<string, TeamPosition>();
  /** Fixes taken since the last flush, the newest per team. */
  private pending = new Map<string, TeamPosition>();
  private listeners = new Set<PositionListener>();
  private changeListeners = new Set<TeamsChangeListener>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** Each team's current task, from the case events (tasks.ts). */
  private tasks = new TeamTasks();
  private taskListeners = new Set<TaskListener>();
  /** A matter's name for the tasks, as the last loadTasks was given it; null before one ended. */
  private matterName: ((code: string) => string) | null = null;
  /** Told of every case event that moves a task here, so other processes move theirs. */
  private taskPublisher: ((e: TaskEvent, c: TaskCase) => void) | null = null;
  /** Told of every fix taken here, so other processes can update their latest positions. */
  private fixPublisher: ((teamId: string, p: TeamPosition) => void) | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private versionTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private polling: Promise<void> | null = null;
  /** The teams' version the teams here were read at; undefined before the first read. */
  private readVersion: string | null | undefined = undefined;
  /** Bumped by every change made here, so a re-read begun before it does not undo it. */
  private changes = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly opts: {
      coalesceMs?: number;
      retentionDays: number;
      /** Re-read teams and devices this often (0: never); TEAM_REFRESH_MS by default. */
      refreshMs?: number;
      /** Read the teams' version this often, re-reading when it moved (0: never); TEAM_VERSION_POLL_MS. */
      versionPollMs?: number;
      /** Told when a re-read fails (it is tried again at the next). */
      onRefreshError?: (err: unknown) => void;
    },
  ) {}

  async load(): Promise<void> {
    await this.refresh();
    const db = this.store.db;
    // The latest fix of each team survives a restart: read it back from the tracks.
    const since = this.clock.now() - 24 * 3600_000;
    const rows = await db
      .selectFrom('positions')
      .select(['team_id', 'lng', 'lat', 'at', 'speed', 'bearing'])
      .where('at', '>=', since)
      .orderBy('at')
      .execute();
    for (const r of rows)
      this.latest.set(r.team_id, { lng: r.lng, lat: r.lat, at: r.at, speed: r.speed, bearing: r.bearing });
  }

  /**
   * Read teams, members and devices again and put them in place at once (a request never sees them
   * half read). A re-read under way is shared; one overtaken by a change made here meanwhile is
   * dropped (the next has it).
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.readTeams().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Re-read the teams if the teams' version has moved since they were read here (the poll's job:
   * one row read, most times nothing more). A re-read under way makes it needless.
   */
  refreshIfChanged(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.polling ??= readTeamsVersion(this.store.db)
      .then((version) => (version !== this.readVersion ? this.refresh() : undefined))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private async readTeams(): Promise<void> {
    const before = this.changes;
    const db = this.store.db;
    // Read first: a change committed after it moves the version again, and the next poll re-reads.
    const version = await readTeamsVersion(db);
    const [teams, members, devices] = await Promise.all([
      db.selectFrom('teams').selectAll().orderBy('id').execute(),
      db
        .selectFrom('team_members')
        .selectAll()
        .orderBy(sql`length(id)`)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('devices')
        .selectAll()
        .where('token_hash', '!=', REVOKED_DEVICE)
        .orderBy('device_id')
        .execute(),
    ]);
    if (this.changes !== before) return;
    const byId = new Map<string, TeamRecord>();
    const deviceTeam = new Map<string, { teamId: string; tokenHash: string }>();
    for (const t of teams) byId.set(t.id, teamRecord(t));
    for (const m of members) byId.get(m.team_id)?.members.push(memberOf(m));
    for (const d of devices) {
      const team = byId.get(d.team_id);
      team?.deviceIds.push(d.device_id);
      if (team?.retiredAt === null)
        deviceTeam.set(d.device_id, { teamId: d.team_id, tokenHash: d.token_hash });
    }
    // What changed since the last read (here or by `npm run teams`), told to whoever listens: the
    // sockets' screens add, rename or take off markers and list entries. The first read is no change.
    const first = this.readVersion === undefined;
    const previous = this.teams;
    this.teams = byId;
    this.deviceTeam = deviceTeam;
    this.readVersion = version;
    if (first) return;
    const change = noTeamsChange();
    const owners = new Map<string, TeamOwnerRef>();
    const note = (t: TeamRecord) => owners.set(t.id, ownerRef(t));
    for (const t of byId.values()) {
      const was = previous.get(t.id);
      const serves = t.retiredAt === null;
      if (!was) {
        if (serves) change.added.push(this.view(t, ownerRef(t)));
      } else if ((was.retiredAt === null) !== serves) {
        if (serves) change.restored.push(t.id);
        else {
          change.retired.push(t.id);
          this.pending.delete(t.id); // a fix taken just before: not broadcast after the team is gone
        }
      } else if (serves && !sameTeam(was, t)) change.updated.push(this.view(t, ownerRef(t)));
      else continue;
      note(t);
    }
    for (const was of previous.values())
      if (!byId.has(was.id) && was.retiredAt === null) {
        change.removed.push(was.id);
        this.pending.delete(was.id);
        note(was);
      }
    if (isTeamsChange(change)) this.tell(change, owners);
  }

  private tell(change: TeamsChange, owners: ReadonlyMap<string, TeamOwnerRef>): void {
    for (const l of this.changeListeners) l(change, owners);
  }

  /**
   * A device as the database has it now, when it is not known here or its token did not match (it
   * may have been registered, or given a new token, by `npm run teams` or another process since the
   * last re-read): one lookup by key, and its team's when that is new too.
   */
  private async lookUpDevice(deviceId: string): Promise<{ teamId: string; tokenHash: string } | undefined> {
    const db = this.store.db;
    const d = await db
      .selectFrom('devices')
      .leftJoin('teams', 'teams.id', 'devices.team_id')
      .select(['devices.team_id', 'devices.token_hash', 'teams.retired_at'])
      .where('devices.device_id', '=', deviceId)
      .executeTakeFirst();
    // Taken off its team elsewhere, or its team retired: refused from now on, as an unknown device
    // is (a team put back in service is taken again at the next re-read).
    if (!d || d.token_hash === REVOKED_DEVICE || d.retired_at !== null) {
      this.forgetDevice(deviceId);
      return undefined;
    }
    const known = this.deviceTeam.get(deviceId);
    if (known && known.teamId === d.team_id && known.tokenHash === d.token_hash) return known;
    let team = this.teams.get(d.team_id);
    if (!team) {
      const [t, members] = await Promise.all([
        db.selectFrom('teams').selectAll().where('id', '=', d.team_id).executeTakeFirst(),
        db
          .selectFrom('team_members')
          .selectAll()
          .where('team_id', '=', d.team_id)
          .orderBy(sql`length(id)`)
          .orderBy('id')
          .execute(),
      ]);
      if (!t) return undefined;
      team = this.teams.get(d.team_id); // read meanwhile?
      if (!team) {
        team = teamRecord(t);
        team.members = members.map(memberOf);
        this.teams.set(team.id, team);
        // A team added since the last re-read, met first through its phone: the screens hear of
        // it now, before its first fix is broadcast (the re-read will find it known).
        if (team.retiredAt === null)
          this.tell(
            { ...noTeamsChange(), added: [this.view(team, ownerRef(team))] },
            new Map([[team.id, ownerRef(team)]]),
          );
      }
    }
    if (team.retiredAt !== null) return undefined;
    const entry = { teamId: d.team_id, tokenHash: d.token_hash };
    if (known && known.teamId !== entry.teamId) this.forgetDevice(deviceId);
    if (!team.deviceIds.includes(deviceId)) team.deviceIds = [...team.deviceIds, deviceId].sort();
    this.deviceTeam.set(deviceId, entry);
    this.changes++;
    return entry;
  }

  private forgetDevice(deviceId: string): void {
    const known = this.deviceTeam.get(deviceId);
    if (!known) return;
    this.deviceTeam.delete(deviceId);
    const team = this.teams.get(known.teamId);
    if (team) team.deviceIds = team.deviceIds.filter((id) => id !== deviceId);
    this.changes++;
  }

  start(): void {
    if (this.flushTimer) return;
    this.flushTimer = setInterval(() => this.flush(), this.opts.coalesceMs ?? 1000);
    this.flushTimer.unref();
    const failed = (err: unknown) => this.opts.onRefreshError?.(err);
    const refreshMs = this.opts.refreshMs ?? TEAM_REFRESH_MS;
    if (refreshMs > 0) {
      this.refreshTimer = setInterval(() => this.refresh().catch(failed), refreshMs);
      this.refreshTimer.unref();
    }
    const pollMs = this.opts.versionPollMs ?? TEAM_VERSION_POLL_MS;
    if (pollMs > 0) {
      this.versionTimer = setInterval(() => this.refreshIfChanged().catch(failed), pollMs);
      this.versionTimer.unref();
    }
  }

  /** Stop the timers; waits for a re-read under way (the store may be closed next). */
  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    if (this.versionTimer) clearInterval(this.versionTimer);
    this.flushTimer = null;
    this.refreshTimer = null;
    this.versionTimer = null;
    await this.polling?.catch(() => undefined);
    await this.refreshing?.catch(() => undefined);
  }

  setFixPublisher(publish: (teamId: string, p: TeamPosition) => void): void {
    this.fixPublisher = publish;
  }

  onPositions(listener: PositionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Told, at a re-read, of the teams added, changed, retired, put back or removed since the one before. */
  onTeamsChanged(listener: TeamsChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async createTeam(t: NewTeam): Promise<void> {
    const now = this.clock.now();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('teams')
        .values({
          id: t.id,
          name: t.name,
          kind: t.kind,
          owner_code: t.ownerCode,
          owner_name: t.ownerName,
          created_at: now,
        })
        .execute();
      if (t.members.length) {
        await trx
          .insertInto('team_members')
          .values(
            t.members.map((m, i) => ({
              id: memberId(t.id, i + 1),
              team_id: t.id,
              name: m.name,
              role: m.role,
              source: m.source,
              department_code: m.departmentCode,
              phone: m.phone,
            })),
          )
          .execute();
      }
      if (t.devices.length) {
        await trx
          .insertInto('devices')
          .values(
            t.devices.map((d) => ({
              device_id: d.deviceId,
              team_id: t.id,
              token_hash: hashDeviceToken(d.token),
              label: d.label,
              created_at: now,
            })),
          )
          .execute();
      }
      await bumpTeamsVersion(trx); // the other processes on the database take it at their next poll
    });
    this.changes++;
    this.teams.set(t.id, {
      id: t.id,
      name: t.name,
      kind: t.kind,
      ownerCode: t.ownerCode,
      ownerName: t.ownerName,
      members: t.members.map((m, i) => ({ ...m, id: memberId(t.id, i + 1) })),
      deviceIds: t.devices.map((d) => d.deviceId),
      retiredAt: null,
    });
    for (const d of t.devices)
      this.deviceTeam.set(d.deviceId, { teamId: t.id, tokenHash: hashDeviceToken(d.token) });
  }

  /**
   * Give members their phone where none is known and the member is still the one named (same id and
   * name): the demo's teams stored before members had phones. Returns how many were filled; the
   * screens hear of them as of any member change.
   */
  async fillMissingPhones(
    phones: ReadonlyArray<{ memberId: string; name: string; phone: string }>,
  ): Promise<number> {
    const filled = await this.store.db.transaction().execute(async (trx) => {
      const missing = new Set(
        (await trx.selectFrom('team_members').select('id').where('phone', 'is', null).execute()).map(
          (m) => m.id,
        ),
      );
      let n = 0;
      for (const p of phones) {
        if (!missing.has(p.memberId)) continue;
        const r = await trx
          .updateTable('team_members')
          .set({ phone: p.phone })
          .where('id', '=', p.memberId)
          .where('name', '=', p.name)
          .where('phone', 'is', null)
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      if (n) await bumpTeamsVersion(trx);
      return n;
    });
    if (filled) await this.refresh();
    return filled;
  }

  /** Teams stored, retired ones included (the demo's are created only where there are none). */
  count(): number {
    return this.teams.size;
  }

  /**
   * Teams in service the scope may see: county → all; township/department → its own. Townships'
   * teams first, then departments', each by its owner's code and id: the same list from one start
   * to the next (it came in the order of creation on the first start, and by id after a restart).
   */
  list(scope: Scope): Team[] {
    return this.sorted(scope, false).map((t) => this.view(t, scope));
  }

  /** The retired teams the scope may see, in the order of list(): their names stand in the records. */
  listRetired(scope: Scope): RetiredTeam[] {
    return this.sorted(scope, true).map((t) => ({
      id: t.id,
      name: t.name,
      kind: t.kind,
      owner: { kind: t.kind, code: t.ownerCode, name: t.ownerName },
      retiredAt: t.retiredAt!,
    }));
  }

  private sorted(scope: Scope, retired: boolean): TeamRecord[] {
    const out: TeamRecord[] = [];
    for (const t of this.teams.values())
      if ((t.retiredAt !== null) === retired && this.visible(t, scope)) out.push(t);
    const key = (t: TeamRecord) => `${t.kind === 'township' ? 0 : 1}\u0000${t.ownerCode}\u0000${t.id}`;
    return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** A team in service (a retired one is a 404 saying so: GET /api/teams?retired=true has it). */
  get(id: string, scope: Scope): Team {
    const t = this.record(id, scope);
    if (t.retiredAt !== null)
      throw notFound(`队伍 ${id} 已撤销 (team ${id} is retired: GET /api/teams?retired=true lists it)`);
    return this.view(t, scope);
  }

  /** A team the scope may see, retired or not; else a 404. */
  private record(id: string, scope: Scope): TeamRecord {
    const t = this.teams.get(id);
    if (!t || !this.visible(t, scope)) throw notFound(`没有队伍 ${id} (no team ${id} in your scope)`);
    return t;
  }

  ownerOf(teamId: string): TeamOwnerRef | undefined {
    const t = this.teams.get(teamId);
    return t && ownerRef(t);
  }

  /**
   * Read every team's current task from the case records (at start, after the store is ready, and
   * when the link to the other processes comes back after a break); teams whose task changed are
   * told to the task listeners.
   */
  async loadTasks(matterName: (code: string) => string): Promise<void> {
    this.notifyTasks(await this.tasks.reload(this.store, matterName));
    this.matterName = matterName;
  }

  /**
   * Read the tasks again as the last loadTasks did (the link to the other processes came back);
   * a no-op until the first load has ended (it is still to come, or under way).
   */
  async reloadTasks(): Promise<void> {
    if (this.matterName) await this.loadTasks(this.matterName);
  }

  /** Whether a case event committed here may move a task (most do not: no inputs built for them). */
  wantsCaseEvent(e: Pick<TaskEvent, 'caseId' | 'type'>): boolean {
    return this.tasks.wants(e);
  }

  /**
   * A case event committed here (the domain bus) or, `remote`, by another process (Redis): the
   * teams whose task it changes are told to the task listeners, here only (the process that
   * committed it broadcasts to every process's clients).
   */
  noteCaseEvent(e: TaskEvent, c: TaskCase, remote = false): void {
    if (!remote && this.tasks.concerns(e)) this.taskPublisher?.(e, c);
    const changed = this.tasks.apply(e, c);
    if (!remote) this.notifyTasks(changed);
  }

  private notifyTasks(teamIds: string[]): void {
    if (!teamIds.length || !this.taskListeners.size) return;
    const now = this.clock.now();
    const updates = teamIds.map((teamId) => ({
      teamId,
      task: this.tasks.taskOf(teamId),
      status: teamStatus(this.latest.get(teamId) ?? null, now, this.tasks.stageOf(teamId)),
    }));
    for (const l of this.taskListeners) l(updates);
  }

  /** Told of the teams whose current task changed (sent, arrived, finished). */
  onTasks(listener: TaskListener): () => void {
    this.taskListeners.add(listener);
    return () => this.taskListeners.delete(listener);
  }

  setTaskPublisher(publish: (e: TaskEvent, c: TaskCase) => void): void {
    this.taskPublisher = publish;
  }

  /**
   * Check a device's token (POST /api/positions). An unknown device and a wrong token get the same
   * 401, so the answer does not tell which device ids are registered.
   */
  async authenticateDevice(deviceId: string, token: string | undefined): Promise<string> {
    const given = token ? hashDeviceToken(token) : undefined;
    let d = this.deviceTeam.get(deviceId);
    if (!d || given !== d.tokenHash) d = await this.lookUpDevice(deviceId);
    if (!d || given !== d.tokenHash)
      throw unauthorized('设备未登记或令牌错误 (unknown device, or a wrong or missing X-Device-Token)');
    return d.teamId;
  }

  /** The team of a device known by id alone (OsmAnd protocol, which carries no token). */
  async teamOfDevice(deviceId: string, field = 'query.id'): Promise<string> {
    const d = this.deviceTeam.get(deviceId) ?? (await this.lookUpDevice(deviceId));
    if (!d)
      throw new HttpError(
        404,
        `${field}: 未登记的设备 ${deviceId} (unknown device; register it to a team first)`,
        field,
      );
    return d.teamId;
  }

  /**
   * Store fixes from one device. Impossible fixes (future beyond clock skew, older than the
   * retention window) are refused one by one; the rest are stored in one transaction.
   */
  async ingest(deviceId: string, fixes: FixInput[]): Promise<IngestResult> {
    const entry = this.deviceTeam.get(deviceId) ?? (await this.lookUpDevice(deviceId));
    if (!entry) throw new HttpError(404, `未登记的设备 ${deviceId}`, 'deviceId');
    const now = this.clock.now();
    const oldest = now - this.opts.retentionDays * 86_400_000;
    const rows = [];
    const rejected: IngestResult['rejected'] = [];
    for (const [index, f] of fixes.entries()) {
      const at = typeof f.at === 'number' ? Math.round(f.at) : Date.parse(f.at);
      if (!Number.isFinite(at)) {
        rejected.push({ index, error: `fixes[${index}].at: not a time` });
        continue;
      }
      if (at > now + MAX_FUTURE_SKEW_MS) {
        rejected.push({ index, error: `fixes[${index}].at: in the future (${instantText(at)})` });
        continue;
      }
      if (at < oldest) {
        rejected.push({
          index,
          error: `fixes[${index}].at: older than the ${this.opts.retentionDays}-day retention`,
        });
        continue;
      }
      rows.push({
        device_id: deviceId,
        at,
        team_id: entry.teamId,
        lng: f.lng,
        lat: f.lat,
        speed: f.speed ?? null,
        bearing: f.bearing ?? null,
        altitude: f.altitude ?? null,
        accuracy: f.accuracy ?? null,
        battery: f.battery ?? null,
      });
    }
    if (!rows.length) return { accepted: 0, duplicates: 0, rejected };
    // One fix per device and instant: the instants stored are those the database gives back.
    const stored = await this.store.db
      .insertInto('positions')
      .values(rows)
      .onConflict((oc) => oc.columns(['device_id', 'at']).doNothing())
      .returning('at')
      .execute();
    const fresh = new Set(stored.map((r) => Number(r.at)));
    for (const r of rows) {
      if (!fresh.delete(r.at)) continue; // a duplicate: what the track holds is the fix stored
      const p = { lng: r.lng, lat: r.lat, at: r.at, speed: r.speed, bearing: r.bearing };
      if (this.noteFix(r.team_id, p)) this.fixPublisher?.(r.team_id, p);
    }
    return { accepted: stored.length, duplicates: rows.length - stored.length, rejected };
  }

  /**
   * Take a fix into the in-memory latest positions; returns false when it is older than what we
   * have (late or replayed fixes do not move the marker back). Fixes taken by another process
   * (`remote`) update the picture but are not broadcast again: that process broadcasts them.
   */
  noteFix(teamId: string, p: TeamPosition, remote = false): boolean {
    const prev = this.latest.get(teamId);
    if (prev && prev.at >= p.at) return false;
    this.latest.set(teamId, p);
    if (!remote) {
      this.pending.set(teamId, p);
    }
    return true;
  }

  /**
   * Emit what arrived since the last flush: at most one update per team, its status as of now (a
   * task that moved since the fix — sent, arrived — is in it: a status taken at the fix could undo
   * the `team:tasks` just sent).
   */
  flush(): void {
    if (this.pending.size === 0) return;
    const now = this.clock.now();
    const updates = [...this.pending].map(([teamId, position]) => ({
      teamId,
      position,
      status: teamStatus(position, now, this.tasks.stageOf(teamId)),
    }));
    this.pending.clear();
    for (const l of this.listeners) l(updates);
  }

  /**
   * A team's fixes from `from` to `to` (both inclusive), in time order. Over `max` of them every
   * `every`-th is given, the first and the last always, so the whole window is covered evenly: a
   * day of a device reporting at 1 Hz is 86,400 fixes, and a cut at the first `max` (as before)
   * ended a day's playback in the early afternoon with nothing said. Read six hours of the window a
   * statement, the event loop let through between (bench:track): a week at 1 Hz is 604,800 fixes.
   */
  async track(
    teamId: string,
    scope: Scope,
    from: number,
    to: number,
    max = MAX_TRACK_POINTS,
  ): Promise<{ points: TeamPosition[]; total: number; every: number }> {
    this.record(teamId, scope); // scope check; a retired team's track is still its history
    const db = this.store.db;
    const fixes = (a: number, b: number) =>
      db.selectFrom('positions').where('team_id', '=', teamId).where('at', '>=', a).where('at', '<=', b);
    // Counted and numbered by instant (`at`): two devices of a team reporting at one millisecond
    // are one point of its track (the first device's fix is given).
    const spans: Array<{ a: number; b: number; n: number }> = [];
    for (let a = from; a <= to; a += TRACK_SPAN_MS) {
      const b = Math.min(to, a + TRACK_SPAN_MS - 1);
      const { n } = await fixes(a, b)
        .select(sql<number>`count(distinct at)`.as('n'))
        .executeTakeFirstOrThrow();
      if (Number(n)) spans.push({ a, b, n: Number(n) });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const total = spans.reduce((sum, s) => sum + s.n, 0);
    // The `every`-th from the first, and the last: at most max − 1 + 1.
    const every = total <= max ? 1 : Math.ceil(total / Math.max(1, max - 1));
    const points: TeamPosition[] = [];
    const push = (p: TeamPosition) => {
      const last = points.at(-1);
      if (!last || Number(p.at) > last.at) points.push(numbers(p));
    };
    let before = 0; // instants in the spans already read
    for (const { a, b, n } of spans) {
      // The instants numbered in time order by the database from the (team_id, at) index alone (no
      // row read), and only every `every`-th, and the last, looked up: rows are read for the points
      // sent and no others.
      const instants = fixes(a, b).select('at').distinct().as('i');
      const numbered = db
        .selectFrom(instants)
        .select(['i.at', sql<number>`row_number() over (order by i.at) + ${before}`.as('rn')])
        .as('n');
      const got = await db
        .selectFrom(numbered)
        .innerJoin('positions as p', (join) => join.onRef('p.at', '=', 'n.at').on('p.team_id', '=', teamId))
        .select(['p.lng', 'p.lat', 'p.at', 'p.speed', 'p.bearing'])
        .where((eb) => eb.or([eb(sql`(n.rn - 1) % ${every}`, '=', 0), eb('n.rn', '=', total)]))
        .orderBy('n.rn')
        .orderBy('p.device_id')
        .execute();
      for (const p of got) push(p);
      before += n;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // A fix that came in while the window was read (its end is now, by default) is the newest, and
    // the track ends with it.
    if (spans.length) {
      const newest = await fixes(from, to)
        .select(['lng', 'lat', 'at', 'speed', 'bearing'])
        .orderBy('at', 'desc')
        .orderBy('device_id')
        .limit(1)
        .executeTakeFirst();
      if (newest) push(newest);
    }
    return { points, total, every };
  }

  /**
   * Delete fixes older than the retention window; returns how many. About `batch` rows at a time (a
   * range of the index on `at`), each its own statement, with the event loop let through between them: an hour of
   * 200 teams at 1 Hz is 720,000 rows, and one statement deleting them all held SQLite's connection,
   * which is synchronous on the server's one thread, for seconds (every request and socket waited);
   * a first prune after lowering TRACK_RETENTION_DAYS, for minutes. `onBatch`: progress. `signal`:
   * stop after the batch under way (the server shutting down); what is left goes at the next prune.
   */
  async prune(
    opts: { batch?: number; onBatch?: (deletedSoFar: number) => void; signal?: AbortSignal } = {},
  ): Promise<number> {
    const batch = opts.batch ?? PRUNE_BATCH;
    const cutoff = this.clock.now() - this.opts.retentionDays * 86_400_000;
    const db = this.store.db;
    let total = 0;
    while (!opts.signal?.aborted) {
      // The batch: up to the `batch`-th oldest expired fix (a range of the index on `at`, so one
      // statement for both engines; fixes at the same instant go together); fewer left, all of them.
      const edge = await db
        .selectFrom('positions')
        .select('at')
        .where('at', '<', cutoff)
        .orderBy('at')
        .limit(1)
        .offset(batch - 1)
        .executeTakeFirst();
      const r = await db
        .deleteFrom('positions')
        .where('at', edge ? '<=' : '<', edge ? Number(edge.at) : cutoff)
        .executeTakeFirst();
      total += Number(r.numDeletedRows);
      if (!edge) break;
      opts.onBatch?.(total);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return total;
  }

  private visible(t: TeamRecord, scope: Scope): boolean {
    return scope.kind === 'county' || (scope.kind === t.kind && scope.code === t.ownerCode);
  }

  private view(t: TeamRecord, scope: Scope): Team {
    const position = this.latest.get(t.id) ?? null;
    return {
      id: t.id,
      name: t.name,
      kind: t.kind,
      owner: { kind: t.kind, code: t.ownerCode, name: t.ownerName },
      members: t.members,
      deviceIds: t.deviceIds,
      position,
      status: teamStatus(position, this.clock.now(), this.tasks.stageOf(t.id)),
      task: this.tasks.taskOf(t.id, scope),
    };
  }
}

/**
 * A team's owner; also the scope a team's `teams:changed` view is made for. The county room gets the
 * same view, which loses nothing: a team is only ever sent on its owner's cases (POST …/start checks it).
 */
function ownerRef(t: TeamRecord): TeamOwnerRef {
  return { kind: t.kind, code: t.ownerCode };
}

/** Whether a change says anything. */
const isTeamsChange = (c: TeamsChange): boolean =>
  c.retired.length + c.restored.length + c.added.length + c.updated.length + c.removed.length > 0;

/** Whether a team in service reads the same to a screen: name, members, phones. */
function sameTeam(a: TeamRecord, b: TeamRecord): boolean {
  // Devices compared as sets: lookUpDevice adds one in JavaScript's order, the database sorts by
  // its collation.
  const devices = (t: TeamRecord) => [...t.deviceIds].sort().join('\n');
  return (
    a.name === b.name &&
    a.ownerName === b.ownerName &&
    a.members.length === b.members.length &&
    a.members.every((m, i) => {
      const n = b.members[i]!;
      return (
        m.id === n.id &&
        m.name === n.name &&
        m.role === n.role &&
        m.source === n.source &&
        m.departmentCode === n.departmentCode &&
        m.phone === n.phone
      );
    }) &&
    devices(a) === devices(b)
  );
}

function teamRecord(t: {
  id: string;
  name: string;
  kind: string;
  owner_code: string;
  owner_name: string;
  retired_at: number | string | null;
}): TeamRecord {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind as TeamKind,
    ownerCode: t.owner_code,
    ownerName: t.owner_name,
    members: [],
    deviceIds: [],
    retiredAt: t.retired_at === null ? null : Number(t.retired_at),
  };
}

/** A member as its row holds it. */
export function memberOf(m: {
  id: string;
  name: string;
  role: string;
  source: string;
  department_code: string | null;
  phone: string | null;
}): TeamMember {
  return {
    id: m.id,
    name: m.name,
    role: m.role,
    source: m.source as TeamMember['source'],
    departmentCode: m.department_code,
    phone: m.phone,
  };
}
