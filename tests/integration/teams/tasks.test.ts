// A team's current task (当前任务) and its 现场处置 status, from the case records: what the big
// screen's team card and markers show, live over the socket, for the scope that may see it, and the
// same after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';
import { connectSocket, waitFor, type ClientSocket } from '../../support/socket';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import type { Team, TeamTaskUpdate } from '../../../shared/teams';
import { TeamTasks } from '../../../server/teams/tasks';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const DONGCHENG = '140581002';
const TEAM = 'T140581002';

describe.each(ENGINES)('a team’s current task on %s', (engine) => {
  let database: TestDatabase;
  let server: TestServer;
  const clock = new ManualClock(T0);
  let commander: string;
  let dongcheng: string;
  let beicheng: string;
  const sockets: ClientSocket[] = [];
  let point = 0;

  async function start(): Promise<void> {
    server = await startTestServer({ engine, database, clock });
    commander = await tokenFor(server, 'cmd', 'commander');
    dongcheng = await tokenFor(server, 'dc', 'township', { kind: 'township', code: DONGCHENG });
    beicheng = await tokenFor(server, 'bc', 'township', { kind: 'township', code: '140581001' });
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await start();
    await server.handle.ctx.teams.createTeam({
      id: TEAM,
      name: '东城街道综合行政执法队',
      kind: 'township',
      ownerCode: DONGCHENG,
      ownerName: '东城街道',
      members: [],
      devices: [{ deviceId: 'dc-car', token: 'dc-secret', label: '执法车' }],
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await database?.destroy();
  });

  /** A fix of the team's car, standing still, now. */
  async function standStill(): Promise<void> {
    const r = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': 'dc-secret' },
      body: JSON.stringify({
        deviceId: 'dc-car',
        fixes: [{ lng: 112.92, lat: 35.79, at: clock.now(), speed: 0 }],
      }),
    });
    expect(r.status).toBe(200);
  }

  async function teamAs(token: string): Promise<Team> {
    const r = await call<{ team: Team }>(server.url, token, 'GET', `/api/teams/${TEAM}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.team;
  }

  /** A case in 东城 (dispatched to the township at once), taken on by it. */
  async function acceptedCase(): Promise<CaseView> {
    const c = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, point++)));
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    return doAct(c.body.case as CaseView, { action: 'acknowledge' });
  }

  async function doAct(c: CaseView, input: Record<string, unknown>): Promise<CaseView> {
    clock.advance(60_000);
    const r = await act(server, dongcheng, c.id, { ...input, version: c.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  }

  function socketOf(token: string): ClientSocket {
    const s = connectSocket(server.url, token);
    sockets.push(s);
    return s;
  }

  const heard = (s: ClientSocket, ok: (u: TeamTaskUpdate) => boolean) =>
    waitFor(s, 'team:tasks', (updates) => updates.some((u) => u.teamId === TEAM && ok(u)));

  it('shows the case a team is sent to, 前往现场 then 现场处置, and no task once resolved', async () => {
    await standStill();
    expect(await teamAs(commander)).toMatchObject({ status: 'idle', task: null });
    const centre = socketOf(commander);
    const desk = socketOf(dongcheng);
    await Promise.all([waitFor(centre, 'hello'), waitFor(desk, 'hello')]);

    let c = await acceptedCase();
    const sent = Promise.all([
      heard(centre, (u) => u.task?.caseId === c.id),
      heard(desk, (u) => u.task?.caseId === c.id),
    ]);
    c = await doAct(c, { action: 'start', teamId: TEAM, personnel: 3 });
    const startedAt = clock.now();
    for (const [u] of (await sent).map((list) => list.filter((x) => x.teamId === TEAM)))
      expect(u).toEqual({
        teamId: TEAM,
        status: 'en_route', // sent, though the car has not moved yet
        task: {
          caseId: c.id,
          caseNo: c.no,
          matterName: c.matterName,
          stage: 'en_route',
          since: startedAt,
          startedAt,
        },
      });
    const listed = await call<{ teams: Team[] }>(server.url, commander, 'GET', '/api/teams');
    expect(listed.body.teams.find((t) => t.id === TEAM)).toMatchObject({
      status: 'en_route',
      task: { caseId: c.id, caseNo: c.no, stage: 'en_route', since: startedAt },
    });
    // Another township sees neither the team nor its task.
    const other = await call(server.url, beicheng, 'GET', `/api/teams/${TEAM}`);
    expect(other.status).toBe(404);

    // A fix taken on the way and sent after the arrival must not undo 现场处置: no timed flush in
    // between, so the batch's status is the one at the flush.
    const teams = server.handle.ctx.teams;
    await teams.stop();
    teams.flush();
    await standStill();
    const arrived = heard(centre, (u) => u.task?.stage === 'on_site');
    c = await doAct(c, { action: 'arrive' });
    const arrivedAt = clock.now();
    const [update] = (await arrived).filter((u) => u.teamId === TEAM);
    expect(update).toMatchObject({
      status: 'on_site',
      task: { stage: 'on_site', since: arrivedAt, startedAt },
    });
    expect(await teamAs(dongcheng)).toMatchObject({
      status: 'on_site',
      task: { caseId: c.id, stage: 'on_site', since: arrivedAt },
    });
    const late = waitFor(centre, 'team:positions', (u) => u.some((x) => x.teamId === TEAM));
    teams.flush();
    expect((await late).find((x) => x.teamId === TEAM)!.status).toBe('on_site');
    teams.start();
    // The car's next fix keeps the marker 现场处置.
    const moved = waitFor(centre, 'team:positions', (u) => u.some((x) => x.teamId === TEAM));
    await standStill();
    server.handle.ctx.teams.flush();
    expect((await moved).find((x) => x.teamId === TEAM)!.status).toBe('on_site');

    const done = heard(desk, (u) => u.task === null);
    await doAct(c, { action: 'resolve', result: '已劝离，恢复通行' });
    expect((await done).find((u) => u.teamId === TEAM)).toEqual({ teamId: TEAM, task: null, status: 'idle' });
    expect(await teamAs(commander)).toMatchObject({ status: 'idle', task: null });
  });

  it('sends the team back (en_route) when the verification fails, and lets it go when rectification is ordered', async () => {
    let c = await acceptedCase();
    c = await doAct(c, { action: 'start', teamId: TEAM });
    c = await doAct(c, { action: 'arrive' });
    c = await doAct(c, { action: 'order_rectification' });
    expect((await teamAs(commander)).task).toBeNull(); // the party rectifies; the team is free
    c = await doAct(c, { action: 'report_rectified' });
    const back = clock.now();
    expect((await teamAs(commander)).task).toMatchObject({ caseId: c.id, stage: 'en_route', since: back });
    c = await doAct(c, { action: 'resolve', result: '已整改' });
    expect((await teamAs(commander)).task).toBeNull();
    clock.advance(60_000);
    const failed = await act(server, commander, c.id, {
      action: 'verify_fail',
      version: c.version,
      reason: '摊位仍在',
    });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect((await teamAs(commander)).task).toMatchObject({
      caseId: c.id,
      stage: 'en_route',
      since: clock.now(),
    });
  });

  it('still knows the task after a restart', async () => {
    let c = await acceptedCase();
    c = await doAct(c, { action: 'start', teamId: TEAM });
    c = await doAct(c, { action: 'arrive' });
    const arrivedAt = clock.now();
    await standStill();
    const before = await teamAs(commander);
    expect(before).toMatchObject({ status: 'on_site', task: { caseId: c.id, stage: 'on_site' } });

    for (const s of sockets.splice(0)) s.disconnect();
    await server.close(); // the database is the test's: kept
    await start();
    const after = await teamAs(commander);
    expect(after.task).toEqual(before.task);
    expect(after.task).toMatchObject({ caseNo: c.no, matterName: c.matterName, since: arrivedAt });
    expect(after.status).toBe('on_site');
    expect((await teamAs(dongcheng)).task?.caseId).toBe(c.id);
  });

  it('learns from a re-read a task whose start it missed, with a step taken while the read ran', async () => {
    const c = await doAct(await acceptedCase(), { action: 'start', personnel: 2, teamId: TEAM });
    // A process that missed the start (its link to the others was down), re-reading the records;
    // an arrival comes in live while the read runs.
    const tasks = new TeamTasks();
    const reading = tasks.reload(server.handle.ctx.store, (code) => code);
    tasks.apply(
      { seq: Number.MAX_SAFE_INTEGER, caseId: c.id, type: 'arrive', at: clock.now(), teamId: null },
      { no: c.no, matterName: c.matterName, status: 'in_progress', parties: [`township:${DONGCHENG}`] },
    );
    await reading;
    expect(tasks.taskOf(TEAM)).toMatchObject({ caseId: c.id, stage: 'on_site', since: clock.now() });
    await doAct(c, { action: 'resolve', result: '已处置' });
  });
});
