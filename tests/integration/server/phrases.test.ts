// A county's own usual words (常用语, DATA_DIR/phrases.json): served to signed-in pages as written,
// none when there is no file (each page keeps its built-in words), and a faulty file stops the start
// with what is wrong and where, never a server offering words it would refuse. A change to the file
// is served without a restart; a faulty change is logged and the words before it stay.
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
    expect((await call(server.url, token, 'GET', '/api/phrases')).body).toEqual({
      phrases: { escalate: ['请今日内到场并回复', '市长热线督办件，限时办结'], return: ['非本镇辖区'] },
    });
  });

  it('reads a file saved with a byte-order mark (as Windows editors save UTF-8)', async () => {
    const server = await serverWith('\uFEFF' + JSON.stringify({ reject: ['经核实，反映问题不属实'] }));
    const token = await tokenFor(server, 'commander1', 'commander');
    expect((await call(server.url, token, 'GET', '/api/phrases')).body).toEqual({
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
});
