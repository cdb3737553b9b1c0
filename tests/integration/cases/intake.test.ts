// POST /api/clues: what is accepted, what is refused and with which status and field, and retries.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTION_MAX, PHOTOS_MAX } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { clueAt, countCases, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';

describe.each(ENGINES)('clue intake on %s', (engine) => {
  let server: TestServer;
  let commander: string;
  let other: string;
  let point: [number, number];

  beforeAll(async () => {
    server = await startTestServer({ engine });
    commander = await tokenFor(server, 'commander1', 'commander');
    other = await tokenFor(server, 'commander2', 'commander');
    point = pointIn(server.handle.ctx.geo, DONGCHENG);
  });
  afterAll(() => server?.close());

  const caseCount = () => countCases(server);

  it('stores a clue with reporter and photos and answers 201 with the case', async () => {
    const r = await report(server, commander, {
      ...clueAt(point, { source: 'hotline_12345' }),
      reporter: { name: '王先生', phone: '0356-12345' },
      photos: ['https://example.org/a.jpg'],
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({
      status: 'dispatched',
      source: 'hotline_12345',
      reporter: { name: '王先生' },
      photos: ['https://example.org/a.jpg'],
      matterName: '占道经营',
      domain: '市容环境',
    });
  });

  it('answers a retry with the same clientId with 200 and the same case, never a duplicate', async () => {
    const body = clueAt(point, { clientId: 'device-7:0001', matterCode: 'SR05' });
    const first = await report(server, commander, body);
    expect(first.status).toBe(201);
    const before = await caseCount();
    const again = await report(server, commander, body);
    expect(again.status).toBe(200);
    expect(again.body.case.id).toBe(first.body.case.id);
    expect(await caseCount()).toBe(before);
    // Concurrent retries of a new clue: one 201, the rest 200, one case.
    const body2 = clueAt(point, { clientId: 'device-7:0002', matterCode: 'SR09' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => report(server, commander, body2)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
    expect(new Set(answers.map((a) => a.body.case.id)).size).toBe(1);
    expect(await caseCount()).toBe(before + 1);
    // Another caller's clientId is its own.
    const theirs = await report(server, other, body);
    expect(theirs.status).toBe(201);
    expect(theirs.body.case.id).not.toBe(first.body.case.id);
    // A retry whose body would now be refused (outside the county, an unknown matter) still gets
    // its case: the refusal is for a new clue.
    for (const over of [{ lng: 100, lat: 30 }, { matterCode: 'XX99' }]) {
      const retry = await report(server, commander, { ...body, ...over });
      expect(retry.status, JSON.stringify(over)).toBe(200);
      expect(retry.body.case.id).toBe(first.body.case.id);
    }
    const fresh = await report(server, commander, { ...body, clientId: 'device-7:0003', lng: 100, lat: 30 });
    expect(fresh.status).toBe(422);
    expect(await caseCount()).toBe(before + 2);
  });

  it('refuses fields it does not take and text it would not store as sent, storing nothing', async () => {
    const before = await caseCount();
    for (const [over, field] of [
      [{ evil: 1 }, 'body.evil'],
      [{ reporter: { name: '王先生', evil: 1 } }, 'body.reporter.evil'],
      [{ description: '垃圾\u0000堆放' }, 'body.description'],
      [{ description: '垃圾\u001b[31m堆放' }, 'body.description'],
      [{ description: 'a\ud800b' }, 'body.description'],
      [{ reporter: { name: '王\udc00' } }, 'body.reporter.name'],
    ] as const) {
      const r = await report(server, commander, clueAt(point, { matterCode: 'SR05', ...(over as object) }));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect(await caseCount()).toBe(before);
    // Line breaks, tabs and characters beyond the BMP are words people write.
    const ok = await report(
      server,
      commander,
      clueAt(point, { matterCode: 'SR05', description: '第一行\n第二行\t𠮷' }),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.case.description).toBe('第一行\n第二行\t𠮷');
  });

  it('refuses a point outside the county and an unknown matter with 422 naming the problem', async () => {
    const outside = await report(server, commander, clueAt([116.39, 39.91]));
    expect(outside.status).toBe(422);
    expect(outside.body.field).toBe('body.lng');
    expect(outside.body.error).toContain('高平市');
    const unknown = await report(server, commander, clueAt(point, { matterCode: 'ZZ99' }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.field).toBe('body.matterCode');
  });

  it.each([
    ['missing lng', { lng: undefined }, 'body.lng'],
    ['lng as a string', { lng: '112.9' }, 'body.lng'],
    ['lat out of range', { lat: 91 }, 'body.lat'],
    ['NaN-like lat', { lat: null }, 'body.lat'],
    ['bad matter code', { matterCode: 'sr01' }, 'body.matterCode'],
    ['empty description', { description: '   ' }, 'body.description'],
    ['description over the limit', { description: '占'.repeat(DESCRIPTION_MAX + 1) }, 'body.description'],
    ['unknown source', { source: 'rumour' }, 'body.source'],
    [
      'too many photos',
      { photos: Array.from({ length: PHOTOS_MAX + 1 }, (_, i) => `p${i}.jpg`) },
      'body.photos',
    ],
    ['photo not a string', { photos: [42] }, 'body.photos.0'],
    ['bad reporter phone', { reporter: { phone: 'call me' } }, 'body.reporter.phone'],
    ['reporter phone without digits', { reporter: { phone: '+-+' } }, 'body.reporter.phone'],
    ['reporter phone of two digits', { reporter: { phone: '1- 2' } }, 'body.reporter.phone'],
    ['empty clientId', { clientId: '' }, 'body.clientId'],
  ])('answers 400 naming the field for %s', async (_name, over, field) => {
    const before = await caseCount();
    const r = await report(server, commander, { ...clueAt(point), ...over });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe(field);
    expect(await caseCount()).toBe(before);
  });

  it('accepts a description of exactly 2,000 characters', async () => {
    const r = await report(
      server,
      commander,
      clueAt(point, { description: '占'.repeat(DESCRIPTION_MAX), matterCode: 'SR06' }),
    );
    expect(r.status).toBe(201);
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    const res = await fetch(`${server.url}/api/clues`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${commander}`, 'Content-Type': 'application/json' },
      body: '{"lng": 112.9,',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe('body');
    const arr = await report(server, commander, [1, 2]);
    expect(arr.status).toBe(400);
  });

  it('answers 401 without a token and 403 for the read-only leader', async () => {
    expect((await report(server, null, clueAt(point))).status).toBe(401);
    const leader = await tokenFor(server, 'leader1', 'leader');
    expect((await report(server, leader, clueAt(point))).status).toBe(403);
  });

  it('answers as the rest of the API does, though it is served before Express', async () => {
    const post = (
      path: string,
      body: string | Uint8Array<ArrayBuffer>,
      headers: Record<string, string> = {},
    ) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${commander}`, 'Content-Type': 'application/json', ...headers },
        body,
      });
    /** A POST whose request line carries `target` as it is (fetch would normalise it). */
    const rawPost = (target: string, body: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: target,
            headers: { Authorization: `Bearer ${commander}`, 'Content-Type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const clue = (description: string) => JSON.stringify(clueAt(point, { description, matterCode: 'SR07' }));
    // The same security headers as any other API answer, on a 201 and on a refusal.
    const health = await fetch(`${server.url}/api/health`);
    const created = await post('/api/clues', clue('安全头'));
    const refused = await post('/api/clues', '{"lng": 112.9,');
    expect(created.status).toBe(201);
    expect(refused.status).toBe(400);
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
    ]) {
      expect(health.headers.get(name)).toBeTruthy();
      expect(created.headers.get(name)).toBe(health.headers.get(name));
      expect(refused.headers.get(name)).toBe(health.headers.get(name));
    }
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // Paths as Express matches them: a query, a trailing slash, another case.
    for (const path of ['/api/clues?from=app', '/api/clues/', '/API/Clues'])
      expect((await post(path, clue(`路径 ${path}`))).status).toBe(201);
    // A gzip-compressed body is read, as the JSON parser does for every route.
    const gz = await post('/api/clues', Uint8Array.from(gzipSync(clue('压缩的请求体'))), {
      'Content-Encoding': 'gzip',
    });
    expect(gz.status).toBe(201);
    // Over the 1 MB limit: 413 naming the body, nothing stored.
    const before = await caseCount();
    const big = await post('/api/clues', clue('大'.repeat(400_000)));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { field: string }).field).toBe('body');
    // Not JSON at all: 400 naming the body.
    const text = await post('/api/clues', clue('文本'), { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { field: string }).field).toBe('body');
    expect(await caseCount()).toBe(before);
    // Forms the lean route leaves to Express are served there alike: an absolute-form request
    // target, a fragment, OPTIONS.
    for (const path of [`${server.url}/api/clues`, '/api/clues#frag']) {
      const r = await rawPost(path, clue(`形式 ${path}`));
      expect(r.status, path).toBe(201);
      expect(r.headers['content-security-policy']).toBe(health.headers.get('content-security-policy'));
    }
    const options = await fetch(`${server.url}/api/clues`, { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(options.headers.get('allow')).toContain('POST');
    // Another method on the path is Express's: 404 JSON.
    const get = await call(server.url, commander, 'GET', '/api/clues');
    expect(get.status).toBe(404);
    expect(get.body.error).toContain('/clues');
  });

  it('lets a township platform report only inside its own township', async () => {
    const dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    const mishan = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: '140581101' });
    expect((await report(server, dongcheng, clueAt(point, { matterCode: 'SR10' }))).status).toBe(201);
    const r = await report(server, mishan, clueAt(point, { matterCode: 'SR10' }));
    expect(r.status).toBe(403);
    expect(r.body.error).toContain('东城街道');
  });

  it('stores the case and its first events in one transaction with gap-free sequence numbers', async () => {
    const events = await server.store.db
      .selectFrom('case_events')
      .select(['seq', 'case_id', 'type'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => Number(e.seq))).toEqual(events.map((_, i) => i + 1));
    const created = events.filter((e) => e.type === 'created').length;
    expect(created).toBe(await caseCount());
    const { value } = await server.store.db.selectFrom('event_seq').select('value').executeTakeFirstOrThrow();
    expect(Number(value)).toBe(events.length);
  });

  it('keeps the audit trail append-only: the database refuses to edit or delete an event', async () => {
    const db = server.store.db;
    await expect(
      db.updateTable('case_events').set({ type: 'forged' }).where('seq', '=', 1).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('case_events').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    expect(
      (await db.selectFrom('case_events').select('type').where('seq', '=', 1).executeTakeFirstOrThrow()).type,
    ).toBe('created');
  });
});
