// The bounding box of GeoJSON features, or of points, for fitting the map to them.
import type { Feature, Position } from 'geojson';

export type Bounds = [west: number, south: number, east: number, north: number];

/** [west, south, east, north] of `points` ([lng, lat]); null when there is none. */
export function boundsOfPoints(points: Iterable<readonly [number, number] | Position>): Bounds | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points)
    [w, s, e, n] = [Math.min(w, x!), Math.min(s, y!), Math.max(e, x!), Math.max(n, y!)];
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/** [west, south, east, north] of every coordinate of `features`; null when there is none. */
export function boundsOf(features: Iterable<Feature>): Bounds | null {
  function* positions(c: unknown): Generator<Position> {
    if (Array.isArray(c) && typeof c[0] === 'number') yield c as Position;
    else if (Array.isArray(c)) for (const x of c) yield* positions(x);
  }
  function* all(): Generator<Position> {
    for (const f of features)
      if (f.geometry && 'coordinates' in f.geometry) yield* positions(f.geometry.coordinates);
  }
  return boundsOfPoints(all());
}
