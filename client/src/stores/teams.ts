// Teams and their live positions and tasks. The map subscribes to position batches (to update only the
// teams that moved); panels read `list`, which changes at most once per batch. Teams added or
// renamed on the server (`npm run teams`) come in by `teams:changed`, with no reload. Retired teams
// (`npm run teams -- retire`) are not in `list`: the map, the pickers and the nearest teams leave
// them out; `nameOf` still names them where a record does (case timelines, track playback).
import { markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime';
import {
  TEAM_KINDS,
  TEAM_STATUSES,
  TEAM_TASK_STAGES,
  type RetiredTeam,
  type Team,
  type TeamMember,
  type TeamPosition,
  type TeamPositionUpdate,
  type TeamTask,
  type TeamTaskUpdate,
  type TeamsChange,
} from '@shared/teams';
import { api } from '@/api/http';

/** `removed`: ids of teams gone from `list` (retired), whose markers go. */
export type TeamsListener = (changed: Team[], removed: string[]) => void;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isKind = (v: unknown): v is Team['kind'] => (TEAM_KINDS as readonly unknown[]).includes(v);
const isStatus = (v: unknown): v is Team['status'] => (TEAM_STATUSES as readonly unknown[]).includes(v);

function parsePosition(v: unknown): TeamPosition | null | undefined {
  if (v === null) return null;
  if (!isObject(v) || !Number.isFinite(v.lng) || !Number.isFinite(v.lat) || !Number.isFinite(v.at))
    return undefined;
  const orNull = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return {
    lng: v.lng as number,
    lat: v.lat as number,
    at: v.at as number,
    speed: orNull(v.speed),
    bearing: orNull(v.bearing),
  };
}

function parseMember(v: unknown): TeamMember | null {
  if (!isObject(v) || !isText(v.id) || !isText(v.name) || !isText(v.role) || !isText(v.source)) return null;
  const departmentCode = isText(v.departmentCode) ? v.departmentCode : null;
  const phone = isText(v.phone) ? v.phone : null;
  return {
    id: v.id,
    name: v.name,
    role: v.role,
    source: v.source as TeamMember['source'],
    departmentCode,
    phone,
  };
}

/** A team's whole view as the server sends it (GET /api/teams, `teams:changed`); null when unreadable. */
function parseTeam(v: unknown): Team | null {
  if (!isObject(v) || !isText(v.id) || !isText(v.name) || !isKind(v.kind)) return null;
  const o = v.owner;
  if (!isObject(o) || !isKind(o.kind) || !isText(o.code) || !isText(o.name)) return null;
  const position = parsePosition(v.position);
  if (position === undefined) return null;
  const members = Array.isArray(v.members) ? v.members.map(parseMember) : [];
  if (members.some((m) => m === null)) return null;
  // A server from before tasks sends none: no task; a task that cannot be read is left out likewise.
  const task = v.task === undefined ? null : (parseTask(v.task) ?? null);
  return {
    id: v.id,
    name: v.name,
    kind: v.kind,
    owner: { kind: o.kind, code: o.code, name: o.name },
    members: members as TeamMember[],
    deviceIds: Array.isArray(v.deviceIds) ? v.deviceIds.filter(isText) : [],
    position,
    status: isStatus(v.status) ? v.status : 'offline',
    task,
  };
}

/** `teams:changed` as received: what is unreadable in it is left out (a server may say less). */
function parseTeamsChange(input: unknown): TeamsChange {
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter(isText) : []);
  const teams = (v: unknown) =>
    Array.isArray(v) ? v.map(parseTeam).filter((t): t is Team => t !== null) : [];
  const o = isObject(input) ? input : {};
  return {
    retired: ids(o.retired),
    restored: ids(o.restored),
    added: teams(o.added),
    updated: teams(o.updated),
    removed: ids(o.removed),
  };
}

/** A team as the server now has it, with the newer of the two positions (fixes keep coming meanwhile). */
function merged(known: Team | undefined, fresh: Team): Team {
  if (!known?.position || (fresh.position && fresh.position.at >= known.position.at)) return fresh;
  return { ...fresh, position: known.position, status: known.status };
}

/** `team:positions`: the well-formed updates (a team, a readable fix, a status). */
function parsePositionUpdates(input: unknown): TeamPositionUpdate[] {
  if (!Array.isArray(input)) return [];
  const out: TeamPositionUpdate[] = [];
  for (const u of input) {
    if (!isObject(u) || !isText(u.teamId) || !isText(u.status)) continue;
    const position = parsePosition(u.position);
    if (!position) continue;
    // A status this build does not know (a newer server's): shown as offline, as parseTeam does.
    out.push({ teamId: u.teamId, position, status: isStatus(u.status) ? u.status : 'offline' });
  }
  return out;
}

function parseTask(v: unknown): TeamTask | null | undefined {
  if (v === null) return null;
  if (
    !isObject(v) ||
    !isText(v.caseId) ||
    !isText(v.caseNo) ||
    !isText(v.matterName) ||
    !(TEAM_TASK_STAGES as readonly unknown[]).includes(v.stage) ||
    !Number.isFinite(v.since) ||
    !Number.isFinite(v.startedAt)
  )
    return undefined;
  return {
    caseId: v.caseId,
    caseNo: v.caseNo,
    matterName: v.matterName,
    stage: v.stage as TeamTask['stage'],
    since: v.since as number,
    startedAt: v.startedAt as number,
  };
}

/** `team:tasks`: the well-formed updates (a task or null, and a known status). */
function parseTaskUpdates(input: unknown): TeamTaskUpdate[] {
  if (!Array.isArray(input)) return [];
  const out: TeamTaskUpdate[] = [];
  for (const u of input) {
    if (!isObject(u) || !isText(u.teamId) || !isStatus(u.status)) continue;
    const task = parseTask(u.task);
    if (task === undefined) continue;
    out.push({ teamId: u.teamId, task, status: u.status });
  }
  return out;
}

export const useTeamsStore = defineStore('teams', () => {
  const byId = markRaw(new Map<string, Team>());
  const list = shallowRef<Team[]>([]);
  /** Retired teams in the user's scope, by id: their names, for the records that name them. */
  const retired = shallowRef<ReadonlyMap<string, RetiredTeam>>(new Map());
  const loaded = ref(false);
  const listeners = new Set<TeamsListener>();

  function publish(changed: Team[], removed: string[] = []): void {
    list.value = [...byId.values()];
    for (const l of listeners) l(changed, removed);
  }

  async function load(): Promise<void> {
    try {
      const [r, gone] = await Promise.all([
        api<{ teams: Team[] }>('/api/teams'),
        // Only names: a server that cannot say (older) leaves the records with the team's id.
        api<{ teams: RetiredTeam[] }>('/api/teams?retired=true').catch(() => ({ teams: [] })),
      ]);
      const removed = [...byId.keys()].filter((id) => !r.teams.some((t) => t.id === id));
      byId.clear();
      for (const t of r.teams) byId.set(t.id, t);
      retired.value = new Map(gone.teams.map((t) => [t.id, t]));
      loaded.value = true;
      publish(r.teams, removed);
    } catch {
      loaded.value = false; // panels show "no teams" rather than failing
    }
  }

  /**
   * `teams:changed`: teams added join the list (and the map at their first fix), teams renamed or
   * otherwise changed take their new view, retired teams leave the list and the map at once (kept
   * by name), removed ones too (nothing names them); teams put back in service are read again with
   * everything else.
   */
  function applyChange(input: unknown): void {
    const change = parseTeamsChange(input);
    const changed: Team[] = [];
    const removed: string[] = [];
    const names = new Map(retired.value);
    for (const fresh of [...change.added, ...change.updated]) {
      const t = merged(byId.get(fresh.id), fresh);
      byId.set(t.id, t);
      names.delete(t.id);
      changed.push(t);
    }
    for (const id of change.retired) {
      const t = byId.get(id);
      if (!t) continue;
      byId.delete(id);
      removed.push(id);
      names.set(id, { id, name: t.name, kind: t.kind, owner: t.owner, retiredAt: Date.now() });
    }
    for (const id of change.removed) if (byId.delete(id)) removed.push(id);
    if (names.size !== retired.value.size || removed.length) retired.value = names;
    if (changed.length || removed.length) publish(changed, removed);
    if (change.restored.length) void load();
  }

  /** A team's name, in service or retired; undefined for one the user cannot see. */
  function nameOf(id: string): string | undefined {
    return byId.get(id)?.name ?? retired.value.get(id)?.name;
  }

  function applyPositions(input: unknown): void {
    const changed: Team[] = [];
    for (const u of parsePositionUpdates(input)) {
      const t = byId.get(u.teamId);
      if (!t) continue;
      if (t.position && u.position.at < t.position.at) continue; // an older fix arriving late
      const next = { ...t, position: u.position, status: u.status };
      byId.set(t.id, next);
      changed.push(next);
    }
    if (changed.length) publish(changed);
  }

  /** `team:tasks`: a team sent, arrived or done; its card and its marker's colour follow. */
  function applyTasks(input: unknown): void {
    const changed: Team[] = [];
    for (const u of parseTaskUpdates(input)) {
      const t = byId.get(u.teamId);
      if (!t) continue;
      const next = { ...t, task: u.task, status: u.status };
      byId.set(t.id, next);
      changed.push(next);
    }
    if (changed.length) publish(changed);
  }

  function subscribe(l: TeamsListener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  }

  /**
   * Keep the teams live on a page's socket (the big screen's, the desk's): fixes, tasks, and teams
   * added, renamed or retired on the server (`npm run teams`). Positions are the latest fix per
   * team and changes made while the socket was down are not replayed: on every greeting (`hello`)
   * after the first, the teams are read again. The page loads them itself before connecting.
   */
  function listen(s: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    let connections = 0;
    s.on('hello', () => {
      if (connections++ > 0) void load();
    });
    s.on('team:positions', (updates) => applyPositions(updates));
    s.on('team:tasks', (updates) => applyTasks(updates));
    s.on('teams:changed', (change) => applyChange(change));
  }

  return {
    list,
    retired,
    loaded,
    load,
    applyPositions,
    applyTasks,
    applyChange,
    nameOf,
    subscribe,
    listen,
    byId,
  };
});
