// What devices and track readers may send that they should not: every bad value is a 4xx naming its
// field (never a 500), and nothing of it is stored or moves a team's marker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { ManualClock } from '../../../server/clock';
import type { TeamPosition } from '../../../shared/teams';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
/** One team per concern, so what one test sends never shows in another's track. */
const TEAMS = ['time', 'osmand', 'track', 'dup', 'auth'] as const;
type Concern = (typeof TEAMS)[number];
const teamId = (c: Concern) => `T-${c}`;
const deviceId = (c: Concern) => `${c}-car`;
const token = (c: Concern) => `${c}-secret`;

describe.each(ENGINES)('device and track input on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(T0);
  let commander: string;

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    server.handle.ctx.teams.stop();
    for (const c of TEAMS) {
      await server.handle.ctx.teams.createTeam({
        id: teamId(c),
        name: `${c} team`,
        kind: 'township',
        ownerCode: '140581002',
        ownerName: '东城街道',
        members: [],
        devices: [{ deviceId: deviceId(c), token: token(c), label: '执法车' }],
      });
    }
    commander = await tokenFor(server, 'cmd', 'commander');
  });
  afterAll(() => server?.close());

  const postFixes = (c: Concern, fixes: unknown[], tok = token(c), id = deviceId(c)) =>
    fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': tok },
      body: JSON.stringify({ deviceId: id, fixes }),
    });
  const osmand = (query: string) => fetch(`${server.url}/api/osmand?${query}`);
  const osmandJson = (body: unknown) =>
    fetch(`${server.url}/api/osmand`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const positionOf = async (c: Concern): Promise<TeamPosition | null> => {
    const r = await call(server.url, commander, 'GET', '/api/teams');
    return r.body.teams.find((t: { id: string }) => t.id === teamId(c)).position;
  };
  const trackOf = async (c: Concern): Promise<TeamPosition[]> => {
    const r = await call(
      server.url,
      commander,
      'GET',
      `/api/teams/${teamId(c)}/track?from=${T0 - 3600_000}&to=${T0 + 3600_000}`,
    );
    expect(r.status).toBe(200);
    return r.body.points;
  };

  describe('a time past any date', () => {
    it('refuses that fix of a batch by itself, naming body.fixes.1.at, and keeps the good one', async () => {
      const r = await postFixes('time', [
        { lng: 112.97, lat: 35.82, at: T0 - 60_000 },
        { lng: 112.98, lat: 35.83, at: 1e20 },
      ]);
      expect(r.status).toBe(200);
      const body = await r.json();
      expect(body.accepted).toBe(1);
      expect(body.rejected).toEqual([
        { index: 1, field: 'body.fixes.1.at', error: expect.stringMatching(/fixes\[1\]\.at: in the future/) },
      ]);
      expect(await trackOf('time')).toMatchObject([{ lng: 112.97, lat: 35.82, at: T0 - 60_000 }]);
      expect(await positionOf('time')).toMatchObject({ lng: 112.97, lat: 35.82 });
    });

    it('answers 422 naming the fix when it was the only one, for any size of number', async () => {
      for (const at of [1e20, 8.7e15, Number.MAX_VALUE]) {
        const r = await postFixes('time', [{ lng: 112.99, lat: 35.84, at }]);
        expect(r.status, String(at)).toBe(422);
        expect((await r.json()).field).toBe('body.fixes.0.at');
      }
      expect(await trackOf('time')).toHaveLength(1);
    });

    it('answers the OsmAnd query form and JSON form 4xx naming the timestamp, storing nothing', async () => {
      const at = (timestamp: string) =>
        osmand(`id=${deviceId('time')}&lat=35.85&lon=112.9&timestamp=${timestamp}`);
      for (const timestamp of ['99999999999999999999', '8700000000000000']) {
        const r = await at(timestamp);
        expect(r.status, timestamp).toBe(422);
        expect((await r.json()).field).toBe('timestamp');
      }
      const huge = await at('9'.repeat(400)); // not even a number: Infinity
      expect(huge.status).toBe(400);
      expect((await huge.json()).field).toBe('query.timestamp');
      const json = await osmandJson({
        device_id: deviceId('time'),
        location: { timestamp: '99999999999999999999', coords: { latitude: 35.85, longitude: 112.9 } },
      });
      expect(json.status).toBe(422);
      expect((await json.json()).field).toBe('timestamp');
      expect(await trackOf('time')).toHaveLength(1);
      expect(await positionOf('time')).toMatchObject({ lng: 112.97, lat: 35.82 });
    });
  });
});
