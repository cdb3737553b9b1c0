// Teams and their live positions. The map subscribes to position batches (to update only the
// teams that moved); panels read `list`, which changes at most once per batch.
import { markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { Team, TeamPositionUpdate } from '@shared/teams';
import { api } from '@/api/http';

export type TeamsListener = (changed: Team[]) => void;

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

export const useTeamsStore = defineStore('teams', () => {
  const byId = markRaw(new Map<string, Team>());
  const list = shallowRef<Team[]>([]);
  const loaded = ref(false);
  const listeners = new Set<TeamsListener>();

  function publish(changed: Team[]): void {
    list.value = [...byId.values()];
    for (const l of listeners) l(changed);
  }

  async function load(): Promise<void> {
    try {
      const r = await api<{ teams: Team[] }>('/api/teams');
      byId.clear();
      for (const t of r.teams) byId.set(t.id, t);
      loaded.value = true;
      publish(r.teams);
    } catch {
      loaded.value = false; // panels show "no teams" rather than failing
    }
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

  function subscribe(l: TeamsListener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  }

  return { list, loaded, load, applyPositions, subscribe, byId };
});
