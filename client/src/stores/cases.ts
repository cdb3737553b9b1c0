// The cases the big screen shows, kept current by case events. The first sync loads the case list
// (open cases, and the last 30 days for the charts) and finds the head of the event log; every
// sync after that (each socket connect and reconnect) fetches the events after the cursor while
// live events wait in a buffer, then applies the buffer. Each seq is applied once; each case keeps
// the snapshot with the highest version. Panels read `revision`-driven views, the map subscribes
// to changed ids; notifications are coalesced (a quarter second): a burst of events, one update.
import { computed, markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { api, ApiError } from '@/api/http';
import { normaliseCase, type CaseItem, type TimelineEntry } from '@/lib/case-model';
import { caseListQueries } from '@/lib/screen-requests';
import { readCaseList } from '@/api/case-list';
import {
  feedEntry,
  isNewer,
  mergeFeed,
  parseCaseEvent,
  type CaseEvent,
  type FeedEntry,
} from '@/lib/case-events';
import { logRewound, reloadPage, SeqCursor, type EventsPageLike } from '@/lib/event-sync';
import { FlushClock } from '@/lib/flush-clock';
import { staleCaseIds } from '@/lib/case-retention';

export type { FeedEntry };
export type CasesListener = (changedIds: string[]) => void;

/** Per list request stream; the screen holds open cases and the last 30 days. */
const MAX_PER_STREAM = 20_000;
const FEED_MAX = 200;
/** The rows the live feed shows. */
export const FEED_VISIBLE = 60;
/**
 * The first sync replays the events of this many of the newest seqs, so the feed starts full, as
 * long as it was before a reload (not 45 rows of 60). A few more than it shows: a seq may be
 * missing (a transaction rolled back after taking it).
 */
const FEED_BACKFILL = FEED_VISIBLE + 20;
const EVENTS_PAGE = 1000;
const NOTIFY_MS = 250;
/** How often the store lets go of the cases nothing shows any more (case-retention.ts). */
const PRUNE_MS = 60 * 60_000;

/** GET /api/events, checked: a malformed answer must not move the resume cursor. */
async function eventsPage(after: number, limit: number): Promise<EventsPageLike> {
  const r = await api<Partial<Record<keyof EventsPageLike, unknown>> | null>(
    `/api/events?after=${after}&limit=${limit}`,
  );
  const o = r ?? {};
  if (!Array.isArray(o.events) || !Number.isSafeInteger(o.lastSeq)) throw new Error('事件记录应答格式有误');
  return {
    events: o.events,
    lastSeq: o.lastSeq as number,
    more: o.more === true,
    ...(Number.isSafeInteger(o.head) ? { head: o.head as number } : {}),
  };
}

export const useCasesStore = defineStore('cases', () => {
  const byId = markRaw(new Map<string, CaseItem>());
  /** Bumped once per batch of changes; computed views depend on it, not on the Map. */
  const revision = ref(0);
  const feed = shallowRef<FeedEntry[]>([]);
  const loadState = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const selectedId = ref<string | null>(null);
  /** The id of a case asked for (a link, the address) that is not there or not this account's. */
  const missing = ref<string | null>(null);
  const selected = computed(() => {
    void revision.value;
    return selectedId.value ? (byId.get(selectedId.value) ?? null) : null;
  });
  const listeners = new Set<CasesListener>();

  /** Null until the first sync has loaded the list and placed the cursor at the head it read. */
  let seqs: SeqCursor | null = null;
  /** Which socket connection is delivering live events now (null: none). */
  let liveEpoch: number | null = null;
  /** Live events waiting while a sync runs (null: apply them as they come). */
  let buffer: CaseEvent[] | null = null;
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let generation = 0;

  const pendingIds = new Set<string>();
  let pendingFeed: FeedEntry[] = [];
  /** Changes reach the feed and the listeners at once after a quiet moment, else batched. */
  const notifyClock = new FlushClock(NOTIFY_MS);
  function notify(ids: Iterable<string>, entries: FeedEntry[] = []): void {
    for (const id of ids) pendingIds.add(id);
    pendingFeed.push(...entries);
    if (pendingIds.size || pendingFeed.length) notifyClock.schedule(flushNotify);
  }
  function flushNotify(): void {
    if (pendingFeed.length) feed.value = mergeFeed(feed.value, pendingFeed, FEED_MAX);
    pendingFeed = [];
    if (!pendingIds.size) return;
    const ids = [...pendingIds];
    pendingIds.clear();
    revision.value++;
    for (const l of listeners) l(ids);
  }
  function subscribe(l: CasesListener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  }

  /** Put `next` in place of what we hold, if it is not older; keeps a fetched timeline. */
  function put(next: CaseItem, event?: CaseEvent): boolean {
    const prev = byId.get(next.id);
    if (!isNewer(next, prev)) return false;
    let timeline = next.timeline ?? prev?.timeline ?? null;
    if (event && timeline && !timeline.some((t) => t.seq === event.seq))
      timeline = [...timeline, timelineEntry(event)];
    // And the duplicates merged into it, read with the timeline (a live snapshot carries neither).
    const mergedFrom = next.mergedFrom ?? prev?.mergedFrom ?? null;
    byId.set(
      next.id,
      timeline === next.timeline && mergedFrom === next.mergedFrom ? next : { ...next, timeline, mergedFrom },
    );
    return true;
  }

  function upsert(items: CaseItem[]): void {
    notify(items.filter((c) => put(c)).map((c) => c.id));
  }

  /**
   * Drop the cases nothing on the screen needs any more (see staleCaseIds); the listeners hear of
   * them as changed ids, which they no longer find. Runs hourly once the screen has synced.
   */
  function prune(now = Date.now()): string[] {
    const keep = new Set(feed.value.map((e) => e.caseId));
    for (const e of pendingFeed) keep.add(e.caseId);
    if (selectedId.value) keep.add(selectedId.value);
    // And the selected duplicate's original, read for the panel to name it by its number.
    const original = selectedId.value ? byId.get(selectedId.value)?.duplicateOf : null;
    if (original) keep.add(original);
    const ids = staleCaseIds(byId, now, keep);
    for (const id of ids) byId.delete(id);
    notify(ids);
    return ids;
  }
  let pruneTimer: ReturnType<typeof setInterval> | null = null;

  /** A live `case:events` packet from the socket (events committed together), applied as one. */
  function ingest(payload: unknown): void {
    if (!Array.isArray(payload)) return;
    const events = payload.map(parseCaseEvent).filter((e): e is CaseEvent => !!e);
    if (!events.length) return;
    if (buffer) buffer.push(...events);
    else applyEvents(events);
  }

  function applyEvents(events: CaseEvent[]): void {
    const ids: string[] = [];
    const fresh: FeedEntry[] = [];
    for (const e of events) {
      if (seqs && !seqs.add(e.seq)) continue; // already applied (resync overlap, replay)
      if (e.case) {
        if (put(e.case, e)) ids.push(e.caseId);
        // A duplicate merged into the case in the panel: read its reports again (mergedFrom).
        if (e.type === 'merged_in' && e.caseId === selectedId.value)
          void fetchCase(e.caseId).catch(() => null);
      } else void fetchCase(e.caseId).catch(() => null); // unreadable snapshot: ask for the case
      fresh.push(feedEntry(e));
    }
    notify(ids, fresh);
  }

  /**
   * Bring the screen up to date: on the first call load the list, on every call fetch the events
   * after the cursor. Live events that arrive meanwhile are applied after it, without duplicates.
   * Call with `live` on every socket connection once its rooms are joined (`hello`), and without
   * it to load while no socket is up. Overlapping calls run once more after the current one.
   */
  function sync(opts: { live?: number } = {}): Promise<void> {
    if (opts.live !== undefined) liveEpoch = opts.live;
    if (syncing) {
      syncAgain = true;
      return syncing;
    }
    buffer ??= [];
    pruneTimer ??= setInterval(() => prune(), PRUNE_MS);
    const gen = generation;
    syncing = (async () => {
      try {
        do {
          syncAgain = false;
          if (!seqs) await initialLoad(gen);
          if (seqs) await catchUp(gen);
        } while (syncAgain && gen === generation);
      } finally {
        syncing = null;
        const waiting = buffer ?? [];
        buffer = null;
        if (gen === generation) applyEvents(waiting);
      }
    })();
    return syncing;
  }

  /** The socket dropped: live events stop until the next `sync({ live })`. */
  function liveLost(): void {
    liveEpoch = null;
  }

  /**
   * The list and a cursor such that every event after the cursor is replayed and everything up to
   * it is in the list. Each page of GET /api/cases carries the event head the server read before
   * the page (the page reflects every event up to it), so the lowest head of the pages is such a
   * cursor: no separate request for the head, and nothing waits for the socket. Each page is shown
   * as it arrives (the map fills in while the rest loads); `loadState` turns 'ready' once every
   * page is in. The cursor starts a few events back, so the feed opens with the latest entries.
   */
  async function initialLoad(gen: number): Promise<void> {
    loadState.value = 'loading';
    const epoch = liveEpoch;
    try {
      const head = await loadList((items) => {
        if (gen === generation) upsert(items);
        performance.mark('cases:page');
      });
      if (gen === generation) loadState.value = 'ready';
      // The socket dropped while we read: events may be in neither. Shown, but read again next sync.
      if (gen === generation && (epoch === null || liveEpoch === epoch))
        seqs = new SeqCursor(Math.max(0, head - FEED_BACKFILL));
    } catch (err) {
      if (loadState.value === 'loading') loadState.value = 'error';
      throw err;
    }
  }

  /**
   * Open cases (any age), the last 30 days, and the cases finished today whenever reported, in
   * parallel streams (one per state, lib/screen-requests); each page is
   * handed to `onPage` as it arrives. Resolves with the lowest event head of the pages. The pages
   * are asked for at low priority: a browser opens six connections to a server, and nine streams
   * of pages would otherwise hold up what the map cannot start without (its basemap setting, the
   * county and townships) and the charts' figures, all small.
   */
  async function loadList(onPage: (items: CaseItem[]) => void): Promise<number> {
    const heads = await Promise.all(
      caseListQueries(Date.now()).map((q) =>
        readCaseList(q, (raw) => onPage(raw.map(normaliseCase).filter((c): c is CaseItem => !!c)), {
          maxItems: MAX_PER_STREAM,
          priority: 'low',
        }),
      ),
    );
    return Math.min(...heads);
  }

  async function catchUp(gen: number): Promise<void> {
    for (;;) {
      const cursor = seqs!.cursor;
      const r = await eventsPage(cursor, EVENTS_PAGE);
      if (gen !== generation) return;
      // The server's log went back (restored from a backup): start again from what it holds.
      if (logRewound(r, cursor)) return reloadPage();
      applyEvents(r.events.map(parseCaseEvent).filter((e): e is CaseEvent => !!e));
      seqs!.coverTo(r.lastSeq);
      if (!r.more || r.lastSeq <= cursor) return;
    }
  }

  async function fetchCase(id: string): Promise<CaseItem | null> {
    const r = await api<{ case: unknown }>(`/api/cases/${encodeURIComponent(id)}`);
    const c = normaliseCase(r.case);
    if (c) upsert([c]);
    return c;
  }

  /**
   * An action on a case (dispatch, escalate, …) at the version the operator saw; the answer
   * replaces the case, shown at once. On 409 (someone else changed it) or 422 the case is fetched again, so the
   * panel shows what it is now; the error goes to the caller to show in plain words.
   */
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
      // The operator's own action shows at once: the panel's chip changes with the message that
      // reports it (核查不通过 → 处置中), not with the next batch of live changes, which on a busy
      // wall came seconds after the message.
      if (next && put(next)) {
        pendingIds.add(next.id);
        flushNotify();
      }
      return next;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 422))
        void fetchCase(id).catch(() => null);
      throw err;
    }
  }

  /** Select a case (or none); its timeline is fetched for the dispatch panel. */
  function select(id: string | null): void {
    selectedId.value = id;
    missing.value = null;
    if (!id) return;
    void fetchCase(id).catch((err: unknown) => {
      // A link or an address naming a case that is not there, or not this account's to see (404,
      // 403; 400 for an id no case can have): the panel says so and the address lets it go, rather
      // than opening nothing.
      if (selectedId.value !== id || !(err instanceof ApiError) || ![400, 403, 404].includes(err.status))
        return;
      selectedId.value = null;
      missing.value = id;
    });
  }

  function reset(): void {
    generation++;
    if (pruneTimer) clearInterval(pruneTimer);
    pruneTimer = null;
    byId.clear();
    feed.value = [];
    seqs = null;
    liveEpoch = null;
    buffer = null;
    loadState.value = 'idle';
    selectedId.value = null;
    missing.value = null;
    pendingIds.clear();
    pendingFeed = [];
    notifyClock.cancel(flushNotify);
    revision.value++;
  }

  return {
    byId,
    revision,
    feed,
    loadState,
    selectedId,
    selected,
    missing,
    sync,
    ingest,
    fetchCase,
    act,
    select,
    subscribe,
    upsert,
    prune,
    reset,
    liveLost,
  };
});

function timelineEntry(e: CaseEvent): TimelineEntry {
  return {
    seq: e.seq,
    type: e.type,
    actor: e.actor,
    ...(e.actorUsername ? { actorUsername: e.actorUsername } : {}),
    at: e.at,
    reason: typeof e.payload.reason === 'string' ? e.payload.reason : undefined,
    payload: e.payload,
  };
}
