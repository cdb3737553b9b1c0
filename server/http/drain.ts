// A graceful stop (SIGTERM: a deploy, a supervisor's restart) answers what it has begun. Before, it
// destroyed every connection at once, busy ones too: a clue stored a moment before got no answer,
// and its sender, told the request failed, sent it again — a duplicate case for any sender without
// a `clientId`. Now the server stops listening, closes the connections that wait for nothing, lets
// the requests being handled finish (their answers say `Connection: close` where not yet begun),
// closes each connection once its answer is out, and only cuts what is still busy after `graceMs`.
// A request is either answered or never read: one the sender had not finished sending on a
// connection closed meanwhile was not read, so not stored, and is safe to send again.
import type http from 'node:http';
import type { Socket } from 'node:net';

export interface Drain {
  /** Requests being handled now. */
  inFlight(): number;
  /**
   * From now on every answer closes its connection; connections without a request are closed, and
   * the rest as their last request is answered. Resolves once none is busy, or after `graceMs` with
   * the busy ones cut (how many of each).
   */
  drain(graceMs: number): Promise<{ answered: number; cut: number }>;
}

export function trackRequests(server: http.Server): Drain {
  /** Every open connection, with how many of its requests are being handled (HTTP/1.1: 0 or 1). */
  const busy = new Map<Socket, number>();
  /** Connections taken over by a WebSocket: Socket.IO closes those itself. */
  const upgraded = new WeakSet<Socket>();
  let closing = false;
  let answered = 0;
  let settled: (() => void) | null = null;
  const total = (): number => {
    let n = 0;
    for (const v of busy.values()) n += v;
    return n;
  };
  /** The answers being written, to say `Connection: close` on those not begun when the stop comes. */
  const answers = new Set<http.ServerResponse>();
  const idle = (s: Socket): void => {
    if (!closing) return;
    // The answer was handed to the system ('finish'), which sends it whole; nothing more is read.
    if (!upgraded.has(s)) s.destroy();
    if (settled && total() === 0) settled();
  };

  server.on('connection', (s: Socket) => {
    busy.set(s, 0);
    s.once('close', () => {
      const was = busy.get(s) ?? 0;
      busy.delete(s);
      if (was > 0 && settled && total() === 0) settled();
    });
  });
  server.on('upgrade', (_req: http.IncomingMessage, s: Socket) => upgraded.add(s));
  // Before the app's own listener, so that the header is set before any answer is written.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const s = req.socket;
    busy.set(s, (busy.get(s) ?? 0) + 1);
    if (closing) res.setHeader('Connection', 'close');
    answers.add(res);
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      answers.delete(res);
      if (closing) answered++;
      if (!busy.has(s)) return; // closed meanwhile
      const left = busy.get(s)! - 1;
      busy.set(s, left);
      if (left === 0) idle(s);
    };
    res.once('finish', finished);
    res.once('close', finished);
  });

  return {
    inFlight: total,
    drain(graceMs) {
      closing = true;
      answered = 0;
      for (const res of answers) if (!res.headersSent) res.setHeader('Connection', 'close');
      for (const [s, n] of busy) if (n === 0 && !upgraded.has(s)) s.destroy();
      return new Promise((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          settled = null;
          let cut = 0;
          for (const [s, n] of busy) {
            cut += n;
            if (!upgraded.has(s)) s.destroy();
          }
          resolve({ answered, cut });
        };
        const timer = setTimeout(finish, graceMs);
        timer.unref();
        settled = finish;
        if (total() === 0) finish();
      });
    },
  };
}
