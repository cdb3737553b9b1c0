// The OsmAnd tracking protocol as Traccar Client and OsmAnd send it, decoded into our fixes:
//  - query form (GET or form-encoded POST): id|deviceid, lat, lon, timestamp (epoch seconds, epoch
//    ms, or ISO 8601), speed (knots, as the protocol defines it), bearing|heading, altitude,
//    accuracy|hdop, batt;
//  - JSON form (Traccar Client 8+): {device_id, location: {timestamp, coords: {latitude,
//    longitude, speed (m/s), heading, altitude, accuracy}, battery: {level (0..1)}}}.
import { z } from 'zod';
import { fromZodError } from '../http/errors';
import { FIX_LIMITS, type FixInput } from '../../shared/teams';

export const KNOT_IN_MPS = 0.514444;

/**
 * A number as a query string or form field carries it: decimal, in the form Java and JavaScript
 * write numbers (35.82, -0.5, and 5.0E-4 for Traccar Client's tiny speeds). Not blank (Number('')
 * is 0: the marker went to 0,0), not hex (0x23), not Infinity; a JSON number as it is.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const decimal = (min: number, max: number, unit = '') =>
  z.preprocess(
    (v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v),
    z
      .number({
        error: (iss) =>
          iss.code === 'invalid_type'
            ? iss.input === undefined
              ? 'is required'
              : 'not a decimal number'
            : undefined,
      })
      .min(min, `at least ${min}${unit}`)
      .max(max, `at most ${max}${unit}`),
  );
/** A field left out or sent empty (`altitude=`) is not there; anything else must be a number. */
const blankIsMissing = (v: unknown) => (v === '' || v === null ? undefined : v);
const required = (schema: z.ZodType<number>) => z.preprocess(blankIsMissing, schema);
const optional = (schema: z.ZodType<number>) => z.preprocess(blankIsMissing, schema.optional());
/** The bound of a fix's speed (m/s) in knots, to two decimals: the same speed on every way in. */
const MAX_KNOTS = Math.floor((FIX_LIMITS.speedMax / KNOT_IN_MPS) * 100) / 100;

const querySchema = z.object({
  id: z.string().min(1).max(64),
  lat: required(decimal(-90, 90)),
  lon: required(decimal(-180, 180)),
  timestamp: z.string().min(1).optional(),
  speed: optional(decimal(0, MAX_KNOTS, ' knots')),
  bearing: optional(decimal(0, FIX_LIMITS.bearingMax)),
  altitude: optional(decimal(FIX_LIMITS.altitudeMin, FIX_LIMITS.altitudeMax, ' m')),
  accuracy: optional(decimal(0, FIX_LIMITS.accuracyMax, ' m')),
  batt: optional(decimal(0, FIX_LIMITS.batteryMax, ' %')),
});

/** A negative speed or heading (-1: the app does not know it) is no value (null), as before. */
const unknownIfNegative = (max: number) => z.number().max(max).nullish();

const jsonSchema = z.object({
  device_id: z.string().min(1).max(64),
  location: z.object({
    timestamp: z.string().min(1),
    coords: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      speed: unknownIfNegative(FIX_LIMITS.speedMax),
      heading: unknownIfNegative(FIX_LIMITS.bearingMax),
      altitude: z.number().min(FIX_LIMITS.altitudeMin).max(FIX_LIMITS.altitudeMax).nullish(),
      accuracy: z.number().min(0).max(FIX_LIMITS.accuracyMax).nullish(),
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
  /**
   * The fields a later refusal names, as the request's form has them: `query.id` and
   * `query.timestamp` (GET, or a form-encoded POST, which carries the query's fields), or
   * `body.device_id` and `body.location.timestamp` (the JSON form).
   */
  fields: { device: string; timestamp: string };
}

const QUERY_FIELDS = { device: 'query.id', timestamp: 'query.timestamp' } as const;
const JSON_FIELDS = { device: 'body.device_id', timestamp: 'body.location.timestamp' } as const;

/**
 * Decode either form; throws a 400 HttpError naming the bad field. A JSON body (`json`: it came as
 * application/json; or, without the flag, one naming `location` or `device_id`) is the JSON form,
 * whatever it lacks: `{device_id}` alone is a 400 naming `body.location`.
 */
export function decodeOsmAnd(
  query: Record<string, unknown>,
  body: unknown,
  now: number,
  json = false,
): DecodedOsmAnd {
  const merged: Record<string, unknown> = { ...query };
  if (json && (typeof body !== 'object' || body === null || Array.isArray(body)))
    throw fromZodError(jsonSchema.safeParse(body).error!, 'body'); // `[]`: not an object
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if (json || 'location' in b || 'device_id' in b) {
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
        fields: JSON_FIELDS,
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
    fields: QUERY_FIELDS,
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
