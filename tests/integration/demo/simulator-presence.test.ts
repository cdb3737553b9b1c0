// The live simulator makes room for a person trying the demo: while someone has 东城街道's desk open
// (a live Socket.IO connection of a non-simulator account of that township), it leaves 东城街道's tasks
// alone — the person can 签收 them without being beaten to it — while it goes on working another
// township's; it takes them up again a linger after the person has left. With a person at the big
// screen, the command centre's decisions wait for them for a grace, then the simulated seat takes
// them. Who is connected: GET /api/presence.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import type { PresenceSnapshot } from '../../../shared/presence';
import type { Team } from '../../../shared/teams';
import { prepareDemo } from '../../../server/demo/index';
import { Simulator } from '../../../server/simulator/simulator';
import { distanceMeters } from '../../../server/simulator/movement';
import { startTestServer, type TestServer } from '../../support/server';
import { call, login } from '../../support/auth';
import { act, clueAt, getCase, pointIn, pointNearBoundary, report } from '../../support/cases';
import { connectSocket, waitConnected, waitDisconnected, type ClientSocket } from '../../support/socket';

const DONGCHENG = '140581002';
const XICHENG = '140581001';
/** Short, so the test sees the simulator come back; the demo's is a minute. */
const LINGER_MS = 3000;
const GRACE_MS = 3000;

describe('the simulator and the people at the screens', { timeout: 150_000 }, () => {
  let server: TestServer;
  let commander: string;
  let desk: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO: 'on', DEMO_PASSWORD: 'demo' } });
    await prepareDemo(server.handle.ctx, { historyDays: 0 }); // the accounts and teams only
    commander = (await login(server.url, 'commander', 'demo')).token;
    desk = (await login(server.url, DONGCHENG, 'demo')).token;
  });
  // Each test starts with nobody at a screen. A simulator that read the last test's commander as still
  // there (the presence answer is kept 2 s) would leave its command steps — a 延期 to decide, a 督办 —
  // to that person for its grace (2 min by default), past the waits below.
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await expect
      .poll(async () => {
        const p = await presence();
        return { commanders: p.commanders, units: p.units };
      })
      .toEqual({ commanders: 0, units: [] });
  });
  afterAll(() => server?.close());

  const presence = async (token = commander) => {
    const r = await call<PresenceSnapshot>(server.url, token, 'GET', '/api/presence');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const open = async (token: string) => {
    const s = connectSocket(server.url, token);
    sockets.push(s);
    await waitConnected(s);
    return s;
  };
  /** A hotline clue in the township, routed and dispatched to it by the server (AUTO_DISPATCH). */
  const taskIn = async (township: string, index: number) => {
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, township, index), { source: 'hotline_12345' }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = (r.body as { case: CaseView }).case;
    expect(c).toMatchObject({ status: 'dispatched', assignee: { kind: 'township', code: township } });
    return c;
  };
  const read = async (id: string) => ((await getCase(server, commander, id)).body as { case: CaseView }).case;
  const simulator = () =>
    new Simulator({
      url: server.url,
      password: 'demo',
      ratePerMinute: 0, // only the test's cases
      seed: 5,
      pace: 30,
      onTime: true, // a late 签收 (drawn for ~9 % of cases) would come after the waits below
      teams: false,
      presenceEveryMs: 200,
      presenceLingerMs: LINGER_MS,
      commandGraceMs: GRACE_MS,
    });
  /** The first simulator action on the case (any: 签收, or 退回 when its script says so). */
  const actedOn = (sim: Simulator, caseId: string) =>
    new Promise<number>((resolve) =>
      sim.on('action', (a: { caseId: string }) => a.caseId === caseId && resolve(Date.now())),
    );
  const leftAlone = (sim: Simulator, caseId: string) =>
    new Promise<void>((resolve) =>
      sim.on('left', (l: { caseId: string }) => l.caseId === caseId && resolve()),
    );
  /** Each wait is bounded, with room for a CI machine whose two cores are busy with other test files:
   * the simulator's steps take a few seconds here, and once took over 20 s under such load. */
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref()),
    ]);

  it('GET /api/presence lists the units with a person connected, not the simulator’s accounts, to the county roles', async () => {
    expect((await presence()).units).toEqual([]);
    await open(desk);
    await open((await login(server.url, `sim-${XICHENG}`, 'demo')).token);
    await open((await login(server.url, 'sim-command', 'demo')).token);
    // Read at most every 2 s (PRESENCE_CACHE_MS): the connection shows within that.
    const leader = (await login(server.url, 'leader', 'demo')).token;
    await expect
      .poll(async () => (await presence(leader)).units)
      .toEqual([{ kind: 'township', code: DONGCHENG, connections: 1 }]);
    expect(await presence(leader)).toMatchObject({ commanders: 0, partial: false });
    // A desk does not see who else is connected.
    const refused = await call(server.url, desk, 'GET', '/api/presence');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('GET /api/presence');
    for (const s of sockets.splice(0)) s.disconnect();
    await expect.poll(async () => (await presence()).units).toEqual([]);
  });

  it('leaves 东城街道’s task to the person at its desk while it works 西城街道’s, and takes it up after they leave', async () => {
    const person = await open(desk);
    await expect.poll(async () => (await presence()).units.map((u) => u.code)).toEqual([DONGCHENG]);
    const theirs = await taskIn(DONGCHENG, 0);
    const mine = await taskIn(DONGCHENG, 1); // the person takes this one themselves
    const other = await taskIn(XICHENG, 0);
    const sim = simulator();
    const left = leftAlone(sim, theirs.id);
    const otherDone = actedOn(sim, other.id);
    const resumed = actedOn(sim, theirs.id);
    let gone = 0;
    try {
      await sim.start();
      await within(
        Promise.all([left, otherDone]),
        45_000,
        'the simulator neither worked 西城街道 nor left 东城街道',
      );
      // 西城街道's task moved on under its simulated clerk; 东城街道's waits for the person.
      const o = await read(other.id);
      expect(o.timeline!.at(-1)!.actor.username).toBe(`sim-${XICHENG}`);
      expect((await read(theirs.id)).status).toBe('dispatched');
      // The person signs for theirs: nobody got there first (no 409), and it is theirs by name.
      const fresh = await read(mine.id);
      const signed = await act(server, desk, mine.id, { action: 'acknowledge', version: fresh.version });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      const after = await read(mine.id);
      expect(after.timeline!.at(-1)!.actor).toMatchObject({
        username: DONGCHENG,
        displayName: '东城街道指挥平台',
      });
      expect(after.timeline!.filter((e) => e.actor.username.startsWith('sim-'))).toEqual([]);

      // The person leaves: the simulator takes 东城街道's tasks up again, after the linger.
      const bye = waitDisconnected(person);
      person.disconnect();
      await bye;
      gone = Date.now();
      const at = await within(resumed, 45_000, '东城街道’s task not taken up after the person left');
      expect(at - gone).toBeGreaterThanOrEqual(LINGER_MS - 500);
      const back = await read(theirs.id);
      expect(back.timeline!.at(-1)!.actor.username).toBe(`sim-${DONGCHENG}`);
    } finally {
      await sim.stop();
    }
    expect(sim.snapshot().actions.leftToPeople).toBeGreaterThanOrEqual(2);
  });

  it('gives a commander at the big screen the first go at a case waiting for review, then dispatches it itself', async () => {
    const screen = await open(commander);
    await expect.poll(async () => (await presence()).commanders).toBe(1);
    const r = await report(
      server,
      commander,
      clueAt(pointNearBoundary(server.handle.ctx.geo, DONGCHENG), {
        source: 'hotline_12345',
        matterCode: 'SR02',
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const waiting = (r.body as { case: CaseView }).case;
    expect(waiting.status).toBe('reported'); // near a boundary: for the operator
    const sim = simulator();
    const left = leftAlone(sim, waiting.id).then(() => Date.now());
    const done = actedOn(sim, waiting.id);
    try {
      await sim.start();
      const heldAt = await within(left, 45_000, 'the simulator did not leave the review to the person');
      const at = await within(done, 45_000, 'the simulator did not take the review after the grace');
      expect(at - heldAt).toBeGreaterThanOrEqual(GRACE_MS - 200);
      const c = await read(waiting.id);
      expect(c.timeline!.at(-1)!.actor.username).toBe('sim-command');
    } finally {
      await sim.stop();
      screen.disconnect();
    }
  });

  it('starts a team the server has on site (现场处置) at that site, and keeps it there until the work is done', async () => {
    const clerk = (await login(server.url, XICHENG, 'demo')).token;
    const c = await taskIn(XICHENG, 3);
    const team = `T${XICHENG}`;
    let v = c.version;
    for (const body of [
      { action: 'acknowledge' },
      { action: 'start', personnel: 2, teamId: team },
      { action: 'arrive' },
    ]) {
      const r = await act(server, clerk, c.id, { ...body, version: v });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = (r.body as { case: CaseView }).case.version;
    }
    const before = await call<{ team: Team }>(server.url, commander, 'GET', `/api/teams/${team}`);
    expect(before.body.team.task).toMatchObject({ caseId: c.id, stage: 'on_site' });
    // An OsmAnd fix carries whole seconds: the run's first may read up to a second before it began.
    const started = Math.floor(Date.now() / 1000) * 1000;
    const sim = new Simulator({
      url: server.url,
      password: 'demo',
      ratePerMinute: 0,
      seed: 9,
      pace: 30,
      onTime: true,
    });
    // The simulated clerk's result (办结) or rectification order (责令整改) on the case: the work there ends.
    const steps: string[] = []; // said when the wait runs out, with the simulator's counts
    sim.on('left', (l: { action: string }) => steps.push(`left to a person: ${l.action}`));
    const ended = new Promise<number>((resolve) =>
      sim.on('action', (a: { caseId: string; action: string }) => {
        steps.push(a.action);
        if (a.caseId === c.id && (a.action === 'resolve' || a.action === 'order_rectification'))
          resolve(Date.now());
      }),
    );
    let endedAt = 0;
    try {
      await sim.start();
      endedAt = await within(ended, 45_000, 'the simulator did not finish the work at the site').catch(
        (err: Error) => {
          const { actions } = sim.snapshot();
          throw new Error(
            `${err.message}; its steps: ${steps.join(', ') || 'none'}; ${JSON.stringify(actions)}`,
          );
        },
      );
      // And back at the seat afterwards: it reports driving away.
      await expect
        .poll(
          async () => {
            const { points } = await call<{ points: Array<{ lng: number; lat: number; at: number }> }>(
              server.url,
              commander,
              'GET',
              `/api/teams/${team}/track?from=${endedAt}&to=${Date.now() + 1000}`,
            ).then((r) => r.body);
            return points.some((p) => distanceMeters([p.lng, p.lat], [c.lng, c.lat]) > 100);
          },
          { timeout: 45_000 },
        )
        .toBe(true);
    } finally {
      await sim.stop();
    }
    // Its first fix of the run was at the site (it did not come from its seat), and so was every fix
    // until the work ended (it never left). The simulated clerk may finish at once, before a second
    // fix: the first one is read from the whole run.
    const { points } = (
      await call<{ points: Array<{ lng: number; lat: number; at: number }> }>(
        server.url,
        commander,
        'GET',
        `/api/teams/${team}/track?from=${started}&to=${Date.now() + 1000}`,
      )
    ).body;
    expect(points.length).toBeGreaterThan(0);
    const first = points[0]!;
    expect(distanceMeters([first.lng, first.lat], [c.lng, c.lat]), 'the first fix').toBeLessThan(50);
    // Fixes of the seconds before the work ended (one read in the second it ended, floored, may have
    // been taken on the way back).
    for (const p of points.filter((x) => x.at < Math.floor(endedAt / 1000) * 1000))
      expect(distanceMeters([p.lng, p.lat], [c.lng, c.lat]), `fix at ${p.at}`).toBeLessThan(50);
  });
});
