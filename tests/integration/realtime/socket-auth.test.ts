// The socket handshake and rooms: no token, no connection; each scope hears only its own teams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { tokenFor } from '../../support/auth';
import { collect, connectSocket, waitConnected, waitFor, type ClientSocket } from '../../support/socket';

describe('socket handshake, rooms and position broadcasts', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const open = (token?: string) => {
    const s = connectSocket(server.url, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestServer();
    for (const [code, name] of [
      ['140581002', '东城街道'],
      ['140581001', '北城街道'],
    ] as const) {
      await server.handle.ctx.teams.createTeam({
        id: `T${code}`,
        name: `${name}综合行政执法队`,
        kind: 'township',
        ownerCode: code,
        ownerName: name,
        members: [],
        devices: [{ deviceId: `car-${code}`, token: 't', label: '执法车' }],
      });
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
  });

  it('refuses a connection without a token or with a bad one', async () => {
    await expect(waitConnected(open())).rejects.toThrow(/auth.token is required/);
    await expect(waitConnected(open('not-a-token'))).rejects.toThrow(/invalid or expired/);
  });

  it('greets a commander with the county room and a township with its own', async () => {
    const tCmd = await tokenFor(server, 'cmd', 'commander');
    const tDc = await tokenFor(server, 'dc', 'township', { kind: 'township', code: '140581002' });
    const cmd = open(tCmd);
    const dc = open(tDc);
    const [h1, h2] = await Promise.all([waitFor(cmd, 'hello'), waitFor(dc, 'hello')]);
    expect(h1.rooms).toEqual(['county']);
    expect(h2.rooms).toEqual(['township:140581002']);
    expect(h2.user.username).toBe('dc');
  });

  it('sends team positions to the county and to the owning township only', async () => {
    const tokens = [
      await tokenFor(server, 'cmd2', 'commander'),
      await tokenFor(server, 'dc2', 'township', { kind: 'township', code: '140581002' }),
      await tokenFor(server, 'bc2', 'township', { kind: 'township', code: '140581001' }),
    ];
    const [cmd, dc, bc] = tokens.map((t) => open(t)) as [ClientSocket, ClientSocket, ClientSocket];
    await Promise.all([waitFor(cmd, 'hello'), waitFor(dc, 'hello'), waitFor(bc, 'hello')]);
    const bcSeen = collect(bc, 'team:positions');
    const cmdGot = waitFor(cmd, 'team:positions', (u) => u.some((x) => x.teamId === 'T140581002'));
    const dcGot = waitFor(dc, 'team:positions', (u) => u.some((x) => x.teamId === 'T140581002'));
    const res = await fetch(`${server.url}/api/osmand?id=car-140581002&lat=35.8&lon=112.93`);
    expect(res.status).toBe(200);
    const [c, d] = await Promise.all([cmdGot, dcGot]);
    expect(c.find((x) => x.teamId === 'T140581002')!.position).toMatchObject({ lng: 112.93, lat: 35.8 });
    expect(d.map((x) => x.teamId)).toEqual(['T140581002']);
    // Bei Cheng's own team then moves: it hears that, and never heard Dong Cheng's.
    const bcOwn = waitFor(bc, 'team:positions');
    await fetch(`${server.url}/api/osmand?id=car-140581001&lat=35.82&lon=112.9`);
    expect((await bcOwn).map((x) => x.teamId)).toEqual(['T140581001']);
    expect(bcSeen.flat().every((x) => x.teamId === 'T140581001')).toBe(true);
  });
});
