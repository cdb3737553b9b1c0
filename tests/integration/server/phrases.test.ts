// A county's own usual words (常用语, DATA_DIR/phrases.json): served to signed-in pages as written,
// none when there is no file (each page keeps its built-in words), and a faulty file stops the start
// with what is wrong and where, never a server offering words it would refuse. A change to the file
// is served without a restart; a faulty change is logged and the words before it stay. The command
// centre edits them through PUT /api/phrases: written whole, a concurrent change refused, bad input
// refused naming the field, the file untouched by anything refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { parsePhrases, PHRASES_FILE } from '../../../server/county/phrases';

describe('usual words (phrases.json)', () => {
  const servers: TestServer[] = [];
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of databases) await d.destroy();
  });
  /** A server whose DATA_DIR holds `file` (text) as phrases.json, or no such file. */
  async function serverWith(file?: string, logger?: pino.Logger): Promise<TestServer> {
    const database = await createTestDatabase('sqlite');
    databases.push(database);
    if (file !== undefined) fs.writeFileSync(path.join(database.dataDir, PHRASES_FILE), file);
    const server = await startTestServer({ database, extra: logger ? { logger } : {} });
    servers.push(server);
    return server;
  }

  it('has none without the file, and asks for a signed-in user', async () => {
    const server = await serverWith();
    expect((await call(server.url, null, 'GET', '/api/phrases')).status).toBe(401);
    const token = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: '140581002' });
    expect(await call(server.url, token, 'GET', '/api/phrases')).toMatchObject({
      status: 200,
      body: { phrases: {} },
    });
  });

  it("serves the county's words as written, kinds left out left out", async () => {
    const server = await serverWith(
      JSON.stringify({
        escalate: ['  请今日内到场并回复  ', '市长热线督办件，限时办结'],
        return: ['非本镇辖区'],
      }),
    );
    const token = await tokenFor(server, 'commander1', 'commander');
    expect((await call(server.url, token, 'GET', '/api/phrases')).body).toMatchObject({
      phrases: { escalate: ['请今日内到场并回复', '市长热线督办件，限时办结'], return: ['非本镇辖区'] },
    });
  });

  it('reads a file saved with a byte-order mark (as Windows editors save UTF-8)', async () => {
    const server = await serverWith('\uFEFF' + JSON.stringify({ reject: ['经核实，反映问题不属实'] }));
    const token = await tokenFor(server, 'commander1', 'commander');
    expect((await call(server.url, token, 'GET', '/api/phrases')).body).toMatchObject({
      phrases: { reject: ['经核实，反映问题不属实'] },
    });
  });

  it('stops the start on a faulty file, naming the file and the field', async () => {
    await expect(serverWith('{"escalate": ["请尽快处置", ]}')).rejects.toThrow(
      /phrases\.json: not JSON .*Fix the file, or remove it/,
    );
    await expect(serverWith(JSON.stringify({ escalate: ['请尽快处置', '   '] }))).rejects.toThrow(
      /phrases\.json: escalate\.1: must not be blank/,
    );
  });

  it('serves a changed file without a restart; a faulty change is logged once and the words before stay', async () => {
    const logs: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const server = await serverWith(JSON.stringify({ escalate: ['请今日内到场'] }), logger);
    const file = path.join(server.config.dataDir, PHRASES_FILE);
    const token = await tokenFor(server, 'commander1', 'commander');
    const words = async () =>
      (await call<{ phrases: unknown }>(server.url, token, 'GET', '/api/phrases')).body.phrases;
    expect(await words()).toEqual({ escalate: ['请今日内到场'] });

    fs.writeFileSync(file, JSON.stringify({ escalate: ['请今日内到场并回复'], return: ['非本镇辖区'] }));
    expect(await words()).toEqual({ escalate: ['请今日内到场并回复'], return: ['非本镇辖区'] });
    expect(logs.map((l) => l.msg)).toContainEqual(`${file} read again: escalate 1, return 1`);

    // Saved half-way through an edit: the operators keep the words they had; the log says what is wrong.
    fs.writeFileSync(file, '{"escalate": ["请今日内到场并回复", ');
    expect(await words()).toEqual({ escalate: ['请今日内到场并回复'], return: ['非本镇辖区'] });
    expect(await words()).toEqual({ escalate: ['请今日内到场并回复'], return: ['非本镇辖区'] });
    const errors = logs.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/phrases\.json: not JSON .*Until then, the words read before stay in use\.$/);

    fs.writeFileSync(file, JSON.stringify({ escalate: ['请今日内到场并回复', '请今日内到场并回复'] }));
    expect(await words()).toEqual({ escalate: ['请今日内到场并回复'], return: ['非本镇辖区'] });
    expect(logs.at(-1)!.msg).toMatch(/escalate\.1: the same words as 0 above/);

    // Mended; then removed: every page's built-in words again.
    fs.writeFileSync(file, JSON.stringify({ reject: ['经核实，反映问题不属实'] }));
    expect(await words()).toEqual({ reject: ['经核实，反映问题不属实'] });
    fs.rmSync(file);
    expect(await words()).toEqual({});
    expect(logs.at(-1)!.msg).toBe(`${file} read again: none (every page keeps its built-in words)`);
  });

  it('checks each kind: known, a list of one to eight different words, each at most 500 characters', () => {
    const bad = (raw: unknown) => () => parsePhrases(raw, 'phrases.json');
    expect(bad({ 督办: ['请尽快处置'] })).toThrow(
      'phrases.json: (the whole file): unknown kind "督办" (the kinds are escalate, reject, verify_fail, return)',
    );
    expect(bad({ reject: [] })).toThrow(/reject: list at least one, or leave the kind out/);
    expect(bad({ reject: Array.from({ length: 9 }, (_, i) => `理由${i}`) })).toThrow(
      /reject: at most 8 per kind/,
    );
    expect(bad({ verify_fail: ['整'.repeat(501)] })).toThrow(/verify_fail\.0: at most 500 characters/);
    expect(bad({ escalate: '请尽快处置' })).toThrow(/^phrases\.json: escalate: /);
    // The same words twice (once with the full-width space a Chinese input method types) would be
    // two buttons alike.
    expect(bad({ return: ['请核实', '非本辖区', ' 请核实\u3000'] })).toThrow(
      'phrases.json: return.2: the same words as 0 above',
    );
    expect(bad(['请尽快处置'])).toThrow(/^phrases\.json: \(the whole file\): /);
    expect(parsePhrases({ verify_fail: ['整'.repeat(500)] }, 'x').verify_fail![0]).toHaveLength(500);
  });

  describe('PUT /api/phrases (the 常用语 page)', () => {
    type Answer = { phrases: Record<string, string[]>; revision: string; fault?: string };
    const onDisk = (server: TestServer) => {
      const file = path.join(server.config.dataDir, PHRASES_FILE);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    };

    it("the command centre saves the county's words: written to the file, served to every page, logged", async () => {
      const logs: Array<{ level: number; msg: string }> = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
      const server = await serverWith(undefined, logger);
      const commander = await tokenFor(server, 'commander1', 'commander');
      const township = await tokenFor(server, 'dongcheng', 'township', {
        kind: 'township',
        code: '140581002',
      });
      const before = await call<Answer>(server.url, commander, 'GET', '/api/phrases');
      expect(before.body).toEqual({ phrases: {}, revision: '0' });

      const words = { escalate: ['请今日内到场并回复', '市长热线督办件，限时办结'], return: ['非本镇辖区'] };
      const saved = await call<Answer>(server.url, commander, 'PUT', '/api/phrases', {
        phrases: { ...words, escalate: ['  请今日内到场并回复 ', '市长热线督办件，限时办结'] },
        revision: before.body.revision,
      });
      expect(saved.status).toBe(200);
      expect(saved.body.phrases).toEqual(words);
      expect(saved.body.revision).not.toBe('0');
      // The file holds what a person would have written, and the start reads it as such.
      expect(JSON.parse(onDisk(server)!)).toEqual(words);
      expect(parsePhrases(JSON.parse(onDisk(server)!), 'x')).toEqual(words);
      expect(fs.readdirSync(server.config.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(await call(server.url, township, 'GET', '/api/phrases')).toMatchObject({
        status: 200,
        body: { phrases: words, revision: saved.body.revision },
      });
      expect(logs.map((l) => l.msg)).toContain(
        `${path.join(server.config.dataDir, PHRASES_FILE)} saved by commander1: escalate 2, return 1`,
      );

      // Every kind back to the built-in words: an empty set, kept as a file.
      const cleared = await call<Answer>(server.url, commander, 'PUT', '/api/phrases', {
        phrases: {},
        revision: saved.body.revision,
      });
      expect(cleared.body.phrases).toEqual({});
      expect((await call<Answer>(server.url, township, 'GET', '/api/phrases')).body.phrases).toEqual({});
    });

    it('refuses a save over a change made meanwhile (409 with the words now), in the page or in the file', async () => {
      const server = await serverWith(JSON.stringify({ reject: ['经核实，反映问题不属实'] }));
      const a = await tokenFor(server, 'commander1', 'commander');
      const b = await tokenFor(server, 'admin1', 'admin');
      const opened = (await call<Answer>(server.url, a, 'GET', '/api/phrases')).body.revision;
      const first = await call<Answer>(server.url, b, 'PUT', '/api/phrases', {
        phrases: { reject: ['不属于综合执法事项'] },
        revision: opened,
      });
      expect(first.status).toBe(200);
      const late = await call<{ error: string; current: Answer }>(server.url, a, 'PUT', '/api/phrases', {
        phrases: { reject: ['当事人已自行整改'] },
        revision: opened,
      });
      expect(late.status).toBe(409);
      expect(late.body.error).toMatch(/常用语已被他人修改/);
      expect(late.body.current).toEqual({
        phrases: { reject: ['不属于综合执法事项'] },
        revision: first.body.revision,
      });
      expect(JSON.parse(onDisk(server)!)).toEqual({ reject: ['不属于综合执法事项'] });

      // Someone edits the file by hand after the page read it: the page's save is refused too.
      fs.writeFileSync(
        path.join(server.config.dataDir, PHRASES_FILE),
        JSON.stringify({ return: ['非本镇辖区'] }),
      );
      const overFile = await call<{ current: Answer }>(server.url, a, 'PUT', '/api/phrases', {
        phrases: { reject: ['当事人已自行整改'] },
        revision: first.body.revision,
      });
      expect(overFile.status).toBe(409);
      expect(overFile.body.current.phrases).toEqual({ return: ['非本镇辖区'] });
      expect(JSON.parse(onDisk(server)!)).toEqual({ return: ['非本镇辖区'] });
    });

    it('checks the file itself when saving, not what its stat says (a shared volume may cache it)', async () => {
      const server = await serverWith(JSON.stringify({ reject: ['经核实，反映问题不属实'] }));
      const token = await tokenFor(server, 'commander1', 'commander');
      const file = path.join(server.config.dataDir, PHRASES_FILE);
      const second = Math.floor(Date.now() / 1000) - 60; // a whole second: set exactly both times
      fs.utimesSync(file, second, second);
      const opened = (await call<Answer>(server.url, token, 'GET', '/api/phrases')).body.revision;
      // Another process writes words of the same size into the same file, and its time reads the same.
      const theirs = JSON.stringify({ reject: ['经核实，反映问题不存在'] });
      expect(Buffer.byteLength(theirs)).toBe(fs.statSync(file).size);
      fs.writeFileSync(file, theirs);
      fs.utimesSync(file, second, second);
      const r = await call<{ current: Answer }>(server.url, token, 'PUT', '/api/phrases', {
        phrases: { reject: ['当事人已自行整改'] },
        revision: opened,
      });
      expect(r.status).toBe(409);
      expect(r.body.current.phrases).toEqual({ reject: ['经核实，反映问题不存在'] });
      expect(fs.readFileSync(file, 'utf8')).toBe(theirs);
    });

    it('saves one at a time across processes: a save under way (its lock) refuses another; a lock left by a dead save is taken over', async () => {
      const server = await serverWith();
      const token = await tokenFor(server, 'commander1', 'commander');
      const lock = path.join(server.config.dataDir, `${PHRASES_FILE}.lock`);
      fs.writeFileSync(lock, '');
      const change = { phrases: { escalate: ['请今日内到场'] }, revision: '0' };
      const busy = await call<{ error: string }>(server.url, token, 'PUT', '/api/phrases', change);
      expect(busy.status).toBe(409);
      expect(busy.body.error).toMatch(/另一处正在保存常用语/);
      expect(onDisk(server)).toBeNull();
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(lock, old, old);
      expect((await call(server.url, token, 'PUT', '/api/phrases', change)).status).toBe(200);
      expect(JSON.parse(onDisk(server)!)).toEqual(change.phrases);
      expect(fs.existsSync(lock)).toBe(false);
    });

    it('is for the command centre: others get 403, no one signed in 401, and the file stays', async () => {
      const file = JSON.stringify({ escalate: ['请今日内到场'] });
      const server = await serverWith(file);
      const change = { phrases: { escalate: ['改了'] }, revision: '0' };
      const township = await tokenFor(server, 'dongcheng', 'township', {
        kind: 'township',
        code: '140581002',
      });
      const leader = await tokenFor(server, 'leader1', 'leader');
      const revision = (await call<Answer>(server.url, township, 'GET', '/api/phrases')).body.revision;
      for (const token of [township, leader]) {
        const r = await call<{ error: string }>(server.url, token, 'PUT', '/api/phrases', {
          ...change,
          revision,
        });
        expect(r.status).toBe(403);
        expect(r.body.error).toMatch(/may not change the usual words; allowed: admin, commander/);
      }
      expect((await call(server.url, null, 'PUT', '/api/phrases', { ...change, revision })).status).toBe(401);
      expect(onDisk(server)).toBe(file);
    });

    it('refuses bad words with 400 naming the field, and the file stays as it was', async () => {
      const file = JSON.stringify({ escalate: ['请今日内到场'] });
      const server = await serverWith(file);
      const token = await tokenFor(server, 'commander1', 'commander');
      const revision = (await call<Answer>(server.url, token, 'GET', '/api/phrases')).body.revision;
      const cases: Array<[unknown, string, RegExp?]> = [
        [
          { phrases: { escalate: ['请尽快', '  '] }, revision },
          'body.phrases.escalate.1',
          /must not be blank/,
        ],
        [
          { phrases: { escalate: ['请尽快', '请尽快 '] }, revision },
          'body.phrases.escalate.1',
          /the same words as 0 above/,
        ],
        [
          { phrases: { escalate: ['整'.repeat(501)] }, revision },
          'body.phrases.escalate.0',
          /at most 500 characters/,
        ],
        [
          { phrases: { reject: Array.from({ length: 9 }, (_, i) => `理由${i}`) }, revision },
          'body.phrases.reject',
          /at most 8 per kind/,
        ],
        [{ phrases: { reject: [] }, revision }, 'body.phrases.reject', /list at least one/],
        [{ phrases: { 督办: ['请尽快'] }, revision }, 'body.phrases.督办', /督办/],
        [{ phrases: { escalate: '请尽快' }, revision }, 'body.phrases.escalate'],
        [{ phrases: { escalate: ['请尽快'] } }, 'body.revision'],
        [{ phrases: { escalate: ['请尽快'] }, revision: 'x'.repeat(65) }, 'body.revision'],
        [{ phrases: { escalate: ['请尽快'] }, revision, extra: 1 }, 'body.extra'],
        [['请尽快'], 'body'],
      ];
      for (const [body, field, message] of cases) {
        const r = await call<{ error: string; field: string }>(
          server.url,
          token,
          'PUT',
          '/api/phrases',
          body,
        );
        expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(r.body.field).toBe(field);
        if (message) expect(r.body.error).toMatch(message);
      }
      expect(onDisk(server)).toBe(file);
      expect((await call<Answer>(server.url, token, 'GET', '/api/phrases')).body.revision).toBe(revision);
    });

    it('tells the command centre (only) what is wrong with a faulty file, and a save mends it', async () => {
      const server = await serverWith(JSON.stringify({ escalate: ['请今日内到场'] }));
      fs.writeFileSync(path.join(server.config.dataDir, PHRASES_FILE), '{"escalate": [');
      const commander = await tokenFor(server, 'commander1', 'commander');
      const township = await tokenFor(server, 'dongcheng', 'township', {
        kind: 'township',
        code: '140581002',
      });
      const seen = (await call<Answer>(server.url, commander, 'GET', '/api/phrases')).body;
      expect(seen.phrases).toEqual({ escalate: ['请今日内到场'] });
      expect(seen.fault).toMatch(/phrases\.json: not JSON/);
      const theirs = (await call<Answer>(server.url, township, 'GET', '/api/phrases')).body;
      expect(theirs).toEqual({ phrases: { escalate: ['请今日内到场'] }, revision: seen.revision });

      const mended = await call<Answer>(server.url, commander, 'PUT', '/api/phrases', {
        phrases: seen.phrases,
        revision: seen.revision,
      });
      expect(mended.status).toBe(200);
      expect(mended.body.fault).toBeUndefined();
      expect(JSON.parse(onDisk(server)!)).toEqual({ escalate: ['请今日内到场'] });
    });

    it('says when the file cannot be written (503, what to check), and the words in use stay', async () => {
      const server = await serverWith();
      const token = await tokenFor(server, 'commander1', 'commander');
      // Something not a file where the file goes (a folder, made by hand): the rename over it fails.
      fs.mkdirSync(path.join(server.config.dataDir, PHRASES_FILE, 'x'), { recursive: true });
      const now = (await call<Answer>(server.url, token, 'GET', '/api/phrases')).body;
      const r = await call<{ error: string }>(server.url, token, 'PUT', '/api/phrases', {
        phrases: { escalate: ['请今日内到场'] },
        revision: now.revision,
      });
      expect(r.status).toBe(503);
      expect(r.body.error).toMatch(/常用语未能保存.*the words in use are unchanged\. Check the disk/);
      expect((await call<Answer>(server.url, token, 'GET', '/api/phrases')).body.phrases).toEqual({});
      expect(fs.readdirSync(server.config.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });
});
