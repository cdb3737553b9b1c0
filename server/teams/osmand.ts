// The OsmAnd tracking protocol as Traccar Client and OsmAnd send it, decoded into our fixes:
//  - query form (GET or form-encoded POST): id|deviceid, lat, lon, timestamp (epoch seconds, epoch
//    ms, or ISO 8601), speed (knots, as the protocol defines it), bearing|heading, altitude,
//    accuracy|hdop, batt;
//  - JSON form (Traccar Client 8+): {device_id, location: {timestamp, coords: {latitude,
//    longitude, speed (m/s), heading, altitude, accuracy}, battery: {level (0..1)}}}.
import { z } from 'zod';
import { fromZodError } from '../http/errors';
import type { FixInput } from '../../shared/teams';

export const KNOT_IN_MPS = 0.514444;

const num = z.coerce.number().finite();
const optionalNum = (schema: z.ZodType<number>) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), schema.optional());

const querySchema = z.object({
  id: z.string().min(1).max(64),
  lat: num.min(-90).max(90),
  lon: num.min(-180).max(180),
  timestamp: z.string().min(1).optional(),
  speed: optionalNum(num.min(0).max(300)),
  bearing: optionalNum(num.min(0).max(360)),
  altitude: optionalNum(num.min(-500).max(9000)),
  accuracy: optionalNum(num.min(0).max(100_000)),
  batt: optionalNum(num.min(0).max(100)),
});

const jsonSchema = z.object({
  device_id: z.string().min(1).max(64),
  location: z.object({
    timestamp: z.string().min(1),
    coords: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      speed: z.number().nullish(),
      heading: z.number().nullish(),
      altitude: z.number().nullish(),
      accuracy: z.number().nullish(),
    }),
    battery: z
      .object({ level: z.number().min(0).max(1) })
      .partial()
      .optional(),
  }),
});

/** Epoch seconds, epoch milliseconds or ISO 8601 → epoch ms; NaN when unreadable. */
export function parseTimestamp(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    const ms = n < 1e11 ? Math.round(n * 1000) : Math.round(n); // 1e11 s is the year 5138
    return Number.isFinite(ms) ? ms : NaN; // 400 digits are Infinity, not a time
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? NaN : t;
}

export interface DecodedOsmAnd {
  deviceId: string;
  fix: FixInput & { at: number };
}

/** Decode either form; throws a 400 HttpError naming the bad field. */
export function decodeOsmAnd(query: Record<string, unknown>, body: unknown, now: number): DecodedOsmAnd {
  const merged: Record<string, unknown> = { ...query };
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if ('location' in b) {
      const parsed = jsonSchema.safeParse(b);
      if (!parsed.success) throw fromZodError(parsed.error, 'body');
      const { device_id, location } = parsed.data;
      const at = parseTimestamp(location.timestamp);
      if (Number.isNaN(at))
        throw fromZodError(
          new z.ZodError([
            {
              code: 'custom',
              path: ['location', 'timestamp'],
              message: 'not a timestamp',
              input: location.timestamp,
            },
          ]),
          'body',
        );
      const c = location.coords;
      return {
        deviceId: device_id,
        fix: {
          lng: c.longitude,
          lat: c.latitude,
          at,
          speed: c.speed !== undefined && c.speed !== null && c.speed >= 0 ? c.speed : null,
          bearing: c.heading !== undefined && c.heading !== null && c.heading >= 0 ? c.heading % 360 : null,
          altitude: c.altitude ?? null,
          accuracy: c.accuracy ?? null,
          battery: location.battery?.level !== undefined ? Math.round(location.battery.level * 100) : null,
        },
      };
    }
    Object.assign(merged, b); // form-encoded POST carries the query fields in the body
  }
  if (merged.id === undefined && typeof merged.deviceid === 'string') merged.id = merged.deviceid;
  if (merged.bearing === undefined && merged.heading !== undefined) merged.bearing = merged.heading;
  if (merged.accuracy === undefined && merged.hdop !== undefined) merged.accuracy = merged.hdop;
  const parsed = querySchema.safeParse(merged);
  if (!parsed.success) throw fromZodError(parsed.error, 'query');
  const q = parsed.data;
  const at = q.timestamp === undefined ? now : parseTimestamp(q.timestamp);
  if (Number.isNaN(at)) {
    throw fromZodError(
      new z.ZodError([
        {
          code: 'custom',
          path: ['timestamp'],
          message: 'not a timestamp (epoch seconds, epoch ms or ISO 8601)',
          input: q.timestamp,
        },
      ]),
      'query',
    );
  }
  return {
    deviceId: q.id,
    fix: {
      lng: q.lon,
      lat: q.lat,
      at,
      speed: q.speed === undefined ? null : q.speed * KNOT_IN_MPS,
      bearing: q.bearing ?? null,
      altitude: q.altitude ?? null,
      accuracy: q.accuracy ?? null,
      battery: q.batt ?? null,
    },
  };
}
