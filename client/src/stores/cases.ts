// The cases the big screen shows, kept current by events: loaded once, then every event applied in
// seq order (buffered while a resync runs), cases we cannot update locally re-fetched in batches.
// The map subscribes to changed ids; panels read `revision`-driven views.
import { computed, markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { api, ApiError } from '@/api/http';
import { normaliseCase, type CaseItem } from '@/lib/case-model';
import { actionOf, applyCaseEvents, parseCaseEvent, type CaseEvent } from '@/lib/case-events';

export interface FeedEntry {
  key: string;
  at: number;
  caseId: string;
  action: string;
  actor: string;
}

export type CasesListener = (changedIds: string[]) => void;

const PAGE = 500;
/** The screen holds at most this many cases (open ones and the last 30 days). */
const MAX_CASES = 20_000;
const FEED_MAX = 200;

export const useCasesStore = defineStore('cases', () => {
  const byId = markRaw(new Map<string, CaseItem>());
  /** Bumped once per applied batch; computed views depend on it, not on the Map. */
  const revision = ref(0);
  const feed = shallowRef<FeedEntry[]>([]);
  const lastSeq = ref<number | null>(null);
  const loadState = ref<'idle' | 'loading' | 'ready' | 'missing' | 'error'>('idle');
  const eventsApi = ref<'unknown' | 'present' | 'missing'>('unknown');
  const selectedId = ref<string | null>(null);
  const selected = computed(() => {
    void revision.value;
    return selectedId.value ? (byId.get(selectedId.value) ?? null) : null;
  });
  const listeners = new Set<CasesListener>();

  let resyncing = false;
  let buffer: CaseEvent[] = [];
  const stale = new Set<string>();
  let staleTimer: ReturnType<typeof setTimeout> | null = null;

  function notify(ids: string[]): void {
    if (!ids.length) return;
    revision.value++;
    for (const l of listeners) l(ids);
  }
  function subscribe(l: CasesListener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  }

  function upsert(items: CaseItem[]): void {
    const ids: string[] = [];
    for (const c of items) {
      const prev = byId.get(c.id);
      if (prev && prev.version > c.version) continue;
      // Keep a timeline we already fetched when a list row (without one) replaces the case.
      byId.set(
        c.id,
        prev?.timeline && !c.timeline && prev.version === c.version ? { ...c, timeline: prev.timeline } : c,
      );
      ids.push(c.id);
    }
    notify(ids);
  }

  async function load(): Promise<void> {
    loadState.value = 'loading';
    try {
      // The head of the event log first: events after it are replayed on connect, so nothing
      // that happens while the case list loads is missed.
      await readEventHead();
      let cursor: string | null = null;
      const all: CaseItem[] = [];
      do {
        const q: string = `/api/cases?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const r: { items: unknown[]; nextCursor?: string | null } = await api(q);
        for (const raw of r.items) {
          const c = normaliseCase(raw);
          if (c) all.push(c);
        }
        cursor = r.nextCursor ?? null;
      } while (cursor && all.length < MAX_CASES);
      upsert(all);
      seedFeed(all);
      loadState.value = 'ready';
    } catch (err) {
      loadState.value = err instanceof ApiError && err.status === 404 ? 'missing' : 'error';
    }
  }

  async function readEventHead(): Promise<void> {
    try {
      // Issue 5: `lastSeq` is the newest seq the caller may see. Should it only be the last one
      // returned, the first resync replays from there: slower, never wrong.
      const r = await api<{ events: unknown[]; lastSeq: number }>('/api/events?after=0&limit=1');
      lastSeq.value = Number.isFinite(r.lastSeq) ? r.lastSeq : null;
      eventsApi.value = 'present';
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) eventsApi.value = 'missing';
    }
  }

  function seedFeed(items: CaseItem[]): void {
    if (feed.value.length) return;
    feed.value = [...items]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, 30)
      .map((c) => ({
        key: `seed-${c.id}`,
        at: c.updatedAt,
        caseId: c.id,
        action: c.status === 'reported' ? 'created' : c.status,
        actor: '',
      }));
  }

  /** A live event (or a batch) from the socket. */
  function ingest(payload: unknown): void {
    const events = (Array.isArray(payload) ? payload : [payload])
      .map(parseCaseEvent)
      .filter((e): e is CaseEvent => !!e);
    if (!events.length) return;
    if (resyncing) {
      buffer.push(...events);
      return;
    }
    apply(events);
  }

  function apply(events: CaseEvent[]): void {
    const r = applyCaseEvents(byId, lastSeq.value, events, true);
    if (r.applied.length) {
      lastSeq.value = r.lastSeq;
      feed.value = [
        ...r.applied
          .slice()
          .reverse()
          .map((e) => ({
            key: `e${e.seq}`,
            at: e.at,
            caseId: e.caseId,
            action: actionOf(e.type),
            actor: e.actor,
          })),
        ...feed.value,
      ].slice(0, FEED_MAX);
      notify([...new Set(r.applied.map((e) => e.caseId))]);
    }
    for (const id of r.stale) stale.add(id);
    scheduleRefetch();
    if (r.gap) void resync();
  }

  /** On every (re)connect: fetch what was missed since lastSeq, then apply what arrived meanwhile. */
  async function resync(): Promise<void> {
    if (resyncing) return;
    resyncing = true;
    try {
      if (eventsApi.value !== 'missing' && lastSeq.value !== null) {
        for (let guard = 0; guard < 200; guard++) {
          const r = await api<{ events: unknown[]; lastSeq: number }>(
            `/api/events?after=${lastSeq.value}&limit=1000`,
          );
          const events = r.events.map(parseCaseEvent).filter((e): e is CaseEvent => !!e);
          if (!events.length) break;
          const before: number | null = lastSeq.value;
          const applied = applyCaseEvents(byId, lastSeq.value, events, false);
          lastSeq.value = applied.lastSeq;
          for (const id of applied.stale) stale.add(id);
          notify([...new Set(applied.applied.map((e) => e.caseId))]);
          if (lastSeq.value === before || events.length < 1000) break;
        }
      }
    } catch {
      /* the next reconnect retries; live events still apply */
    } finally {
      resyncing = false;
      const pending = buffer;
      buffer = [];
      if (pending.length) apply(pending);
      scheduleRefetch();
    }
  }

  function scheduleRefetch(): void {
    if (!stale.size || staleTimer) return;
    staleTimer = setTimeout(() => {
      staleTimer = null;
      const ids = [...stale].slice(0, 50);
      for (const id of ids) stale.delete(id);
      void Promise.all(ids.map((id) => fetchCase(id).catch(() => null))).then(() => scheduleRefetch());
    }, 250);
  }

  async function fetchCase(id: string): Promise<CaseItem | null> {
    const r = await api<{ case: unknown }>(`/api/cases/${encodeURIComponent(id)}`);
    const c = normaliseCase(r.case);
    if (c) upsert([c]);
    return c;
  }

  /** An action on a case (dispatch, escalate, …) with its version; the answer replaces the case. */
  async function act(
    id: string,
    action: string,
    extra: Record<string, unknown> = {},
  ): Promise<CaseItem | null> {
    const c = byId.get(id);
    try {
      const r = await api<{ case: unknown }>(`/api/cases/${encodeURIComponent(id)}/actions`, {
        body: { action, version: c?.version, ...extra },
      });
      const next = normaliseCase(r.case);
      if (next) upsert([next]);
      // The timeline changed: fetch it again for the open dispatch panel.
      if (selectedId.value === id) void fetchCase(id).catch(() => null);
      return next;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) void fetchCase(id).catch(() => null);
      throw err;
    }
  }

  function select(id: string | null): void {
    selectedId.value = id;
    if (id) void fetchCase(id).catch(() => null);
  }

  function reset(): void {
    byId.clear();
    feed.value = [];
    lastSeq.value = null;
    loadState.value = 'idle';
    selectedId.value = null;
    buffer = [];
    stale.clear();
    if (staleTimer) clearTimeout(staleTimer);
    staleTimer = null;
    revision.value++;
  }

  return {
    byId,
    revision,
    feed,
    lastSeq,
    loadState,
    eventsApi,
    selectedId,
    selected,
    load,
    ingest,
    resync,
    fetchCase,
    act,
    select,
    subscribe,
    upsert,
    reset,
  };
});
