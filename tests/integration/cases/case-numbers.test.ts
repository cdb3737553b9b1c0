// 案件编号: every case gets the next number of the Shanghai day it was reported, in the commit that
// stores it — gap-free and unique under concurrent intake, starting again at 1 at Shanghai midnight,
// not used up by a retried clue, the same in every read, and found by the search. On SQLite through
// the writer thread and on the main connection, and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseListPage, CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const NANCHENG = '140581001';

const variants = [
  ...ENGINES.map((engine) => ({ name: engine, engine, env: {} })),
  { name: 'sqlite, writer thread off', engine: 'sqlite' as const, env: { SQLITE_WRITER_THREAD: 'off' } },
];

describe.each(variants)('case numbers on $name', ({ engine, env }) => {
  let server: TestServer;
  let commander: string;
  // 23:50 on 4 December 2026 in Shanghai (UTC+8).
  const clock = new ManualClock(Date.UTC(2026, 11, 4, 15, 50));
  let point = 0;
  const clue = (over: Record<string, unknown> = {}) =>
    // Points apart, so no clue is taken for another's duplicate.
    clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, point++), over);

  beforeAll(async () => {
    server = await startTestServer({ engine, env, clock });
    commander = await tokenFor(server, 'commander1', 'commander');
  });
  afterAll(() => server?.close());

  const seqOf = (no: string) => Number(no.split('-')[1]);

  it('numbers 30 clues sent at once 20261204-0001 … 0030, each once, the same in every read', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => report(server, commander, clue())));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const cases = answers.map((a) => a.body.case as CaseView);
    for (const c of cases) expect(c.no).toMatch(/^20261204-\d{4}$/);
    expect(cases.map((c) => seqOf(c.no)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    const again = await getCase(server, commander, cases[7]!.id);
    expect((again.body.case as CaseView).no).toBe(cases[7]!.no);
  });

  it('does not use a number up on a retried clue, and starts again at 1 at Shanghai midnight', async () => {
    const first = await report(server, commander, clue({ clientId: 'retry-1' }));
    expect(first.status).toBe(201);
    expect((first.body.case as CaseView).no).toBe('20261204-0031');
    const retry = await report(server, commander, clue({ clientId: 'retry-1' }));
    expect(retry.status).toBe(200);
    expect((retry.body.case as CaseView).no).toBe('20261204-0031');
    const next = await report(server, commander, clue());
    expect((next.body.case as CaseView).no).toBe('20261204-0032');

    clock.advance(15 * 60_000); // 00:05 on 5 December in Shanghai; still 4 December in UTC
    const tomorrow = await Promise.all([
      report(server, commander, clue()),
      report(server, commander, clue()),
    ]);
    expect(tomorrow.map((a) => (a.body.case as CaseView).no).sort()).toEqual([
      '20261205-0001',
      '20261205-0002',
    ]);
  });

  it('finds a case by its number, written as an operator would; a township only its own', async () => {
    const page = (token: string, q: string) =>
      call(server.url, token, 'GET', `/api/cases?q=${encodeURIComponent(q)}`).then(
        (r) => r.body as CaseListPage,
      );
    const seventh = (await page(commander, '20261204-0007')).items;
    expect(seventh.map((c) => c.no)).toEqual(['20261204-0007']);
    for (const q of ['202612040007', '20261204-7', '２０２６１２０４－０００７'])
      expect((await page(commander, q)).items.map((c) => c.id)).toEqual([seventh[0]!.id]);
    expect((await page(commander, '20261204-0099')).items).toEqual([]);
    // Read out short: without the year (this year's 4 December), or today's serial alone (it is
    // 5 December in Shanghai now), the day's case first.
    for (const q of ['1204-0007', '1204-7'])
      expect((await page(commander, q)).items.map((c) => c.id)).toEqual([seventh[0]!.id]);
    for (const q of ['0002', '2', '-2'])
      expect((await page(commander, q)).items[0]?.no, q).toBe('20261205-0002');
    // A month-day still to come this year is last year's: none here.
    expect((await page(commander, '1231-0001')).items).toEqual([]);

    const dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    const nancheng = await tokenFor(server, 'nancheng', 'township', { kind: 'township', code: NANCHENG });
    expect((await page(dongcheng, '20261204-0007')).items.map((c) => c.id)).toEqual([seventh[0]!.id]);
    expect((await page(nancheng, '20261204-0007')).total).toBe(0);
  });
});
