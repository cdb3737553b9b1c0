// A client of the real-time protocol, as the dashboard runs it: on every (re)connect it fetches
// what it missed over HTTP (GET /api/events, page by page) while buffering live `case:events`, then
// applies the buffer; events are applied once each, in seq order, and each case keeps its newest
// snapshot (highest version). Tests compare its state with the server's. Its resume cursor is the
// dashboard's (client/src/lib/event-sync.ts): the highest seq up to which it has everything with
// no hole, not the highest seq seen live. Like the dashboard, it reconnects by itself after a
// server-side disconnect ("io server disconnect", e.g. a slow client cut off by the server).
import { io } from 'socket.io-client';
import { SeqCursor } from '../../client/src/lib/event-sync';
import type { CaseView } from '../../shared/cases';
import type { CaseEventMessage, EventsPage } from '../../shared/realtime';
import { call } from './auth';
import type { ClientSocket } from './socket';

export class CaseMirror {
  readonly cases = new Map<string, CaseView>();
  /** Seqs in the order they were applied. */
  readonly applied: number[] = [];
  /** Events that arrived twice (live and in a resync page) and were applied once. */
  skippedRepeats = 0;
  resyncs = 0;
  /** Resyncs that failed (an HTTP error, the server gone); the next connect tries again. */
  failedResyncs = 0;
  /** Why the socket dropped, in order ("transport close", "io server disconnect", …). */
  readonly disconnects: string[] = [];
  readonly socket: ClientSocket;
  private seqs = new SeqCursor(0);
  private buffer: CaseEventMessage[] | null = [];
  private listeners: Array<() => void> = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
    opts: { reconnection?: boolean; pageSize?: number } = {},
  ) {
    this.pageSize = opts.pageSize ?? 500;
    this.reconnect = opts.reconnection ?? true;
    this.socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: opts.reconnection ?? true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      forceNew: true,
    }) as ClientSocket;
    this.socket.on('case:events', (events) => {
      if (this.buffer) this.buffer.push(...events);
      else for (const e of events) this.apply(e);
    });
    this.socket.on('connect', () => {
      this.resync().catch(() => {
        this.failedResyncs++;
        this.notify();
      });
    });
    this.socket.on('disconnect', (reason) => {
      this.disconnects.push(reason);
      this.buffer = []; // from now on live events wait for the resync of the next connection
      // socket.io-client reconnects by itself unless the server disconnected it; the dashboard
      // reconnects then too (client/src/stores/connection.ts).
      if (reason === 'io server disconnect' && this.reconnect) setTimeout(() => this.socket.connect(), 50);
      this.notify();
    });
  }

  /** The resume cursor: `after=` of the next resync. Settable, to start where another left off. */
  get lastSeq(): number {
    return this.seqs.cursor;
  }
  set lastSeq(seq: number) {
    this.seqs = new SeqCursor(seq);
  }

  private readonly pageSize: number;
  private readonly reconnect: boolean;

  /**
   * Fetch everything after the cursor, then apply what arrived live meanwhile. If a page fails,
   * what arrived live is applied all the same (the cursor does not move past what is missing) and
   * the error is thrown.
   */
  async resync(): Promise<void> {
    this.buffer ??= [];
    try {
      let after = this.seqs.cursor;
      for (;;) {
        const r = await call<EventsPage>(
          this.url,
          this.token,
          'GET',
          `/api/events?after=${after}&limit=${this.pageSize}`,
        );
        if (r.status !== 200) throw new Error(`resync failed: ${r.status} ${JSON.stringify(r.body)}`);
        for (const e of r.body.events) this.apply(e);
        this.seqs.coverTo(r.body.lastSeq);
        after = r.body.lastSeq;
        if (!r.body.more) break;
      }
      this.resyncs++;
    } finally {
      // Only while connected: a disconnect meanwhile has started the next connection's buffer.
      if (this.socket.connected) {
        const buffered = this.buffer ?? [];
        this.buffer = null;
        for (const e of buffered) this.apply(e);
      }
      this.notify();
    }
  }

  private apply(e: CaseEventMessage): void {
    if (!this.seqs.add(e.seq)) {
      this.skippedRepeats++;
      return;
    }
    this.applied.push(e.seq);
    const cur = this.cases.get(e.caseId);
    if (!cur || cur.version <= e.case.version) this.cases.set(e.caseId, e.case);
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  /** Resolves once `predicate` holds (checked after every change), or rejects after `timeoutMs`. */
  until(predicate: (m: CaseMirror) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this)) return false;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve();
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      if (!check()) this.listeners.push(listener);
    });
  }

  /** case id → version, for comparing with the server's view. */
  versions(): Record<string, number> {
    return Object.fromEntries([...this.cases].map(([id, c]) => [id, c.version]).sort());
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** What the server says `token` may see: case id → version (every page of GET /api/cases). */
export async function serverVersions(url: string, token: string): Promise<Record<string, number>> {
  const out: Array<[string, number]> = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: { items: CaseView[]; nextCursor: string | null } } = await call(
      url,
      token,
      'GET',
      `/api/cases?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (r.status !== 200) throw new Error(`GET /api/cases: ${r.status}`);
    for (const c of r.body.items) out.push([c.id, c.version]);
    cursor = r.body.nextCursor;
  } while (cursor);
  return Object.fromEntries(out.sort());
}

/** Every event after `after`, as `token` may see it over GET /api/events, page by page. */
export async function fetchEvents(url: string, token: string, after: number): Promise<CaseEventMessage[]> {
  const out: CaseEventMessage[] = [];
  for (let page = 0; page < 10_000; page++) {
    const r = await call<EventsPage>(url, token, 'GET', `/api/events?after=${after}&limit=1000`);
    if (r.status !== 200) throw new Error(`GET /api/events: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...r.body.events);
    after = r.body.lastSeq;
    if (!r.body.more) return out;
  }
  throw new Error('GET /api/events did not end within 10 000 pages');
}
