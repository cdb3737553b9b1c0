// One worker thread of benchmark clients: opens its share of the Socket.IO connections, stamps the
// arrival of every case event (`case:events` packets) with the shared monotonic clock, and hands the stamps back when
// asked. The main thread decides what each client should have received.
//
// Against our server the clients follow the protocol as the dashboard does: on every reconnect
// they fetch what they missed over HTTP (GET /api/events?after=<resume cursor>, page by page) while
// live events wait, then apply those; each seq is applied (stamped) once. The resume cursor is the
// dashboard's own (client/src/lib/event-sync.ts). A client the server disconnects (a slow client
// past SOCKET_MAX_BUFFER_MB) comes back after a second, as the dashboard does. An event that
// arrives by HTTP is stamped when its page arrives; one that waited for the resync, when the
// resync ends: when the dashboard would show it.
import { parentPort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import { SeqCursor } from '../../../client/src/lib/event-sync';
import { rawCaseEventParser, seqsOfRaw } from './light-parser';
import { nowMs } from './timing';

export interface ClientSpec {
  /** Index of the client in the whole benchmark. */
  id: number;
  /** The handshake's `auth`: `{token}` for our server, `{rooms}` for the floor. */
  auth: Record<string, unknown>;
}

export type ToWorker =
  | {
      cmd: 'connect';
      url: string;
      clients: ClientSpec[];
      rawEvents: boolean;
      timeoutMs: number;
      /** Resync over HTTP on reconnect with the handshake's token (our server; not the floor). */
      resync: boolean;
    }
  | { cmd: 'expect'; total: number }
  | { cmd: 'collect' };

export type FromWorker =
  | { cmd: 'connected'; count: number; ms: number }
  | { cmd: 'progress'; received: number; disconnects: number; reasons: Record<string, number> }
  | { cmd: 'drained'; received: number }
  | {
      cmd: 'receipts';
      clients: Array<{ id: number; stamps: Float64Array }>;
      disconnects: number;
      reasons: Record<string, number>;
    }
  | { cmd: 'error'; message: string };

/** Arrival stamps of one client: [seq, ms, seq, ms, …], grown by doubling. */
class Stamps {
  buf = new Float64Array(8192);
  n = 0;
  push(seq: number, t: number): void {
    if (this.n + 2 > this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = seq;
    this.buf[this.n++] = t;
  }
  take(): Float64Array {
    return this.buf.slice(0, this.n);
  }
}

const port = parentPort!;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

interface BenchSocket {
  id: number;
  socket: Socket;
  stamps: Stamps;
  seqs: SeqCursor;
  /** Live seqs waiting for the running resync (null: none running). */
  buffer: number[] | null;
  connects: number;
}

/** Events per GET /api/events page, as the dashboard asks (client/src/stores/cases.ts). */
const EVENTS_PAGE = 1000;
/** The dashboard reconnects this long after a server-side disconnect (client/src/stores/connection.ts). */
const SERVER_DISCONNECT_RETRY_MS = 1000;

let sockets: BenchSocket[] = [];
let received = 0;
let disconnects = 0;
/** Why connections dropped (socket.io-client's reason, "recovered" for each resumed session). */
let reasons: Record<string, number> = {};
let expected = Infinity;
let collecting = false;

const ticker = setInterval(() => send({ cmd: 'progress', received, disconnects, reasons }), 1000);
ticker.unref();

const count = (reason: string, n = 1) => (reasons[reason] = (reasons[reason] ?? 0) + n);

function stamp(s: BenchSocket, seq: number, t: number): void {
  if (!s.seqs.add(seq)) return void count('repeats dropped');
  s.stamps.push(seq, t);
  if (++received === expected) send({ cmd: 'drained', received });
}

function onEvents(s: BenchSocket, arg: unknown): void {
  const t = nowMs();
  const seqs = typeof arg === 'string' ? seqsOfRaw(arg) : (arg as Array<{ seq: number }>).map((e) => e.seq);
  if (s.buffer) s.buffer.push(...seqs);
  else for (const seq of seqs) stamp(s, seq, t);
}

interface EventsPageBody {
  events: Array<{ seq: number }>;
  lastSeq: number;
  more: boolean;
  head: number;
}

/**
 * GET /api/events. With `raw`, the page is read the way live events are (support/light-parser.ts):
 * the seqs taken from the text (`"seq":` occurs once per event and nowhere else), the cursor fields
 * from its end, because these clients share the machine with the server they measure.
 */
async function eventsPage(
  url: string,
  token: string,
  after: number,
  limit: number,
  raw = false,
): Promise<EventsPageBody> {
  const res = await fetch(`${url}/api/events?after=${after}&limit=${limit}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`GET /api/events: ${res.status}`);
  const text = await res.text();
  if (!raw) return JSON.parse(text) as EventsPageBody;
  const events = seqsOfRaw(text).map((seq) => ({ seq }));
  const tail = /"lastSeq":(\d+),"more":(true|false),"head":(\d+)\}$/.exec(text.slice(-120));
  if (!tail) return JSON.parse(text) as EventsPageBody;
  return { events, lastSeq: Number(tail[1]), more: tail[2] === 'true', head: Number(tail[3]) };
}

/** What the dashboard does on a reconnect: the missed events over HTTP, then the live ones that waited. */
async function resync(s: BenchSocket, url: string, token: string, raw: boolean): Promise<void> {
  s.buffer ??= [];
  count('http resyncs');
  try {
    for (;;) {
      const after = s.seqs.cursor;
      const page = await eventsPage(url, token, after, EVENTS_PAGE, raw);
      const t = nowMs();
      for (const e of page.events) stamp(s, e.seq, t);
      count('events by http', page.events.length);
      s.seqs.coverTo(page.lastSeq);
      if (!page.more || page.lastSeq <= after) break;
    }
  } catch {
    count('failed resyncs'); // the next connect tries again from the same cursor
  } finally {
    if (s.socket.connected && !collecting) {
      const t = nowMs();
      const waiting = s.buffer ?? [];
      s.buffer = null;
      for (const seq of waiting) stamp(s, seq, t);
    }
  }
}

async function connectAll(m: Extract<ToWorker, { cmd: 'connect' }>): Promise<void> {
  const t0 = nowMs();
  received = 0;
  disconnects = 0;
  reasons = {};
  expected = Infinity;
  collecting = false;
  // A few dozen handshakes at a time: the server verifies a token per connection.
  const queue = [...m.clients];
  const open = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      const token = typeof spec.auth.token === 'string' ? spec.auth.token : null;
      // Where the dashboard starts following: the head before it connects.
      const start = m.resync && token ? (await eventsPage(m.url, token, 0, 1)).head : 0;
      const socket = io(m.url, {
        auth: spec.auth,
        transports: ['websocket'],
        // As the dashboard does: a dropped connection comes back and, within the server's
        // recovery window, is replayed what it missed (connection state recovery); then it
        // resyncs over HTTP all the same.
        reconnectionDelay: 500,
        reconnectionDelayMax: 2000,
        forceNew: true,
        timeout: m.timeoutMs,
        ...(m.rawEvents ? { parser: rawCaseEventParser } : {}),
      });
      const s: BenchSocket = {
        id: spec.id,
        socket,
        stamps: new Stamps(),
        seqs: new SeqCursor(start),
        buffer: null,
        connects: 0,
      };
      socket.on('case:events', (arg: unknown) => onEvents(s, arg));
      socket.on('disconnect', (reason) => {
        if (collecting) return;
        disconnects++;
        count(reason);
        if (!m.resync) return;
        s.buffer = []; // live events of the next connection wait for its resync
        if (reason === 'io server disconnect')
          setTimeout(() => !collecting && socket.connect(), SERVER_DISCONNECT_RETRY_MS);
      });
      socket.on('connect', () => {
        if (socket.recovered) count('recovered');
        if (s.connects++ > 0 && m.resync && token && !collecting) void resync(s, m.url, token, m.rawEvents);
      });
      socket.io.on('reconnect_error', () => !collecting && count('failed reconnects'));
      sockets.push(s);
      // Rooms are joined before `hello` is sent: from then on, nothing for this client is missed.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`client ${spec.id}: no hello in ${m.timeoutMs} ms`)),
          m.timeoutMs,
        );
        socket.once('hello', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once('connect_error', (err) => {
          clearTimeout(timer);
          reject(new Error(`client ${spec.id}: ${err.message}`));
        });
      });
    }
  };
  await Promise.all(Array.from({ length: 25 }, open));
  send({ cmd: 'connected', count: sockets.length, ms: nowMs() - t0 });
}

port.on('message', (m: ToWorker) => {
  if (m.cmd === 'connect') {
    connectAll(m).catch((err: Error) => send({ cmd: 'error', message: err.message }));
  } else if (m.cmd === 'expect') {
    expected = m.total;
    if (received >= expected) send({ cmd: 'drained', received });
  } else if (m.cmd === 'collect') {
    collecting = true;
    const clients = sockets.map((s) => ({ id: s.id, stamps: s.stamps.take() }));
    for (const s of sockets) {
      s.socket.io.reconnection(false);
      s.socket.disconnect();
    }
    sockets = [];
    send(
      { cmd: 'receipts', clients, disconnects, reasons },
      clients.map((c) => c.stamps.buffer as ArrayBuffer),
    );
  }
});
