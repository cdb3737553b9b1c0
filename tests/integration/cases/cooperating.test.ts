// GET /api/cases?cooperating=<party>: the tasks another unit leads that this unit cooperates on
// (协办, 联合执法) — a county department's case in a township names the township's team as
// cooperating (DESIGN §3). The township desk's 协办 tab reads it; not its own tasks, not others'.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { reportDispatched } from '../../support/cases';
import { nameTeamsSent } from '../../../server/cases/service';
import { SYSTEM_ACTOR, type CaseListPage, type CaseView } from '../../../shared/cases';

const DONGCHENG = '140581002';
const BEICHENG = '140581001';

describe.each(ENGINES)('the cases a unit cooperates on, on %s', (engine) => {
  let database: TestDatabase;
  let server: TestServer;
  let commander: string;
  let dongcheng: string;
  let point = 0;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = await startTestServer({ engine, database });
    commander = await tokenFor(server, 'cmd', 'commander');
    dongcheng = await tokenFor(server, 'dc', 'township', { kind: 'township', code: DONGCHENG });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
  });

  const dispatched = (township: string, matterCode: string): Promise<CaseView> =>
    reportDispatched(server, commander, township, matterCode, point++);
  const list = async (token: string, query: string) => {
    const r = await call<CaseListPage>(server.url, token, 'GET', `/api/cases?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items.map((c) => c.id);
  };

  it("lists a department's task in the township for the township, and neither its own tasks nor another township's", async () => {
    // 擅自挖掘城市道路 is the 城管局's in every township: 东城 cooperates.
    const helped = await dispatched(DONGCHENG, 'SR14');
    expect(helped.assignee).toMatchObject({ kind: 'department', code: 'cgj' });
    expect(helped.cooperating).toEqual([expect.objectContaining({ kind: 'township', code: DONGCHENG })]);
    const own = await dispatched(DONGCHENG, 'SR01'); // 占道经营, delegated to 东城: its own task
    const elsewhere = await dispatched(BEICHENG, 'SR14'); // 北城 cooperates on this one

    const q = `cooperating=township:${DONGCHENG}&status=dispatched,accepted,in_progress,rectifying,resolved`;
    const seen = await list(dongcheng, q);
    expect(seen).toContain(helped.id);
    expect(seen).not.toContain(own.id);
    expect(seen).not.toContain(elsewhere.id);
    // The command centre asks the same of any unit; the department itself leads, it cooperates on none.
    expect(await list(commander, q)).toEqual(seen);
    expect(await list(commander, 'cooperating=department:cgj')).not.toContain(helped.id);
    expect(await list(commander, `cooperating=township:${BEICHENG}`)).toContain(elsewhere.id);
  });

  it("names the department's team it sent in the township's view of the timeline, though the township cannot list that team", async () => {
    await server.handle.ctx.teams.createTeam({
      id: 'Dcgj',
      name: '城管执法大队',
      kind: 'department',
      ownerCode: 'cgj',
      ownerName: '高平市城市管理局',
      members: [],
      devices: [],
    });
    const cgj = await tokenFor(server, 'cgj-desk', 'department', { kind: 'department', code: 'cgj' });
    let c = await dispatched(DONGCHENG, 'SR14');
    for (const body of [{ action: 'acknowledge' }, { action: 'start', teamId: 'Dcgj', personnel: 2 }]) {
      const r = await call<{ case: CaseView }>(server.url, cgj, 'POST', `/api/cases/${c.id}/actions`, {
        ...body,
        version: c.version,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      c = r.body.case;
    }
    const teams = await call<{ teams: Array<{ id: string }> }>(server.url, dongcheng, 'GET', '/api/teams');
    expect(teams.body.teams.map((t) => t.id)).not.toContain('Dcgj');
    const sent = async () => {
      const r = await call<{ case: CaseView }>(server.url, dongcheng, 'GET', `/api/cases/${c.id}`);
      expect(r.status).toBe(200);
      return r.body.case.timeline!.find((e) => e.type === 'start')!.payload;
    };
    expect(await sent()).toMatchObject({ teamId: 'Dcgj', teamName: '城管执法大队' });
    // Events recorded before the name was kept with them (the events are append-only, so as the
    // view reads them): named from the teams as they are; a team not there keeps its id alone.
    const payloads: Array<Record<string, unknown>> = [
      { teamId: 'Dcgj', personnel: 2 },
      { teamId: 'T-gone', personnel: 1 },
    ];
    const timeline = payloads.map((payload, i) => ({
      seq: i + 1,
      caseId: c.id,
      type: 'start' as const,
      actor: SYSTEM_ACTOR,
      at: 1,
      payload,
    }));
    await nameTeamsSent(server.store.db, timeline);
    expect(timeline.map((e) => e.payload)).toEqual([
      { teamId: 'Dcgj', personnel: 2, teamName: '城管执法大队' },
      { teamId: 'T-gone', personnel: 1 },
    ]);
  });

  it('refuses a malformed party, naming the field', async () => {
    for (const bad of ['140581002', 'township:', 'village:1', "township:1'%"]) {
      const r = await call<{ error: string; field?: string }>(
        server.url,
        dongcheng,
        'GET',
        `/api/cases?cooperating=${encodeURIComponent(bad)}`,
      );
      expect(r.status, bad).toBe(400);
      expect(JSON.stringify(r.body), bad).toContain('cooperating');
    }
  });
});
