// The township desk (乡镇/街道工作台): the cases assigned to one party (a township platform or a
// county department), kept live by the party's Socket.IO room (`case:events`, resynced from
// GET /api/events on every reconnect: lib/desk/sync.ts), with a cue when a task arrives.
// Command-centre users pick which party's desk to look at.
import { computed, markRaw, nextTick, reactive, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { Socket } from 'socket.io-client';
import type { CaseView } from '@shared/cases';
import type {
  CaseEventMessage,
  ClientToServerEvents,
  EventsPage,
  ServerToClientEvents,
} from '@shared/realtime';
import { api, ApiError } from '@/api/http';
import { readCaseList } from '@/api/case-list';
import { useTeamsStore } from './teams';
import { useAuthStore } from './auth';
import { useDowntime } from '@/lib/downtime';
import {
  casesInTab,
  cooperates,
  countTabs,
  DESK_OPEN_STATES,
  deskTabs,
  isNewTask,
  tabOf,
  type DeskTab,
} from '@/lib/desk/tabs';
import {
  isOwnCase,
  isCooperatingCase,
  cooperatingCasesQuery,
  ownCasesQuery,
  partyParam,
  replacesSnapshot,
  toTabCase,
  type DeskParty,
} from '@/lib/desk/desk-case';
import { readSoundOn, writeSoundOn } from '@/lib/desk/preferences';
import { DeskSync } from '@/lib/desk/sync';
import { reloadPage } from '@/lib/event-sync';
import { departureAfterReload, departureOf, type Departure } from '@/lib/desk/departure';
import {
  arrivalNotice,
  dismissKind,
  dismissNotice,
  forgetCase,
  isMoot,
  isStillNew,
  noticesOf,
  pushNotice,
  refreshNoticeCases,
  restoreNews,
  storeNews,
  mergeKeptNotices,
  type Notice,
  type NoticeKind,
} from '@/lib/desk/notices';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const OPEN = DESK_OPEN_STATES.join(',');
/** Most cases one desk list reads (40 pages of 500). */
const MAX_ITEMS = 20_000;
/** Events asked for per resync page. */
const EVENTS_PAGE = 1000;
/** The done tab keeps the last 30 days of closed cases. */
const CLOSED_DAYS = 30;
/** Where the news not yet put away is kept, per user and desk: `desk.news:<user>:<kind>:<code>`. */
const NEWS_KEY = 'desk.news';

export const useDeskStore = defineStore('desk', () => {
  /** The desk's own tasks (assigned to its unit), each in its tab. */
  const byId = markRaw(new Map<string, CaseView>());
  /**
   * Other units' open tasks the desk's unit cooperates on (协办, 联合执法): on the 协办 tab to read,
   * with no news, no actions, never counted as the desk's own (which is all `byId` holds).
   */
  const helping = markRaw(new Map<string, CaseView>());
  /** A case on the desk, its own or one it cooperates on. */
  const onDesk = (id: string): CaseView | undefined => byId.get(id) ?? helping.get(id);
  /** The highest version seen of every case, kept after a case leaves the desk (no resurrection). */
  const versions = new Map<string, number>();
  /** Cases changed by an event while a full load runs: the load must not roll them back. */
  let touchedDuringLoad: Set<string> | null = null;
  const revision = ref(0);
  const party = ref<DeskParty | null>(null);
  const tab = ref<DeskTab>('acknowledge');
  const selectedId = ref<string | null>(null);
  /** The selected case with its timeline (GET /api/cases/:id). */
  const detail = shallowRef<CaseView | null>(null);
  /** Why the selected case could not be fetched (network, 404, 5xx): the detail says so. */
  const detailError = shallowRef<unknown>(null);
  /**
   * The task the clerk had open that has just left the desk (退回, 改派): the detail closes and says
   * where it went, until another case is opened. Heard live, it is not fetched again: outside the
   * unit's scope that is a 404 ("may have been merged or deleted"). Found missing by a whole-desk
   * reload, it is fetched once to say why (settleOpenCase).
   */
  const departed = shallowRef<Departure | null>(null);
  const loadState = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const loadError = ref<string | null>(null);
  /** The desk's connection, and since when it is down (lib/downtime.ts): the desk is as of then. */
  const { state: connection, downSince, lostAt, connecting, setLive, reconnecting, stopped } = useDowntime();
  const soundOn = ref(readSoundOn(globalThis.localStorage));
  /** Tasks that arrived while the desk was open and have not been looked at: highlighted. */
  const fresh = ref<Set<string>>(new Set());
  /**
   * News about this desk's tasks not yet put away (知道了), newest first, one queue per kind
   * (lib/desk/notices.ts): new tasks, the command centre's 督办, reports merged in, tasks sent back
   * by verification, heard live or on a resync.
   */
  const notices = shallowRef<Notice[]>([]);
  /** Bumped on every new task: the view plays the sound and flashes on change. */
  const arrivals = ref(0);
  /** Bumped on every 督办 on one of this desk's cases. */
  const escalations = ref(0);
  /** Bumped on every task of this desk sent back by verification (核查不通过 → 返工). */
  const reworks = ref(0);
  /** Bumped on every report merged into one of this desk's tasks. */
  const mergedIns = ref(0);
  /** Bumped on every answer of the command centre to one of this desk's 延期申请. */
  const extensionAnswers = ref(0);
  /** Each kind's pending notices, newest first; new tasks only while not yet looked at. */
  const pending = computed<Record<NoticeKind, Notice[]>>(() => ({
    arrival: noticesOf(notices.value, 'arrival').filter((n) => fresh.value.has(n.case.id)),
    escalation: noticesOf(notices.value, 'escalation'),
    merged: noticesOf(notices.value, 'merged'),
    rework: noticesOf(notices.value, 'rework'),
    extension: noticesOf(notices.value, 'extension'),
  }));
  const socket = shallowRef<ClientSocket | null>(null);

  const all = computed(() => {
    void revision.value;
    return [...byId.values(), ...helping.values()];
  });
  const tabCases = computed(() => all.value.map((c) => toTabCase(c, party.value)));
  const counts = computed(() => countTabs(tabCases.value));
  const rows = computed(() => {
    const ids = casesInTab(tabCases.value, tab.value).map((c) => c.id);
    return ids.map((id) => onDesk(id)!);
  });
  const selected = computed(() => {
    void revision.value;
    const id = selectedId.value;
    if (!id) return null;
    const c = onDesk(id);
    // The detail has the timeline; the list row may be newer (a live event) - take the newer.
    if (detail.value?.id === id && (!c || detail.value.version >= c.version)) return detail.value;
    return c ?? (detail.value?.id === id ? detail.value : null);
  });

  function setParty(p: DeskParty | null): void {
    const was = party.value;
    party.value = p;
    // Another desk: its own news, read back at its first load; the last desk's stays kept (the
    // key is let go before the lists are cleared, so the clearing is not written over it).
    if ((was && partyParam(was)) !== (p && partyParam(p))) {
      newsKey = null;
      notices.value = [];
      fresh.value = new Set();
      // Nor are the last desk's cases this one's (its 协办 would count as this desk's own work).
      byId.clear();
      helping.clear();
      revision.value++;
      if (!deskTabs(p).includes(tab.value)) tab.value = 'acknowledge';
    }
  }

  /**
   * Keep `c` if it is newer than what the desk has (highest version wins); false when not. A read
   * (`sameVersionToo`) is current, so it also replaces the same version. So does an event's snapshot
   * with more deadlines marked missed: the overdue mark (超时) changes a case without counting a
   * version, and marks are only ever added at one version, so the snapshot with more is the later.
   */
  function put(c: CaseView, sameVersionToo = false): boolean {
    if (!replacesSnapshot(c, versions.get(c.id) ?? 0, onDesk(c.id), sameVersionToo)) return false;
    versions.set(c.id, c.version);
    const inTab = !!tabOf(toTabCase(c, party.value));
    const own = isOwnCase(c, party.value) && inTab;
    if (own || !isCooperatingCase(c, party.value) || !inTab) helping.delete(c.id);
    else helping.set(c.id, c); // 协办: there to read; news is only ever of the desk's own tasks
    if (own) {
      byId.set(c.id, c);
      notices.value = refreshNoticeCases(notices.value, c); // and what its state makes moot goes
    } else {
      byId.delete(c.id);
      notices.value = forgetCase(notices.value, c.id); // no longer this desk's: its news is moot
    }
    // Acknowledged (here or by a colleague), returned or done: the task no longer looks new (新).
    if (fresh.value.has(c.id) && !(own && isStillNew(c))) {
      const next = new Set(fresh.value);
      next.delete(c.id);
      fresh.value = next;
    }
    return true;
  }

  /** Every page of a list, and the lowest event head the pages carry (GET /api/cases `head`). */
  async function fetchAll(query: string): Promise<{ items: CaseView[]; head: number }> {
    const items: CaseView[] = [];
    const head = await readCaseList(query, (page) => items.push(...(page as CaseView[])), {
      maxItems: MAX_ITEMS,
    });
    return { items, head };
  }

  /**
   * (Re)load the desk's cases. With `announce`, tasks new since the last load get the cue. Resolves
   * with the event head the lists reflect, or null when they could not be loaded.
   */
  async function load(announce = false): Promise<number | null> {
    const p = party.value;
    if (!p) return null;
    loadState.value = byId.size + helping.size ? loadState.value : 'loading';
    const who = ownCasesQuery(p);
    const since = Date.now() - CLOSED_DAYS * 86_400_000;
    const touched = new Set<string>();
    touchedDuringLoad = touched;
    try {
      const [open, closed, cooperated] = await Promise.all([
        fetchAll(`${who}&status=${OPEN}`),
        fetchAll(`${who}&status=closed&from=${since}`),
        // A department is never a cooperating party (its desk has no 协办 tab): nothing to ask.
        cooperates(p)
          ? fetchAll(`${cooperatingCasesQuery(p)}&status=${OPEN}`)
          : { items: [], head: Number.POSITIVE_INFINITY },
      ]);
      if (party.value !== p) return null; // another desk was chosen meanwhile
      const before = new Map(byId);
      const helpedBefore = new Map(helping);
      byId.clear();
      helping.clear();
      for (const c of [...open.items, ...closed.items, ...cooperated.items]) put(c, true);
      // An event applied while the lists loaded is newer than they are: keep its case as the event
      // left it, in the map it was in (unless a list read it newer since: the 协办 list, once it was
      // given to another unit); one the event took off the desk stays off.
      for (const id of touched) {
        const live = before.get(id) ?? helpedBefore.get(id);
        const listed = onDesk(id);
        const seen = versions.get(id) ?? 0;
        if (live && (!listed || live.version > listed.version) && live.version >= seen) {
          byId.delete(id);
          helping.delete(id);
          (before.has(id) ? byId : helping).set(id, live);
        } else if (!live && listed && listed.version < seen) {
          byId.delete(id);
          helping.delete(id);
        }
      }
      // News of a task that left the desk while it was away (returned, reassigned) is moot.
      if (notices.value.some((n) => !byId.has(n.case.id)))
        notices.value = notices.value.filter((n) => byId.has(n.case.id));
      if (!newsKey) restoreKeptNews(p);
      if (announce) for (const c of byId.values()) if (isNewTask(before.get(c.id), c)) arrived(c);
      loadState.value = 'ready';
      loadError.value = null;
      revision.value++;
      // The open case is not on the lists: it may have left while the desk was not listening.
      const openId = selectedId.value;
      // One it cooperates on has not left the unit's hands (there are none): still listed, it stays;
      // closed meanwhile, it is read again where it is. One of its own now only cooperated on has left.
      if (openId && !byId.has(openId)) {
        if (!before.has(openId) && (helping.has(openId) || helpedBefore.has(openId))) {
          if (!helping.has(openId)) void openCase(openId);
        } else void settleOpenCase(openId, before.get(openId));
      }
      return Math.min(open.head, closed.head, cooperated.head);
    } catch (err) {
      loadState.value = 'error';
      loadError.value = err instanceof ApiError ? err.message : String(err);
      return null;
    } finally {
      if (touchedDuringLoad === touched) touchedDuringLoad = null;
    }
  }

  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  /**
   * The news not yet put away is kept in the browser, so a reload or tomorrow's first look still
   * shows it (lib/desk/notices.ts): read back once, after the desk's first load, and written on
   * every change from then on (never before: the empty list at start must not overwrite it).
   */
  let newsKey: string | null = null;
  const storage = (): Storage | undefined => globalThis.localStorage;
  function restoreKeptNews(p: DeskParty): void {
    const user = useAuthStore().user?.username;
    if (!user) return;
    const key = `${NEWS_KEY}:${user}:${partyParam(p)}`;
    let raw: string | null = null;
    try {
      raw = storage()?.getItem(key) ?? null;
    } catch {
      /* storage blocked: nothing kept */
    }
    const kept = restoreNews(raw, (id) => byId.get(id));
    // What arrived during the load is newer than what was kept: it stays in front.
    notices.value = mergeKeptNotices(notices.value, kept.notices);
    if (kept.fresh.size) fresh.value = new Set([...fresh.value, ...kept.fresh]);
    newsKey = key;
    writeKeptNews();
  }
  function writeKeptNews(): void {
    if (!newsKey) return;
    // Only the 新 marks of tasks still on the desk and new: the kept list never outgrows the desk.
    const marks = new Set(
      [...fresh.value].filter((id) => {
        const c = byId.get(id);
        return !!c && isStillNew(c);
      }),
    );
    try {
      if (notices.value.length || marks.size)
        storage()?.setItem(newsKey, JSON.stringify(storeNews(notices.value, marks)));
      else storage()?.removeItem(newsKey);
    } catch {
      /* not kept: still shown until the page closes */
    }
  }
  watch([notices, fresh], writeKeptNews);

  /** `n` in front of its kind, unless its case's state has already made it moot (a replay). */
  function notify(n: Notice): boolean {
    if (isMoot(n.kind, n.case)) return false;
    notices.value = pushNotice(notices.value, n);
    return true;
  }

  function arrived(c: CaseView): void {
    fresh.value = new Set(fresh.value).add(c.id);
    notices.value = pushNotice(notices.value, arrivalNotice(c));
    arrivals.value++;
  }

  // The row carries its 督办 badge already; it is not marked new (新).
  function escalated(c: CaseView, reason: unknown, at: number): void {
    if (notify({ kind: 'escalation', case: c, at, reason: text(reason) })) escalations.value++;
  }

  // A second report of one of this desk's tasks, merged into it by the command centre (合并).
  function mergedInto(c: CaseView, payload: Record<string, unknown>, at: number): void {
    const merged = {
      no: text(payload.no),
      source: text(payload.source),
      description: text(payload.description),
    };
    if (notify({ kind: 'merged', case: c, at, reason: text(payload.reason), merged })) mergedIns.value++;
  }

  // 核查不通过: the task is back in this desk's 返工 tab.
  function sentBack(c: CaseView, reason: unknown, at: number): void {
    if (notify({ kind: 'rework', case: c, at, reason: text(reason) })) reworks.value++;
  }

  // 同意 / 不同意延期: the command centre's answer to this desk's request for more time.
  function extensionAnswered(c: CaseView, e: CaseEventMessage): void {
    const p = e.payload ?? {};
    const granted = e.type === 'approve_extension';
    const days = Number(p.days);
    const until = granted && typeof p.extendedTo === 'number' ? p.extendedTo : null;
    const reason = text(granted ? p.note : p.reason);
    const extension = { granted, days: Number.isInteger(days) ? days : 0, until };
    if (notify({ kind: 'extension', case: c, at: e.at, reason, extension })) extensionAnswers.value++;
  }

  /** Case events, in seq order, from the socket or a resync page: each brings its case. */
  function applyEvents(events: CaseEventMessage[]): void {
    let changed = false;
    let refreshDetail = false;
    for (const e of events) {
      const prev = byId.get(e.case.id);
      // A merged report changes no field of the case it joins: its snapshot is the same.
      const merged = e.type === 'merged_in' && isOwnCase(e.case, party.value);
      if (!put(e.case) && !merged) continue;
      changed = true;
      touchedDuringLoad?.add(e.case.id);
      const now = byId.get(e.case.id);
      if (now && isNewTask(prev, now)) arrived(now);
      if (now && e.type === 'escalate') escalated(now, e.payload?.reason, e.at);
      if (now && merged) mergedInto(now, e.payload ?? {}, e.at);
      if (now && e.type === 'verify_fail') sentBack(now, e.payload?.reason, e.at);
      if (
        now &&
        (e.type === 'approve_extension' || e.type === 'deny_extension') &&
        isOwnCase(now, party.value)
      )
        extensionAnswered(now, e);
      // The open task left the desk (returned by a colleague, reassigned by the command centre).
      if (prev && !now && selectedId.value === e.case.id) departedNow(e.case);
      else if (detail.value?.id === e.case.id) refreshDetail = true;
    }
    if (!changed) return;
    revision.value++;
    // The open case's timeline grew: fetch it once for the whole batch.
    if (refreshDetail && selectedId.value && selectedId.value === detail.value?.id)
      void openCase(selectedId.value);
  }

  const sync = new DeskSync({
    fetchEvents: (after) => api<EventsPage>(`/api/events?after=${after}&limit=${EVENTS_PAGE}`),
    loadSnapshot: (reconnected) => load(reconnected),
    apply: applyEvents,
    rewound: reloadPage,
  });

  async function connect(token: string): Promise<void> {
    if (socket.value) return;
    connecting();
    const { io } = await import('socket.io-client');
    const auth = useAuthStore();
    const s: ClientSocket = markRaw(
      // The session's token as it is at each (re)connection: it is renewed while the page is open.
      io({
        auth: (cb) => cb({ token: auth.token ?? token }),
        transports: ['websocket'],
        reconnectionDelayMax: 5000,
      }),
    );
    socket.value = s;
    s.on('connect', () => {
      // Every (re)connect: what was missed first; live events wait in the meantime.
      connection.value = 'resyncing';
      void sync.onConnect().finally(() => {
        if (s.connected && socket.value === s) setLive();
        // A task opened while the network was down shows its list row, without its timeline (its
        // read failed): read it now, or it stays so, 暂无记录, until the case next changes.
        const openId = selectedId.value;
        if (s.connected && openId && detail.value?.id !== openId && onDesk(openId)) void openCase(openId);
      });
    });
    s.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') {
        connection.value = 'offline';
        return;
      }
      reconnecting();
      // The server ended the session (not the network): Socket.IO leaves reconnecting to us.
      if (reason === 'io server disconnect') setTimeout(() => socket.value === s && s.connect(), 1000);
    });
    s.on('connect_error', (err) => {
      connection.value = s.active ? 'reconnecting' : 'offline';
      // Refused: the session has ended (password changed, account disabled) or the token is bad.
      // The server's 401 to the session signs the page out, to the login page.
      if (!s.active && /unauthori[sz]ed/i.test(err.message)) void auth.confirmSession();
    });
    // A team added, renamed or retired on the server (`npm run teams`), or while the desk was
    // offline: the 派出队伍 picker follows.
    useTeamsStore().listen(s);
    s.on('case:events', (events) => sync.receive(events));
  }

  function disconnect(): void {
    socket.value?.removeAllListeners();
    socket.value?.disconnect();
    socket.value = null;
    stopped();
  }

  /** The open task `c` has left the desk: close it and say where it went. */
  function departedNow(c: CaseView): void {
    closeAs(departureOf(c, party.value));
  }
  function closeAs(d: Departure): void {
    departed.value = d;
    selectedId.value = null;
    detail.value = null;
    detailError.value = null;
  }

  /**
   * After a whole-desk load without the open case `id` (`onDesk`: what the desk held of it before,
   * if it was on the lists): fetch it once and close it with where it went (改派给…, 退回) if it has
   * left, or keep it open (an old case the search found, or one back on the desk meanwhile).
   */
  async function settleOpenCase(id: string, onDesk: CaseView | undefined): Promise<void> {
    const held = onDesk ?? (detail.value?.id === id ? detail.value : undefined);
    let now: CaseView | 'unreadable' | 'failed';
    try {
      now = (await api<{ case: CaseView }>(`/api/cases/${encodeURIComponent(id)}`)).case;
    } catch (err) {
      now = err instanceof ApiError && (err.status === 404 || err.status === 403) ? 'unreadable' : 'failed';
    }
    // Another case opened, or a live event settled it (closed it, or brought it back) meanwhile.
    if (selectedId.value !== id || byId.has(id)) return;
    if (typeof now === 'object') {
      put(now, true);
      revision.value++;
      if (byId.has(id)) {
        detail.value = now;
        return;
      }
    }
    const gone = departureAfterReload(held, now, party.value, !!onDesk);
    if (gone) closeAs(gone);
    else if (typeof now === 'object') detail.value = now;
  }

  async function openCase(id: string | null): Promise<void> {
    selectedId.value = id;
    detailError.value = null;
    departed.value = null;
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
      put(r.case, true);
      revision.value++;
    } catch (err) {
      if (selectedId.value !== id) return;
      if (err instanceof ApiError && err.status === 404) detail.value = null;
      detailError.value = err;
    }
  }

  /**
   * The clerk's own actions being sent, by case (one-click sends may overlap across cases): the
   * detail tells the case moving on under it from someone else's overtaking the open form, and keeps
   * a case's buttons held while its action is on its way — across the detail being closed and opened.
   */
  const acting = reactive(new Map<string, string>());

  /** POST an action with the version we hold; the answer replaces the case. 409 reloads it. */
  async function act(id: string, action: string, extra: Record<string, unknown>): Promise<CaseView> {
    const c = selected.value?.id === id ? selected.value : byId.get(id);
    acting.set(id, action);
    try {
      const r = await api<{ case: CaseView }>(`/api/cases/${encodeURIComponent(id)}/actions`, {
        body: { action, version: c?.version, ...extra },
      });
      put(r.case, true);
      revision.value++;
      // Returned (退回): no longer the desk's, and outside its scope maybe: not fetched again. The
      // clerk may have opened another case meanwhile: it stays open (the lists have the answer).
      if (!byId.has(id)) {
        if (selectedId.value === id) departedNow(r.case);
      } else if (selectedId.value === id) await openCase(id);
      return r.case;
    } catch (err) {
      // Changed meanwhile: read it again — unless it has left the desk already (the event said so).
      if (err instanceof ApiError && err.status === 409 && selectedId.value === id) await openCase(id);
      throw err;
    } finally {
      // After the detail's watchers have seen what the answer changed (a tick later).
      void nextTick(() => acting.delete(id));
    }
  }

  /** Put away one kind's newest notice (the banner's), or that kind's notice of one case. */
  function dismiss(kind: NoticeKind, caseId?: string): void {
    if (kind === 'arrival') {
      // A new task's notice is its case's `fresh` mark's: the row stays highlighted until opened.
      const n = caseId ?? pending.value.arrival[0]?.case.id;
      if (n) notices.value = dismissNotice(notices.value, 'arrival', n);
      return;
    }
    notices.value = dismissNotice(notices.value, kind, caseId);
  }
  /** Put away every notice of one kind (全部知道了). */
  function dismissAll(kind: NoticeKind): void {
    notices.value = dismissKind(notices.value, kind);
  }

  function setSound(on: boolean): void {
    soundOn.value = on;
    writeSoundOn(globalThis.localStorage, on);
  }

  function reset(): void {
    newsKey = null; // what is cleared below stays kept for the next time this desk opens
    party.value = null; // and a load still on its way stops short of restoring or writing
    disconnect();
    sync.reset();
    byId.clear();
    helping.clear();
    versions.clear();
    detail.value = null;
    detailError.value = null;
    departed.value = null;
    selectedId.value = null;
    fresh.value = new Set();
    notices.value = [];
    loadState.value = 'idle';
    revision.value++;
  }

  return {
    byId,
    onDesk,
    revision,
    party,
    tab,
    selectedId,
    selected,
    detailError,
    detail,
    departed,
    loadState,
    loadError,
    connection,
    downSince,
    lostAt,
    soundOn,
    fresh,
    notices,
    pending,
    arrivals,
    escalations,
    mergedIns,
    reworks,
    extensionAnswers,
    dismiss,
    dismissAll,
    socket,
    all,
    counts,
    rows,
    setParty,
    load,
    connect,
    disconnect,
    openCase,
    act,
    acting,
    setSound,
    reset,
  };
});
