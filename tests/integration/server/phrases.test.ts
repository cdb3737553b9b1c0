// A county's own usual words (常用语, DATA_DIR/phrases.json): served to signed-in pages as written,
// none when there is no file (each page keeps its built-in words), and a faulty file stops the start
// with what is wrong and where, never a server offering words it would refuse.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  async function serverWith(file?: string): Promise<TestServer> {
    const database = await createTestDatabase('sqlite');
    databases.push(database);
    if (file !== undefined) fs.writeFileSync(path.join(database.dataDir, PHRASES_FILE), file);
    const server = await startTestServer({ database });
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
