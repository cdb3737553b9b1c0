// The connection-state-recovery buffer on a real Socket.IO server and real clients: what a client
// missed during a short drop is replayed exactly (arguments, order) from the compact frames kept;
// the buffer stays within its byte cap, the oldest dropped first; a client whose place was dropped
// is not recovered (it resyncs over HTTP); team positions keep their place but are not replayed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../server/context';
import {
  compactRecoveryBuffer,
  limitRecoveryReplays,
  type RecoveryBufferStats,
} from '../../../server/realtime/recovery-buffer';

const quiet = { logger: { info: () => undefined } } as unknown as AppContext;

interface Rig {
  io: Server;
  url: string;
  stats: () => RecoveryBufferStats;
  close: () => Promise<void>;
}

async function rig(maxBytes: number): Promise<Rig> {
  const server = http.createServer();
  const io = new Server(server, {
    connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true },
  });
  const stats = compactRecoveryBuffer(io, {
    maxBytes,
    maxAgeMs: 60_000,
    skipEvents: new Set(['team:positions']),
  });
  limitRecoveryReplays(quiet, io, 0);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    io,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: stats!,
    close: async () => {
      io.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A client that records every `case:event` and `team:positions` it receives, in order. */
function client(url: string): { socket: ClientSocket; got: unknown[]; positions: unknown[] } {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  const got: unknown[] = [];
  const positions: unknown[] = [];
  socket.on('case:event', (e: unknown) => got.push(e));
  socket.on('team:positions', (p: unknown) => positions.push(p));
  return { socket, got, positions };
}

const once = (s: ClientSocket, event: string) =>
  new Promise<void>((resolve) => s.once(event, () => resolve()));

/** An event like the server's: a seq, a case with Chinese text (multi-byte), some nesting. */
const event = (seq: number) => ({
  seq,
  caseId: `case-${seq}`,
  type: 'created',
  case: { id: `case-${seq}`, description: `东城街道占道经营 ${seq} `.repeat(20), route: { cooperating: [] } },
});

describe('connection state recovery buffer', () => {
  let r: Rig | undefined;
  const sockets: ClientSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await r?.close();
    r = undefined;
  });

  it('replays exactly what a client missed during a short drop, from the frames kept', async () => {
    r = await rig(1024 * 1024);
    const c = client(r.url);
    sockets.push(c.socket);
    await once(c.socket, 'connect');
    r.io.emit('case:event', event(1));
    await expect.poll(() => c.got.length).toBe(1); // a first offset to come back from

    const down = once(c.socket, 'disconnect');
    c.socket.io.engine.close(); // a transport close: the session is kept for recovery
    await down;
    for (let seq = 2; seq <= 6; seq++) r.io.emit('case:event', event(seq));
    r.io.emit('team:positions', [{ teamId: 'T1', lng: 112.9, lat: 35.8 }]);
    r.io.emit('case:event', event(7));
    await once(c.socket, 'connect');

    expect(c.socket.recovered).toBe(true);
    await expect.poll(() => c.got.length).toBe(7);
    expect(c.got).toEqual([1, 2, 3, 4, 5, 6, 7].map(event));
    expect(c.positions).toEqual([]); // superseded by the next update; GET /api/teams has the latest
    // Kept as frames, not as the objects emitted.
    const kept = (r.io.of('/').adapter as unknown as { packets: Array<{ data: unknown }> }).packets;
    expect(kept.length).toBe(8);
    expect(kept.every((p) => p.data === null || Buffer.isBuffer(p.data) || typeof p.data === 'string')).toBe(
      true,
    );
    expect(kept.filter((p) => p.data === null)).toHaveLength(1);
    // Each kept frame owns its memory (not a slice of Node's shared 8 kB pool, which it would pin).
    for (const p of kept)
      if (Buffer.isBuffer(p.data)) expect(p.data.buffer.byteLength).toBe(p.data.byteLength);
  });

  it('replays binary events as they were sent, and keeps counting after Socket.IO sweeps it', async () => {
    r = await rig(1024 * 1024);
    const c = client(r.url);
    sockets.push(c.socket);
    const photos: unknown[] = [];
    c.socket.on('photo', (b: unknown) => photos.push(b));
    await once(c.socket, 'connect');
    r.io.emit('case:event', event(1));
    await expect.poll(() => c.got.length).toBe(1);
    const down = once(c.socket, 'disconnect');
    c.socket.io.engine.close();
    await down;
    r.io.emit('photo', Buffer.from([1, 2, 3, 250]));
    await once(c.socket, 'connect');
    expect(c.socket.recovered).toBe(true);
    await expect.poll(() => photos.length).toBe(1);
    expect([...new Uint8Array(photos[0] as ArrayBuffer)]).toEqual([1, 2, 3, 250]);

    // Socket.IO's own once-a-minute sweep empties the buffer behind our back: what comes next is
    // still kept and counted from what is left, not dropped against a stale count.
    const adapter = r.io.of('/').adapter as unknown as { packets: unknown[] };
    adapter.packets.splice(0, adapter.packets.length);
    r.io.emit('case:event', event(2));
    expect(r.stats().packets).toBe(1);
    expect(r.stats().bytes).toBeGreaterThan(Buffer.byteLength(JSON.stringify(event(2))));
  });

  it('stays within its byte cap, dropping the oldest; a client whose place was dropped is not recovered', async () => {
    const CAP = 40_000;
    r = await rig(CAP);
    const c = client(r.url);
    sockets.push(c.socket);
    await once(c.socket, 'connect');
    r.io.emit('case:event', event(1));
    await expect.poll(() => c.got.length).toBe(1);
    const down = once(c.socket, 'disconnect');
    c.socket.io.reconnection(false); // away until told
    c.socket.io.engine.close();
    await down;

    const size = Buffer.byteLength(JSON.stringify(event(100)));
    for (let seq = 2; seq <= 200; seq++) r.io.emit('case:event', event(seq));
    const { bytes, packets } = r.stats();
    expect(bytes).toBeLessThanOrEqual(CAP);
    expect(bytes).toBeGreaterThan(CAP - 2 * size);
    expect(packets).toBeLessThan(199);

    c.socket.io.reconnection(true);
    c.socket.connect();
    await once(c.socket, 'connect');
    expect(c.socket.recovered).toBe(false); // it resyncs over HTTP from its cursor instead
    expect(c.got).toHaveLength(1);

    // A client that drops now, within what is kept, is recovered again.
    r.io.emit('case:event', event(201));
    await expect.poll(() => c.got.length).toBe(2);
    const again = once(c.socket, 'disconnect');
    c.socket.io.engine.close();
    await again;
    r.io.emit('case:event', event(202));
    await once(c.socket, 'connect');
    expect(c.socket.recovered).toBe(true);
    await expect.poll(() => c.got.length).toBe(3);
    expect(c.got.at(-1)).toEqual(event(202));
  });
});
