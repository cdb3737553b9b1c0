// What devices and track readers may send that they should not: every bad value is a 4xx naming its
// field (never a 500), and nothing of it is stored or moves a team's marker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { ManualClock } from '../../../server/clock';
import type { TeamPosition } from '../../../shared/teams';
import { OSMAND_FORM_FIELDS_MAX } from '../../../server/teams/routes';

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
        expect((await r.json()).field).toBe('query.timestamp');
      }
      const huge = await at('9'.repeat(400)); // not even a number: Infinity
      expect(huge.status).toBe(400);
      expect((await huge.json()).field).toBe('query.timestamp');
      const json = await osmandJson({
        device_id: deviceId('time'),
        location: { timestamp: '99999999999999999999', coords: { latitude: 35.85, longitude: 112.9 } },
      });
      expect(json.status).toBe(422);
      expect((await json.json()).field).toBe('body.location.timestamp');
      expect(await trackOf('time')).toHaveLength(1);
      expect(await positionOf('time')).toMatchObject({ lng: 112.97, lat: 35.82 });
    });
  });
  describe('OsmAnd numbers', () => {
    const id = deviceId('osmand');
    const ts = Math.floor((T0 - 30_000) / 1000);

    it('refuses blank, hex and unbounded coordinates naming the field; the marker stays', async () => {
      const good = await osmand(`id=${id}&lat=35.82&lon=112.97&timestamp=${ts}`);
      expect(good.status).toBe(200);
      const cases: Array<[string, string]> = [
        ['lat=&lon=', 'query.lat'],
        ['lat=35.82&lon=', 'query.lon'],
        ['lon=112.97', 'query.lat'],
        ['lat=0x23&lon=0x70', 'query.lat'],
        ['lat=35.82&lon=0x70', 'query.lon'],
        ['lat=35.82&lon=1e400', 'query.lon'],
        ['lat=Infinity&lon=112.97', 'query.lat'],
        ['lat=%2035.82&lon=112.97', 'query.lat'],
        ['lat=35.82&lon=112.97&lat=35.9', 'query.lat'],
        ['lat=35.82&lon=112.97&speed=1e300', 'query.speed'],
        ['lat=35.82&lon=112.97&speed=0x10', 'query.speed'],
        ['lat=35.82&lon=112.97&altitude=1e300', 'query.altitude'],
        ['lat=35.82&lon=112.97&accuracy=-5', 'query.accuracy'],
        ['lat=35.82&lon=112.97&bearing=720', 'query.bearing'],
      ];
      for (const [query, field] of cases) {
        const r = await osmand(`id=${id}&timestamp=${ts + 1}&${query}`);
        expect(r.status, query).toBe(400);
        expect((await r.json()).field, query).toBe(field);
      }
      const form = await fetch(`${server.url}/api/osmand`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `id=${id}&lat=&lon=&timestamp=${ts + 1}`,
      });
      expect(form.status).toBe(400);
      expect((await form.json()).field).toBe('query.lat');
      expect(await positionOf('osmand')).toMatchObject({ lng: 112.97, lat: 35.82 });
      expect(await trackOf('osmand')).toHaveLength(1);
    });

    it('takes the decimals Traccar Client writes, tiny speeds as 5.0E-4, empty optional fields as absent', async () => {
      const r = await osmand(
        `id=${id}&lat=35.821&lon=112.971&timestamp=${ts + 2}&speed=5.0E-4&bearing=&altitude=&accuracy=8.0`,
      );
      expect(r.status).toBe(200);
      const points = await trackOf('osmand');
      expect(points.at(-1)).toMatchObject({ lng: 112.971, lat: 35.821, bearing: null });
      expect(points.at(-1)!.speed).toBeCloseTo(5e-4 * 0.514444, 9);
    });

    it('bounds the JSON form as the query form: no speed of 1e300, no accuracy of -5', async () => {
      const send = (coords: Record<string, unknown>) =>
        osmandJson({
          device_id: id,
          location: {
            timestamp: new Date(T0 - 10_000).toISOString(),
            coords: { latitude: 35.83, longitude: 112.98, ...coords },
          },
        });
      for (const [coords, field] of [
        [{ speed: 1e300 }, 'body.location.coords.speed'],
        [{ heading: 1e300 }, 'body.location.coords.heading'],
        [{ altitude: 1e300 }, 'body.location.coords.altitude'],
        [{ accuracy: -5 }, 'body.location.coords.accuracy'],
        [{ accuracy: 1e300 }, 'body.location.coords.accuracy'],
      ] as const) {
        const r = await send(coords);
        expect(r.status, JSON.stringify(coords)).toBe(400);
        expect((await r.json()).field).toBe(field);
      }
      expect((await trackOf('osmand')).map((p) => p.lat)).toEqual([35.82, 35.821]);
      // Traccar Client's -1 for a speed or heading it does not know is still taken, as no value.
      const unknown = await send({ speed: -1, heading: -1, accuracy: 12 });
      expect(unknown.status).toBe(200);
      expect((await trackOf('osmand')).at(-1)).toMatchObject({ lat: 35.83, speed: null, bearing: null });
    });

    it('answers a form of too many fields or bytes 413 naming body, as every 413 does; a fix among 1,000 fields is taken', async () => {
      const form = (body: string) =>
        fetch(`${server.url}/api/osmand`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
      const fix = `id=${id}&lat=35.823&lon=112.973&timestamp=${ts + 3}`;
      const padding = (n: number) => Array.from({ length: n }, (_, i) => `&x${i}=`).join('');
      const before = (await trackOf('osmand')).length;
      for (const [body, says] of [
        [fix + padding(OSMAND_FORM_FIELDS_MAX - 3), 'body: too many form fields'],
        [`${fix}&x=${'a'.repeat(17_000)}`, 'body: request body too large'],
      ] as const) {
        const r = await form(body);
        expect(r.status).toBe(413);
        const answer = await r.json();
        expect(answer.field).toBe('body');
        expect(answer.error).toBe(says);
      }
      expect(await trackOf('osmand')).toHaveLength(before);
      const r = await form(fix + padding(OSMAND_FORM_FIELDS_MAX - 4));
      expect(r.status).toBe(200);
      expect(await trackOf('osmand')).toHaveLength(before + 1);
    });
  });
  describe('track windows', () => {
    const track = (query: string) =>
      call(server.url, commander, 'GET', `/api/teams/${teamId('track')}/track?${query}`);

    it('refuses an empty, hex, exponent, signed, repeated or dateless from/to naming it', async () => {
      const cases: Array<[string, string]> = [
        ['from=&to=', 'query.from'],
        ['to=', 'query.to'],
        ['from=', 'query.from'],
        [`from=0x10&to=${T0}`, 'query.from'],
        [`from=${T0 - 1000}&to=1e13`, 'query.to'],
        [`from=-5&to=${T0}`, 'query.from'],
        [`from=%20${T0 - 1000}&to=${T0}`, 'query.from'],
        [`from=${T0 - 1000}&from=${T0 - 2000}&to=${T0}`, 'query.from'],
        ['to=8700000000000000', 'query.to'],
        ['to=99999999999999999999', 'query.to'],
      ];
      for (const [query, field] of cases) {
        const r = await track(query);
        expect(r.status, query).toBe(400);
        expect(r.body.field, query).toBe(field);
      }
    });

    it('still gives the last 24 hours with no from/to, and the window asked for', async () => {
      const r = await postFixes('track', [{ lng: 112.9, lat: 35.8, at: T0 - 1000 }]);
      expect(r.status).toBe(200);
      const byDefault = await track('');
      expect(byDefault.status).toBe(200);
      expect(byDefault.body).toMatchObject({ from: T0 - 86_400_000, to: T0, total: 1 });
      const asked = await track(`from=${T0 - 2000}&to=${T0}`);
      expect(asked.body).toMatchObject({ from: T0 - 2000, to: T0, total: 1 });
    });
  });
  describe('fixes at one instant', () => {
    it('answers what was stored: two fixes at one instant are one accepted and one duplicate', async () => {
      const fixes = [
        { lng: 112.91, lat: 35.81, at: T0 - 5000 },
        { lng: 112.95, lat: 35.85, at: T0 - 5000 },
        { lng: 112.92, lat: 35.82, at: T0 - 4000 },
      ];
      const r = await postFixes('dup', fixes);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
      const points = await trackOf('dup');
      expect(points.map((p) => [p.lng, p.lat, p.at])).toEqual([
        [112.91, 35.81, T0 - 5000],
        [112.92, 35.82, T0 - 4000],
      ]);
      // The same batch again (its answer lost on the way): taken, nothing stored twice.
      const again = await postFixes('dup', fixes);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
      expect(await trackOf('dup')).toHaveLength(2);
      expect(await positionOf('dup')).toMatchObject({ lng: 112.92, lat: 35.82, at: T0 - 4000 });
    });
  });
  describe('device credentials', () => {
    it('answers an unknown device as a wrong token, so registered ids cannot be listed', async () => {
      const fixes = [{ lng: 112.9, lat: 35.8, at: T0 - 1000 }];
      const answers = [];
      for (const [tok, id] of [
        ['guess', deviceId('auth')], // registered, wrong token
        ['guess', 'no-such-car'], // not registered
        [token('auth'), 'no-such-car'], // a real token for another id
      ]) {
        const r = await postFixes('auth', fixes, tok, id);
        answers.push({ status: r.status, body: await r.json() });
      }
      const missing = await fetch(`${server.url}/api/positions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ deviceId: 'no-such-car', fixes }),
      });
      answers.push({ status: missing.status, body: await missing.json() });
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(JSON.stringify(answers[1]!.body)).not.toContain('no-such-car');
      expect(await trackOf('auth')).toEqual([]);
      const right = await postFixes('auth', fixes);
      expect(right.status).toBe(200);
    });
  });
});
