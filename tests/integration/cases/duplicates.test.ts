// The possible-duplicate link at intake (an open case of the same matter within 50 m) follows the
// cases' lives: a rejected or closed case is no longer linked to, and a server started on a database
// links to the open cases stored before it started. On SQLite the open cases are kept in memory
// (server/cases/open-cases.ts), on PostgreSQL they are queried: both must answer alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { openCaseIndexOf } from '../../../server/cases/open-cases';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../support/db';
import { dieAfterNextCommit } from '../../support/writer';
import { startTestServer, type TestServer } from '../../support/server';
import { tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';
const EAST_18M = 0.0002; // degrees of longitude: ≈18 m here

describe.each(ENGINES)('possible duplicates on %s', (engine) => {
  let database: TestDatabase;
  let server: TestServer;
  let commander: string;
  let dongcheng: string;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = await startTestServer({ database });
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    await server.handle.ctx.teams.createTeam({
      id: 'team-1',
      name: '东城街道综合行政执法队',
      kind: 'township',
      ownerCode: DONGCHENG,
      ownerName: '东城街道',
      members: [],
      devices: [],
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
  });

  async function clue(point: [number, number], matterCode: string): Promise<CaseView> {
    const r = await report(server, commander, clueAt(point, { matterCode }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case as CaseView;
  }
  async function step(token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  }

  it('stops linking to a case once it is rejected or closed', async () => {
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 5);
    const east: [number, number] = [p[0] + EAST_18M, p[1]];
    const a = await clue(p, 'SR09');
    expect(a.duplicateOf).toBeNull();
    expect(a.status).toBe('dispatched');
    const b = await clue(east, 'SR09');
    expect(b.duplicateOf).toBe(a.id);
    expect(b.status).toBe('reported');
    // b is rejected: a clue at b's very spot links to a, 18 m away, not to b.
    await step(commander, b, { action: 'reject', reason: '经核实不属实' });
    const c = await clue(east, 'SR09');
    expect(c.duplicateOf).toBe(a.id);
    // c is merged into a (merged cases are final too).
    await step(commander, c, { action: 'merge', into: a.id, reason: '重复上报' });
    // A later report there is flagged too, and waits while a is worked and closed.
    const late = await clue(east, 'SR09');
    expect(late.duplicateOf).toBe(a.id);
    let done = await step(dongcheng, a, { action: 'acknowledge' });
    done = await step(dongcheng, done, { action: 'start', personnel: 2, teamId: 'team-1' });
    done = await step(dongcheng, done, { action: 'arrive' });
    done = await step(dongcheng, done, { action: 'resolve', result: '已清理' });
    done = await step(commander, done, { action: 'verify_pass' });
    expect(done.status).toBe('closed');
    // Merging it into the closed case would lose the report: refused, naming the field.
    const refused = await act(server, commander, late.id, {
      version: late.version,
      action: 'merge',
      into: a.id,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.field).toBe('body.into');
    expect(refused.body.error).toContain('已结案');
    await step(commander, late, { action: 'reject', reason: '问题已处理完毕' });
    // Nothing open is left there: a new clue at either spot is not linked.
    expect((await clue(p, 'SR09')).duplicateOf).toBeNull();
    // On SQLite the answers came from the open cases in memory, on PostgreSQL from the query.
    const index = openCaseIndexOf(server.store);
    if (engine === 'sqlite') expect(index?.size).toBeGreaterThan(0);
    else expect(index).toBeUndefined();
  });

  it('links to the open cases stored before the server started, and not to the rejected ones', async () => {
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 6);
    const q: [number, number] = [p[0], p[1] + 0.0002]; // ≈22 m north
    const qNorth: [number, number] = [q[0], q[1] + 0.00005]; // ≈6 m further
    const open = await clue(p, 'SR10');
    const kept = await clue(q, 'SR11');
    const dup = await clue(qNorth, 'SR11');
    expect(dup.duplicateOf).toBe(kept.id);
    await step(commander, dup, { action: 'reject', reason: '经核实不属实' });

    await server.close();
    server = await startTestServer({ database });
    commander = await tokenFor(server, 'commander1', 'commander');
    // The new server's first lookup finds what was stored before it started (on SQLite, the open
    // cases are read into memory then) …
    expect((await clue([p[0] + EAST_18M, p[1]], 'SR10')).duplicateOf).toBe(open.id);
    // … and not the rejected case: a clue at its very spot links to the open one 6 m away.
    expect((await clue(qNorth, 'SR11')).duplicateOf).toBe(kept.id);
  });

  it('links to the nearest open case when more than 50 of the matter lie around it', async () => {
    // 55 open cases ≈64 m south-east (45 m south, 45 m east: inside the 50 m square looked at, outside
    // the 50 m circle) and one 40 m north. PostgreSQL reads the square from the (matter_code, lat)
    // index, south first: taking 50 rows in no order of distance, it missed the one in reach.
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 10);
    const m = 1 / 111_320; // degrees of latitude in a metre
    const mLng = m / Math.cos((p[1] * Math.PI) / 180);
    const southEast: [number, number] = [p[0] + 45 * mLng, p[1] - 45 * m];
    for (let i = 0; i < 55; i++) await clue(southEast, 'SR13');
    const north = await clue([p[0], p[1] + 40 * m], 'SR13');
    expect(north.duplicateOf).toBeNull(); // ≈96 m from the cluster
    expect((await clue(p, 'SR13')).duplicateOf).toBe(north.id);
  });
});

describe('the open cases in memory (SQLite)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let commander: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database });
    commander = await tokenFor(server, 'commander1', 'commander');
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
  });

  const clueAtPoint = async (point: [number, number], over: Record<string, unknown> = {}) =>
    report(server, commander, clueAt(point, { matterCode: 'SR12', ...over }));

  it('applies the changes made while it loads on top of what it read', async () => {
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 7);
    const far = pointIn(server.handle.ctx.geo, DONGCHENG, 8);
    const a = (await clueAtPoint(p)).body.case as CaseView;
    await clueAtPoint(far);
    // A second store on the file, so that its index loads from scratch; its one connection is held
    // by a transaction, so the load waits behind it while changes come in.
    const store = await database.open();
    try {
      const index = openCaseIndexOf(store)!;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let holding!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      const trx = store.db.transaction().execute(async (t) => {
        await t.selectFrom('cases').select('id').limit(1).execute();
        holding();
        await gate;
      });
      await held;
      const lookup = index.nearest('SR12', p[0], p[1], 50);
      index.remove(a.id); // reached a final state while the load waited
      index.add('added-while-loading', 'SR12', p[0] + EAST_18M, p[1]);
      release();
      await trx;
      // The load read `a` as open; the replayed removal wins, and the replayed addition is there.
      expect(await lookup).toBe('added-while-loading');
      expect(index.size).toBe(2); // `far` and the addition
    } finally {
      await store.close();
    }
  });

  it('names the first reported of open cases equally near, whatever order it holds them in', async () => {
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 12);
    await clueAtPoint(pointIn(server.handle.ctx.geo, DONGCHENG, 13)); // the index is loaded
    const index = openCaseIndexOf(server.store)!;
    // Two cases at one spot, the later reported (the larger time-ordered id) held first.
    const earlier = '01a00000-0000-7000-8000-000000000001';
    const later = '01a00000-0000-7000-8000-000000000002';
    index.add(later, 'SR15', p[0], p[1]);
    index.add(earlier, 'SR15', p[0], p[1]);
    expect(await index.nearest('SR15', p[0], p[1], 50)).toBe(earlier);
  });

  it('still links to a case a dying writer thread committed without answering', async () => {
    const writer = server.store.writer!;
    // The thread commits, then dies before its answer arrives.
    dieAfterNextCommit(writer);
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 9);
    // Sent with a clientId: the retry on the main connection finds it stored and answers with it.
    const first = await clueAtPoint(p, { clientId: 'lost-reply-1' });
    expect(first.status).toBe(200);
    const stored = first.body.case as CaseView;
    expect(writer.usable).toBe(false);
    const near = await clueAtPoint([p[0] + EAST_18M, p[1]]);
    expect(near.status).toBe(201);
    expect((near.body.case as CaseView).duplicateOf).toBe(stored.id);
  });
});
