// A graceful stop (SIGTERM: a deploy, a supervisor's restart) answers what it has begun. Before, it
// destroyed every connection at once, busy ones too: a clue stored a moment before got no answer,
// and its sender, told the request failed, sent it again — a duplicate case for any sender without
// a `clientId`. Now the server stops listening, closes the connections that wait for nothing, lets
// the requests being handled finish (the last answer of each connection says `Connection: close`
// where not yet begun), closes each connection once its answers are out, and only cuts what is
// still busy after `graceMs`. A request is either answered or never handled: one the sender had not
// finished sending on a connection closed meanwhile was not read, and one that arrives behind an
// answer already sent as the connection's last is not handed to the app (`doomed`), so neither is
// stored, and either is safe to send again. The WebSockets are Socket.IO's to close; any still open
// a moment after (a browser that does not answer the close: `ws` waits 30 s) are cut (`cutRest`).
import type http from 'node:http';
import type { Socket } from 'node:net';

export interface Drain {
  /** Requests being handled now. */
  inFlight(): number;
  /** True for a request the app must not handle: its connection closes before it could be answered. */
  doomed(req: http.IncomingMessage): boolean;
  /**
   * From now on the last answer of each connection closes it; connections without a request are
   * closed, and the rest as their last request is answered. Resolves once none is busy, or after
   * `graceMs` with the busy ones cut (how many of each).
   */
  drain(graceMs: number): Promise<{ answered: number; cut: number }>;
  /** Cuts every connection still open, WebSockets included. */
  cutRest(): void;
}

export function trackRequests(server: http.Server): Drain {
  /** Every open connection, with the answers it owes, in order (more than one when pipelined). */
  const owed = new Map<Socket, http.ServerResponse[]>();
  /** Connections taken over by a WebSocket: Socket.IO closes those itself. */
  const upgraded = new Set<Socket>();
  let closing = false;
  let answered = 0;
  let settled: (() => void) | null = null;
  const total = (): number => {
    let n = 0;
    for (const list of owed.values()) n += list.length;
    return n;
  };
  /** Only the last answer a connection owes closes it: one before would drop those behind it. */
  const closeAfterLast = (list: http.ServerResponse[]): void => {
    list.forEach((res, i) => {
      if (res.headersSent) return;
      if (i === list.length - 1) res.setHeader('Connection', 'close');
      else res.removeHeader('Connection');
    });
  };
  const check = (): void => {
    if (settled && total() === 0) settled();
  };

  server.on('connection', (s: Socket) => {
    owed.set(s, []);
    s.once('close', () => {
      owed.delete(s);
      upgraded.delete(s);
      check();
    });
  });
  server.on('upgrade', (_req: http.IncomingMessage, s: Socket) => upgraded.add(s));
  // Before the app's own listener, so that the header is set before any answer is written.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const s = req.socket;
    const list = owed.get(s) ?? [];
    owed.set(s, list);
    list.push(res);
    if (closing) closeAfterLast(list);
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      const left = owed.get(s);
      if (!left) return; // closed meanwhile
      left.splice(left.indexOf(res), 1);
      // The answer was handed to the system ('finish'), which sends it whole; nothing more is read.
      if (closing && left.length === 0 && !upgraded.has(s)) s.destroy();
      check();
    };
    // 'finish' (the answer sent) comes before 'close'; a 'close' alone is a connection cut.
    res.once('finish', () => {
      if (closing && !done) answered++;
      finished();
    });
    res.once('close', finished);
  });

  return {
    inFlight: total,
    doomed(req) {
      if (!closing) return false;
      const list = owed.get(req.socket) ?? [];
      // An answer before it already went out as the connection's last.
      return list.some((res) => res.headersSent && /close/i.test(String(res.getHeader('Connection') ?? '')));
    },
    drain(graceMs) {
      closing = true;
      answered = 0;
      for (const [s, list] of owed) {
        if (list.length) closeAfterLast(list);
        else if (!upgraded.has(s)) s.destroy();
      }
      return new Promise((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          settled = null;
          let cut = 0;
          for (const [s, list] of owed) {
            cut += list.length;
            if (!upgraded.has(s)) s.destroy();
          }
          resolve({ answered, cut });
        };
        const timer = setTimeout(finish, graceMs);
        timer.unref();
        settled = finish;
        check();
      });
    },
    cutRest() {
      for (const s of owed.keys()) s.destroy();
    },
  };
}
