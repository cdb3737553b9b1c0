// The township desk (乡镇/街道工作台): the cases assigned to one party (a township platform or a
// county department), kept live by the party's Socket.IO room, with a cue when a task arrives.
// Command-centre users pick which party's desk to look at.
import { computed, markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { Socket } from 'socket.io-client';
import type { CaseEvent, CaseView } from '@shared/cases';
import type { PhotoInfo } from '@shared/photos';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime';
import { api, ApiError } from '@/api/http';
import { useAuthStore } from './auth';
import { useTeamsStore } from './teams';
import { casesInTab, countTabs, isNewTask, tabOf, type DeskTab } from '@/lib/desk/tabs';
import { isOwnCase, partyParam, toTabCase, type DeskParty } from '@/lib/desk/desk-case';
import { readSoundOn, writeSoundOn } from '@/lib/desk/preferences';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type DeskConnection = 'offline' | 'connecting' | 'live' | 'reconnecting';

const OPEN = 'dispatched,accepted,in_progress,rectifying,resolved';
const PAGE = 500;
/** The done tab keeps the last 30 days of closed cases. */
const CLOSED_DAYS = 30;

export const useDeskStore = defineStore('desk', () => {
  const byId = markRaw(new Map<string, CaseView>());
  const revision = ref(0);
  const party = ref<DeskParty | null>(null);
  const tab = ref<DeskTab>('acknowledge');
  const selectedId = ref<string | null>(null);
  /** The selected case with its timeline (GET /api/cases/:id). */
  const detail = shallowRef<CaseView | null>(null);
  const loadState = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const loadError = ref<string | null>(null);
  const connection = ref<DeskConnection>('offline');
  const soundOn = ref(readSoundOn(globalThis.localStorage));
  /** Tasks that arrived while the desk was open and have not been looked at: highlighted. */
  const fresh = ref<Set<string>>(new Set());
  /** Bumped on every new task: the view plays the sound and flashes on change. */
  const arrivals = ref(0);
  const lastArrival = shallowRef<CaseView | null>(null);
  const socket = shallowRef<ClientSocket | null>(null);

  const all = computed(() => {
    void revision.value;
    return [...byId.values()];
  });
  const tabCases = computed(() => all.value.map(toTabCase));
  const counts = computed(() => countTabs(tabCases.value));
  const rows = computed(() => {
    const ids = casesInTab(tabCases.value, tab.value).map((c) => c.id);
    return ids.map((id) => byId.get(id)!);
  });
  const selected = computed(() => {
    void revision.value;
    const id = selectedId.value;
    if (!id) return null;
    const c = byId.get(id);
    // The detail has the timeline; the list row may be newer (a live event) - take the newer.
    if (detail.value?.id === id && (!c || detail.value.version >= c.version)) return detail.value;
    return c ?? (detail.value?.id === id ? detail.value : null);
  });

  function setParty(p: DeskParty | null): void {
    party.value = p;
  }

  function put(c: CaseView): boolean {
    const prev = byId.get(c.id);
    if (prev && prev.version > c.version) return false;
    if (isOwnCase(c, party.value) && tabOf(toTabCase(c))) byId.set(c.id, c);
    else byId.delete(c.id);
    return true;
  }

  async function fetchAll(query: string): Promise<CaseView[]> {
    const out: CaseView[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 40; guard++) {
      const r: { items: CaseView[]; nextCursor: string | null } = await api(
        `/api/cases?${query}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      out.push(...r.items);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  /** (Re)load the desk's cases. With `announce`, tasks new since the last load get the cue. */
  async function load(announce = false): Promise<void> {
    if (!party.value) return;
    loadState.value = byId.size ? loadState.value : 'loading';
    const who = `assignee=${encodeURIComponent(partyParam(party.value))}`;
    const since = Date.now() - CLOSED_DAYS * 86_400_000;
    try {
      const [open, closed] = await Promise.all([
        fetchAll(`${who}&status=${OPEN}`),
        fetchAll(`${who}&status=closed&from=${since}`),
      ]);
      const before = new Map(byId);
      byId.clear();
      for (const c of [...open, ...closed]) put(c);
      if (announce) for (const c of byId.values()) if (isNewTask(before.get(c.id), c)) arrived(c);
      loadState.value = 'ready';
      loadError.value = null;
      revision.value++;
    } catch (err) {
      loadState.value = 'error';
      loadError.value = err instanceof ApiError ? err.message : String(err);
    }
  }

  function arrived(c: CaseView): void {
    fresh.value = new Set(fresh.value).add(c.id);
    lastArrival.value = c;
    arrivals.value++;
  }

  /** A case event from the socket: the case after the change comes with it. */
  function ingest(msg: unknown): void {
    const m = msg as { event?: CaseEvent; case?: CaseView; caseView?: CaseView } & Partial<CaseEvent>;
    const c = m.case ?? m.caseView;
    if (!c || typeof c.id !== 'string') return;
    const prev = byId.get(c.id);
    if (!put(c)) return;
    const now = byId.get(c.id);
    if (now && isNewTask(prev, now)) arrived(now);
    if (detail.value?.id === c.id) void openCase(c.id);
    revision.value++;
  }

  async function connect(token: string): Promise<void> {
    if (socket.value) return;
    connection.value = 'connecting';
    const { io } = await import('socket.io-client');
    const s: ClientSocket = markRaw(
      io({ auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 }),
    );
    socket.value = s;
    const teams = useTeamsStore();
    let connectedOnce = false;
    s.on('connect', () => {
      connection.value = 'live';
      // After a reconnect, whatever happened meanwhile: reload (a desk holds tens of cases).
      if (connectedOnce) void load(true);
      connectedOnce = true;
    });
    s.on('disconnect', (reason) => {
      connection.value = reason === 'io client disconnect' ? 'offline' : 'reconnecting';
    });
    s.on('connect_error', () => {
      connection.value = s.active ? 'reconnecting' : 'offline';
    });
    s.on('team:positions', (updates) => teams.applyPositions(updates));
    s.onAny((event: string, payload: unknown) => {
      if (event === 'case:event' || event === 'case:events') {
        for (const p of Array.isArray(payload) ? payload : [payload]) ingest(p);
      }
    });
  }

  function disconnect(): void {
    socket.value?.removeAllListeners();
    socket.value?.offAny();
    socket.value?.disconnect();
    socket.value = null;
    connection.value = 'offline';
  }

  async function openCase(id: string | null): Promise<void> {
    selectedId.value = id;
    if (!id) {
      detail.value = null;
      return;
    }
    if (fresh.value.has(id)) {
      const next = new Set(fresh.value);
      next.delete(id);
      fresh.value = next;
    }
    try {
      const r = await api<{ case: CaseView }>(`/api/cases/${encodeURIComponent(id)}`);
      if (selectedId.value !== id) return;
      detail.value = r.case;
      put(r.case);
      revision.value++;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && selectedId.value === id) detail.value = null;
    }
  }

  /** POST an action with the version we hold; the answer replaces the case. 409 reloads it. */
  async function act(id: string, action: string, extra: Record<string, unknown>): Promise<CaseView> {
    const c = selected.value?.id === id ? selected.value : byId.get(id);
    try {
      const r = await api<{ case: CaseView }>(`/api/cases/${encodeURIComponent(id)}/actions`, {
        body: { action, version: c?.version, ...extra },
      });
      put(r.case);
      revision.value++;
      await openCase(id);
      return r.case;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) await openCase(id);
      throw err;
    }
  }

  /** Upload one photo (the raw file as the body; the server checks its bytes). */
  async function uploadPhoto(caseId: string, file: Blob): Promise<PhotoInfo> {
    const auth = useAuthStore();
    let res: Response;
    try {
      res = await fetch(`/api/cases/${encodeURIComponent(caseId)}/photos`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${auth.token ?? ''}`,
          'Content-Type': file.type || 'application/octet-stream',
        },
        body: file,
      });
    } catch {
      throw new ApiError(0, 'network');
    }
    const body = (await res.json().catch(() => ({}))) as { photo?: PhotoInfo; error?: string };
    if (!res.ok || !body.photo) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
    return body.photo;
  }

  /** Take back a photo not yet used in a report (best effort: a failure leaves an unused file). */
  async function removePhoto(url: string): Promise<void> {
    if (!url.startsWith('/api/cases/')) return;
    await api(url, { method: 'DELETE' }).catch(() => undefined);
  }

  function dismissArrival(): void {
    lastArrival.value = null;
  }

  function setSound(on: boolean): void {
    soundOn.value = on;
    writeSoundOn(globalThis.localStorage, on);
  }

  function reset(): void {
    disconnect();
    byId.clear();
    detail.value = null;
    selectedId.value = null;
    fresh.value = new Set();
    loadState.value = 'idle';
    revision.value++;
  }

  return {
    byId,
    revision,
    party,
    tab,
    selectedId,
    selected,
    detail,
    loadState,
    loadError,
    connection,
    soundOn,
    fresh,
    arrivals,
    lastArrival,
    socket,
    all,
    counts,
    rows,
    setParty,
    load,
    ingest,
    connect,
    disconnect,
    openCase,
    act,
    uploadPhoto,
    removePhoto,
    dismissArrival,
    setSound,
    reset,
  };
});
