// Inputs an audit found accepted though they should not be, or refused though they should not be:
// unknown query keys (dropped unseen: `status[]=` listed every case), a retried clue's body, forged
// list cursors, unknown body keys on a sign-in, a renewal, a take-over, a device batch or a socket
// action, a lower-case `bearer`, filter values that can name nothing, a non-UTF-8 JSON charset, a
// signed or spaced coordinate, numbers too large, and the OsmAnd endpoint's field names. Each is a
// 4xx naming the field, never a 500 and never a 200 that quietly did something else; what the
// client sends still gets its 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import type { CaseActAck } from '../../../shared/realtime';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, TEST_PASSWORD, tokenFor } from '../../support/auth';
import { clueAt, countCases, pointIn, report } from '../../support/cases';
import { connectSocket, waitConnected } from '../../support/socket';

const DONGCHENG = '140581002';
const sh = (local: string) => Date.parse(`${local}+08:00`);
const T0 = sh('2026-05-09T10:00:00');

describe.each(ENGINES)('strict input on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(T0);
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let zrzyj: string;
  let first: CaseView;

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    server.handle.ctx.teams.stop();
    await server.handle.ctx.teams.createTeam({
      id: 'T-strict',
      name: 'strict team',
      kind: 'township',
      ownerCode: DONGCHENG,
      ownerName: '东城街道',
      members: [],
      devices: [{ deviceId: 'strict-car', token: 'strict-secret', label: '执法车' }],
    });
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    zrzyj = await tokenFor(server, 'zrzyj', 'department', { kind: 'department', code: 'zrzyj' });
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 0)));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    first = r.body.case as CaseView;
    clock.advance(1000);
    const second = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 1)));
    expect(second.status, JSON.stringify(second.body)).toBe(201);
  });
  afterAll(() => server?.close());

  const get = (token: string | null, path: string) => call(server.url, token, 'GET', path);
  const storedCases = () => countCases(server);

  describe('unknown query keys', () => {
    it.each([
      ['/api/cases?status[]=reported', 'query.status[]'], // was the unfiltered list
      ['/api/cases?limit[]=1', 'query.limit[]'], // was 50 items
      ['/api/cases?unknownparam=1', 'query.unknownparam'],
      ['/api/cases?status=reported&Status=closed', 'query.Status'],
      ['/api/returns?x=1', 'query.x'],
      ['/api/events?after=0&x=1', 'query.x'],
      ['/api/stats?zzz=1', 'query.zzz'],
      ['/api/stats?sort=volume', 'query.sort'], // an export's parameter, not the report's
      ['/api/stats/export.csv?groupBy=department', 'query.groupBy'],
      ['/api/stats/export.xlsx?zzz=1', 'query.zzz'],
      ['/api/teams?x=1', 'query.x'],
      ['/api/teams/T-strict/track?x=1', 'query.x'],
      ['/api/handovers?x=1', 'query.x'],
      ['/api/jurisdiction?lng=112.9&lat=35.79&x=1', 'query.x'],
    ])('GET %s: 400 naming %s', async (path, field) => {
      const r = await get(commander, path);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
    });

    it('still answers every parameter the client sends (its case lists, searches, desks, stats, exports, …)', async () => {
      const since = T0 - 30 * 86_400_000;
      const paths = [
        `/api/cases?status=closed,rejected&from=${since}&limit=500`,
        `/api/cases?status=closed,rejected&statusFrom=${T0 - 3_600_000}&limit=500`,
        '/api/cases?status=reported&limit=500',
        `/api/cases?assignee=${encodeURIComponent(`township:${DONGCHENG}`)}&status=dispatched,accepted&limit=500`,
        `/api/cases?cooperating=${encodeURIComponent(`township:${DONGCHENG}`)}&status=dispatched&limit=500`,
        `/api/cases?q=${encodeURIComponent('水果')}&limit=8&assignee=${encodeURIComponent('department:zrzyj')}`,
        `/api/cases?from=${since}&to=${T0 + 1}&township=${DONGCHENG}&assignee=department%3Azrzyj&source=grid_worker&limit=500`,
        '/api/cases?matter=SR01&overdue=false',
        '/api/events?after=0&limit=1000',
        `/api/stats?from=${since}&to=${T0}&groupBy=township&compare=none`,
        `/api/stats?from=2026-05-01&to=2026-05-09&township=${DONGCHENG}&domain=${encodeURIComponent('市容环境')}&source=grid_worker&groupBy=township%2Cdepartment&compare=year`,
        '/api/stats/export.csv?from=2026-05-01&to=2026-05-09&sort=volume&dir=asc&compare=previous',
        '/api/returns?party=department%3Azrzyj&limit=30&before=100',
        '/api/teams?retired=true',
        `/api/teams/T-strict/track?from=${T0 - 60_000}&to=${T0}`,
        `/api/handovers?limit=10&from=${T0 - 86_400_000}&to=${T0}&who=${encodeURIComponent('李')}`,
        '/api/jurisdiction?lng=112.93&lat=35.79',
      ];
      for (const path of paths) {
        const r = await get(commander, path);
        expect([200, 404], `${path}: ${JSON.stringify(r.body)}`).toContain(r.status);
        if (!path.startsWith('/api/jurisdiction')) expect(r.status, path).toBe(200);
      }
    });

    it('filters by status as asked, and pages by limit', async () => {
      const r = await get(commander, '/api/cases?status=dispatched&limit=1');
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(1);
      expect(r.body.nextCursor).not.toBeNull();
    });
  });

  describe('POST /api/clues retried with a body a new clue would be refused for', () => {
    let stored: CaseView;
    beforeAll(async () => {
      const r = await report(
        server,
        commander,
        clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 2), { clientId: 'retry-1' }),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      stored = r.body.case as CaseView;
    });

    it.each([
      ['the clientId alone', { clientId: 'retry-1' }],
      ['an unknown key', { clientId: 'retry-1', x: 1 }],
      ['a description over 2,000 characters', { clientId: 'retry-1', description: '长'.repeat(2001) }],
      ['a wrong type', { clientId: ' retry-1 ', lng: 'east' }],
    ])('with %s: 200 and the same case', async (_what, body) => {
      const before = await storedCases();
      const r = await report(server, commander, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.case.id).toBe(stored.id);
      expect(await storedCases()).toBe(before);
    });

    it("is still a 400 for another caller's clientId, a new one, or a malformed one", async () => {
      const before = await storedCases();
      for (const [token, body, field] of [
        [dongcheng, { clientId: 'retry-1' }, 'body.lng'], // the same words, another account
        [commander, { clientId: 'retry-2' }, 'body.lng'],
        [
          commander,
          { ...clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 3)), clientId: 'retry-2', x: 1 },
          'body.x',
        ],
        [commander, { clientId: 7, x: 1 }, 'body.clientId'],
        [commander, { clientId: '', description: 'x' }, 'body.clientId'],
      ] as const) {
        const r = await report(server, token, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.field, JSON.stringify(body)).toBe(field);
      }
      expect(await storedCases()).toBe(before);
    });

    it('is still 403 for a leader, whatever the clientId', async () => {
      expect((await report(server, leader, { clientId: 'retry-1' })).status).toBe(403);
    });
  });

  describe('forged cursors', () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    it.each([[[-1, 'x']], [[1, 'x', 3]], [[1]], [[1, 2]], [{ t: 1, id: 'x' }], [[0, 'x', null]]])(
      'refuses %j with 400 naming query.cursor',
      async (v) => {
        const r = await get(commander, `/api/cases?cursor=${cursor(v)}`);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.field).toBe('query.cursor');
      },
    );

    it('refuses a cursor padded or re-encoded other than the server writes it', async () => {
      const page = await get(commander, '/api/cases?limit=1');
      const next = page.body.nextCursor as string;
      const r = await get(commander, `/api/cases?limit=1&cursor=${next}%3D%3D`);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe('query.cursor');
    });

    it("takes a page's own nextCursor", async () => {
      const page = await get(commander, '/api/cases?limit=1');
      const next = await get(commander, `/api/cases?limit=1&cursor=${page.body.nextCursor as string}`);
      expect(next.status).toBe(200);
      expect(next.body.items).toHaveLength(1);
      expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    });
  });

  describe('POST /api/handovers/:id/take', () => {
    it('refuses a field it does not take, naming it, and takes an empty object or no body', async () => {
      const made = await call(server.url, commander, 'POST', '/api/handovers', {});
      expect(made.status).toBe(201);
      const id = made.body.handover.id as string;
      for (const [body, field] of [
        [{ x: 1 }, 'body.x'],
        [{ note: '接班' }, 'body.note'],
        [[], 'body'],
        ['take', 'body'],
      ] as const) {
        const r = await call(server.url, commander, 'POST', `/api/handovers/${id}/take`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.field).toBe(field);
      }
      const took = await call(server.url, commander, 'POST', `/api/handovers/${id}/take`, {});
      expect(took.status, JSON.stringify(took.body)).toBe(200);
      clock.advance(1000); // the next handover is the latest (those of one moment are ordered by id)
      const next = await call(server.url, commander, 'POST', '/api/handovers', {});
      const bare = await call(server.url, commander, 'POST', `/api/handovers/${next.body.handover.id}/take`);
      expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    });
  });

  describe('POST /api/auth/login and /api/auth/refresh', () => {
    const post = (path: string, token: string | null, body?: unknown) =>
      call(server.url, token, 'POST', path, body);

    it('login refuses a field it does not read, naming it, and signs in with the two it does', async () => {
      for (const [body, field] of [
        [{ username: 'commander1', password: TEST_PASSWORD, x: 1 }, 'body.x'],
        [{ username: 'commander1', password: 'wrong', remember: true }, 'body.remember'],
        [[], 'body'],
      ] as const) {
        const r = await post('/api/auth/login', null, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.field, JSON.stringify(body)).toBe(field);
      }
      const ok = await post('/api/auth/login', null, { username: 'commander1', password: TEST_PASSWORD });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    });

    it('refresh refuses a field, naming it, and renews with no body or {}', async () => {
      for (const [body, field] of [
        [{ x: 1 }, 'body.x'],
        [{ token: leader }, 'body.token'],
        [[], 'body'],
      ] as const) {
        const r = await post('/api/auth/refresh', leader, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.field, JSON.stringify(body)).toBe(field);
      }
      expect((await post('/api/auth/refresh', leader, {})).status).toBe(200); // as the client sends it
      expect((await post('/api/auth/refresh', leader)).status).toBe(200);
      expect((await post('/api/auth/refresh', null, { x: 1 })).status).toBe(401); // not signed in comes first
    });
  });

  describe('POST /api/positions', () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/api/positions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Device-Token': 'strict-secret' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const fix = { lng: 112.97, lat: 35.82, at: T0 - 60_000 };
    const stored = async () =>
      (await get(commander, `/api/teams/T-strict/track?from=${T0 - 3600_000}&to=${T0}`)).body.points;

    it.each([
      [{ deviceId: 'strict-car', fixes: [fix], x: 1 }, 'body.x'],
      [{ deviceId: 'strict-car', fixes: [{ ...fix, foo: 1 }] }, 'body.fixes.0.foo'],
      [{ deviceId: 'strict-car', fixes: [fix, { ...fix, at: T0 - 1000 + 0.5 }] }, 'body.fixes.1.at'],
    ])('refuses %j with 400 naming %s, storing nothing', async (body, field) => {
      const r = await post(body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(await stored()).toEqual([]);
    });

    it('takes a batch of whole milliseconds', async () => {
      const r = await post({ deviceId: 'strict-car', fixes: [fix] });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect((await stored()).map((p: { at: number }) => p.at)).toEqual([fix.at]);
    });
  });

  describe('socket case:act', () => {
    it('refuses a top-level key it does not take, naming payload.x', async () => {
      const socket = connectSocket(server.url, commander);
      try {
        await waitConnected(socket);
        const ack = await new Promise<CaseActAck>((resolve) =>
          socket.emit(
            'case:act',
            { caseId: first.id, input: { action: 'dispatch', version: 999 }, x: 1 } as never,
            resolve,
          ),
        );
        expect(ack).toMatchObject({ ok: false, status: 400, field: 'payload.x' });
      } finally {
        socket.close();
      }
    });
  });

  describe('the Authorization scheme', () => {
    it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('%s <token> signs in', async (scheme) => {
      const r = await fetch(`${server.url}/api/auth/me`, {
        headers: { Authorization: `${scheme} ${leader}` },
      });
      expect(r.status).toBe(200);
    });

    it('a lower-case scheme reaches the lean intake route too', async () => {
      const r = await fetch(`${server.url}/api/clues`, {
        method: 'POST',
        headers: { Authorization: `bearer ${leader}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(r.status).toBe(403); // signed in (a leader may not report), not 401
    });
  });

  describe('filters that can name nothing', () => {
    it.each([
      ['/api/cases?assignee=foo:bar', 'query.assignee'],
      ['/api/cases?assignee=township:', 'query.assignee'],
      ['/api/cases?assignee=zzz', 'query.assignee'],
      ['/api/cases?assignee=department:nope', 'query.assignee'],
      ['/api/cases?assignee=township:140581999', 'query.assignee'],
      ['/api/cases?cooperating=township:140581999', 'query.cooperating'],
      ['/api/cases?township=140581999', 'query.township'],
      ['/api/cases?matter=XX99', 'query.matter'],
      ['/api/returns?party=department:nope', 'query.party'],
      ['/api/returns?party=township:140581999', 'query.party'],
      ['/api/stats?domain=bogus', 'query.domain'],
      ['/api/stats?township=140581999', 'query.township'],
      ['/api/stats/export.csv?domain=bogus', 'query.domain'],
      ['/api/stats/export.xlsx?township=140581999', 'query.township'],
    ])('GET %s: 400 naming %s', async (path, field) => {
      const r = await get(commander, path);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.error).toMatch(/no such|township:<code>/);
    });

    it('a known bare code, or a unit of the county, lists', async () => {
      for (const q of [
        'assignee=zrzyj',
        `assignee=${DONGCHENG}`,
        'assignee=department:zrzyj',
        `township=${DONGCHENG}`,
      ]) {
        const r = await get(commander, `/api/cases?${q}`);
        expect(r.status, `${q}: ${JSON.stringify(r.body)}`).toBe(200);
      }
      // A department reads its own returns by naming itself.
      expect((await get(zrzyj, '/api/returns?party=department:zrzyj')).status).toBe(200);
    });
  });

  describe('JSON charset', () => {
    const post = (path: string, contentType: string, body: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': contentType, Authorization: `Bearer ${commander}` },
        body,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const login = JSON.stringify({ username: 'commander1', password: 'x' });

    it.each(['utf-16le', 'UTF-16', 'utf-32', 'utf-7', 'utf8'])(
      'refuses charset=%s with 415 naming headers.content-type, before the body is read',
      async (charset) => {
        for (const path of ['/api/auth/login', '/api/clues', '/api/handovers']) {
          const r = await post(path, `application/json; charset=${charset}`, login);
          expect(r.status, `${path} ${charset}: ${JSON.stringify(r.body)}`).toBe(415);
          expect(r.body.field).toBe('headers.content-type');
        }
      },
    );

    it('decodes nothing from UTF-16: a body sent so is refused, not read', async () => {
      const before = await storedCases();
      const clue = JSON.stringify(clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 3)));
      const r = await fetch(`${server.url}/api/clues`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-16le',
          Authorization: `Bearer ${commander}`,
        },
        body: Buffer.from(clue, 'utf16le'),
      });
      expect(r.status).toBe(415);
      expect(await storedCases()).toBe(before);
    });

    it('takes UTF-8 however it is written, and no charset', async () => {
      for (const ct of [
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset="UTF-8"',
      ]) {
        const r = await post('/api/auth/login', ct, login);
        expect(r.status, ct).toBe(401); // read: a wrong password
      }
    });
  });

  describe('GET /api/jurisdiction takes decimal degrees only', () => {
    it.each([
      ['lng=%20112.9&lat=35.79', 'query.lng'],
      ['lng=+112.9&lat=35.79', 'query.lng'], // `+` is a space in a query string
      ['lng=%2B112.9&lat=35.79', 'query.lng'],
      ['lng=112.9%20&lat=35.79', 'query.lng'],
      ['lng=112.9&lat=%0935.79', 'query.lat'],
    ])('%s: 400 naming %s', async (q, field) => {
      const r = await get(null, `/api/jurisdiction?${q}`);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
    });

    it('still takes a negative value (out of range, said so) and a plain decimal', async () => {
      const neg = await get(null, '/api/jurisdiction?lng=-112.9&lat=35.79');
      expect(neg.status).toBe(404); // outside the county: read, not refused
      expect((await get(null, '/api/jurisdiction?lng=112.93&lat=35.79')).status).toBe(200);
    });
  });

  describe('numbers too large', () => {
    it.each([
      ['/api/returns?before=99999999999999999999999', 'query.before'],
      ['/api/events?after=99999999999999999999', 'query.after'],
      ['/api/cases?limit=99999999999999999999', 'query.limit'],
      ['/api/handovers?from=99999999999999999999', 'query.from'],
      // Sixteen digits, past the integers a double holds exactly: said as the parameter's own limit.
      ['/api/events?after=9999999999999999', 'query.after'],
      ['/api/cases?limit=9999999999999999', 'query.limit'],
    ])('GET %s: 400 naming %s, saying it is too large', async (path, field) => {
      const r = await get(commander, path);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.error).toMatch(/too large|out of range|past any date/);
      expect(r.body.error).not.toMatch(/decimal digits|expected int/);
    });
  });

  describe('/api/osmand field names', () => {
    const json = (body: unknown) =>
      fetch(`${server.url}/api/osmand`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    it('a JSON body without its location names body.location', async () => {
      const r = await json({ device_id: 'strict-car' });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe('body.location');
    });

    it('an unknown device: query.id for the query form, body.device_id for JSON', async () => {
      const q = await get(null, '/api/osmand?id=nobody&lat=35.8&lon=112.9');
      expect(q.status).toBe(404);
      expect(q.body.field).toBe('query.id');
      const j = await json({
        device_id: 'nobody',
        location: { timestamp: new Date(T0).toISOString(), coords: { latitude: 35.8, longitude: 112.9 } },
      });
      expect(j.status).toBe(404);
      expect(j.body.field).toBe('body.device_id');
    });

    it('a refused fix: query.timestamp or body.location.timestamp', async () => {
      const q = await get(null, `/api/osmand?id=strict-car&lat=35.8&lon=112.9&timestamp=${T0 + 86_400_000}`);
      expect(q.status).toBe(422);
      expect(q.body.field).toBe('query.timestamp');
      const j = await json({
        device_id: 'strict-car',
        location: {
          timestamp: new Date(T0 + 86_400_000).toISOString(),
          coords: { latitude: 35.8, longitude: 112.9 },
        },
      });
      expect(j.status).toBe(422);
      expect(j.body.field).toBe('body.location.timestamp');
    });

    it.each(['PUT', 'DELETE', 'PATCH'])('%s /api/osmand is 405, not 401', async (method) => {
      const r = await fetch(`${server.url}/api/osmand`, { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD, POST');
    });
  });
});
