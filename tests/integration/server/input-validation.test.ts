// What a caller sees for inputs a fuzz review found mishandled: far-future and malformed dates on the
// statistics, the exports and the case list, an out-of-range rectification deadline, loosely read
// query numbers, request errors raised before a route runs, control characters (a NUL, which
// PostgreSQL text cannot hold, was a 500 there), text of nothing but zero-width characters (taken as
// words) and direction controls (which make a page show other words than those stored). Each gets a
// 4xx naming the field, never a 500, and nothing is stored.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, countCases, getCase, pointIn, report } from '../../support/cases';
import { connectSocket, waitConnected } from '../../support/socket';
import type { CaseActAck } from '../../../shared/realtime';

const DONGCHENG = '140581002';
const DAY = 86_400_000;
const sh = (local: string) => Date.parse(`${local}+08:00`);

describe.each(ENGINES)('input validation on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(sh('2026-05-09T10:00:00'));
  let commander: string;
  let leader: string;
  let dongcheng: string;

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
  });
  afterAll(() => server?.close());

  const get = (token: string | null, path: string) => call(server.url, token, 'GET', path);

  describe('statistics and exports', () => {
    const paths = ['/api/stats', '/api/stats/export.csv', '/api/stats/export.xlsx'];
    it.each([
      ['from=99999999999999999', 'query.from'],
      ['from=8639999999999999', 'query.from'],
      ['to=8640000000000000', 'query.to'],
      ['to=253402272000000', 'query.to'], // 10000-01-01 in Shanghai
      ['from=-5', 'query.from'], // V8 read it as 2001-05-01 (then a misleading 422 on the span)
      ['from=0x70', 'query.from'],
      ['from=2026-05-01T25:00:00Z', 'query.from'],
    ])('refuses %s with 400 naming %s, on the report and both exports', async (q, field) => {
      for (const path of paths) {
        const r = await get(leader, `${path}?${q}`);
        expect(r.status, `${path}?${q}`).toBe(400);
        expect(r.body.field, `${path}?${q}`).toBe(field);
      }
    });

    it('still reads a day, epoch ms and an ISO instant', async () => {
      for (const q of [
        'from=2026-05-01&to=2026-05-09',
        `from=${sh('2026-05-01T00:00:00')}&to=${sh('2026-05-09T23:59:59')}`,
        `from=${encodeURIComponent('2026-05-01T00:00:00+08:00')}&to=2026-05-09`,
      ]) {
        const r = await get(leader, `/api/stats?${q}`);
        expect(r.status, q).toBe(200);
        expect(r.body).toMatchObject({ from: '2026-05-01', to: '2026-05-09' });
      }
    });

    it('measures the last day it takes, 9999-12-31', async () => {
      const r = await get(leader, '/api/stats?from=9999-12-31&to=9999-12-31&compare=none');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ from: '9999-12-31', to: '9999-12-31', days: 1 });
    });
  });

  describe('GET /api/cases from/to', () => {
    let reported: CaseView;
    beforeAll(async () => {
      clock.set(sh('2026-03-01T10:00:00'));
      const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 0)));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      reported = r.body.case as CaseView;
      clock.set(sh('2026-05-09T10:00:00'));
    });

    it.each([
      ['from=2026-02-30', 'query.from'], // was 2026-03-02
      ['from=-5', 'query.from'], // was 2001-05-01
      ['from=0000-01-01', 'query.from'],
      ['from=99999999999999999999999', 'query.from'],
      ['from=0x70', 'query.from'],
      ['to=2026-13-01T00:00:00Z', 'query.to'],
      ['to=2026-05-01T08:00:00%2B25:00', 'query.to'],
      ['to=May%201%2C%202026', 'query.to'],
      [`to=${Date.UTC(10000, 0, 1)}`, 'query.to'],
    ])('refuses %s with 400 naming %s', async (q, field) => {
      const r = await get(commander, `/api/cases?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.field, q).toBe(field);
    });

    it('lists by epoch ms and by ISO, the documented forms', async () => {
      const ids = async (q: string) => {
        const r = await get(commander, `/api/cases?${q}`);
        expect(r.status, q).toBe(200);
        return (r.body.items as CaseView[]).map((c) => c.id);
      };
      expect(await ids(`from=${reported.createdAt}&to=${reported.createdAt + 1}`)).toEqual([reported.id]);
      expect(await ids('from=2026-03-01&to=2026-03-02')).toEqual([reported.id]);
      expect(await ids(`from=${encodeURIComponent('2026-03-01T10:00:00+08:00')}`)).toEqual([reported.id]);
      // 2026-02-30 is no day; the day it used to stand for (03-02) holds nothing.
      expect(await ids('from=2026-03-02')).toEqual([]);
      // The earliest start a statistics answer can give (a 366-day period from 1971-01-01, compared
      // with the 366 days before it) lists.
      expect(await ids(`from=${encodeURIComponent('1969-12-31T00:00:00+08:00')}`)).toEqual([reported.id]);
    });
  });

  describe('GET /api/cases cursor', () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    it.each([
      [[1.5, 'zzz']],
      [[1e20, 'zzz']],
      [[-1e300, '']],
      [[1796529000000, 'a\u0000b']],
      [[1796529000000, "a' or 1=1"]],
    ])('refuses a forged cursor %j with 400 naming query.cursor', async (v) => {
      const r = await get(commander, `/api/cases?cursor=${cursor(v)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe('query.cursor');
    });
  });

  describe('rectification deadline', () => {
    let c: CaseView;
    beforeAll(async () => {
      const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 1)));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      c = r.body.case as CaseView;
      for (const action of ['acknowledge', 'start']) {
        const s = await act(server, dongcheng, c.id, { action, version: c.version });
        expect(s.status, JSON.stringify(s.body)).toBe(200);
        c = s.body.case as CaseView;
      }
    });

    it.each([
      [Number.MAX_SAFE_INTEGER, 400],
      [8.64e15, 400],
      [sh('2026-05-09T10:00:00') + 367 * DAY, 422],
    ])('refuses deadline %d (%d naming body.deadline) and stores nothing', async (deadline, status) => {
      const r = await act(server, dongcheng, c.id, {
        action: 'order_rectification',
        version: c.version,
        deadline,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.field).toBe('body.deadline');
      const now = await getCase(server, dongcheng, c.id);
      expect(now.body.case).toMatchObject({ version: c.version, status: 'in_progress' });
      expect(now.body.case.deadlines.rectify ?? null).toBeNull();
    });

    it('takes a deadline within the year', async () => {
      const deadline = clock.now() + 366 * DAY;
      const r = await act(server, dongcheng, c.id, {
        action: 'order_rectification',
        version: c.version,
        deadline,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.case.deadlines.rectify).toBe(deadline);
    });
  });

  describe('query numbers', () => {
    it.each([
      ['/api/events?after=', 'query.after'], // was read as after=0
      ['/api/events?after=0x70', 'query.after'],
      ['/api/events?after=1e400', 'query.after'],
      ['/api/events?after=1&after=2', 'query.after'],
      ['/api/events?limit=%201', 'query.limit'],
      ['/api/handovers?limit=0x0a', 'query.limit'],
      ['/api/cases?limit=0x70', 'query.limit'], // was 112
      ['/api/cases?limit=', 'query.limit'],
      ['/api/handovers?limit=', 'query.limit'],
    ])('refuses %s with 400 naming %s', async (path, field) => {
      const r = await get(commander, path);
      expect(r.status, path).toBe(400);
      expect(r.body.field, path).toBe(field);
    });

    it('reads decimal digits', async () => {
      const r = await get(commander, '/api/events?after=0&limit=10');
      expect(r.status).toBe(200);
      expect((await get(commander, '/api/handovers?limit=5')).status).toBe(200);
    });
  });

  describe('request errors before a route runs', () => {
    const post = (path: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${commander}`, ...headers },
        body,
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, string> }));
    const login = JSON.stringify({ username: 'commander1', password: 'x' });

    it.each(['/api/auth/login', '/api/clues'])('names the header at fault on %s', async (path) => {
      const koi = await post(path, { 'Content-Type': 'application/json; charset=KOI8-R' }, login);
      expect(koi.status).toBe(415);
      expect(koi.body).toMatchObject({ field: 'headers.content-type' });
      expect(koi.body.error).toMatch(/KOI8-R/i);

      const enc = await post(
        path,
        { 'Content-Type': 'application/json', 'Content-Encoding': 'x-zip' },
        login,
      );
      expect(enc.status).toBe(415);
      expect(enc.body).toMatchObject({ field: 'headers.content-encoding' });

      const gz = await post(path, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, login);
      expect(gz.status).toBe(400);
      expect(gz.body.field).toBe('body');
      expect(gz.body.error).toMatch(/decompress/);
      const br = await post(path, { 'Content-Type': 'application/json', 'Content-Encoding': 'br' }, login);
      expect(br.status).toBe(400);
      expect(br.body.field).toBe('body');
    });

    it('still takes a gzipped body', async () => {
      const r = await post(
        '/api/auth/login',
        { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        new Uint8Array(gzipSync(login)),
      );
      expect(r.status).toBe(401);
    });

    it('names the path when a parameter does not percent-decode', async () => {
      for (const path of ['/api/cases/%ZZ', '/api/cases/%E4%B8']) {
        const r = await get(commander, path);
        expect(r.status, path).toBe(400);
        expect(r.body.field, path).toBe('path');
        expect(r.body.error, path).toMatch(/percent-encoding/);
      }
    });

    it('echoes at most a short part of a 10,000-character id', async () => {
      const id = 'a'.repeat(10_000);
      const r = await get(commander, `/api/cases/${id}`);
      expect(r.status).toBe(404);
      expect(r.body.error.length).toBeLessThan(200);
      expect(r.body.error).toContain('a'.repeat(64));
      const route = await get(commander, `/api/${id}`);
      expect(route.status).toBe(404);
      expect(route.body.error.length).toBeLessThan(200);
    });
  });

  describe('control characters', () => {
    let c: CaseView;
    const storedCases = () => countCases(server);
    beforeAll(async () => {
      const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 2)));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      c = r.body.case as CaseView;
    });

    it.each([
      ['/api/cases/abc%00def', 'path'],
      ['/api/cases/abc%01def', 'path'],
      ['/api/cases/abc%7Fdef', 'path'],
      ['/api/cases?assignee=township:%00', 'query.assignee'],
      ['/api/cases?%00=1', 'query.\\u0000'],
      ['/api/stats?domain=%00', 'query.domain'],
      ['/api/teams?x=%0A', 'query.x'],
      ['/api/osmand?id=dev%00&lat=37&lon=112', 'query.id'],
    ])('GET %s: 400 naming %s', async (path, field) => {
      const r = await get(leader, path);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
    });

    it('refuses a NUL in the path of an action, and the case is untouched', async () => {
      const r = await act(server, dongcheng, '%00', { action: 'acknowledge', version: c.version });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe('path');
      const body = await call(server.url, dongcheng, 'POST', `/api/cases/${c.id}/actions`, {
        action: 'return',
        version: c.version,
        reason: 'x',
        extra: 'a\u0000b',
      });
      expect(body.status, JSON.stringify(body.body)).toBe(400);
      expect(body.body.field).toBe('body.extra');
      expect((await getCase(server, dongcheng, c.id)).body.case).toMatchObject({
        version: c.version,
        status: c.status,
      });
    });

    it('refuses a NUL at sign-in (public) with 400 naming the field', async () => {
      const r = await call(server.url, null, 'POST', '/api/auth/login', {
        username: 'lead\u0000er',
        password: 'demo',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body).toMatchObject({ field: 'body.username' });
    });

    it.each([
      [{ clientId: 'c\u0000x' }, 'body.clientId'],
      [{ photos: ['ok', 'p\u0000'] }, 'body.photos.1'],
      [{ reporter: { id: '\u0000' } }, 'body.reporter.id'],
      [{ 'a\u0000': 1 }, 'body.a\\u0000'],
    ])('POST /api/clues with %j: 400 naming %s, nothing stored', async (over, field) => {
      const before = await storedCases();
      const r = await report(
        server,
        commander,
        clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 3), over as Record<string, unknown>),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.error).toMatch(/U\+0000/);
      expect(await storedCases()).toBe(before);
    });

    it('refuses a control character in the query of the lean intake route', async () => {
      const before = await storedCases();
      const r = await call(
        server.url,
        commander,
        'POST',
        '/api/clues?clientId=%00',
        clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 3)),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe('query.clientId');
      expect(await storedCases()).toBe(before);
    });

    it('still takes tabs and line breaks in a description', async () => {
      const description = '占道经营\n\t水果摊两处\r\n人行道堵塞';
      const r = await report(
        server,
        commander,
        clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 4), { description }),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.case.description).toBe(description);
    });

    describe('invisible text and direction controls', () => {
      // Written as escapes: the characters themselves would not show in this file either.
      const INVISIBLE = [
        ['U+200B U+200B', '\u200b\u200b'],
        ['U+200C', '\u200c'],
        ['U+200D between spaces', ' \u200d '],
        ['U+2060 U+FEFF', '\u2060\ufeff'],
        ['U+200B, a line break, U+200B', '\u200b\n\u200b'],
        ['U+2061 U+00AD U+3164 U+2800', '\u2061\u00ad\u3164\u2800'],
      ];

      it.each(INVISIBLE)(
        'a description of nothing but %s is blank: the same 400 as spaces',
        async (_what, text) => {
          const before = await storedCases();
          const at = pointIn(server.handle.ctx.geo, DONGCHENG, 5);
          const blank = await report(server, commander, clueAt(at, { description: '   ' }));
          const r = await report(server, commander, clueAt(at, { description: text }));
          expect(r.status, JSON.stringify(r.body)).toBe(400);
          expect(r.body.field).toBe('body.description');
          expect(r.body.error).toBe(blank.body.error);
          expect(await storedCases()).toBe(before);
        },
      );

      it('a reason, a usual phrase and a reporter of nothing but invisible characters are blank too', async () => {
        const reason = await act(server, dongcheng, c.id, {
          action: 'return',
          version: c.version,
          reason: '\u200b\u2060',
        });
        expect(reason.status, JSON.stringify(reason.body)).toBe(400);
        expect(reason.body.field).toBe('body.reason');
        expect(reason.body.error).toMatch(/required/);
        const { revision } = (await get(commander, '/api/phrases')).body;
        const phrase = await call(server.url, commander, 'PUT', '/api/phrases', {
          phrases: { escalate: ['\ufeff\u200b'] },
          revision,
        });
        expect(phrase.status, JSON.stringify(phrase.body)).toBe(400);
        expect(phrase.body).toMatchObject({ field: 'body.phrases.escalate.0' });
        expect(phrase.body.error).toMatch(/must not be blank/);
        const clue = await report(
          server,
          commander,
          clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 5), { reporter: { name: '\u200d' } }),
        );
        expect(clue.status, JSON.stringify(clue.body)).toBe(400);
        expect(clue.body.field).toBe('body.reporter.name');
      });

      it('refuses the direction controls, naming the field and the one found', async () => {
        const before = await storedCases();
        for (const ch of [
          '\u202a',
          '\u202b',
          '\u202c',
          '\u202d',
          '\u202e',
          '\u2066',
          '\u2067',
          '\u2068',
          '\u2069',
        ]) {
          const hex = ch.codePointAt(0)!.toString(16).toUpperCase();
          const r = await report(
            server,
            commander,
            clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 5), { description: `电话 ${ch}1234-5678` }),
          );
          expect(r.status, hex).toBe(400);
          expect(r.body.field, hex).toBe('body.description');
          expect(r.body.error, hex).toMatch(new RegExp(`direction control.*found U\\+${hex}`));
        }
        const note = await call(server.url, commander, 'POST', '/api/handovers', {
          note: '交班\u2066abc\u2069',
        });
        expect(note.status, JSON.stringify(note.body)).toBe(400);
        expect(note.body.field).toBe('body.note');
        const reason = await act(server, dongcheng, c.id, {
          action: 'return',
          version: c.version,
          reason: '不属于本街道\u202e',
        });
        expect(reason.status, JSON.stringify(reason.body)).toBe(400);
        expect(reason.body.field).toBe('body.reason');
        expect(await storedCases()).toBe(before);
        expect((await getCase(server, dongcheng, c.id)).body.case.version).toBe(c.version);
      });

      it('keeps Chinese, emoji joined by ZWJ, a zero-width character beside words, and line breaks as sent', async () => {
        const description = '占道经营 👨\u200d👩\u200d👧 一家\n水果摊\u200b两处 🏳️\u200d🌈';
        const r = await report(
          server,
          commander,
          clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 6), { description }),
        );
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        expect(r.body.case.description).toBe(description);
        const note = await call(server.url, commander, 'POST', '/api/handovers', { note: '\u200b' });
        expect(note.status, JSON.stringify(note.body)).toBe(201);
        expect(note.body.handover.note).toBe(''); // an invisible note is no note, as a blank one is
      });
    });

    it('answers a NUL over the socket with a 400 acknowledgement', async () => {
      const socket = connectSocket(server.url, dongcheng);
      try {
        await waitConnected(socket);
        const ask = (req: unknown) =>
          new Promise<CaseActAck>((resolve) => socket.emit('case:act', req as never, resolve));
        expect(await ask({ caseId: 'c\u0000x', input: { action: 'acknowledge', version: 1 } })).toMatchObject(
          {
            ok: false,
            status: 400,
            field: 'payload.caseId',
          },
        );
        expect(
          await ask({ caseId: c.id, input: { action: 'return', version: c.version, reason: '退\u0000回' } }),
        ).toMatchObject({ ok: false, status: 400, field: 'payload.input.reason' });
        expect((await getCase(server, dongcheng, c.id)).body.case).toMatchObject({ version: c.version });
      } finally {
        socket.close();
      }
    });
  });
});
