// Packets to a room nobody can hear are not sent (nor encoded, nor kept for recovery), on a real
// Socket.IO server with real clients: a room is heard while a connection is in it, and also while a
// dropped client's session is kept for recovery, so a client coming back still gets what it missed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { unheardRooms, type IoServer } from '../../../server/realtime/socket';

const servers: Array<() => Promise<void>> = [];
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const close of servers.splice(0)) await close();
});

async function rig(recovery: boolean): Promise<{ io: Server; url: string }> {
  const server = http.createServer();
  const io = new Server(server, {
    ...(recovery
      ? { connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true } }
      : {}),
  });
  io.on('connection', (s) => {
    if (!s.recovered) void s.join('county');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(async () => {
    io.close();
    await new Promise((resolve) => server.close(resolve));
  });
  return { io, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function client(url: string): ClientSocket {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  sockets.push(socket);
  return socket;
}

const once = (s: ClientSocket, event: string) =>
  new Promise<void>((resolve) => s.once(event, () => resolve()));

describe('rooms nobody can hear', () => {
  it('a room is unheard with nobody in it, heard with a client in it or a session kept for it', async () => {
    const { io, url } = await rig(true);
    const unheard = unheardRooms(io as unknown as IoServer);
    expect(unheard('county')).toBe(true);

    const c = client(url);
    await once(c, 'connect');
    await expect.poll(() => unheard('county')).toBe(false);
    expect(unheard('township:140581002')).toBe(true); // no one there

    const got: number[] = [];
    c.on('n', (n: number) => got.push(n));
    io.to('county').emit('n', 1);
    await expect.poll(() => got).toEqual([1]);

    // A transport close keeps the session: the room stays heard, and what is sent to it meanwhile
    // is replayed when the client comes back.
    const down = once(c, 'disconnect');
    c.io.engine.close();
    await down;
    expect(unheard('county')).toBe(false);
    if (!unheard('county')) io.to('county').emit('n', 2);
    await once(c, 'connect');
    expect(c.recovered).toBe(true);
    await expect.poll(() => got).toEqual([1, 2]);
  });

  it('without connection state recovery every room counts as heard', async () => {
    const { io, url } = await rig(false);
    const unheard = unheardRooms(io as unknown as IoServer);
    // The plain adapter keeps no sessions and no packets: the check cannot tell, so every room is
    // treated as heard (the same holds for the Redis adapter, whose rooms span processes).
    expect(unheard('county')).toBe(false);
    const c = client(url);
    await once(c, 'connect');
    expect(unheard('county')).toBe(false);
  });
});
