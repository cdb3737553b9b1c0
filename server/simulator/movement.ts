// How a simulated team moves: along a chain of waypoints at a speed with some noise, reporting a
// fix (position, speed, bearing) as a phone would. Pure: state in, state out, seeded randomness.

export type LngLat = [number, number];

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Metres between two points (equirectangular; exact enough within a county). */
export function distanceMeters(a: LngLat, b: LngLat): number {
  const x = rad(b[0] - a[0]) * Math.cos(rad((a[1] + b[1]) / 2));
  const y = rad(b[1] - a[1]);
  return Math.hypot(x, y) * EARTH_RADIUS_M;
}

/** Degrees clockwise from north, 0..360. */
export function bearingDegrees(a: LngLat, b: LngLat): number {
  const x = rad(b[0] - a[0]) * Math.cos(rad((a[1] + b[1]) / 2));
  const y = rad(b[1] - a[1]);
  return ((Math.atan2(x, y) * 180) / Math.PI + 360) % 360;
}

/** The point `meters` from `a` toward `b` (clamped at b). */
export function moveToward(a: LngLat, b: LngLat, meters: number): LngLat {
  const d = distanceMeters(a, b);
  if (d <= meters || d === 0) return [b[0], b[1]];
  const f = meters / d;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

export type MoverMode = 'patrol' | 'to_task' | 'on_site' | 'returning';

export interface MoverState {
  position: LngLat;
  target: LngLat;
  mode: MoverMode;
  /** metres per second when moving */
  speed: number;
  bearing: number;
  /** the case the team is heading to or working on */
  caseId: string | null;
}

export interface Fix {
  lng: number;
  lat: number;
  speed: number;
  bearing: number;
}

/** Advance `dt` seconds. Returns the new state and whether the target was reached in this step. */
export function step(s: MoverState, dt: number, rand: () => number): { state: MoverState; arrived: boolean } {
  if (s.mode === 'on_site') return { state: { ...s, speed: 0 }, arrived: false };
  // Real traffic: speed varies ±30 % around the cruising speed.
  const speed = s.speed * (0.7 + rand() * 0.6);
  const next = moveToward(s.position, s.target, speed * dt);
  const arrived = next[0] === s.target[0] && next[1] === s.target[1];
  const bearing = distanceMeters(s.position, s.target) > 1 ? bearingDegrees(s.position, s.target) : s.bearing;
  return { state: { ...s, position: next, bearing }, arrived };
}

export function fixOf(s: MoverState, moving: boolean): Fix {
  return {
    lng: Math.round(s.position[0] * 1e6) / 1e6,
    lat: Math.round(s.position[1] * 1e6) / 1e6,
    speed: moving ? Math.round(s.speed * 10) / 10 : 0,
    bearing: Math.round(s.bearing),
  };
}
