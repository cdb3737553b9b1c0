// One worker thread of benchmark clients: opens its share of the Socket.IO connections, stamps the
// arrival of every `case:event` with the shared monotonic clock, and hands the stamps back when
// asked. The main thread decides what each client should have received.
import { parentPort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import { rawCaseEventParser, seqOfRaw } from './light-parser';
import { nowMs } from './timing';

export interface ClientSpec {
  /** Index of the client in the whole benchmark. */
  id: number;
  /** The handshake's `auth`: `{token}` for our server, `{rooms}` for the floor. */
  auth: Record<string, unknown>;
}

export type ToWorker =
  | { cmd: 'connect'; url: string; clients: ClientSpec[]; rawEvents: boolean; timeoutMs: number }
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

let sockets: Array<{ id: number; socket: Socket; stamps: Stamps }> = [];
let received = 0;
let disconnects = 0;
/** Why connections dropped (socket.io-client's reason, "recovered" for each resumed session). */
let reasons: Record<string, number> = {};
let expected = Infinity;
let collecting = false;

const ticker = setInterval(() => send({ cmd: 'progress', received, disconnects, reasons }), 1000);
ticker.unref();

function onEvent(stamps: Stamps, arg: unknown): void {
  const t = nowMs();
  const seq = typeof arg === 'string' ? seqOfRaw(arg) : (arg as { seq: number }).seq;
  stamps.push(seq, t);
  if (++received === expected) send({ cmd: 'drained', received });
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
      const stamps = new Stamps();
      const socket = io(m.url, {
        auth: spec.auth,
        transports: ['websocket'],
        // As the dashboard does: a dropped connection comes back and, within the server's
        // recovery window, is replayed what it missed (connection state recovery).
        reconnectionDelay: 500,
        reconnectionDelayMax: 2000,
        forceNew: true,
        timeout: m.timeoutMs,
        ...(m.rawEvents ? { parser: rawCaseEventParser } : {}),
      });
      socket.on('case:event', (arg: unknown) => onEvent(stamps, arg));
      socket.on('disconnect', (reason) => {
        if (collecting) return;
        disconnects++;
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      });
      socket.on('connect', () => {
        if (socket.recovered) reasons.recovered = (reasons.recovered ?? 0) + 1;
      });
      sockets.push({ id: spec.id, socket, stamps });
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
