// Teams and their live positions and tasks. The map subscribes to position batches (to update only the
// teams that moved); panels read `list`, which changes at most once per batch. Retired teams
// (`npm run teams -- retire`) are not in `list`: the map, the pickers and the nearest teams leave
// them out; `nameOf` still names them where a record does (case timelines, track playback).
import { markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import {
  TEAM_STATUSES,
  TEAM_TASK_STAGES,
  type RetiredTeam,
  type Team,
  type TeamPositionUpdate,
  type TeamTask,
  type TeamTaskUpdate,
  type TeamsChange,
} from '@shared/teams';
import { api } from '@/api/http';

/** `removed`: ids of teams gone from `list` (retired), whose markers go. */
export type TeamsListener = (changed: Team[], removed: string[]) => void;

export function parseTeamsChange(input: unknown): TeamsChange {
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const o = (input ?? {}) as Record<string, unknown>;
  return { retired: ids(o.retired), restored: ids(o.restored) };
}

export function parsePositionUpdates(input: unknown): TeamPositionUpdate[] {
  if (!Array.isArray(input)) return [];
  return input.filter(
    (u): u is TeamPositionUpdate =>
      !!u &&
      typeof u.teamId === 'string' &&
      !!u.position &&
      Number.isFinite(u.position.lng) &&
      Number.isFinite(u.position.lat) &&
      typeof u.status === 'string',
  );
}

function parseTask(v: unknown): TeamTask | null | undefined {
  if (v === null) return null;
  const t = v as Partial<TeamTask> | undefined;
  if (
    !t ||
    typeof t.caseId !== 'string' ||
    typeof t.caseNo !== 'string' ||
    typeof t.matterName !== 'string' ||
    !TEAM_TASK_STAGES.includes(t.stage as TeamTask['stage']) ||
    !Number.isFinite(t.since) ||
    !Number.isFinite(t.startedAt)
  )
    return undefined;
  return t as TeamTask;
}

/** `team:tasks`: the well-formed updates (a task or null, and a known status). */
export function parseTaskUpdates(input: unknown): TeamTaskUpdate[] {
  if (!Array.isArray(input)) return [];
  const out: TeamTaskUpdate[] = [];
  for (const u of input as Array<Record<string, unknown> | null>) {
    if (!u || typeof u.teamId !== 'string') continue;
    if (!TEAM_STATUSES.includes(u.status as TeamTaskUpdate['status'])) continue;
    const task = parseTask(u.task);
    if (task === undefined) continue;
    out.push({ teamId: u.teamId, task, status: u.status as TeamTaskUpdate['status'] });
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
   * `teams:changed`: retired teams leave the list and the map at once (kept by name); teams put
   * back in service are read again with everything else.
   */
  function applyChange(input: unknown): void {
    const change = parseTeamsChange(input);
    const removed: string[] = [];
    const names = new Map(retired.value);
    for (const id of change.retired) {
      const t = byId.get(id);
      if (!t) continue;
      byId.delete(id);
      removed.push(id);
      names.set(id, { id, name: t.name, kind: t.kind, owner: t.owner, retiredAt: Date.now() });
    }
    if (removed.length) {
      retired.value = names;
      publish([], removed);
    }
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

  return { list, retired, loaded, load, applyPositions, applyTasks, applyChange, nameOf, subscribe, byId };
});
