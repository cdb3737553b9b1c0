// A graceful stop (SIGTERM: a deploy, a supervisor's restart) answers what it has begun. It used to
// cut every connection at once: a clue stored a moment before got no answer, and a sender that
// sends again without a clientId made a second case of it.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { clueAt, pointIn } from '../../support/cases';
import { trackRequests } from '../../../server/http/drain';

const DONGCHENG = '140581002';

/** An HTTP/1.1 exchange on a raw socket: everything the server wrote until it closed the connection. */
function rawClient(port: number) {
  const sock = net.connect(port, '127.0.0.1');
  let reply = '';
  sock.setEncoding('utf8');
  sock.on('data', (d: string) => (reply += d));
  // Cut by the server: a reset is how it may end, not a failure of the test.
  sock.on('error', () => undefined);
  const closed = new Promise((resolve) => sock.once('close', resolve));
  return {
    connected: once(sock, 'connect'),
    write: (text: string) => sock.write(text),
    /** The answers, once the server has closed the connection. */
    async replies(): Promise<string> {
      await closed;
      return reply;
    },
  };
}

describe.each(ENGINES)('a graceful stop on %s', (engine) => {
  let database: TestDatabase | undefined;
  let servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers) await s.close();
    servers = [];
    await database?.destroy();
    database = undefined;
  });

  it('answers the clue whose request began before the stop, stored once, and closes the idle connections', async () => {
    database = await createTestDatabase(engine);
    const server = await startTestServer({ database });
    servers.push(server);
    const token = await tokenFor(server, 'stop-commander', 'commander');
    const clue = (i: number) =>
      JSON.stringify({ ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, i)), clientId: `stop-${i}` });
    const head = (body: string) =>
      `POST /api/clues HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

    // A sender with a kept-alive connection has sent a clue's head and part of its body…
    const sender = rawClient(server.port);
    await sender.connected;
    const first = clue(1);
    sender.write(head(first) + first.slice(0, 30));
    await vi.waitFor(() => expect(server.handle.requestsInFlight()).toBe(1));
    // …and an idle kept-alive connection waits for nothing.
    const idle = rawClient(server.port);
    await idle.connected;

    // The server is told to stop: it listens no more.
    const stopped = server.handle.close();
    await expect(
      new Promise((resolve, reject) => {
        const s = net.connect(server.port, '127.0.0.1', () => resolve('connected'));
        s.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await idle.replies()).toBe(''); // closed without a word
    // The rest of the body arrives: the clue is answered, and the connection closed after it.
    sender.write(first.slice(30));
    await stopped;
    const replies = await sender.replies();
    expect(replies.match(/^HTTP\/1\.1 \d+/gm)).toEqual(['HTTP/1.1 201']);
    expect(replies).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(replies.slice(replies.indexOf('\r\n\r\n') + 4)).case.description).toBe(
      JSON.parse(first).description,
    );

    // Started again on the same data: each clue is there once (the same clientId finds it, 200).
    await server.store.close();
    servers = [];
    const again = await startTestServer({ database });
    servers.push(again);
    const r = await call(again.url, token, 'POST', '/api/clues', JSON.parse(first));
    expect(r.status).toBe(200);
  });
});

/** A plain HTTP server with its requests tracked, listening on a free port of 127.0.0.1. */
async function tracked(handler?: http.RequestListener) {
  const server = http.createServer(handler);
  const requests = trackRequests(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, requests, port: (server.address() as net.AddressInfo).port };
}

describe('trackRequests', () => {
  it('answers both of two pipelined requests begun before the stop, the last closing the connection', async () => {
    const { server, requests, port } = await tracked((req, res) => setTimeout(() => res.end(req.url), 50));
    const client = rawClient(port);
    await client.connected;
    client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    await vi.waitFor(() => expect(requests.inFlight()).toBe(2));
    server.close();
    expect(await requests.drain(2000)).toEqual({ answered: 2, cut: 0 });
    const replies = await client.replies();
    expect(replies.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(replies).toMatch(/\/a[\s\S]*\/b$/);
  });

  it('cuts a connection taken over by a WebSocket that is still open when told to', async () => {
    const { server, requests, port } = await tracked();
    let upgrades = 0;
    server.on('upgrade', () => upgrades++); // taken, then never answered nor closed
    const ws = rawClient(port);
    await ws.connected;
    ws.write('GET /socket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    await vi.waitFor(() => expect(upgrades).toBe(1));
    const closed = once(server.close(), 'close');
    expect(await requests.drain(100)).toEqual({ answered: 0, cut: 0 });
    requests.cutRest();
    await closed;
    expect(await ws.replies()).toBe('');
  });

  it('cuts what is still unanswered after the grace, and counts it', async () => {
    const { server, requests, port } = await tracked(() => undefined); // never answers
    const hung = rawClient(port);
    await hung.connected;
    hung.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await vi.waitFor(() => expect(requests.inFlight()).toBe(1));
    server.close();
    expect(await requests.drain(100)).toEqual({ answered: 0, cut: 1 });
    expect(await hung.replies()).toBe('');
  });
});
