// A client that stops reading (its WebSocket paused: the TCP receive window fills) while the county
// keeps working. The server must not queue frames for it without bound: past SOCKET_MAX_BUFFER_MB it
// disconnects the client (no frame is dropped from a connection that stays open, and no session is
// kept for state recovery, which would replay the same backlog into the same queue). Once the client
// reads again it reconnects and resyncs over HTTP to exactly the server's state.
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedBytes, type EngineConnection } from '../../../server/realtime/socket';
import { tokenFor } from '../../support/auth';
import { CaseMirror, serverVersions } from '../../support/case-mirror';
import { clueAt, pointIn, report } from '../../support/cases';
import { startTestServer, type TestServer } from '../../support/server';

const LIMIT_MB = 0.25;
const LIMIT = LIMIT_MB * 1024 * 1024;
const TOWNSHIPS = ['140581002', '140581101'];
/** A long description (Chinese: 3 bytes a character), so that each event is some 6–7 kB. */
const LONG = '路边占道经营，水果摊占用人行道，'.repeat(120).slice(0, 1900);

describe('a client that stops reading', () => {
  let server: TestServer;
  let commander: string;
  let n = 0;
  const mirrors: CaseMirror[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_MAX_BUFFER_MB: String(LIMIT_MB) } });
    commander = await tokenFor(server, 'commander1', 'commander');
  });
  afterAll(async () => {
    for (const m of mirrors) m.close();
    await server?.close();
  });

  async function clues(count: number): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const i = n++;
        const township = TOWNSHIPS[i % TOWNSHIPS.length]!;
        const r = await report(
          server,
          commander,
          clueAt(pointIn(server.handle.ctx.geo, township, i % 20), { description: `${i} ${LONG}` }),
        );
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      }),
    );
  }

  it('is disconnected once its queue passes the limit, and resyncs to the server state after', async () => {
    const io = server.handle.io;
    const serverReasons: string[] = [];
    let slowSid = '';
    // What the server held for the slow client when it cut it off (the 10 ms sampler below can miss
    // the last burst: a batch of clues and the server's check may run between two of its ticks).
    let queuedAtCut = 0;
    io.on('connection', (s) =>
      s.on('disconnect', (reason) => {
        serverReasons.push(reason);
        if (s.id === slowSid) queuedAtCut = queuedBytes(s.conn as unknown as EngineConnection);
      }),
    );
    const fast = new CaseMirror(server.url, commander); // reads everything: never cut off
    const slow = new CaseMirror(server.url, commander);
    mirrors.push(fast, slow);
    await Promise.all([fast, slow].map((m) => m.until((x) => x.resyncs === 1, 'first resync')));
    await clues(4);
    await slow.until((x) => x.applied.length >= 8, 'live events before the pause');

    // Stop reading: the client's WebSocket stops taking bytes from its TCP socket.
    const ws = (slow.socket.io.engine.transport as unknown as { ws: WebSocket }).ws;
    ws.pause();
    slowSid = slow.socket.id ?? '';
    const serverSocket = () => [...io.of('/').sockets.values()].find((s) => s.id === slowSid);
    let peak = 0;
    const sampler = setInterval(() => {
      const s = serverSocket();
      if (s) peak = Math.max(peak, queuedBytes(s.conn as unknown as EngineConnection));
    }, 10);
    let produced = 0;
    try {
      // The county keeps working until the server cuts the slow client off (kernel buffers on
      // loopback take the first few hundred kB to a few MB), then a little more while it is away.
      for (let round = 0; round < 100 && serverSocket(); round++) {
        await clues(20);
        produced += 20;
      }
      expect(serverSocket(), `still connected after ${produced} clues`).toBeUndefined();
      await clues(20);
      produced += 20;
    } finally {
      clearInterval(sampler);
    }
    // Cut off by the server as a slow client, with nothing kept for state recovery.
    expect(serverReasons).toContain('server namespace disconnect');
    // What the server held for it stayed near the limit (one check period of events past it), far
    // below what was produced meanwhile (some 13 kB a clue, two events).
    expect(queuedAtCut).toBeGreaterThan(LIMIT);
    peak = Math.max(peak, queuedAtCut);
    expect(peak).toBeLessThan(LIMIT + 2 * 1024 * 1024);
    expect(produced * 13_000).toBeGreaterThan(peak * 2);

    // It reads again: it finds the connection gone, reconnects, and resyncs over HTTP.
    ws.resume();
    await slow.until((x) => x.resyncs >= 2, 'reconnected and resynced', 20_000);
    expect(slow.socket.recovered).toBe(false);
    const want = await serverVersions(server.url, commander);
    await slow.until(
      (x) => JSON.stringify(x.versions()) === JSON.stringify(want),
      'the slow client has the server state',
      10_000,
    );
    await fast.until(
      (x) => JSON.stringify(x.versions()) === JSON.stringify(want),
      'the fast client has the server state',
      10_000,
    );
    // The county sees every event: the slow client has applied each seq once, none missing.
    const head = Math.max(...fast.applied);
    expect([...slow.applied].sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(slow.lastSeq).toBe(head);
    // The fast client was never cut off.
    expect(fast.disconnects).toEqual([]);
    expect(fast.resyncs).toBe(1);
  });

  it('is not replayed a long absence by state recovery: it resyncs over HTTP instead', async () => {
    const m = new CaseMirror(server.url, commander);
    mirrors.push(m);
    await m.until((x) => x.resyncs === 1, 'first resync');
    await clues(2);
    await m.until((x) => x.applied.length >= 4, 'a live event (a recovery offset)');
    const down = new Promise<void>((resolve) => m.socket.once('disconnect', () => resolve()));
    m.socket.io.reconnection(false); // it stays away until told
    m.socket.io.engine.close(); // a transport close: the session is kept for recovery
    await down;
    await clues(30); // some 400 kB missed, more than half the limit
    m.socket.io.reconnection(true);
    m.socket.connect();
    await m.until((x) => x.resyncs === 2, 'reconnected and resynced', 20_000);
    expect(m.socket.recovered).toBe(false);
    const want = await serverVersions(server.url, commander);
    await m.until((x) => JSON.stringify(x.versions()) === JSON.stringify(want), 'the server state', 10_000);
    expect(new Set(m.applied).size).toBe(m.applied.length);

    // A short absence is still recovered as before.
    const again = new Promise<void>((resolve) => m.socket.once('disconnect', () => resolve()));
    m.socket.io.reconnection(false);
    m.socket.io.engine.close();
    await again;
    await clues(2);
    m.socket.io.reconnection(true);
    m.socket.connect();
    await m.until((x) => x.resyncs === 3, 'reconnected and resynced', 20_000);
    expect(m.socket.recovered).toBe(true);
  });
});
