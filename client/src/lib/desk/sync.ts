// The desk's side of the real-time contract (shared/realtime.ts). On every (re)connect it fetches
// what it missed — GET /api/events after the last seq it has, page by page, or the whole desk from
// GET /api/cases while it has no cursor yet — and only then applies the live `case:events` that came
// in meanwhile. Each event is applied once (by seq); each case keeps its highest version, so an
// event seen both live and in a resync page, or a stale snapshot, changes nothing.
//
// A desk (township or department) sees only its own cases' events: consecutive events it receives
// may be seqs apart, and that is not a gap — nor can the desk tell a gap from them. So its resume
// cursor moves only with what the server vouches for: the head the pages of a whole-desk load carry,
// and each GET /api/events page's lastSeq. Never with live events: with several server processes
// seq N+1 may arrive live before N, and a cursor moved to N+1 would skip N if the connection then
// dropped. Live events are applied at once all the same, and remembered so a resync page that
// brings them again changes nothing.
// No Vue here: the store passes its I/O in, and tests drive it with fakes.
import type { CaseView } from '../../../../shared/cases';
import type { CaseEventMessage, EventsPage } from '../../../../shared/realtime';
import { logRewound } from '../event-sync';

export interface DeskSyncDeps {
  /** GET /api/events?after=&limit= */
  fetchEvents(after: number): Promise<EventsPage>;
  /**
   * Reload the whole desk (GET /api/cases); `reconnected` when this is not the first load. Resolves
   * with the event head the load reflects (the lowest `head` of its pages: every event up to it is
   * in them), or null when it failed.
   */
  loadSnapshot(reconnected: boolean): Promise<number | null>;
  /** Apply events (in seq order) to the desk: each carries its case, to keep if newer. */
  apply(events: CaseEventMessage[]): void;
  /**
   * The server's log is behind the desk's cursor: its database was restored from a backup while
   * the desk stayed open (lib/event-sync.ts, logRewound). Nothing held can be trusted: the page
   * loads afresh.
   */
  rewound(): void;
}

/** Resync pages fetched at most in one go; beyond it the desk reloads whole (a long outage). */
const MAX_PAGES = 20;
/** Seqs remembered for de-duplication, below the cursor. */
const SEEN_KEEP = 5000;

/** A live event as it arrives, checked: the contract is typed, the wire is not. */
export function parseCaseEventMessage(raw: unknown): CaseEventMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as Partial<CaseEventMessage>;
  const c = e.case as Partial<CaseView> | undefined;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) <= 0) return null;
  if (typeof e.caseId !== 'string' || typeof e.type !== 'string') return null;
  if (!c || typeof c !== 'object' || c.id !== e.caseId || !Number.isSafeInteger(c.version)) return null;
  return e as CaseEventMessage;
}

export class DeskSync {
  /**
   * Every event up to this seq is reflected on the desk (the resume cursor): the head of the last
   * whole-desk load's pages, or the lastSeq of the last resync page. Null until the first load.
   */
  cursor: number | null = null;
  /** Live events that arrived while a resync ran; null when none runs. */
  private buffer: CaseEventMessage[] | null = null;
  private readonly seen = new Set<number>();
  private connects = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: DeskSyncDeps) {}

  get syncing(): boolean {
    return this.buffer !== null;
  }

  /** On every connect and reconnect: fetch what was missed, then apply what arrived meanwhile. */
  onConnect(): Promise<void> {
    // From now on live events wait for the resync.
    this.buffer ??= [];
    // A reconnect while a resync still runs: run once more after it, from wherever it got to.
    const previous = this.running ?? Promise.resolve();
    const run = previous.then(() => this.resync());
    this.running = run.finally(() => {
      if (this.running === run) this.running = null;
    });
    return run;
  }

  /** A live `case:events` packet (events committed together), applied as one. */
  receive(raw: unknown): void {
    if (!Array.isArray(raw)) return;
    const events = raw.map(parseCaseEventMessage).filter((e): e is CaseEventMessage => !!e);
    if (!events.length) return;
    if (this.buffer) this.buffer.push(...events);
    else this.applyNew(events);
  }

  /** Forget the desk (another party chosen, signed out): the next connect reloads whole. */
  reset(): void {
    this.cursor = null;
    this.seen.clear();
    this.buffer = null;
    this.connects = 0;
  }

  private async resync(): Promise<void> {
    this.buffer ??= [];
    const reconnected = this.connects++ > 0;
    try {
      if (this.cursor === null || !(await this.fetchMissed(this.cursor))) {
        // The whole desk, as of now; the head its pages reflect is where following resumes (an
        // event committed while they were read is fetched again next time, and changes nothing).
        // A failed load leaves no cursor: the next connect loads whole again.
        this.cursor = null;
        this.cursor = await this.deps.loadSnapshot(reconnected);
      }
    } finally {
      const buffered = this.buffer ?? [];
      this.buffer = null;
      this.applyNew(buffered);
    }
  }

  /** Page through GET /api/events after `after`; false when the desk should reload whole. */
  private async fetchMissed(after: number): Promise<boolean> {
    let cursor = after;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const r = await this.deps.fetchEvents(cursor);
        if (logRewound(r, cursor)) {
          this.deps.rewound();
          return true;
        }
        this.applyNew(r.events);
        // lastSeq also covers events this desk may not see: move past them.
        cursor = Math.max(cursor, r.lastSeq);
        this.cursor = Math.max(this.cursor ?? 0, cursor);
        if (!r.more) return true;
      }
      return false;
    } catch {
      return false;
    }
  }

  private applyNew(events: CaseEventMessage[]): void {
    const fresh = events
      .filter((e) => !this.seen.has(e.seq))
      .sort((a, b) => a.seq - b.seq)
      .filter((e, i, all) => i === 0 || all[i - 1]!.seq !== e.seq);
    if (!fresh.length) return;
    for (const e of fresh) this.seen.add(e.seq);
    if (this.seen.size > SEEN_KEEP * 2) {
      const floor = fresh[fresh.length - 1]!.seq - SEEN_KEEP;
      for (const s of this.seen) if (s < floor) this.seen.delete(s);
    }
    this.deps.apply(fresh);
  }
}
