// Team positions from real GPS apps: both protocols, device checks, scope, tracks, coalescing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { ManualClock } from '../../../server/clock';
import type { TeamPositionUpdate } from '../../../shared/teams';
import { insertRows } from '../../../server/store/insert-rows';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

describe.each(ENGINES)('team positions on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(T0);
  let commander: string;
  let dongcheng: string;
  let beicheng: string;

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    const teams = server.handle.ctx.teams;
    teams.stop(); // the test flushes by hand, so coalescing is observed exactly
    await teams.createTeam({
      id: 'T140581002',
      name: '东城街道综合行政执法队',
      kind: 'township',
      ownerCode: '140581002',
      ownerName: '东城街道',
      members: [{ name: '王伟', role: '队长', source: 'own', departmentCode: null, phone: null }],
      devices: [{ deviceId: 'dc-car', token: 'dc-secret', label: '执法车' }],
    });
    await teams.createTeam({
      id: 'T140581001',
      name: '北城街道综合行政执法队',
      kind: 'township',
      ownerCode: '140581001',
      ownerName: '北城街道',
      members: [],
      devices: [{ deviceId: 'bc-car', token: 'bc-secret', label: '执法车' }],
    });
    commander = await tokenFor(server, 'cmd', 'commander');
    dongcheng = await tokenFor(server, 'dc', 'township', { kind: 'township', code: '140581002' });
    beicheng = await tokenFor(server, 'bc', 'township', { kind: 'township', code: '140581001' });
  });
  afterAll(() => server?.close());

  it('takes a batch with the device token and shows the team at its newest fix', async () => {
    const r = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': 'dc-secret' },
      body: JSON.stringify({
        deviceId: 'dc-car',
        fixes: [
          { lng: 112.92, lat: 35.79, at: T0 - 20_000, speed: 5, bearing: 90 },
          { lng: 112.921, lat: 35.791, at: T0 - 10_000, speed: 6, bearing: 80 },
        ],
      }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const teams = await call(server.url, commander, 'GET', '/api/teams');
    const dc = teams.body.teams.find((t: { id: string }) => t.id === 'T140581002');
    expect(dc.position).toMatchObject({ lng: 112.921, lat: 35.791, at: T0 - 10_000, speed: 6, bearing: 80 });
    // Moving with no task: on its rounds (巡查中), free to send; not 前往现场, which is a task's.
    expect(dc.status).toBe('patrol');
    expect(dc.task).toBeNull();
    expect(dc.deviceIds).toEqual(['dc-car']);
    expect(dc.members[0]).toMatchObject({ name: '王伟', role: '队长' });
  });

  it('refuses a wrong token and an unknown device, storing nothing', async () => {
    const body = (deviceId: string) =>
      JSON.stringify({ deviceId, fixes: [{ lng: 112.5, lat: 35.5, at: T0 }] });
    const wrong = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': 'guess' },
      body: body('dc-car'),
    });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': 'x' },
      body: body('nobody'),
    });
    expect(unknown.status).toBe(401); // as a wrong token: no telling which devices exist
    const osmandUnknown = await fetch(`${server.url}/api/osmand?id=nobody&lat=35.8&lon=112.9`);
    expect(osmandUnknown.status).toBe(404);
    const track = await call(
      server.url,
      commander,
      'GET',
      `/api/teams/T140581002/track?from=${T0 - 60_000}&to=${T0 + 60_000}`,
    );
    expect(track.body.points.every((p: { lng: number }) => p.lng !== 112.5)).toBe(true);
  });

  it('refuses impossible fixes one by one and keeps the good ones', async () => {
    const r = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': 'dc-secret' },
      body: JSON.stringify({
        deviceId: 'dc-car',
        fixes: [
          { lng: 112.93, lat: 35.8, at: T0 + 3600_000 },
          { lng: 112.93, lat: 35.8, at: T0 - 200 * 86_400_000 },
          { lng: 112.922, lat: 35.792, at: T0 - 5_000 },
        ],
      }),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((x) => x.index)).toEqual([0, 1]);
    expect(body.rejected[0]!.error).toMatch(/future/);
    const bad = await call(server.url, null, 'POST', '/api/positions', {
      deviceId: 'dc-car',
      fixes: [{ lng: 200, lat: 35, at: T0 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('body.fixes.0.lng');
  });

  it('takes the OsmAnd protocol by GET, form POST and JSON POST', async () => {
    const ts = Math.floor((T0 - 4_000) / 1000);
    const get = await fetch(
      `${server.url}/api/osmand?id=bc-car&lat=35.81&lon=112.91&timestamp=${ts}&speed=0&bearing=10&batt=80`,
    );
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('OK');
    const form = await fetch(`${server.url}/api/osmand`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `id=bc-car&lat=35.811&lon=112.911&timestamp=${ts + 1}`,
    });
    expect(form.status).toBe(200);
    const json = await fetch(`${server.url}/api/osmand`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        device_id: 'bc-car',
        location: {
          timestamp: new Date(T0 - 2_000).toISOString(),
          coords: { latitude: 35.812, longitude: 112.912, speed: 0 },
        },
      }),
    });
    expect(json.status).toBe(200);
    const track = await call(
      server.url,
      beicheng,
      'GET',
      `/api/teams/T140581001/track?from=${T0 - 60_000}&to=${T0}`,
    );
    expect(track.status).toBe(200);
    expect(track.body.points.map((p: { lat: number }) => p.lat)).toEqual([35.81, 35.811, 35.812]);
  });

  it('shows a township only its own teams and tracks', async () => {
    const own = await call(server.url, dongcheng, 'GET', '/api/teams');
    expect(own.body.teams.map((t: { id: string }) => t.id)).toEqual(['T140581002']);
    const other = await call(server.url, dongcheng, 'GET', '/api/teams/T140581001/track');
    expect(other.status).toBe(404);
    const anon = await call(server.url, null, 'GET', '/api/teams');
    expect(anon.status).toBe(401);
  });

  it('coalesces: many fixes of one team between flushes make one update, the newest', async () => {
    const seen: TeamPositionUpdate[][] = [];
    const off = server.handle.ctx.teams.onPositions((u) => seen.push(u));
    server.handle.ctx.teams.flush(); // drop what earlier tests left pending
    seen.length = 0;
    for (let i = 1; i <= 5; i++) {
      await fetch(
        `${server.url}/api/osmand?id=dc-car&lat=35.79&lon=${112.92 + i / 1000}&timestamp=${T0 + i}`,
      );
    }
    server.handle.ctx.teams.flush();
    off();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(1);
    expect(seen[0]![0]!.position.lng).toBeCloseTo(112.925, 6);
  });

  it('marks a team offline after 5 minutes of silence', async () => {
    clock.advance(6 * 60_000);
    const teams = await call(server.url, commander, 'GET', '/api/teams');
    expect(teams.body.teams.find((t: { id: string }) => t.id === 'T140581002').status).toBe('offline');
  });

  it('prunes fixes older than the retention window', async () => {
    clock.advance(91 * 86_400_000);
    expect(await server.handle.ctx.teams.prune()).toBeGreaterThan(0);
    const expired = await call(server.url, commander, 'GET', '/api/teams');
    expect(expired.status).toBe(401); // 91 days later the 12-hour token has long expired
    commander = await tokenFor(server, 'cmd', 'commander');
    const track = await call(
      server.url,
      commander,
      'GET',
      `/api/teams/T140581002/track?from=${T0 - 86_400_000}&to=${T0 + 86_400_000}`,
    );
    expect(track.body.points).toEqual([]);
  });

  it('prunes a batch at a time: every old fix and none newer, with progress, and stops when told', async () => {
    const db = server.store.db;
    const now = clock.now();
    const cutoff = now - 90 * 86_400_000;
    // 23 fixes past the window on both devices, 4 inside it (the first on its very edge).
    const rows = [
      ...Array.from({ length: 23 }, (_, i) => ({
        device_id: i % 2 ? 'bc-car' : 'dc-car',
        at: cutoff - 1 - i * 1000,
      })),
      ...Array.from({ length: 4 }, (_, i) => ({ device_id: i % 2 ? 'bc-car' : 'dc-car', at: cutoff + i })),
    ].map((r) => ({
      ...r,
      team_id: 'T140581002',
      lng: 112.92,
      lat: 35.79,
      speed: null,
      bearing: null,
      altitude: null,
      accuracy: null,
      battery: null,
    }));
    await db.insertInto('positions').values(rows).execute();
    const left = async () =>
      (await db.selectFrom('positions').select(['device_id', 'at']).orderBy('at').execute()).map(
        (r) => `${r.device_id}@${Number(r.at) - cutoff}`,
      );

    // Told to stop before it starts: nothing deleted. Told during a batch: that batch is finished,
    // no other is begun, the rest waits for the next prune.
    const stopped = new AbortController();
    stopped.abort();
    expect(await server.handle.ctx.teams.prune({ batch: 5, signal: stopped.signal })).toBe(0);
    expect((await left()).length).toBe(27);
    const stop = new AbortController();
    expect(
      await server.handle.ctx.teams.prune({ batch: 5, signal: stop.signal, onBatch: () => stop.abort() }),
    ).toBe(5);
    expect((await left()).length).toBe(22);

    const progress: number[] = [];
    expect(await server.handle.ctx.teams.prune({ batch: 5, onBatch: (n) => progress.push(n) })).toBe(18);
    expect(progress).toEqual([5, 10, 15]);
    expect(await left()).toEqual(['dc-car@0', 'bc-car@1', 'dc-car@2', 'bc-car@3']);
    expect(await server.handle.ctx.teams.prune()).toBe(0);
  });

  it("gives a long day's track whole, evenly thinned, from its first fix to its last", async () => {
    // 30,000 fixes at 1 Hz (8 h 20 min of a device reporting each second), moving north steadily.
    const base = clock.now() - 10 * 3600_000;
    const N = 30_000;
    const rows = Array.from({ length: N }, (_, i) => ({
      device_id: 'bc-car',
      team_id: 'T140581001',
      at: base + i * 1000,
      lng: 112.9,
      lat: 35.7 + i * 1e-6,
      speed: null,
      bearing: null,
      altitude: null,
      accuracy: null,
      battery: null,
    }));
    await insertRows(server.store.db, 'positions', rows);
    const r = await call(
      server.url,
      commander,
      'GET',
      `/api/teams/T140581001/track?from=${base}&to=${base + N * 1000}`,
    );
    expect(r.status).toBe(200);
    const points = r.body.points as Array<{ at: number; lat: number }>;
    // Every second fix (the cap is 20,000), and the last: the afternoon is there, not cut off.
    expect(r.body).toMatchObject({ total: N, every: 2 });
    expect(points.length).toBe(N / 2 + 1);
    expect(points[0]!.at).toBe(base);
    expect(points.at(-1)!.at).toBe(base + (N - 1) * 1000);
    const gaps = new Set(points.slice(1).map((p, i) => p.at - points[i]!.at));
    expect([...gaps].sort()).toEqual([1000, 2000]);
    // A short window is given whole.
    const short = await call(
      server.url,
      commander,
      'GET',
      `/api/teams/T140581001/track?from=${base}&to=${base + 99_000}`,
    );
    expect(short.body).toMatchObject({ total: 100, every: 1 });
    expect(short.body.points.map((p: { at: number }) => p.at)).toEqual(
      Array.from({ length: 100 }, (_, i) => base + i * 1000),
    );
    // At most `max`, first and last kept.
    const few = await server.handle.ctx.teams.track('T140581001', { kind: 'county' }, base, base + 99_000, 7);
    expect(few.points.length).toBeLessThanOrEqual(7);
    expect(few.points[0]!.at).toBe(base);
    expect(few.points.at(-1)!.at).toBe(base + 99_000);

    // A second device of the team reporting at the same instants (a phone beside the car's
    // tracker): one point an instant, counted once, the cap kept.
    await server.store.db
      .insertInto('devices')
      .values({
        device_id: 'bc-phone',
        team_id: 'T140581001',
        token_hash: 'x',
        label: '手机',
        created_at: base,
      })
      .execute();
    await insertRows(
      server.store.db,
      'positions',
      rows.slice(0, 100).map((r) => ({ ...r, device_id: 'bc-phone', lng: 112.95 })),
    );
    const both = await server.handle.ctx.teams.track('T140581001', { kind: 'county' }, base, base + 99_000);
    expect(both.total).toBe(100);
    expect(both.points.map((p) => p.at)).toEqual(Array.from({ length: 100 }, (_, i) => base + i * 1000));
    const bothFew = await server.handle.ctx.teams.track(
      'T140581001',
      { kind: 'county' },
      base,
      base + 99_000,
      7,
    );
    expect(bothFew.points.length).toBeLessThanOrEqual(7);
    expect(new Set(bothFew.points.map((p) => p.at)).size).toBe(bothFew.points.length);
  });
});
