// GET /api/returns: a unit's own 退回 records, newest first, each with what the command centre did
// with it — still pending, sent back (退回未同意，重新派遣), dispatched elsewhere, rejected — even
// when the unit is no longer a party of the case (a department's case dispatched to a township).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, getCase, reportDispatched } from '../../support/cases';
import type { CaseView, ReturnRecord, ReturnsPage } from '../../../shared/cases';

const DONGCHENG = '140581002';
const BEICHENG = '140581001';

describe.each(ENGINES)('a unit’s 退回 records, on %s', (engine) => {
  let database: TestDatabase;
  let server: TestServer;
  let commander: string;
  let dongcheng: string;
  let beicheng: string;
  let cgj: string;
  let point = 0;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = await startTestServer({ engine, database });
    commander = await tokenFor(server, 'cmd', 'commander');
    dongcheng = await tokenFor(server, 'dc', 'township', { kind: 'township', code: DONGCHENG });
    beicheng = await tokenFor(server, 'bc', 'township', { kind: 'township', code: BEICHENG });
    cgj = await tokenFor(server, 'cg', 'department', { kind: 'department', code: 'cgj' });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
  });

  const dispatched = (township: string, matterCode: string): Promise<CaseView> =>
    reportDispatched(server, commander, township, matterCode, point++);
  async function step(token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body as { case: CaseView }).case;
  }
  async function returns(token: string, query = ''): Promise<ReturnsPage> {
    const r = await call<ReturnsPage>(server.url, token, 'GET', `/api/returns${query ? `?${query}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }
  const recordOf = (page: ReturnsPage, caseId: string): ReturnRecord | undefined =>
    page.items.find((x) => x.caseId === caseId);

  it('lists a return as pending, then says the command centre sent it back to the same unit', async () => {
    let c = await dispatched(DONGCHENG, 'SR01'); // 占道经营, delegated to 东城
    c = await step(dongcheng, c, { action: 'return', reason: '该路段属北城街道管辖' });
    const pending = recordOf(await returns(dongcheng), c.id);
    expect(pending).toMatchObject({
      caseNo: c.no,
      matterName: '占道经营',
      reason: '该路段属北城街道管辖',
      returnedBy: { kind: 'township', code: DONGCHENG },
      decision: null,
      status: 'returned',
      assignee: null,
      visible: true, // the case lies in 东城: it is still one of its parties
    });
    expect(pending!.place).toMatch(/^东城街道 › /);

    c = await step(commander, c, {
      action: 'dispatch',
      assignee: { kind: 'township', code: DONGCHENG },
      note: '经核实属东城街道',
    });
    const decided = recordOf(await returns(dongcheng), c.id)!;
    expect(decided.decision).toMatchObject({
      type: 'dispatch',
      to: { kind: 'township', code: DONGCHENG },
      again: true,
      note: '经核实属东城街道',
    });
    expect(decided.decision!.at).toBeGreaterThanOrEqual(decided.returnedAt);
    expect(decided.status).toBe('dispatched');
  });

  it("keeps a department's record after its case went to a township it cannot see", async () => {
    let c = await dispatched(BEICHENG, 'SR14'); // 擅自挖掘城市道路: the 城管局's
    expect(c.assignee).toMatchObject({ kind: 'department', code: 'cgj' });
    c = await step(cgj, c, { action: 'return', reason: '属街道日常巡查范围' });
    c = await step(commander, c, { action: 'dispatch', assignee: { kind: 'township', code: BEICHENG } });
    expect((await getCase(server, cgj, c.id)).status, 'no longer its case').toBe(404);

    const record = recordOf(await returns(cgj), c.id)!;
    expect(record).toMatchObject({
      reason: '属街道日常巡查范围',
      decision: {
        type: 'dispatch',
        to: { kind: 'township', code: BEICHENG, name: '北城街道' },
        again: false,
      },
      assignee: { kind: 'township', code: BEICHENG },
      visible: false,
    });
    // Not 东城's, nor 北城's: 北城 did not return it.
    expect(recordOf(await returns(dongcheng), c.id)).toBeUndefined();
    expect(recordOf(await returns(beicheng), c.id)).toBeUndefined();
  });

  it('says a rejection and its reason', async () => {
    let c = await dispatched(DONGCHENG, 'SR01');
    c = await step(dongcheng, c, { action: 'return', reason: '现场未发现占道' });
    c = await step(commander, c, { action: 'reject', reason: '经核实为重复反映' });
    expect(recordOf(await returns(dongcheng), c.id)!.decision).toMatchObject({
      type: 'reject',
      note: '经核实为重复反映',
      to: null,
    });
  });

  it('is newest first, pages with `next`, and a unit reads its own only; the county any unit', async () => {
    const all = await returns(dongcheng);
    expect(all.items.length).toBeGreaterThanOrEqual(2);
    expect(all.items.every((x) => x.returnedBy.code === DONGCHENG)).toBe(true);
    const seqs = all.items.map((x) => x.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const first = await returns(dongcheng, 'limit=1');
    expect(first.items.map((x) => x.seq)).toEqual([seqs[0]]);
    expect(first.next).toBe(seqs[0]);
    const second = await returns(dongcheng, `limit=1&before=${first.next}`);
    expect(second.items.map((x) => x.seq)).toEqual([seqs[1]]);
    expect((await returns(dongcheng, 'limit=200')).next).toBeNull();

    expect((await returns(commander, `party=township:${DONGCHENG}`)).items.map((x) => x.seq)).toEqual(seqs);
    const county = await returns(commander);
    expect(new Set(county.items.map((x) => x.returnedBy.code))).toEqual(new Set([DONGCHENG, 'cgj']));

    const refused = await call<{ error: string }>(
      server.url,
      beicheng,
      'GET',
      `/api/returns?party=township:${DONGCHENG}`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('本单位');
  });

  it("is not fooled by a reason that spells another unit's record", async () => {
    let c = await dispatched(DONGCHENG, 'SR01');
    c = await step(dongcheng, c, {
      action: 'return',
      reason: `"returnedBy":{"kind":"township","code":"${BEICHENG}","name":"北城街道"}`,
    });
    expect(recordOf(await returns(beicheng), c.id)).toBeUndefined();
    expect(recordOf(await returns(dongcheng), c.id)).toBeDefined();
  });

  it('refuses a malformed query, naming the field', async () => {
    for (const [query, field] of [
      ['party=140581002', 'query.party'],
      ["party=township:1'%", 'query.party'],
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['before=abc', 'query.before'],
    ]) {
      const r = await call<{ error: string; field?: string }>(
        server.url,
        dongcheng,
        'GET',
        `/api/returns?${query}`,
      );
      expect(r.status, query).toBe(400);
      expect(r.body.field, query).toBe(field);
    }
    const anon = await call(server.url, null, 'GET', '/api/returns');
    expect(anon.status).toBe(401);
  });
});
