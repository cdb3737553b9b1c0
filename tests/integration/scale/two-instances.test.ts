// Two server processes on one PostgreSQL and one Redis behave as one: what one process takes in,
// clients of the other see; when one dies (SIGKILL, as in a crash), nothing it acknowledged is lost,
// its clients carry on from the other process with no gap, and the once-only jobs move over without
// running twice for the same deadline.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import type { Team } from '../../../shared/teams';
import type { PresenceSnapshot } from '../../../shared/presence';
import type { CaseActAck } from '../../../shared/realtime';
import { createTestDatabase, servicesConfigured, type TestDatabase } from '../../support/db';
import { sharedEnv, startServerProcess, type ServerProcess } from '../../support/process-server';
import { call, login } from '../../support/auth';
import { clueAt, pointIn } from '../../support/cases';
import { CaseMirror, fetchEvents, serverVersions } from '../../support/case-mirror';
import { connectSocket, waitFor, type ClientSocket } from '../../support/socket';
import { startTcpProxy, type TcpProxy } from '../../bench/support/tcp-proxy';
import { UserService } from '../../../server/auth/users';
import { TeamService } from '../../../server/teams/service';
import { systemClock } from '../../../server/clock';
import { loadDefaultGeoIndex } from '../../../server/geo/default';
import type { GeoIndex } from '../../../server/geo/types';

const enabled = servicesConfigured('TEST_DATABASE_URL', 'TEST_REDIS_URL');
const DONGCHENG = '140581002';
/** The overdue scan runs every 15 s on the leader; the lock moves within 2 s of a death. */
const SCAN_WAIT_MS = 40_000;

describe.runIf(enabled)('two server processes on PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  /** The township desk's way in: the load balancer, sending it to A, then (switched) to B. */
  let proxy: TcpProxy;
  let geo: GeoIndex;
  let cmd: string;
  let dc: string;
  /** The township desk, connected to A through the proxy. */
  let desk: CaseMirror;
  /** The command centre, connected to B. */
  let centre: CaseMirror;
  const sockets: ClientSocket[] = [];
  let point = 0;
  const env = () => sharedEnv(database, 'two-instance-test-secret-two-instance-test-secret');

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // Accounts and a team, written straight through the domain services before the servers start.
    const store = await database.open();
    const users = new UserService(store, Date.now);
    await users.create({
      username: 'cmd',
      password: 'pw-cmd',
      displayName: '坐席',
      role: 'commander',
      scope: { kind: 'county' },
    });
    await users.create({
      username: 'dc',
      password: 'pw-dc',
      displayName: '东城街道',
      role: 'township',
      scope: { kind: 'township', code: DONGCHENG },
    });
    await new TeamService(store, systemClock, { retentionDays: 90 }).createTeam({
      id: 'T140581002',
      name: '东城街道综合行政执法队',
      kind: 'township',
      ownerCode: DONGCHENG,
      ownerName: '东城街道',
      members: [],
      devices: [{ deviceId: 'dc-car', token: 'dc-secret', label: '执法车' }],
    });
    await store.close();
    geo = await loadDefaultGeoIndex({ BOUNDARY_METERS: 30 });
    a = await startServerProcess(env());
    await a.waitForOutput(/now runs the once-only jobs/);
    b = await startServerProcess(env());
    proxy = await startTcpProxy({ backends: [a.port], mode: 'failover' });
    cmd = (await login(b.url, 'cmd', 'pw-cmd')).token;
    dc = (await login(a.url, 'dc', 'pw-dc')).token;
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    desk?.close();
    centre?.close();
    await proxy?.close();
    await a?.kill();
    await b?.stop();
    await database?.destroy();
  });

  /** A new case in 东城 (占道经营, delegated to the township: dispatched to it at once), via `url`. */
  async function newCase(url: string): Promise<CaseView> {
    const r = await call<{ case: CaseView }>(
      url,
      cmd,
      'POST',
      '/api/clues',
      clueAt(pointIn(geo, DONGCHENG, point++)),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.case.status).toBe('dispatched');
    return r.body.case;
  }

  /** The township takes the case on and orders rectification due at `deadline`, via `url`. */
  async function rectifyBy(url: string, c: CaseView, deadline: number): Promise<CaseView> {
    let v = c.version;
    for (const input of [
      { action: 'acknowledge' },
      { action: 'start', personnel: 2 },
      { action: 'order_rectification', deadline },
    ]) {
      const r = await call<{ case: CaseView }>(url, dc, 'POST', `/api/cases/${c.id}/actions`, {
        ...input,
        version: v,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.case.version;
    }
    return { ...c, version: v };
  }

  const overdueSeen = (m: CaseMirror, ids: string[]) =>
    ids.every((id) => !!m.cases.get(id)?.deadlineState.rectify?.overdueAt);

  it('only the first process leads the once-only jobs', () => {
    expect(b.output()).not.toMatch(/now runs the once-only jobs/);
  });

  it('a fix posted to process B reaches a township client on process A, and both know the latest position', async () => {
    const s = connectSocket(a.url, dc);
    sockets.push(s);
    await waitFor(s, 'hello');
    const heard = waitFor(s, 'team:positions', (u) => u.some((x) => x.teamId === 'T140581002'));
    const res = await fetch(`${b.url}/api/osmand?id=dc-car&lat=35.801&lon=112.931`);
    expect(res.status).toBe(200);
    expect((await heard)[0]!.position).toMatchObject({ lat: 35.801, lng: 112.931 });
    const teams = await fetch(`${a.url}/api/teams`, { headers: { Authorization: `Bearer ${cmd}` } });
    const body = (await teams.json()) as { teams: Array<{ id: string; position: { lat: number } | null }> };
    expect(body.teams.find((t) => t.id === 'T140581002')!.position?.lat).toBe(35.801);
  });

  it("GET /api/presence on either process counts the people connected to both: a desk opened on A is seen from B, an operator's screen on B from A", async () => {
    const presence = async (url: string) => {
      const r = await call<PresenceSnapshot>(url, cmd, 'GET', '/api/presence');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const desks = async (url: string) =>
      (await presence(url)).units.find((u) => u.code === DONGCHENG)?.connections ?? 0;
    const before = { desks: await desks(b.url), screens: (await presence(a.url)).commanders };
    const desk = connectSocket(a.url, dc);
    const screen = connectSocket(b.url, cmd);
    await Promise.all([waitFor(desk, 'hello'), waitFor(screen, 'hello')]);
    // Each answer is kept 2 s: polled until the next read.
    await expect.poll(() => desks(b.url), { timeout: 10_000 }).toBe(before.desks + 1);
    await expect
      .poll(async () => (await presence(a.url)).commanders, { timeout: 10_000 })
      .toBe(before.screens + 1);
    const seen = await presence(b.url);
    expect(seen.partial).toBe(false);
    expect(seen.units.find((u) => u.code === DONGCHENG)).toMatchObject({ kind: 'township' });
    desk.disconnect();
    screen.disconnect();
    await expect.poll(() => desks(b.url), { timeout: 10_000 }).toBe(before.desks);
    await expect
      .poll(async () => (await presence(a.url)).commanders, { timeout: 10_000 })
      .toBe(before.screens);
  });

  it('a team sent and arrived through A shows its task on B, and B tells its fixes as 现场处置', async () => {
    const centre = connectSocket(b.url, cmd);
    sockets.push(centre);
    await waitFor(centre, 'hello');
    const teamOnB = async () => {
      const r = await call<{ team: Team }>(b.url, cmd, 'GET', '/api/teams/T140581002');
      return r.body.team;
    };
    let c = await newCase(a.url);
    const sent = waitFor(centre, 'team:tasks', (u) => u.some((x) => x.task?.caseId === c.id));
    for (const input of [{ action: 'acknowledge' }, { action: 'start', teamId: 'T140581002' }]) {
      const r = await call<{ case: CaseView }>(a.url, dc, 'POST', `/api/cases/${c.id}/actions`, {
        ...input,
        version: c.version,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      c = r.body.case;
    }
    // A told B's client (through the adapter), and B's own picture follows through Redis.
    expect((await sent).find((x) => x.teamId === 'T140581002')!.task).toMatchObject({
      caseNo: c.no,
      stage: 'en_route',
    });
    await expect.poll(async () => (await teamOnB()).task?.caseId).toBe(c.id);

    const arrived = await call<{ case: CaseView }>(a.url, dc, 'POST', `/api/cases/${c.id}/actions`, {
      action: 'arrive',
      version: c.version,
    });
    expect(arrived.status).toBe(200);
    c = arrived.body.case;
    await expect.poll(async () => (await teamOnB()).task?.stage).toBe('on_site');
    const told = waitFor(centre, 'team:positions', (u) => u.some((x) => x.teamId === 'T140581002'));
    expect((await fetch(`${b.url}/api/osmand?id=dc-car&lat=35.802&lon=112.931`)).status).toBe(200);
    expect((await told).find((x) => x.teamId === 'T140581002')!.status).toBe('on_site');
    expect((await teamOnB()).status).toBe('on_site');

    const resolved = await call<{ case: CaseView }>(a.url, dc, 'POST', `/api/cases/${c.id}/actions`, {
      action: 'resolve',
      version: c.version,
      result: '已处置',
    });
    expect(resolved.status).toBe(200);
    await expect.poll(async () => (await teamOnB()).task).toBeNull();
  });

  it("a clue posted to B reaches the township desk on A, and the desk's action on A reaches the command centre on B", async () => {
    desk = new CaseMirror(proxy.url, dc);
    centre = new CaseMirror(b.url, cmd);
    await desk.until((m) => m.resyncs === 1, 'the desk connected and synced');
    await centre.until((m) => m.resyncs === 1, 'the centre connected and synced');
    expect(proxy.open().get(a.port)).toBeGreaterThan(0); // the desk's socket and calls go to A

    const c = await newCase(b.url);
    await desk.until((m) => m.cases.has(c.id), 'the new case at the desk on A');

    const ack = await new Promise<CaseActAck>((resolve) =>
      desk.socket.emit(
        'case:act',
        { caseId: c.id, input: { action: 'acknowledge', version: c.version } },
        resolve,
      ),
    );
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    if (!ack.ok) return;
    await centre.until(
      (m) => m.cases.get(c.id)?.version === ack.case.version,
      'the acknowledgement at the command centre on B',
    );
    expect(centre.cases.get(c.id)!.status).toBe('accepted');
  });

  it(
    'kill A (SIGKILL): nothing acknowledged is lost, the desk resyncs on B with no gap, and the overdue scan moves to B without marking a deadline twice',
    async () => {
      // Deadlines A marks while it leads: due in a second, marked at A's next scan.
      const early = [await newCase(b.url), await newCase(b.url)];
      for (const c of early) await rectifyBy(proxy.url, c, Date.now() + 1000);
      const earlyIds = early.map((c) => c.id);
      await centre.until((m) => overdueSeen(m, earlyIds), 'overdue marks from A', SCAN_WAIT_MS);

      // A deadline falling due right around the kill: whoever leads then marks it, once.
      const around = await rectifyBy(proxy.url, await newCase(b.url), Date.now() + 1500);

      // Clues keep arriving at A from three clients when it dies; keep what A acknowledged.
      const acknowledged: string[] = [];
      let failures = 0;
      let stop = false;
      const poster = async (k: number) => {
        for (let i = 0; i < 300 && !stop; i++) {
          try {
            const r = await call<{ case: CaseView }>(
              a.url,
              cmd,
              'POST',
              '/api/clues',
              clueAt(pointIn(geo, geo.townships[(k * 5 + i) % geo.townships.length]!.code, i % 20), {
                clientId: `kill-${k}-${i}`,
              }),
            );
            if (r.status === 201) acknowledged.push(r.body.case.id);
            else throw new Error(`POST /api/clues: ${r.status}`);
          } catch {
            failures++;
            return; // A is gone: this client stops
          }
        }
      };
      const posting = [0, 1, 2].map(poster);
      await vi.waitFor(
        () => {
          if (acknowledged.length < 15) throw new Error('timed out waiting for 15 acknowledged clues on A');
        },
        { timeout: 15_000, interval: 20 },
      );
      const resyncsBefore = desk.resyncs;
      const deskDropped = new Promise<void>((resolve) => desk.socket.once('disconnect', () => resolve()));
      await a.kill();
      stop = true;
      await Promise.all(posting);
      expect(failures).toBeGreaterThan(0); // the kill landed while clients were posting
      await deskDropped;

      // While the desk cannot get back in (the balancer still only knows A), B takes in more work.
      const missed = await newCase(b.url);
      const missedAck = await call<{ case: CaseView }>(b.url, dc, 'POST', `/api/cases/${missed.id}/actions`, {
        action: 'acknowledge',
        version: missed.version,
      });
      expect(missedAck.status).toBe(200);
      expect(desk.cases.has(missed.id)).toBe(false);

      // The balancer moves to B; the desk reconnects there and resyncs; B takes the lock over.
      proxy.setBackends([b.port]);
      await desk.until((m) => m.resyncs > resyncsBefore, 'the desk reconnected and resynced', 20_000);
      expect(proxy.open().get(b.port)).toBeGreaterThan(0);
      expect(desk.cases.get(missed.id)?.version).toBe(missedAck.body.case.version);
      await b.waitForOutput(/now runs the once-only jobs/, 20_000);

      // Nothing acknowledged is lost: every acknowledged clue is stored and in B's event log, and the
      // command centre on B has it.
      const log = await fetchEvents(b.url, cmd, 0);
      const created = new Set(log.filter((e) => e.type === 'created').map((e) => e.caseId));
      for (const id of acknowledged) {
        expect(created.has(id), `case ${id} in B's /api/events`).toBe(true);
        expect((await call(b.url, cmd, 'GET', `/api/cases/${id}`)).status).toBe(200);
      }
      await centre.until(
        (m) => acknowledged.every((id) => m.cases.has(id)),
        'every acknowledged case at the centre',
      );

      // Deadlines falling due after the kill: only B can mark them.
      const late = [await newCase(b.url), await newCase(b.url)];
      for (const c of late) await rectifyBy(b.url, c, Date.now() + 1000);
      const lateIds = late.map((c) => c.id);
      const allIds = [...earlyIds, around.id, ...lateIds];
      await centre.until((m) => overdueSeen(m, allIds), 'overdue marks from B', SCAN_WAIT_MS);

      // Each deadline was marked overdue exactly once, by whichever process led at the time.
      const final = await fetchEvents(b.url, cmd, 0);
      const marks = new Map<string, number>();
      for (const e of final.filter((x) => x.type === 'overdue')) {
        const key = `${e.caseId}:${String(e.payload.deadline)}`;
        marks.set(key, (marks.get(key) ?? 0) + 1);
      }
      for (const id of allIds) expect(marks.get(`${id}:rectify`), `overdue marks of ${id}`).toBe(1);
      expect([...marks.values()].every((n) => n === 1)).toBe(true);

      // The desk's state equals the server's: every event it may see applied once, in order, none missing.
      const mine = (await fetchEvents(b.url, dc, 0)).map((e) => e.seq);
      await desk.until((m) => m.applied.length >= mine.length, 'the desk has every event it may see', 10_000);
      expect([...desk.applied].sort((x, y) => x - y)).toEqual(mine);
      expect(new Set(desk.applied).size).toBe(desk.applied.length);
      expect(desk.versions()).toEqual(await serverVersions(b.url, dc));
      expect(desk.versions()).toEqual(
        Object.fromEntries(Object.entries(centre.versions()).filter(([id]) => desk.cases.has(id))),
      );
    },
    SCAN_WAIT_MS * 2 + 60_000,
  );
});
