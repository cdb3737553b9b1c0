import { describe, expect, it } from 'vitest';
import { KNOT_IN_MPS, decodeOsmAnd, parseTimestamp } from '../../../server/teams/osmand';
import { HttpError } from '../../../server/http/errors';

const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);

describe('OsmAnd protocol decoding', () => {
  it('reads the query form Traccar Client sends, speed in knots', () => {
    const d = decodeOsmAnd(
      {
        id: 'gp-1',
        lat: '35.8012',
        lon: '112.9234',
        timestamp: '1795320000',
        speed: '10',
        bearing: '90',
        altitude: '900',
        accuracy: '5',
        batt: '77',
      },
      undefined,
      NOW,
    );
    expect(d.deviceId).toBe('gp-1');
    expect(d.fix).toMatchObject({
      lng: 112.9234,
      lat: 35.8012,
      at: 1795320000_000,
      bearing: 90,
      altitude: 900,
      accuracy: 5,
      battery: 77,
    });
    expect(d.fix.speed).toBeCloseTo(10 * KNOT_IN_MPS, 6);
  });

  it('accepts ISO timestamps, epoch ms, and deviceid/heading/hdop aliases', () => {
    expect(parseTimestamp('2026-11-22T10:00:00+08:00')).toBe(Date.UTC(2026, 10, 22, 2, 0, 0));
    expect(parseTimestamp('1795320000123')).toBe(1795320000123);
    expect(parseTimestamp('9'.repeat(400))).toBeNaN(); // Infinity is no time
    const d = decodeOsmAnd(
      { deviceid: 'gp-2', lat: '35.8', lon: '112.9', heading: '45', hdop: '3' },
      undefined,
      NOW,
    );
    expect(d).toMatchObject({ deviceId: 'gp-2', fix: { bearing: 45, accuracy: 3, at: NOW } });
  });

  it('reads the JSON form of Traccar Client 8, speed in m/s, battery 0..1', () => {
    const d = decodeOsmAnd(
      {},
      {
        device_id: 'gp-3',
        location: {
          timestamp: '2026-11-22T02:00:00Z',
          coords: { latitude: 35.8, longitude: 112.9, speed: 4.5, heading: 180, altitude: 880, accuracy: 8 },
          battery: { level: 0.42 },
        },
      },
      NOW,
    );
    expect(d).toEqual({
      deviceId: 'gp-3',
      fields: { device: 'body.device_id', timestamp: 'body.location.timestamp' },
      fix: {
        lng: 112.9,
        lat: 35.8,
        at: NOW,
        speed: 4.5,
        bearing: 180,
        altitude: 880,
        accuracy: 8,
        battery: 42,
      },
    });
  });

  it.each([
    [{ lat: '35.8', lon: '112.9' }, 'query.id'],
    [{ id: 'x', lat: '95', lon: '112.9' }, 'query.lat'],
    [{ id: 'x', lat: '35.8', lon: 'east' }, 'query.lon'],
    [{ id: 'x', lat: '35.8', lon: '112.9', timestamp: 'yesterday' }, 'query.timestamp'],
    [{ id: 'x', lat: '35.8', lon: '112.9', batt: '150' }, 'query.batt'],
    [{ id: 'x', lat: '', lon: '' }, 'query.lat'],
    [{ id: 'x', lat: '0x23', lon: '0x70' }, 'query.lat'],
    [{ id: 'x', lat: '35.8', lon: '1e400' }, 'query.lon'],
    [{ id: 'x', lat: '35.8', lon: '112.9', speed: '300' }, 'query.speed'], // 154 m/s: over 150
    [{ id: 'x', lat: '35.8', lon: '112.9', altitude: '1e300' }, 'query.altitude'],
  ])('refuses %j naming %s', (query, field) => {
    try {
      decodeOsmAnd(query, undefined, NOW);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).status).toBe(400);
      expect((err as HttpError).field).toBe(field);
    }
  });

  it.each([
    [{ speed: 151 }, 'body.location.coords.speed'],
    [{ heading: 361 }, 'body.location.coords.heading'],
    [{ altitude: 1e300 }, 'body.location.coords.altitude'],
    [{ accuracy: -5 }, 'body.location.coords.accuracy'],
  ])('refuses the JSON form with %j naming %s, as the query form', (coords, field) => {
    const body = {
      device_id: 'gp-3',
      location: {
        timestamp: '2026-11-22T02:00:00Z',
        coords: { latitude: 35.8, longitude: 112.9, ...coords },
      },
    };
    try {
      decodeOsmAnd({}, body, NOW);
      expect.unreachable();
    } catch (err) {
      expect((err as HttpError).status).toBe(400);
      expect((err as HttpError).field).toBe(field);
    }
  });
});
