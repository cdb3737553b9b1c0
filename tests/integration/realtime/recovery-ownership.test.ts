// Connection state recovery gives a dropped session back only to the account it was kept for, in
// the scope that account has now: a handshake naming another account's session id (`auth.pid`), or
// one with a bad token, got that session's missed case events and its rooms.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { login, tokenFor, TEST_PASSWORD } from '../../support/auth';
import { connectSocket, waitConnected, waitFor, type ClientSocket } from '../../support/socket';

/** What socket.io-client keeps to ask for its session back (private fields of its Socket). */
interface Recoverable {
  _pid?: string;
  _lastOffset?: string;
}

describe('connection state recovery: only the account the session was kept for', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const open = (token: string, recover?: { pid: string; offset: string }) => {
    const s = connectSocket(server.url, token);
    if (recover) s.auth = { token, ...recover };
    sockets.push(s);
    return s;
  };
  /** A case event to a room, as the server broadcasts them (kept for recovery). */
  const emitTo = (room: string, description: string) =>
    server.handle.io.to(room).emit('case:events', [{ seq: 1, case: { description } } as never]);
  const heard = (s: ClientSocket) => {
    const got: string[] = [];
    s.on('case:events', (evs) => got.push(...evs.map((e) => e.case.description)));
    return got;
  };

  /** A township socket that heard one event, then dropped (transport close: its session is kept). */
  async function dropped(token: string, room: string): Promise<{ pid: string; offset: string }> {
    const s = open(token);
    const got = heard(s);
    await waitFor(s, 'hello');
    emitTo(room, 'before the drop');
    await expect.poll(() => got).toEqual(['before the drop']);
    const { _pid: pid, _lastOffset: offset } = s as unknown as Recoverable;
    const down = new Promise((resolve) => s.once('disconnect', resolve));
    s.io.engine.close();
    await down;
    emitTo(room, 'missed while away');
    return { pid: pid!, offset: offset! };
  }

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
  });

  it('gives a dropped session back to its own account, with what it missed', async () => {
    const t = await tokenFor(server, 'bc-own', 'township', { kind: 'township', code: '140581001' });
    const kept = await dropped(t, 'township:140581001');
    const back = open(t, kept);
    const got = heard(back);
    await waitConnected(back);
    await expect.poll(() => got).toEqual(['missed while away']);
    emitTo('township:140581001', 'after coming back');
    await expect.poll(() => got).toEqual(['missed while away', 'after coming back']);
  });

  it('gives a session back once: of two handshakes naming it together, and of one while it is back, the other is new, and each hears', async () => {
    const t = await tokenFor(server, 'bc-twice', 'township', { kind: 'township', code: '140581001' });
    const kept = await dropped(t, 'township:140581001');
    const a = open(t, kept);
    const b = open(t, kept);
    const [ga, gb] = [heard(a), heard(b)];
    await Promise.all([waitConnected(a), waitConnected(b)]);
    // The one given the session hears what it missed; the other starts afresh (it reads over HTTP).
    await expect.poll(() => [...ga, ...gb]).toEqual(['missed while away']);
    expect(a.id).not.toBe(b.id);
    const c = open(t, kept); // later, while the one given it is connected
    const gc = heard(c);
    await waitConnected(c);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    // None is deaf: before, two sockets of one id, and the namespace kept only one of them.
    emitTo('township:140581001', 'to all three');
    for (const g of [ga, gb, gc]) await expect.poll(() => g.at(-1)).toBe('to all three');
    expect(gc).toEqual(['to all three']);
  });

  it("does not give another account's session to a handshake naming it", async () => {
    const mine = await tokenFor(server, 'bc-a', 'township', { kind: 'township', code: '140581001' });
    const theirs = await tokenFor(server, 'nc-b', 'township', { kind: 'township', code: '140581003' });
    const kept = await dropped(mine, 'township:140581001');
    const other = open(theirs, kept);
    const got = heard(other);
    const hello = await waitFor(other, 'hello');
    expect(hello.rooms).toEqual(['township:140581003']);
    emitTo('township:140581001', 'later, for Bei Cheng');
    emitTo('township:140581003', 'later, for Nan Cheng');
    await expect.poll(() => got).toEqual(['later, for Nan Cheng']);
  });

  it('writes nothing of a kept session to a handshake with a bad token', async () => {
    const mine = await tokenFor(server, 'bc-c', 'township', { kind: 'township', code: '140581001' });
    const kept = await dropped(mine, 'township:140581001');
    const frames: string[] = [];
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    ws.on('message', (m: Buffer) => {
      const frame = m.toString();
      frames.push(frame);
      if (frame.startsWith('0')) ws.send(`40${JSON.stringify({ token: 'not-a-token', ...kept })}`);
    });
    try {
      await expect.poll(() => frames.some((f) => f.startsWith('44'))).toBe(true); // CONNECT_ERROR
      expect(frames.join('\n')).not.toContain('missed while away');
    } finally {
      ws.close();
    }
  });

  it('does not give back the rooms of a scope the account no longer has', async () => {
    const before = await tokenFor(server, 'moved', 'township', { kind: 'township', code: '140581001' });
    const kept = await dropped(before, 'township:140581001');
    await server.handle.ctx.users.update('moved', { scope: { kind: 'township', code: '140581002' } });
    const { token: after } = await login(server.url, 'moved', TEST_PASSWORD);
    const back = open(after, kept);
    const got = heard(back);
    const hello = await waitFor(back, 'hello');
    expect(hello.rooms).toEqual(['township:140581002']);
    emitTo('township:140581001', 'for the old scope');
    emitTo('township:140581002', 'for the new scope');
    await expect.poll(() => got).toEqual(['for the new scope']);
  });
});
